package authn_test

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
)

// §5.6 (§12.1 item 14): PHP's php_handle_auth_data, as php-fpm fills PHP_AUTH_USER / PHP_AUTH_PW.
func TestParseBasicAuth(t *testing.T) {
	t.Parallel()
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, c := range []struct {
		name, header string
		user, pass   string
		ok           bool
	}{
		{"plain", "Basic " + enc("admin:secret"), "admin", "secret", true},
		{"scheme case-insensitive", "bAsIc " + enc("admin:secret"), "admin", "secret", true},
		{"extra blanks skipped by the decoder", "Basic   " + enc("admin:secret") + " \t", "admin", "secret", true},
		{"no padding", "Basic " + base64.RawStdEncoding.EncodeToString([]byte("admin:x")), "admin", "x", true},
		{"junk characters ignored", "Basic " + strings.Join(strings.Split(enc("admin:x"), ""), "*"), "admin", "x", true},
		{"padding in the middle ignored", "Basic YWRt=aW46eA==", "admin", "x", true},
		{"first colon splits", "Basic " + enc("a:b:c"), "a", "b:c", true},
		{"empty user", "Basic " + enc(":pw"), "", "pw", true},
		{"empty password: PHP_AUTH_PW not set", "Basic " + enc("user:"), "", "", false},
		{"password cut at NUL", "Basic " + enc("user:pw\x00rest"), "user", "pw", true},
		{"password empty after the NUL cut", "Basic " + enc("user:\x00rest"), "", "", false},
		{"NUL before the colon: no credentials", "Basic " + enc("us\x00er:pw"), "", "", false},
		{"no colon", "Basic " + enc("admin"), "", "", false},
		{"no space after the scheme", "Basic" + enc("admin:x"), "", "", false},
		{"leading space", " Basic " + enc("admin:x"), "", "", false},
		{"other scheme", "Bearer " + enc("admin:x"), "", "", false},
		{"empty", "", "", "", false},
		{"only the scheme", "Basic ", "", "", false},
		{"a lone trailing character is dropped", "Basic " + enc("admin:xyz") + "Q", "admin", "xyz", true},
		{"data after padding still decodes (non-strict)", "Basic " + enc("admin:xy") + "QQ", "admin", "xy\x10", true},
	} {
		user, pass, ok := authn.ParseBasicAuth(c.header)
		if user != c.user || pass != c.pass || ok != c.ok {
			t.Errorf("%s: ParseBasicAuth(%q) = %q, %q, %v; want %q, %q, %v", c.name, c.header, user, pass, ok, c.user, c.pass, c.ok)
		}
	}
}

func FuzzParseBasicAuth(f *testing.F) {
	for _, s := range []string{
		"Basic YWRtaW46QWRtTiAxMjM0IEFiQ2QgNTY3OCBFZkdoIDkwMTI=", "basic YWRtaW46eA", "Basic !!!", "Basic YWRtaW4=",
		"Bearer abc", "Basic  YTpi", "Basic Y\x00Tpi", "Basic ==YTpi==", "Basic " + base64.StdEncoding.EncodeToString([]byte("u\x00:p")),
		"Basic " + base64.StdEncoding.EncodeToString([]byte("o'brien@example.com:zFvM 9nrV 0MsK sczP zqAX 3lEr")),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		user, pass, ok := authn.ParseBasicAuth(header)
		if !ok {
			if user != "" || pass != "" {
				t.Fatalf("no credentials but %q %q", user, pass)
			}
			return
		}
		if strings.ContainsAny(user, ":\x00") || strings.Contains(pass, "\x00") || pass == "" {
			t.Fatalf("user %q pass %q", user, pass)
		}
		// What it decoded re-encodes to the same answer.
		u2, p2, ok2 := authn.ParseBasicAuth("Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass)))
		if !ok2 || u2 != user || p2 != pass {
			t.Fatalf("re-encoded %q:%q gave %q:%q %v", user, pass, u2, p2, ok2)
		}
	})
}

// PHP's $_COOKIE construction (php_default_treat_data + php_register_variable_ex).
func TestParseCookieHeader(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		header string
		values map[string]string
		arrays []string
	}{
		{"a=1; b=2", map[string]string{"a": "1", "b": "2"}, nil},
		{"a=1;b=2;;", map[string]string{"a": "1", "b": "2"}, nil},
		{"\t a=1", map[string]string{"a": "1"}, nil},
		{"a=first; a=second", map[string]string{"a": "first"}, nil},
		{"a.b=1; a b=2", map[string]string{"a_b": "1"}, nil},
		{"a[x]=1; a=2", nil, []string{"a"}},
		{"a[x=1", map[string]string{"a_x": "1"}, nil},
		{"a.b[c d.e=1", map[string]string{"a_b_c_d_e": "1"}, nil},
		{"[a=1; b=2", map[string]string{"b": "2"}, nil},
		{"=x; a", map[string]string{"a": ""}, nil},
		{"a==b", map[string]string{"a": "=b"}, nil},
		{"w=u%7C1%7Ct%7Ch", map[string]string{"w": "u%7C1%7Ct%7Ch"}, nil},
		{"a=1 ; b=2", map[string]string{"a": "1 ", "b": "2"}, nil},
		{"a=1; b=2\x00; c=3", map[string]string{"a": "1", "b": "2"}, nil},
	} {
		got := authn.ParseCookieHeader(c.header)
		if len(got.Values) != len(c.values) || len(got.Arrays) != len(c.arrays) {
			t.Errorf("%q: got %v %v, want %v %v", c.header, got.Values, got.Arrays, c.values, c.arrays)
			continue
		}
		for k, v := range c.values {
			if got.Values[k] != v {
				t.Errorf("%q: %s = %q, want %q", c.header, k, got.Values[k], v)
			}
		}
		for _, k := range c.arrays {
			if !got.Arrays[k] {
				t.Errorf("%q: %s should be an array", c.header, k)
			}
		}
	}
	var many []string
	for i := 0; i < 1001; i++ {
		many = append(many, "c"+strconv.Itoa(i)+"=v")
	}
	if got := authn.ParseCookieHeader(strings.Join(many, "; ")); len(got.Values) != 1000 || got.Values["c1000"] != "" {
		t.Errorf("max_input_vars: %d cookies registered", len(got.Values))
	}
}

func FuzzParseCookieHeader(f *testing.F) {
	for _, s := range []string{
		vecCookie("vec_wp", hmacVecWP), "a=1; a=2", "wordpress_test_cookie=WP%20Cookie%20check; " + vecCookie("x", "y"),
		"a[b]=c; a=d", "a[b=c", " ; ; =;", "a.b c=1", "\x00", strings.Repeat("x=1;", 50),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		got := authn.ParseCookieHeader(header)
		if len(got.Values)+len(got.Arrays) > 1000 {
			t.Fatalf("%d cookies", len(got.Values)+len(got.Arrays))
		}
		for name, v := range got.Values {
			if name == "" || strings.ContainsAny(v, ";\x00") || !strings.Contains(header, v) {
				t.Fatalf("cookie %q = %q from %q", name, v, header)
			}
			if got.Arrays[name] {
				t.Fatalf("%q both scalar and array", name)
			}
		}
	})
}
