package models

// CustomerAddresses, LabelRelationship and User as the customers answers embed them (app/Models/CustomerAddresses.php,
// LabelRelationship.php, User.php).

import (
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// strPtr is the attribute as *string (nil for a missing or NULL column), for the locale lookups.
func (r Row) strPtr(k string) *string {
	switch v := r.get(k).(type) {
	case nil:
		return nil
	case string:
		return &v
	default:
		s, _ := ScalarString(v)
		return &s
	}
}

// Address is CustomerAddresses::toArray(): columns (id int, meta decoded, dates ISO), then formatted_address and
// company_name (app/Models/CustomerAddresses.php).
func Address(a Row) *wpjson.Object {
	out := wpjson.NewObject()
	meta := AddressMeta(a)
	for i, k := range a.Keys {
		v := a.Vals[i]
		switch k {
		case "id":
			if v != nil {
				v = Intval(v)
			}
		case "created_at", "updated_at":
			if v != nil {
				v = ISODate(v)
			}
		case "meta":
			v = meta
		}
		out.Set(k, v)
	}
	company := companyName(meta)
	country := a.strPtr("country")
	fa := wpjson.NewObject()
	cn := ""
	if country != nil {
		cn = CountryName(*country, true)
	}
	fa.Set("country", cn)
	st := StateName(a.strPtr("state"), country)
	fa.Set("state", st)
	for _, k := range []string{"city", "postcode", "address_1", "address_2", "type", "name"} {
		v := a.get(k)
		fa.Set(k, v)
	}
	fa.Set("first_name", nil).Set("last_name", nil).Set("full_name", nil).Set("company_name", company)
	label := a.get("label")
	phone := a.get("phone")
	fa.Set("label", label).Set("phone", phone)
	var parts []string
	add := func(v any) {
		s, _ := ScalarString(v)
		if s = strings.Trim(s, " \t\n\r\x00\x0B"); s != "" {
			parts = append(parts, s)
		}
	}
	add(company)
	for _, k := range []string{"address_1", "address_2", "city"} {
		v := a.get(k)
		add(v)
	}
	add(st)
	add(cn)
	fa.Set("full_address", strings.Join(parts, ", "))
	out.Set("formatted_address", fa)
	out.Set("company_name", company)
	return out
}

// AddressMeta is CustomerAddresses::getMetaAttribute: falsy -> [], else json_decode(..., true).
func AddressMeta(a Row) any {
	v := a.get("meta")
	s, ok := v.(string)
	if !ok || s == "" || s == "0" {
		if d, isDecoded := v.(*wpjson.Object); isDecoded {
			return d
		}
		return []any{}
	}
	d, ok := JSONDecode(s)
	if !ok {
		return nil
	}
	return d
}

// companyName is Arr::get($meta, 'other_data.company_name', ”).
func companyName(meta any) any {
	o, ok := meta.(*wpjson.Object)
	if !ok {
		return ""
	}
	od, ok := o.Get("other_data")
	if !ok {
		return ""
	}
	odo, ok := od.(*wpjson.Object)
	if !ok {
		return ""
	}
	c, ok := odo.Get("company_name")
	if !ok {
		return ""
	}
	return c
}

// LabelRelationship is LabelRelationship::toArray(): id and label_id integers (label_id is cast), the rest as stored.
func LabelRelationship(a Row) *wpjson.Object {
	out := wpjson.NewObject()
	for i, k := range a.Keys {
		v := a.Vals[i]
		switch k {
		case "id", "label_id":
			if v != nil {
				v = Intval(v)
			}
		case "created_at", "updated_at":
			if v != nil {
				v = ISODate(v)
			}
		}
		out.Set(k, v)
	}
	return out
}

// User is User::toArray() for the wpUser relation, without user_pass and user_activation_key (a deliberate
// deviation: PHP returns the password hash; see DEVIATIONS.md).
func User(a Row) *wpjson.Object {
	out := wpjson.NewObject()
	for i, k := range a.Keys {
		v := a.Vals[i]
		switch k {
		case "user_pass", "user_activation_key":
			continue
		case "ID":
			if v != nil {
				v = Intval(v)
			}
		}
		out.Set(k, v)
	}
	return out
}
