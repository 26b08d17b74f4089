// Package php holds the few functions of PHP's own runtime whose exact output WordPress's answers depend on:
// trim()'s default character list and zend_gcvt, the float-to-string conversion behind (string) casts and
// serialize(). It is a leaf: it imports no other wpsidecar package.
package php

import (
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
