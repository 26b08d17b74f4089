package wpjson

import (
	"bytes"
	"math"
	"testing"
	"unicode/utf8"
)

// Byte-level facts of wp_json_encode (spec §10.9, observed on PHP 8.2).
func TestMarshalJSONLikePHP(t *testing.T) {
	point1, point2 := 0.1, 0.2
	cases := []struct {
		in   any
		want string
	}{
		{"http://a/b", `"http:\/\/a\/b"`},
		{"é", `"\u00e9"`},
		{"😀", `"\ud83d\ude00"`},
		{"\u2028", `"\u2028"`},
		{"<a href='x'>&</a>", `"<a href='x'>&<\/a>"`},
		{"\b\f\n\r\t\x01\x7f", `"\b\f\n\r\t\u0001` + "\x7f" + `"`},
		{[]any{}, `[]`},
		{NewObject(), `{}`},
		{NewObject().Set("b", 1).Set("a", "x").Set("b", 2), `{"b":2,"a":"x"}`},
		{PHPFloat(1.0), `1`},
		{PHPFloat(0.1), `0.1`},
		{PHPFloat(point1 + point2), `0.30000000000000004`},
		{"keep \ufffd and \\ufffd", `"keep \ufffd and \\ufffd"`},
		{PHPFloat(1e-5), `1.0e-5`},
		{PHPFloat(1e17), `1.0e+17`},
		{PHPFloat(1e16), `10000000000000000`},
		{PHPFloat(1.2345678901234568e+17), `1.2345678901234568e+17`},
		{PHPFloat(2.5e-10), `2.5e-10`},
		{PHPFloat(math.Copysign(0, -1)), `-0`},
		{"bad\xffbyte", `"bad?byte"`},
		{struct {
			ID   int    `json:"id"`
			Name string `json:"name"`
		}{5, "ü/"}, `{"id":5,"name":"\u00fc\/"}`},
	}
	for _, c := range cases {
		got, err := MarshalJSON(c.in)
		if err != nil {
			t.Fatalf("%v: %v", c.in, err)
		}
		if string(got) != c.want {
			t.Errorf("MarshalJSON(%#v) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestMarshalJSONPretty(t *testing.T) {
	got, err := MarshalJSONPretty(NewObject().Set("a", []any{}).Set("b", NewObject()).Set("c", []any{1, "x/y"}))
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n    \"a\": [],\n    \"b\": {},\n    \"c\": [\n        1,\n        \"x\\/y\"\n    ]\n}"
	if string(got) != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestDecodeOrderedKeepsOrder(t *testing.T) {
	v, err := DecodeOrdered([]byte(`{"z":1,"a":{"y":[1,{"k":"v"}],"b":null}}`))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := MarshalJSON(v)
	if string(out) != `{"z":1,"a":{"y":[1,{"k":"v"}],"b":null}}` {
		t.Errorf("round trip %s", out)
	}
	if _, err := DecodeOrdered([]byte(`{"a":1} x`)); err == nil {
		t.Error("trailing garbage accepted")
	}
}

// PHP's parse_str rules for $_GET (bracket arrays, name mangling, later duplicates win).

// phpEscapeBytewise is phpEscape as first written, one byte at a time: the reference FuzzPHPEscape holds the
// span-copying version to.
func phpEscapeBytewise(b []byte) []byte {
	out := make([]byte, 0, len(b))
	const hex = "0123456789abcdef"
	u4 := func(r rune) {
		out = append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
	}
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '\\':
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

func FuzzPHPEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "a/b", "é/ü", "😀", "\xff", "x\ufffdy", "https://example.com/a?b=c", "ö"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		raw, err := marshalRaw(s) // JSON text as encoding/json writes it: what phpEscape is given
		if err != nil {
			t.Skip()
		}
		if got, want := phpEscape(raw), phpEscapeBytewise(raw); !bytes.Equal(got, want) {
			t.Fatalf("phpEscape(%q) = %q, want %q", raw, got, want)
		}
	})
}
