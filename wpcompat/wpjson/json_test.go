package wpjson

import (
	"math"
	"testing"
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
