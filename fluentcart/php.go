package fluentcart

// PHP value semantics the plugin's code relies on (is_numeric, (int) casts, empty(), loose ==, trim). Inputs are
// the decoded request values wpcompat hands out: string, json.Number, bool, nil, []any, *wpcompat.Object.

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

const phpTrimChars = " \t\n\r\x00\x0B"

// phpTrim is PHP trim() with the default character list.
func phpTrim(s string) string { return strings.Trim(s, phpTrimChars) }

func isPHPWhite(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// numericPrefix scans a PHP numeric string prefix: leading whitespace, sign, digits, fraction, exponent.
// It returns the end of the number and whether it had a fraction or exponent.
func numericPrefix(s string) (start, end int, isFloat bool) {
	i := 0
	for i < len(s) && isPHPWhite(s[i]) {
		i++
	}
	start = i
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		j := i + 1
		frac := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
			frac++
		}
		if digits > 0 || frac > 0 {
			i = j
			digits += frac
			isFloat = true
		}
	}
	if digits == 0 {
		return start, start, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i = k
			isFloat = true
		}
	}
	return start, i, isFloat
}

// isNumericString is PHP 8 is_numeric() for strings (leading and trailing whitespace allowed, no hex).
func isNumericString(s string) bool {
	start, end, _ := numericPrefix(s)
	if end == start {
		return false
	}
	for i := end; i < len(s); i++ {
		if !isPHPWhite(s[i]) {
			return false
		}
	}
	return true
}

// isNumeric is PHP is_numeric() for any request value.
func isNumeric(v any) bool {
	switch t := v.(type) {
	case string:
		return isNumericString(t)
	case json.Number:
		return true
	case int, int64, float64:
		return true
	}
	return false
}

// stringToFloat is PHP's (float) cast of a string (leading numeric part, else 0).
func stringToFloat(s string) float64 {
	start, end, _ := numericPrefix(s)
	if end == start {
		return 0
	}
	f, err := strconv.ParseFloat(s[start:end], 64)
	if err != nil {
		return f // ±Inf on overflow, like PHP
	}
	return f
}

// floatToInt is PHP 8's (int) of a float on 64-bit: truncation, 0 for NaN/Inf, modular beyond range.
func floatToInt(f float64) int64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	if f >= -9.223372036854775808e18 && f < 9.223372036854775808e18 {
		return int64(f)
	}
	// zend_dval_to_lval_cap is not used by casts; PHP 8 on 64-bit returns the value modulo 2^64.
	m := math.Mod(math.Trunc(f), 18446744073709551616.0)
	if m < 0 {
		m += 18446744073709551616.0
	}
	return int64(uint64(m))
}

// stringToInt is PHP's (int) cast / intval() of a string.
func stringToInt(s string) int64 {
	start, end, isFloat := numericPrefix(s)
	if end == start {
		return 0
	}
	if isFloat {
		return floatToInt(stringToFloat(s))
	}
	n, err := strconv.ParseInt(s[start:end], 10, 64)
	if err != nil { // integer overflow: PHP reads it as a float
		return floatToInt(stringToFloat(s))
	}
	return n
}

// intval is PHP intval() / (int) for a request value.
func intval(v any) int64 {
	switch t := v.(type) {
	case nil:
		return 0
	case bool:
		if t {
			return 1
		}
		return 0
	case string:
		return stringToInt(t)
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return n
		}
		f, _ := t.Float64()
		return floatToInt(f)
	case int:
		return int64(t)
	case int64:
		return t
	case float64:
		return floatToInt(t)
	case []any:
		if len(t) > 0 {
			return 1
		}
		return 0
	case *wpcompat.Object:
		if t.Len() > 0 {
			return 1
		}
		return 0
	}
	return 0
}

// phpEmpty is PHP empty() / falsiness for a request value.
func phpEmpty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case bool:
		return !t
	case string:
		return t == "" || t == "0"
	case json.Number:
		f, err := t.Float64()
		return err == nil && f == 0
	case int:
		return t == 0
	case int64:
		return t == 0
	case float64:
		return t == 0
	case []any:
		return len(t) == 0
	case *wpcompat.Object:
		return t.Len() == 0
	}
	return false
}

// isArray reports a PHP array value (JSON list/object, bracket query parameter).
func isArray(v any) bool {
	switch v.(type) {
	case []any, *wpcompat.Object:
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
	case []any, *wpcompat.Object:
		return "array"
	}
	return "mixed"
}

// scalarString is PHP's string conversion of a scalar request value ((string) cast); ok is false for arrays.
func scalarString(v any) (string, bool) {
	switch t := v.(type) {
	case json.Number:
		return jsonNumberString(t), true
	case wpcompat.PHPFloat:
		return wpcompat.FormatPHPFloat(float64(t)), true
	}
	return wpcompat.PHPString(v)
}

// jsonNumberString prints a JSON number the way PHP prints the int or float json_decode made of it.
func jsonNumberString(n json.Number) string {
	s := n.String()
	if !strings.ContainsAny(s, ".eE") {
		if _, err := n.Int64(); err == nil {
			return s
		}
	}
	f, _ := n.Float64()
	return wpcompat.FormatPHPFloat(f)
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
