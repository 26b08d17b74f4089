package fluentcart

// PHP value semantics the plugin's code relies on (is_numeric, (int) casts, empty(), loose ==, trim). Inputs are
// the decoded request values wpcompat hands out: string, json.Number, bool, nil, []any, *wpjson.Object.

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/wpsidecar/wpsidecar/fluentcart/models"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// The numeric and string conversions live with the models (fluentcart/model), which need them too.
var (
	numericPrefix   = models.NumericPrefix
	isNumericString = models.IsNumericString
	isNumeric       = models.IsNumeric
	stringToFloat   = models.StringToFloat
	floatToInt      = models.FloatToInt
	stringToInt     = models.StringToInt
	intval          = models.Intval
	phpEmpty        = models.Empty
	scalarString    = models.ScalarString
)

// isArray reports a PHP array value (JSON list/object, bracket query parameter).
func isArray(v any) bool {
	switch v.(type) {
	case []any, *wpjson.Object:
		return true
	}
	return false
}

// phpTypeName is the type name PHP puts in TypeError messages (zend_zval_type_name).
func phpTypeName(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case string:
		return "string"
	case json.Number:
		if _, err := t.Int64(); err == nil && !strings.ContainsAny(t.String(), ".eE") {
			return "int"
		}
		return "float"
	case int, int64:
		return "int"
	case float64:
		return "float"
	case []any, *wpjson.Object:
		return "array"
	}
	return "mixed"
}

// looseEqualsInt is PHP 8's `$int == $value` for a string value from a route (numeric strings compare as
// numbers, others as strings).
func looseEqualsInt(n int64, s string) bool {
	if isNumericString(s) {
		start, end, isFloat := numericPrefix(s)
		if !isFloat {
			if v, err := strconv.ParseInt(s[start:end], 10, 64); err == nil {
				return v == n
			}
		}
		return stringToFloat(s) == float64(n)
	}
	return strconv.FormatInt(n, 10) == s
}

// snakeCase is the framework's Str::snake for relation names ("wpUser" -> "wp_user").
func snakeCase(s string) string {
	lower := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			lower = false
			break
		}
	}
	if lower {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteByte(c + 32)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
