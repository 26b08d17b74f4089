package wpjson

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MarshalJSON encodes v the way WordPress's wp_json_encode (PHP json_encode, flags 0) does, byte for byte:
// "/" is written "\/", every non-ASCII character as a lowercase \uXXXX escape (astral ones as surrogate pairs),
// "<", ">", "&" and "'" stay raw. Struct field order and *Object insertion order stand for PHP array order.
// Spec: wordpress-auth-and-rest.md §10.9.
func MarshalJSON(v any) ([]byte, error) {
	raw, err := appendJSON(make([]byte, 0, 512), v)
	if err != nil {
		return nil, err
	}
	return phpEscape(raw), nil
}

// MarshalJSONPretty is MarshalJSON with PHP's JSON_PRETTY_PRINT layout (4 spaces, "key": value).
func MarshalJSONPretty(v any) ([]byte, error) {
	b, err := MarshalJSON(v)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "    "); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// marshalRaw is encoding/json without HTML escaping and without the trailing newline.
func marshalRaw(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	return b[:len(b)-1], nil
}

// phpEscape rewrites Go's JSON output into PHP's escaping. "/" and bytes >= 0x80 only ever occur inside strings
// in JSON text, so a byte-level pass is exact.
func phpEscape(b []byte) []byte {
	n := 0
	for _, c := range b {
		if c == '/' || c >= 0x80 || c == '\\' {
			n++
		}
	}
	if n == 0 {
		return b
	}
	out := make([]byte, 0, len(b)+n*6)
	const hex = "0123456789abcdef"
	u4 := func(r rune) {
		out = append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
	}
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && b[j] != '/' && b[j] < 0x80 && b[j] != '\\' {
			j++
		}
		out = append(out, b[i:j]...) // plain bytes in one copy
		if i = j; i == len(b) {
			break
		}
		c := b[i]
		switch {
		case c == '\\':
			// encoding/json writes an invalid UTF-8 byte as the escape \ufffd; PHP's fallback writes "?".
			if i+6 <= len(b) && string(b[i:i+6]) == `\ufffd` {
				out = append(out, '?')
				i += 6
				continue
			}
			out = append(out, c, b[i+1])
			i += 2
		case c == '/':
			out = append(out, '\\', '/')
			i++
		case c < 0x80:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size <= 1 {
				out = append(out, '?')
				i++
				continue
			}
			if r > 0xffff {
				r -= 0x10000
				u4(0xd800 + (r>>10)&0x3ff)
				u4(0xdc00 + r&0x3ff)
			} else {
				u4(r)
			}
			i += size
		}
	}
	return out
}

// Object is a PHP associative array: keys keep insertion order, setting an existing key keeps its position.
// It encodes as a JSON object (even when empty: PHP's (object) array() / stdClass).
//
// Keys and values are parallel slices; small objects (most of an answer's) find a key by scanning, larger ones
// through an index built when they pass indexAt keys — no map per object, which was a good share of an answer's
// allocations.
type Object struct {
	keys  []string
	vals  []any
	index map[string]int
}

const indexAt = 32

// NewObject returns an empty ordered object.
func NewObject() *Object { return &Object{} }

func (o *Object) find(key string) int {
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// Set adds or replaces a key and returns o for chaining.
func (o *Object) Set(key string, v any) *Object {
	if i := o.find(key); i >= 0 {
		o.vals[i] = v
		return o
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
	switch {
	case o.index != nil:
		o.index[key] = len(o.keys) - 1
	case len(o.keys) > indexAt:
		o.reindex()
	}
	return o
}

func (o *Object) reindex() {
	o.index = make(map[string]int, len(o.keys))
	for i, k := range o.keys {
		o.index[k] = i
	}
}

// Get returns the value under key.
func (o *Object) Get(key string) (any, bool) {
	if o == nil {
		return nil, false
	}
	if i := o.find(key); i >= 0 {
		return o.vals[i], true
	}
	return nil, false
}

// Delete removes key, keeping the order of the others.
func (o *Object) Delete(key string) {
	i := o.find(key)
	if i < 0 {
		return
	}
	// New arrays: a slice Keys returned before stays as it was.
	o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
	o.vals = append(o.vals[:i:i], o.vals[i+1:]...)
	if o.index != nil {
		o.reindex()
	}
}

// Keys returns the keys in order.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// Len is the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// MarshalJSON writes the keys in insertion order.
func (o *Object) MarshalJSON() ([]byte, error) {
	if o == nil {
		return []byte("null"), nil
	}
	return appendJSON(nil, o)
}

// UnmarshalJSON reads a JSON object keeping key order; nested objects become *Object, numbers json.Number.
func (o *Object) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return err
	}
	obj, ok := v.(*Object)
	if !ok {
		return &json.UnmarshalTypeError{Value: "non-object", Type: nil}
	}
	*o = *obj
	return nil
}

// DecodeOrdered parses JSON text keeping object key order (*Object), arrays as []any, numbers as json.Number.
func DecodeOrdered(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, &json.SyntaxError{Offset: dec.InputOffset()}
	}
	if _, err := dec.Token(); err == nil {
		return nil, &json.SyntaxError{Offset: dec.InputOffset()}
	}
	return v, nil
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := NewObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				o.Set(k, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, &json.SyntaxError{Offset: dec.InputOffset()}
	default:
		return t, nil
	}
}

// PHPFloat is a float that encodes like PHP's json_encode with serialize_precision = -1: shortest round-trip
// digits, no ".0" on whole numbers, exponent form ("1.0e+17", "2.5e-10") when the exponent is < -4 or >= 17.
type PHPFloat float64

// MarshalJSON implements the PHP float format.
func (f PHPFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, &json.UnsupportedValueError{Str: strconv.FormatFloat(v, 'g', -1, 64)}
	}
	return []byte(FormatPHPFloat(v)), nil
}

// FormatPHPFloat formats v as PHP 7.1+ does in json_encode and var_export-like contexts (precision -1).
func FormatPHPFloat(v float64) string {
	if v == 0 {
		if math.Signbit(v) {
			return "-0"
		}
		return "0"
	}
	e := strconv.FormatFloat(v, 'e', -1, 64) // d.ddde±XX
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	if exp < -4 || exp >= 17 {
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		sign := "+"
		if exp < 0 {
			sign = "-"
			exp = -exp
		}
		return mant + "e" + sign + strconv.Itoa(exp)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
