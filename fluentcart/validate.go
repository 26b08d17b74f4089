package fluentcart

// The framework validator as the request classes use it (vendor/wpfluent/framework/src/WPFluent/Validator/
// Validator.php, ValidatesAttributes.php, MessageBag.php; custom rules app/Http/Rules/SanitizeText.php and
// MaxLengthRule.php registered in app/Hooks/includes.php; spec §6):
//
//   - fields are validated in rule order; all failures are collected into {field: {rule: message}};
//   - "nullable" with a falsy value skips every rule of the field;
//   - "required" always runs; other named rules only when the key is present (even as null);
//   - inline checks (closures) always run and are keyed by their array key ("exist", "1", "required" ...);
//   - sanitizeText / maxLength trim their value first: an array there is a PHP TypeError (HTTP 500), which
//     stops validation.

import (
	"strconv"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpformat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// check is an inline closure rule: it returns a message ("" passes) or an error that aborts the request.
type check func(value any, present bool) (string, error)

// rule is one entry of a field's rule list.
type rule struct {
	name  string // named rule ("required", "sanitizeText", "maxLength", "email", "numeric", "string", "nullable")
	param string // e.g. "255" for maxLength:255
	key   string // message key of an inline check
	fn    check  // inline check
}

type fieldRules struct {
	field string
	rules []rule
}

// parseRules expands "required|sanitizeText|maxLength:255".
func parseRules(spec string) []rule {
	var out []rule
	for _, p := range strings.Split(spec, "|") {
		name, param, _ := strings.Cut(p, ":")
		out = append(out, rule{name: name, param: param})
	}
	return out
}

// validator runs field rules over the request input.
type validator struct {
	in       *input
	messages map[string]string // custom messages "field.rule"
	errs     *wpjson.Object
}

func (v *validator) fail(field, key, msg string) {
	if v.errs == nil {
		v.errs = wpjson.NewObject()
	}
	fe, ok := v.errs.Get(field)
	if !ok {
		fe = wpjson.NewObject()
		v.errs.Set(field, fe)
	}
	fe.(*wpjson.Object).Set(key, msg)
}

// run validates every field; it returns a *validationError, a plugin exception, or nil.
func (v *validator) run(fields []fieldRules) error {
	for _, f := range fields {
		val, present := v.in.get(f.field)
		nullable := false
		for _, r := range f.rules {
			nullable = nullable || (r.fn == nil && r.name == "nullable")
		}
		if nullable && phpEmpty(val) {
			continue
		}
		for _, r := range f.rules {
			if r.fn != nil {
				msg, err := r.fn(val, present)
				if err != nil {
					return err
				}
				if msg != "" {
					v.fail(f.field, r.key, strings.ReplaceAll(msg, ":attribute", f.field))
				}
				continue
			}
			if r.name != "required" && !present {
				continue
			}
			msg, err := v.named(f.field, r, val)
			if err != nil {
				return err
			}
			if msg != "" {
				v.fail(f.field, r.name, msg)
			}
		}
	}
	if v.errs != nil {
		return &validationError{fields: v.errs}
	}
	return nil
}

// custom returns the request class's message for field.rule, or def.
func (v *validator) custom(field, rule, def string) string {
	if m, ok := v.messages[field+"."+rule]; ok {
		return m
	}
	return def
}

// named runs one built-in or registered rule and returns its failure message ("" passes).
func (v *validator) named(field string, r rule, val any) (string, error) {
	switch r.name {
	case "nullable", "":
		return "", nil
	case "required":
		if validateRequired(val) {
			return "", nil
		}
		return v.custom(field, "required", "The "+field+" field is required."), nil
	case "sanitizeText":
		s, err := trimmedText(val)
		if err != nil {
			return "", err
		}
		if wpformat.SanitizeTextField(s) != s {
			return "The " + field + " must be a valid text", nil
		}
		return "", nil
	case "maxLength":
		s, err := trimmedText(val)
		if err != nil {
			return "", err
		}
		limit := r.param
		if limit == "" {
			limit = "254"
		}
		n, _ := strconv.Atoi(limit)
		if len(s) > n {
			return "The " + field + " must not be greater than " + limit + " characters.", nil
		}
		return "", nil
	case "email":
		s, ok := scalarString(val)
		if !ok {
			return "", pluginException("strlen(): Argument #1 ($string) must be of type string, array given")
		}
		if wpformat.IsEmail(s) {
			return "", nil
		}
		return v.custom(field, "email", "The "+field+" must be a valid email address."), nil
	case "numeric":
		if isNumeric(val) {
			return "", nil
		}
		return v.custom(field, "numeric", "The "+field+" must be a number."), nil
	case "string":
		if _, ok := val.(string); ok {
			return "", nil
		}
		return v.custom(field, "string", "The "+field+" must be a string."), nil
	}
	return "", pluginException("The " + r.name + " rule is undefined or invalid.")
}

// validateRequired is ValidatesAttributes::validateRequired.
func validateRequired(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case string:
		return php.Trim(t) != ""
	case []any:
		return len(t) > 0
	case *wpjson.Object:
		return t.Len() > 0
	}
	return true
}

// trimmedText is the custom rules' `trim($value)` (then numbers as strings): arrays are a TypeError.
func trimmedText(v any) (string, error) {
	if isArray(v) {
		return "", pluginException("trim(): Argument #1 ($string) must be of type string, array given")
	}
	s, _ := scalarString(v)
	return php.Trim(s), nil
}

// getSafe is Request::getSafe(sanitize()): every listed key, sanitised when present and not null, absent keys
// null (InputHelperMethodsTrait::getSafe + Support\Sanitizer::sanitize + pickKeys).
func getSafe(in *input, keys []string, sanitizers map[string]func(any) any) map[string]any {
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		v, ok := in.get(k)
		if !ok || v == nil {
			out[k] = nil
			continue
		}
		if fn := sanitizers[k]; fn != nil {
			v = fn(v)
		}
		out[k] = v
	}
	return out
}

// textField is sanitize_text_field() of a request value (arrays and objects become "").
func textField(v any) any {
	s, ok := scalarString(v)
	if !ok {
		return ""
	}
	return wpformat.SanitizeTextField(s)
}

// intField is intval() of a request value.
func intField(v any) any { return intval(v) }

// emailField is the request classes' e-mail sanitiser: empty -> "", else sanitize_email().
func emailField(v any) any {
	if phpEmpty(v) {
		return ""
	}
	s, ok := scalarString(v)
	if !ok {
		return ""
	}
	return wpformat.SanitizeEmail(s)
}
