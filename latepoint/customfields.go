package latepoint

import (
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// customFieldDef is one entry of the Pro add-on's custom_fields_for_customer setting (spec §2.12.4).
type customFieldDef struct {
	ID      string
	Type    string
	Options []string
	Default string
}

// parseCustomFieldDefs reads the setting's JSON object in its stored order; anything unreadable means "no
// definitions" (the add-on may be absent).
func parseCustomFieldDefs(raw string) []customFieldDef {
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	v, err := wpjson.DecodeOrdered([]byte(raw))
	if err != nil {
		return nil
	}
	obj, ok := v.(*wpjson.Object)
	if !ok {
		return nil
	}
	var defs []customFieldDef
	for _, k := range obj.Keys() {
		ev, _ := obj.Get(k)
		e, ok := ev.(*wpjson.Object)
		if !ok {
			continue
		}
		d := customFieldDef{ID: k}
		if id, ok := e.Get("id"); ok {
			if s, isStr := id.(string); isStr && s != "" {
				d.ID = s
			}
		}
		if t, ok := e.Get("type"); ok {
			d.Type, _ = t.(string)
		}
		if dv, ok := e.Get("default_value"); ok {
			d.Default, _ = scalarString(dv)
		}
		if o, ok := e.Get("options"); ok {
			if s, isStr := o.(string); isStr {
				for _, line := range strings.Split(s, "\n") {
					if line = strings.TrimSpace(line); line != "" {
						d.Options = append(d.Options, line)
					}
				}
			}
		}
		defs = append(defs, d)
	}
	return defs
}

// checkCustomFields validates values against the definitions of defined keys (select: one of the options;
// checkbox: on/off); free keys are accepted as written (spec §6.12.3 [REC]).
func checkCustomFields(changes []metaChange, defs []customFieldDef, v *validator) {
	byID := map[string]customFieldDef{}
	for _, d := range defs {
		byID[d.ID] = d
	}
	for _, c := range changes {
		d, ok := byID[c.Key]
		if !ok || c.Delete {
			continue
		}
		switch d.Type {
		case "select":
			found := false
			for _, o := range d.Options {
				found = found || o == c.Value
			}
			if !found && len(d.Options) > 0 {
				v.add("custom_fields."+c.Key, msgCustomOption)
			}
		case "checkbox":
			if c.Value != "on" && c.Value != "off" {
				v.add("custom_fields."+c.Key, msgBool)
			}
		}
	}
}

// customFieldsView is the read side (§6.12.3 [REC]): every defined field (stored value, else its default, else
// ""), then every other non-reserved meta key, in meta id order; the first row of a duplicated key wins.
func customFieldsView(meta []metaRow, defs []customFieldDef) *wpjson.Object {
	first := map[string]string{}
	var order []string
	for _, m := range meta {
		if _, seen := first[m.Key]; seen {
			continue
		}
		first[m.Key] = m.Value.String
		order = append(order, m.Key)
	}
	out := wpjson.NewObject()
	for _, d := range defs {
		if v, ok := first[d.ID]; ok {
			out.Set(d.ID, v)
		} else {
			out.Set(d.ID, d.Default)
		}
	}
	for _, k := range order {
		if reservedMetaKeys[k] || strings.HasPrefix(k, "_") {
			continue
		}
		if _, done := out.Get(k); !done {
			out.Set(k, first[k])
		}
	}
	return out
}
