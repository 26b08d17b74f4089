package shadow

import (
	"net/http"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

func TestRedaction(t *testing.T) {
	if got := RedactQuery("page=2&_wpnonce=abc&Password=x&api_key=lp_1&user%5Bpass%5D=y&q=a&token"); got !=
		"page=2&_wpnonce=[REDACTED]&Password=[REDACTED]&api_key=[REDACTED]&user%5Bpass%5D=y&q=a&token" {
		t.Errorf("query %s", got)
	}
	if got := RedactQuery("password%5B0%5D=x&pass[a]=y"); got != "password%5B0%5D=[REDACTED]&pass[a]=[REDACTED]" {
		t.Errorf("bracket query %s", got)
	}
	h := RedactHeader(http.Header{"Authorization": {"Bearer eyJhbGciOi.x.y"}, "Cookie": {"wordpress_logged_in_1=admin|1|tok"},
		"X-Api-Key": {"lp_secret"}, "X-Wp-Nonce": {"abc"}, "Accept": {"application/json"}})
	if h["Authorization"] != "Bearer [REDACTED]" || h["Cookie"] != Redacted || h["X-Api-Key"] != Redacted || h["X-Wp-Nonce"] != Redacted || h["Accept"] != "application/json" {
		t.Errorf("headers %v", h)
	}
	v, _ := wpjson.DecodeOrdered([]byte(`{"user":{"login":"a","password":"p","app_password":"q"},"items":[{"token":"t","id":1}],"key":"k"}`))
	b, _ := wpjson.MarshalJSON(RedactJSON(v))
	if string(b) != `{"user":{"login":"a","password":"[REDACTED]","app_password":"[REDACTED]"},"items":[{"token":"[REDACTED]","id":1}],"key":"[REDACTED]"}` {
		t.Errorf("json %s", b)
	}
	if got := redactBody("application/x-www-form-urlencoded", []byte("name=a&pwd=secret")); got != "name=a&pwd=[REDACTED]" {
		t.Errorf("form %v", got)
	}
	if got := redactBody("multipart/form-data; boundary=x", []byte("--x\r\n...")); got != "(multipart body, 8 bytes, not logged)" {
		t.Errorf("multipart %v", got)
	}
}

// Compare reads bodies from the network: no input may make it panic.
func FuzzCompare(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"x"}]}`), []byte(`{"a":[1,{"b":"y"},3]}`))
	f.Add([]byte(`[]`), []byte(`{}`))
	f.Add([]byte(`"\ud800"`), []byte(`not json`))
	r := rulesForFuzz()
	f.Fuzz(func(t *testing.T, a, b []byte) {
		ds := Compare(Answer{Status: 200, Header: http.Header{}, Body: a}, Answer{Status: 200, Header: http.Header{}, Body: b}, false, r)
		if len(ds) > maxDiffs+1 {
			t.Fatalf("%d diffs", len(ds))
		}
	})
}

func rulesForFuzz() *Rules {
	r, _ := newRules(CompareConfig{Ignore: []string{"**.b"}, Timestamps: []string{"a[*]"}}, nil, nil)
	return r
}

func FuzzParsePattern(f *testing.F) {
	for _, s := range []string{"a.b", "**.nonce", `["x.y"][3].*`, "a[", "[*]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := parsePattern(s); err == nil {
			p.match(jsonPath{}.key("a").at(1).key("b"))
		}
	})
}
