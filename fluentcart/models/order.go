// Package models reproduces FluentCart 1.3.25's models as json_encode sees them — Order, OrderItem, Subscription
// (with its meta), CustomerAddresses, LabelRelationship and User — (Model::toArray: attributes in column order with
// date serialisation, get-mutators and casts applied, then $appends; relations after that —
// vendor/wpfluent/framework/src/WPFluent/Database/Orm/Concerns/HasAttributes.php), the country and state tables
// they and the address validation use, and the PHP value semantics they need. It knows rows (column names and the
// strings MySQL returned), the store settings and the clock; it runs no query and must not import the route
// package (fluentcart) or any other plugin.
package models

import (
	"errors"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// orderDoubles are Order::$casts 'double' columns.
var orderDoubles = map[string]bool{"subtotal": true, "discount_tax": true, "manual_discount_total": true,
	"coupon_discount_total": true, "shipping_tax": true, "shipping_total": true, "fee_total": true, "tax_total": true,
	"total_amount": true}

// Order is Order::toArray() (app/Models/Order.php): id (the incrementing key) and customer_id integers, money
// totals cast to double, config through getConfigAttribute, timestamps ISO. Order has no $appends.
func Order(keys []string, vals []any) *wpjson.Object {
	out := wpjson.NewObject()
	for i, k := range keys {
		v := vals[i]
		switch {
		case k == "id" || k == "customer_id":
			if v != nil {
				v = Intval(v)
			}
		case orderDoubles[k]:
			if v != nil {
				v = wpjson.PHPFloat(toFloat(v))
			}
		case k == "config":
			s, _ := v.(string)
			if s == "" || s == "0" {
				v = []any{}
			} else if d, ok := JSONDecode(s); ok {
				v = d
			} else {
				v = nil
			}
		case k == "created_at" || k == "updated_at":
			if v != nil {
				v = ISODate(v)
			}
		}
		out.Set(k, v)
	}
	return out
}

// itemDoubles are OrderItem::$casts (all 'double').
var itemDoubles = map[string]bool{"unit_price": true, "cost": true, "subtotal": true, "tax_amount": true,
	"shipping_charge": true, "discount_total": true, "line_total": true, "refund_total": true}

// OrderItem is OrderItem::toArray() (app/Models/OrderItem.php): the columns with the id cast, the money columns
// cast to double, other_info and line_meta through their get-mutators, timestamps ISO; then the appends
// payment_info, setup_info, is_custom and formatted_total (added by the retrieved event). Extra selected columns
// (laravel_through_key of a through relation) stay strings at their place.
func (s *Shop) OrderItem(keys []string, vals []any) (*wpjson.Object, error) {
	out := wpjson.NewObject()
	var otherInfo any = []any{}
	var unitPrice, subtotal any
	paymentType := ""
	for i, k := range keys {
		v := vals[i]
		switch {
		case k == "id":
			if v != nil {
				v = Intval(v)
			}
		case itemDoubles[k]:
			if v != nil {
				v = wpjson.PHPFloat(toFloat(v))
			}
		case k == "other_info":
			v = decodedArray(v)
			otherInfo = v
		case k == "line_meta":
			v = lineMeta(v)
		case k == "created_at" || k == "updated_at":
			if v != nil {
				v = ISODate(v)
			}
		}
		switch k {
		case "unit_price":
			unitPrice = v
		case "subtotal":
			subtotal = v
		case "payment_type":
			paymentType, _ = vals[i].(string)
		}
		out.Set(k, v)
	}
	paymentInfo, setupInfo := "", ""
	if paymentType == "subscription" {
		if unitPrice == nil {
			unitPrice = int64(0)
		}
		info, err := s.subscriptionInfo(otherInfo, unitPrice)
		if err != nil {
			return nil, err
		}
		paymentInfo = info
		if setupInfo, err = s.setupFeeInfo(otherInfo); err != nil {
			return nil, err
		}
	}
	out.Set("payment_info", paymentInfo)
	out.Set("setup_info", setupInfo)
	isCustom, ok := arrGet(otherInfo, "is_custom")
	if !ok || isCustom == nil {
		isCustom = false
	}
	out.Set("is_custom", isCustom)
	out.Set("formatted_total", s.ToDecimal(subtotal))
	return out, nil
}

// decodedArray is getOtherInfoAttribute: a string decoding to an array is that array, anything else [].
func decodedArray(v any) any {
	if s, ok := v.(string); ok {
		if d, ok := JSONDecode(s); ok {
			switch d.(type) {
			case []any, *wpjson.Object:
				return d
			}
		}
	}
	return []any{}
}

// lineMeta is getLineMetaAttribute: a string decoding to a truthy value is that value, anything else [].
func lineMeta(v any) any {
	if s, ok := v.(string); ok {
		if d, ok := JSONDecode(s); ok && !Empty(d) {
			return d
		}
	}
	return []any{}
}

// arrGet is Arr::get for a decoded JSON array: the literal key first, then a dotted path. ok is false when the
// default would be returned.
func arrGet(arr any, key string) (any, bool) {
	get := func(a any, k string) (any, bool) {
		switch t := a.(type) {
		case *wpjson.Object:
			return t.Get(k)
		case []any:
			if n, err := parseIndex(k); err == nil && n < len(t) {
				return t[n], true
			}
		}
		return nil, false
	}
	switch arr.(type) {
	case *wpjson.Object, []any:
	default:
		return nil, false
	}
	if v, ok := get(arr, key); ok {
		return v, true
	}
	if !strings.Contains(key, ".") {
		return nil, false
	}
	cur := arr
	for _, seg := range strings.Split(key, ".") {
		v, ok := get(cur, seg)
		if !ok {
			return nil, false
		}
		cur = v
	}
	return cur, true
}

// parseIndex reads a canonical PHP integer key ("0", "12"; not "01" or "-0").
func parseIndex(k string) (int, error) {
	if k == "" || len(k) > 1 && k[0] == '0' {
		return 0, errIndex
	}
	n := 0
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return 0, errIndex
		}
		n = n*10 + int(k[i]-'0')
		if n > 1<<30 {
			return 0, errIndex
		}
	}
	return n, nil
}

var errIndex = errors.New("not a PHP integer key")
