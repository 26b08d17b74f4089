package main

import "testing"

// Vectors printed by Node 20 (new URLSearchParams([[k, v]]).toString(), String(n), JSON.stringify): the encodings
// the admin app's Rest.js produces in the browser.
func TestFormEncodeLikeURLSearchParams(t *testing.T) {
	for _, c := range [][3]string{
		{"with[0]", "order_items", "with%5B0%5D=order_items"},
		{"search", "id = 3", "search=id+%3D+3"},
		{"search", "id::5-10", "search=id%3A%3A5-10"},
		{"user_tz", "America/New_York", "user_tz=America%2FNew_York"},
		{"search", "Zoë Müller+x@y.de ~*-._!'()", "search=Zo%C3%AB+M%C3%BCller%2Bx%40y.de+%7E*-._%21%27%28%29"},
		{"search", "", "search="},
		{"q", "芳 王", "q=%E8%8A%B3+%E7%8E%8B"},
	} {
		if got := formEncode([][2]string{{c[0], c[1]}}); got != c[2] {
			t.Errorf("%q=%q: %s, want %s", c[0], c[1], got, c[2])
		}
	}
}

func TestNumberLikeJavaScript(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{{0, "0"}, {1, "1"}, {1765123200000, "1765123200000"}, {6832.666666666667, "6832.666666666667"}, {0.1, "0.1"},
		{1e21, "1e+21"}, {1.5e-8, "1.5e-8"}, {123e-20, "1.23e-18"}, {2583.33, "2583.33"}, {1e-7, "1e-7"}, {-42.5, "-42.5"}} {
		if got := jsNumberString(c.f); got != c.want {
			t.Errorf("%v: %s, want %s", c.f, got, c.want)
		}
	}
}

func TestStringifyLikeJSON(t *testing.T) {
	v, err := parseJS([]byte(`{"s":"a\"b\\c\n\t\u0001<\/tag>&\/\u00fc\ud83d\ude00","n":null,"a":[1,"x"],"b":false,"s":"last"}`))
	if err != nil {
		t.Fatal(err)
	}
	v.set("u", &jsValue{kind: 'u'})
	// JSON.parse keeps a repeated key's first place and last value; undefined properties are left out.
	want := `{"s":"last","n":null,"a":[1,"x"],"b":false}`
	if got := v.stringify(); got != want {
		t.Errorf("%s, want %s", got, want)
	}
	v.set("s", jsString("a\"b\\c\n\t\x01</tag>&/ü😀"))
	want = "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001</tag>&/ü😀\",\"n\":null,\"a\":[1,\"x\"],\"b\":false}"
	if got := v.stringify(); got != want {
		t.Errorf("%s, want %s", got, want)
	}
	if got := spread(jsObject().set("type", jsString("billing")).set("id", jsNumber(2)), jsObject().set("id", jsNumber(3)).set("city", jsString("X"))).stringify(); got != `{"type":"billing","id":3,"city":"X"}` {
		t.Errorf("spread: %s", got)
	}
}
