package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsValue is a JSON value as the admin app holds it after JSON.parse: objects keep their key order, numbers are
// float64 (JavaScript numbers). stringify writes it back as JSON.stringify does, so request bodies the app builds
// from PHP's answers are reproduced byte for byte.
type jsValue struct {
	kind byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null, 'u' undefined (omitted)
	keys []string
	vals map[string]*jsValue
	arr  []*jsValue
	str  string
	num  float64
	b    bool
}

func jsString(s string) *jsValue  { return &jsValue{kind: 's', str: s} }
func jsNumber(f float64) *jsValue { return &jsValue{kind: 'n', num: f} }
func jsBool(b bool) *jsValue      { return &jsValue{kind: 'b', b: b} }
func jsNull() *jsValue            { return &jsValue{kind: 'z'} }
func jsObject() *jsValue          { return &jsValue{kind: 'o', vals: map[string]*jsValue{}} }

// set assigns a property: an existing key keeps its place (JavaScript property order), a new one goes last.
func (v *jsValue) set(k string, x *jsValue) *jsValue {
	if _, ok := v.vals[k]; !ok {
		v.keys = append(v.keys, k)
	}
	v.vals[k] = x
	return v
}

func (v *jsValue) get(k string) *jsValue {
	if v == nil || v.kind != 'o' {
		return nil
	}
	return v.vals[k]
}

// spread is {...a, ...b}: a's keys in order, then b's new keys; b's values win.
func spread(objs ...*jsValue) *jsValue {
	out := jsObject()
	for _, o := range objs {
		if o == nil {
			continue
		}
		for _, k := range o.keys {
			out.set(k, o.vals[k])
		}
	}
	return out
}

func parseJS(b []byte) (*jsValue, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	v, err := parseJSValue(d)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

func parseJSValue(d *json.Decoder) (*jsValue, error) {
	t, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch x := t.(type) {
	case json.Delim:
		switch x {
		case '{':
			o := jsObject()
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				v, err := parseJSValue(d)
				if err != nil {
					return nil, err
				}
				o.set(kt.(string), v) // JSON.parse: a repeated key keeps the first place, last value
			}
			_, err := d.Token()
			return o, err
		case '[':
			a := &jsValue{kind: 'a'}
			for d.More() {
				v, err := parseJSValue(d)
				if err != nil {
					return nil, err
				}
				a.arr = append(a.arr, v)
			}
			_, err := d.Token()
			return a, err
		}
	case string:
		return jsString(x), nil
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return nil, err
		}
		return jsNumber(f), nil
	case bool:
		return jsBool(x), nil
	case nil:
		return jsNull(), nil
	}
	return nil, fmt.Errorf("unexpected token %v", t)
}

// stringify is JSON.stringify(v).
func (v *jsValue) stringify() string {
	var b strings.Builder
	v.write(&b)
	return b.String()
}

func (v *jsValue) write(b *strings.Builder) {
	switch v.kind {
	case 'o':
		b.WriteByte('{')
		first := true
		for _, k := range v.keys {
			x := v.vals[k]
			if x == nil || x.kind == 'u' {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			writeJSString(b, k)
			b.WriteByte(':')
			x.write(b)
		}
		b.WriteByte('}')
	case 'a':
		b.WriteByte('[')
		for i, x := range v.arr {
			if i > 0 {
				b.WriteByte(',')
			}
			if x == nil || x.kind == 'u' {
				b.WriteString("null")
				continue
			}
			x.write(b)
		}
		b.WriteByte(']')
	case 's':
		writeJSString(b, v.str)
	case 'n':
		b.WriteString(jsNumberString(v.num))
	case 'b':
		b.WriteString(strconv.FormatBool(v.b))
	default:
		b.WriteString("null")
	}
}

// jsNumberString is Number.prototype.toString for finite numbers (JSON.stringify writes NaN/Infinity as null).
func jsNumberString(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "null"
	}
	if f == 0 {
		return "0"
	}
	a := math.Abs(f)
	if a >= 1e-6 && a < 1e21 { // Number::toString: decimal when -6 < exponent <= 21
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // 1e+21, 1.5e-08
	mant, exp, _ := strings.Cut(s, "e")
	sign := exp[0]
	exp = strings.TrimLeft(exp[1:], "0")
	return mant + "e" + string(sign) + exp
}

// writeJSString quotes like JSON.stringify: only ", \ and control characters are escaped (and lone surrogates,
// which Go strings cannot hold).
func writeJSString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}

// formEncode is new URLSearchParams(pairs).toString(): application/x-www-form-urlencoded with only *-._ and
// alphanumerics left as they are, space as +.
func formEncode(pairs [][2]string) string {
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		formEscape(&b, p[0])
		b.WriteByte('=')
		formEscape(&b, p[1])
	}
	return b.String()
}

func formEscape(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '*', c == '-', c == '.', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}
