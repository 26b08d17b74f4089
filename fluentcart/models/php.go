package models

// PHP value semantics the models and the route handlers rely on (is_numeric, (int)/(float) casts, empty(), string
// conversion). Inputs are strings read from MySQL, decoded JSON values (int64, wpjson.PHPFloat, []any,
// *wpjson.Object) and decoded request values (string, json.Number, bool, nil, []any, *wpjson.Object).

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// IsPHPWhite is the whitespace PHP skips before a numeric string.
func IsPHPWhite(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// NumericPrefix scans a PHP numeric string prefix: leading whitespace, sign, digits, fraction, exponent.
// It returns the end of the number and whether it had a fraction or exponent.
func NumericPrefix(s string) (start, end int, isFloat bool) {
	i := 0
	for i < len(s) && IsPHPWhite(s[i]) {
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

// IsNumericString is PHP 8 is_numeric() for strings (leading and trailing whitespace allowed, no hex).
func IsNumericString(s string) bool {
	start, end, _ := NumericPrefix(s)
	if end == start {
		return false
	}
	for i := end; i < len(s); i++ {
		if !IsPHPWhite(s[i]) {
			return false
		}
	}
	return true
}

// IsNumeric is PHP is_numeric() for any request value.
func IsNumeric(v any) bool {
	switch t := v.(type) {
	case string:
		return IsNumericString(t)
	case json.Number:
		return true
	case int, int64, float64, wpjson.PHPFloat:
		return true
	}
	return false
}

// StringToFloat is PHP's (float) cast of a string (leading numeric part, else 0).
func StringToFloat(s string) float64 {
	start, end, _ := NumericPrefix(s)
	if end == start {
		return 0
	}
	f, err := strconv.ParseFloat(s[start:end], 64)
	if err != nil {
		return f // ±Inf on overflow, like PHP
	}
	return f
}

// FloatToInt is PHP 8's (int) of a float on 64-bit: truncation, 0 for NaN/Inf, modular beyond range.
func FloatToInt(f float64) int64 {
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

// StringToInt is PHP's (int) cast / Intval() of a string.
func StringToInt(s string) int64 {
	start, end, isFloat := NumericPrefix(s)
	if end == start {
		return 0
	}
	if isFloat {
		return floatToIntCap(StringToFloat(s))
	}
	n, err := strconv.ParseInt(s[start:end], 10, 64)
	if err != nil { // integer overflow: PHP reads it as a float, then caps it
		return floatToIntCap(StringToFloat(s))
	}
	return n
}

// floatToIntCap is zend_dval_to_lval_cap, what (int) of a numeric *string* uses: out-of-range values saturate at
// PHP_INT_MAX / PHP_INT_MIN ((int)"1e30" is 9223372036854775807), infinities and NaN give 0 — unlike (int) of a
// float, which wraps (FloatToInt).
func floatToIntCap(f float64) int64 {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return 0
	case f >= 9.223372036854775807e18:
		return math.MaxInt64
	case f <= -9.223372036854775808e18:
		return math.MinInt64
	}
	return int64(f)
}

// Intval is PHP Intval() / (int) for a request value.
func Intval(v any) int64 {
	switch t := v.(type) {
	case nil:
		return 0
	case bool:
		if t {
			return 1
		}
		return 0
	case string:
		return StringToInt(t)
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return n
		}
		f, _ := t.Float64()
		return FloatToInt(f)
	case int:
		return int64(t)
	case int64:
		return t
	case float64:
		return FloatToInt(t)
	case wpjson.PHPFloat:
		return FloatToInt(float64(t))
	case []any:
		if len(t) > 0 {
			return 1
		}
		return 0
	case *wpjson.Object:
		if t.Len() > 0 {
			return 1
		}
		return 0
	}
	return 0
}

// Empty is PHP empty() / falsiness for a request value.
func Empty(v any) bool {
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
	case wpjson.PHPFloat:
		return t == 0
	case []any:
		return len(t) == 0
	case *wpjson.Object:
		return t.Len() == 0
	}
	return false
}

// ScalarString is PHP's string conversion of a scalar request value ((string) cast); ok is false for arrays.
func ScalarString(v any) (string, bool) {
	switch t := v.(type) {
	case json.Number:
		return jsonNumberString(t), true
	case wpjson.PHPFloat:
		return wpjson.FormatPHPFloat(float64(t)), true
	}
	return rest.PHPString(v)
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
	return wpjson.FormatPHPFloat(f)
}
