// Package php holds the functions of PHP's own runtime whose exact behaviour WordPress's answers depend on:
// trim()'s default character list, zend_gcvt (the float-to-string conversion behind (string) casts and
// serialize()), is_numeric strings, (int) casts of strings, addslashes, hash_equals, and hex digits.
//
// It is a leaf: it imports no other wpsidecar package.
package php

import (
	"crypto/subtle"
	"math"
	"strconv"
	"strings"
)

// TrimChars is the character list of PHP's trim() default.
const TrimChars = " \t\n\r\x00\x0B"

// Trim is PHP trim($s) with the default character list.
func Trim(s string) string { return strings.Trim(s, TrimChars) }

// Gcvt is zend_gcvt: precision -1 gives the shortest round-trip digits (serialize_precision = -1), otherwise
// that many significant digits with trailing zeros dropped; exponent form when the decimal exponent is < -4 or
// >= the precision (17 for -1), written like 1.0E+25.
func Gcvt(v float64, precision int, expChar byte) string {
	switch {
	case math.IsNaN(v):
		return "NAN"
	case math.IsInf(v, 1):
		return "INF"
	case math.IsInf(v, -1):
		return "-INF"
	}
	ndigit := precision
	if precision < 0 {
		ndigit = 17
	} else if precision == 0 {
		precision, ndigit = 1, 1
	}
	var e string
	if precision < 0 {
		e = strconv.FormatFloat(v, 'e', -1, 64)
	} else {
		e = strconv.FormatFloat(v, 'e', precision-1, 64)
	}
	neg := e[0] == '-'
	if neg {
		e = e[1:]
	}
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	digits := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")
	if digits == "" {
		digits, exp = "0", 0
	}
	decpt := exp + 1 // position of the decimal point, as zend_dtoa reports it
	var out []byte
	if neg {
		out = append(out, '-')
	}
	switch {
	case decpt < -3 || decpt > ndigit:
		out = append(out, digits[0], '.')
		if len(digits) > 1 {
			out = append(out, digits[1:]...)
		} else {
			out = append(out, '0')
		}
		out = append(out, expChar)
		if exp < 0 {
			out = append(out, '-')
			exp = -exp
		} else {
			out = append(out, '+')
		}
		out = strconv.AppendInt(out, int64(exp), 10)
	case decpt <= 0:
		out = append(out, "0."...)
		for i := decpt; i < 0; i++ {
			out = append(out, '0')
		}
		out = append(out, digits...)
	default:
		for i := 0; i < decpt; i++ {
			if i < len(digits) {
				out = append(out, digits[i])
			} else {
				out = append(out, '0')
			}
		}
		if len(digits) > decpt {
			out = append(out, '.')
			out = append(out, digits[decpt:]...)
		}
	}
	return string(out)
}

// Unhex is the value of one hexadecimal digit (either case), as PHP's decoders read %XX and \XX escapes.
func Unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// NumericString is PHP 8 is_numeric_string: leading/trailing whitespace, sign, digits with an optional
// fraction and exponent. isInt reports integer syntax that fits int64.
func NumericString(s string) (v float64, isInt, ok bool) {
	t := strings.TrimLeft(s, NumericSpace)
	end, isFloat := scanNumber(t)
	if end == 0 || strings.TrimRight(t[end:], NumericSpace) != "" {
		return 0, false, false
	}
	num := t[:end]
	if !isFloat {
		if n, err := strconv.ParseInt(num, 10, 64); err == nil {
			return float64(n), true, true
		}
	}
	f, _ := strconv.ParseFloat(num, 64) // syntax already checked; overflow gives ±Inf like PHP
	return f, false, true
}

// NumericSpace is the whitespace PHP allows around a numeric string.
const NumericSpace = " \t\n\r\v\f"

// scanNumber returns the length of the numeric prefix of t ([+-]?digits[.digits][e[+-]digits]), 0 if none.
func scanNumber(t string) (end int, isFloat bool) {
	digit := func(i int) bool { return i < len(t) && t[i] >= '0' && t[i] <= '9' }
	i := 0
	if i < len(t) && (t[i] == '+' || t[i] == '-') {
		i++
	}
	start := i
	for digit(i) {
		i++
	}
	n := i - start
	if i < len(t) && t[i] == '.' {
		j := i + 1
		for digit(j) {
			j++
		}
		if n > 0 || j > i+1 {
			n += j - i - 1
			i, isFloat = j, true
		}
	}
	if n == 0 {
		return 0, false
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		j := i + 1
		if j < len(t) && (t[j] == '+' || t[j] == '-') {
			j++
		}
		if digit(j) {
			for digit(j) {
				j++
			}
			i, isFloat = j, true
		}
	}
	return i, isFloat
}

// Intval is PHP's (int) cast of a string: the leading numeric prefix after whitespace ("12abc" is 12,
// "1e3" is 1000), saturating at the int64 range; no number gives 0.
func Intval(s string) int64 {
	t := strings.TrimLeft(s, NumericSpace)
	end, isFloat := scanNumber(t)
	if end == 0 {
		return 0
	}
	if !isFloat {
		if n, err := strconv.ParseInt(t[:end], 10, 64); err == nil {
			return n
		}
	}
	f, _ := strconv.ParseFloat(t[:end], 64)
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// AddSlashes is PHP addslashes, applied to $_COOKIE by wp_magic_quotes.
func AddSlashes(s string) string {
	if !strings.ContainsAny(s, "'\"\\\x00") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'', '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case 0:
			b.WriteString(`\0`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// HashEquals is PHP hash_equals: a comparison whose time does not depend on where the strings differ.
func HashEquals(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// IsSpace reports the whitespace PHP's strip_tags and numeric strings skip: the bytes of NumericSpace.
func IsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// IsAlnum is ctype_alnum for one byte in the C locale: an ASCII letter or digit.
func IsAlnum(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// RawURLEncode is rawurlencode(): every byte but A-Z a-z 0-9 - _ . ~ becomes %XX (uppercase hex).
func RawURLEncode(s string) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if IsAlnum(c) || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexd[c>>4])
		b.WriteByte(hexd[c&15])
	}
	return b.String()
}
