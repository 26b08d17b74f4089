package fluentcart

// app/Http/Requests/CustomerRequest.php: validation and sanitisation shared by create (POST /customers) and
// update (PUT /customers/{id}) (spec §5.3, §6), and CustomerResource::resolveCustomerName.

import (
	"context"
	"strconv"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpformat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// customerSanitizeKeys is CustomerRequest::sanitize() in order: the keys getSafe returns.
var customerSanitizeKeys = []string{"user_id", "email", "full_name", "first_name", "last_name", "status", "aov",
	"notes", "country", "city", "state", "postcode", "username", "user_nicename", "display_name", "user_url", "wp_user"}

var customerSanitizers = map[string]func(any) any{
	"user_id": intField, "email": emailField, "full_name": textField, "first_name": textField,
	"last_name": textField, "status": textField, "aov": textField, "notes": textField, "country": textField,
	"city": textField, "state": textField, "postcode": textField, "username": textField,
	"user_nicename": textField, "display_name": textField, "wp_user": textField,
	"user_url": func(v any) any {
		if phpEmpty(v) {
			return ""
		}
		s, _ := scalarString(v)
		return wpformat.EscURL(s, false)
	},
}

var customerMessages = map[string]string{
	"email.required":      "Email is required.",
	"email.email":         "Email must be a valid email address.",
	"full_name.required":  "Full Name is required.",
	"first_name.required": "First Name is required.",
}

// fullNameMode is CheckoutFieldsSchema::isFullNameRequired(): full-name mode unless the saved checkout fields
// enable basic_info.first_name or basic_info.last_name.
func (a *api) fullNameMode(ctx context.Context) (bool, error) {
	raw, found, err := a.store.checkoutFieldsMeta(ctx)
	if err != nil || !found {
		return true, err
	}
	v, err := wpjson.DecodeOrdered([]byte(raw))
	if err != nil {
		return true, nil
	}
	enabled := func(field string) bool {
		o, ok := v.(*wpjson.Object)
		if !ok {
			return false
		}
		for _, k := range []string{"basic_info", field, "enabled"} {
			x, ok := o.Get(k)
			if !ok {
				return false
			}
			if k == "enabled" {
				return x == "yes"
			}
			if o, ok = x.(*wpjson.Object); !ok {
				return false
			}
		}
		return false
	}
	return !(enabled("first_name") || enabled("last_name")), nil
}

// validateCustomer runs CustomerRequest: beforeValidation (notes defaults to ""), rules, messages. The "exist"
// check looks for another customer with the sanitised e-mail, excluding the one named by the input's `id`.
func (a *api) validateCustomer(ctx context.Context, q querier, in *input, fullMode bool) error {
	if !in.has("notes") {
		in.set("notes", "")
	}
	idv, _ := in.get("id")
	excludeID := intval(idv)
	var fields []fieldRules
	if fullMode {
		fields = append(fields, fieldRules{"full_name", parseRules("required|sanitizeText|maxLength:255")})
	} else {
		fields = append(fields, fieldRules{"first_name", parseRules("required|sanitizeText|maxLength:255")},
			fieldRules{"last_name", parseRules("nullable|sanitizeText|maxLength:255")})
	}
	exist := rule{key: "exist", fn: func(v any, _ bool) (string, error) {
		if phpEmpty(v) {
			return "", nil
		}
		s, _ := scalarString(v)
		found, err := a.store.emailTaken(ctx, q, wpformat.SanitizeEmail(s), excludeID)
		if err != nil || !found {
			return "", err
		}
		return "Email already exists.", nil
	}}
	fields = append(fields, fieldRules{"city", parseRules("nullable|sanitizeText")},
		fieldRules{"email", append(parseRules("required|sanitizeText|email|maxLength:255"), exist)})
	v := &validator{in: in, messages: customerMessages}
	return v.run(fields)
}

// resolveCustomerName is CustomerResource::resolveCustomerName: in full-name mode the trimmed full name is split
// on single spaces (last word = last name), otherwise first/last are trimmed.
func resolveCustomerName(data map[string]any, fullMode bool) {
	str := func(k string) string {
		s, _ := scalarString(data[k])
		return s
	}
	if fullMode {
		full := php.Trim(str("full_name"))
		parts := strings.Split(full, " ")
		if len(parts) == 1 {
			data["first_name"], data["last_name"] = php.Trim(full), ""
			return
		}
		data["first_name"] = php.Trim(strings.Join(parts[:len(parts)-1], " "))
		data["last_name"] = php.Trim(parts[len(parts)-1])
		return
	}
	data["first_name"], data["last_name"] = php.Trim(str("first_name")), php.Trim(str("last_name"))
}

// sqlValue is how wpdb::prepare binds a PHP value: null as ”, booleans as '1'/”, numbers as their text.
func sqlValue(v any) any {
	if v == nil {
		return ""
	}
	if f, ok := v.(wpjson.PHPFloat); ok { // (string) of a float: precision 14
		return strconv.FormatFloat(float64(f), 'G', 14, 64)
	}
	if s, ok := scalarString(v); ok {
		return s
	}
	return ""
}
