package wpauth

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
)

func TestParseAuthCookie(t *testing.T) {
	tests := []struct {
		raw  string
		want AuthCookie
		err  bool
	}{
		{"admin%7C2000000000%7Ctok%7Cabc", AuthCookie{"admin", "2000000000", "tok", "abc"}, false},
		{"admin|2000000000|tok|abc", AuthCookie{"admin", "2000000000", "tok", "abc"}, false},
		{"a+b%7C1%7Ct%7Ch", AuthCookie{"a+b", "1", "t", "h"}, false},       // rawurldecode keeps "+"
		{"a%20b%7C1%7Ct%7Ch", AuthCookie{"a b", "1", "t", "h"}, false},     // %20 is a space
		{"a%40b.c%7C1%7Ct%7Ch", AuthCookie{"a@b.c", "1", "t", "h"}, false}, // email-style login
		{"o'neil|1|t|h", AuthCookie{`o\'neil`, "1", "t", "h"}, false},      // wp_magic_quotes addslashes
		{"a%zz|1|t|h", AuthCookie{"a%zz", "1", "t", "h"}, false},           // invalid escapes stay
		{"%7C%7C%7C", AuthCookie{}, false},
		{"", AuthCookie{}, true},
		{"0", AuthCookie{}, true}, // empty($_COOKIE[...])
		{"a|b|c", AuthCookie{}, true},
		{"a|b|c|d|e", AuthCookie{}, true},
		{"a%7Cb%7Cc", AuthCookie{}, true},
	}
	for _, tc := range tests {
		got, err := ParseAuthCookie(tc.raw)
		if tc.err {
			if !errors.Is(err, ErrMalformedCookie) {
				t.Errorf("ParseAuthCookie(%q) err = %v, want ErrMalformedCookie", tc.raw, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseAuthCookie(%q) = %+v, %v; want %+v", tc.raw, got, err, tc.want)
		}
	}
}

func TestPassFrag(t *testing.T) {
	tests := map[string]string{
		"$P$BABCDEFGH8V2Z2SVO7ujn5wUtglfRD.":                              "EFGH",
		"$2y$10$ZF4WJb4EoG/ssKT9vqMBGerUrK2uLmLJmLPE.Wi82iOSjJE5FtS7C":    "F4WJ",
		"$2b$10$ZF4WJb4EoG/ssKT9vqMBGerUrK2uLmLJmLPE.Wi82iOSjJE5FtS7C":    "FtS7C"[1:], // last 4
		"$wp$2y$10$/BYYU.3ZhH1EaEHaFchF7OZDmi66wJMb16jmX3uY0BGppS7S1gfsa": "gfsa",
		"9cc2ae8a1ba7a93da39b46fc1019c481":                                "c481",
		"$P$short":                                                        "",
		"$P$BABCDEFG":                                                     "EFG",
		"abc":                                                             "abc",
		"":                                                                "",
	}
	for pass, want := range tests {
		if got := PassFrag(pass); got != want {
			t.Errorf("PassFrag(%q) = %q, want %q", pass, got, want)
		}
	}
}

func TestCookieNames(t *testing.T) {
	const url = "http://127.0.0.1:8071"
	const hash = "473c880099f4ebba446c4a65430d8811"
	n := NewCookieNames(nil, url)
	if n.LoggedIn != "wordpress_logged_in_"+hash || n.Auth != "wordpress_"+hash || n.SecureAuth != "wordpress_sec_"+hash {
		t.Errorf("names = %+v", n)
	}
	if got := NewCookieNames(map[string]string{"WP_SITEURL": url + "/"}, "http://other").LoggedIn; got != n.LoggedIn {
		t.Errorf("WP_SITEURL (trailing slash removed) must win over the option: %s", got)
	}
	if got := NewCookieNames(map[string]string{"COOKIEHASH": "abc"}, url); got.LoggedIn != "wordpress_logged_in_abc" {
		t.Errorf("COOKIEHASH define: %+v", got)
	}
	if got := NewCookieNames(map[string]string{"LOGGED_IN_COOKIE": "custom"}, url); got.LoggedIn != "custom" || got.Auth != n.Auth {
		t.Errorf("LOGGED_IN_COOKIE define: %+v", got)
	}
	if CookieHash("") != "" || CookieHash("0") != "" {
		t.Error("a falsy siteurl gives an empty COOKIEHASH")
	}
}

func TestSessionValid(t *testing.T) {
	const token = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"
	key := SessionVerifier(token)
	now := time.Unix(1800000000, 0)
	entry := func(v any) any { return phpserial.NewPHPArray().Set(key, v) }
	session := func(exp any) any { return entry(phpserial.NewPHPArray().Set("expiration", exp).Set("login", int64(1))) }
	tests := []struct {
		name   string
		tokens any
		want   bool
	}{
		{"valid", session(int64(1800000001)), true},
		{"expires this second", session(int64(1800000000)), true},
		{"expired", session(int64(1799999999)), false},
		{"legacy int entry", entry(int64(1800003600)), true},
		{"legacy int expired", entry(int64(1)), false},
		{"numeric string expiration", session("1800003600"), true},
		{"float expiration", session(1800003600.5), true},
		{"no expiration key", entry(phpserial.NewPHPArray().Set("login", int64(1))), false},
		{"null expiration", session(nil), false},
		{"null entry", entry(nil), false},
		{"string entry", entry("1800003600"), false},
		{"other token only", phpserial.NewPHPArray().Set(SessionVerifier("other"), phpserial.NewPHPArray().Set("expiration", int64(1900000000))), false},
		{"empty map", phpserial.NewPHPArray(), false},
		{"not an array", "a:1:{...}", false},
		{"PHP false (corrupt)", false, false},
		{"nil", nil, false},
	}
	for _, tc := range tests {
		if got := SessionValid(tc.tokens, token, now); got != tc.want {
			t.Errorf("%s: SessionValid = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestPHPGreaterEqualInt(t *testing.T) {
	const n = 1800000000
	tests := []struct {
		v    any
		want bool
	}{
		{int64(n), true}, {int64(n - 1), false}, {float64(n) - 0.5, false}, {math.NaN(), false},
		{"1800000000", true}, {" 1800000001", true}, {"1800000001 ", true}, {"1.8e9", true}, {"1.7e9", false},
		{"abc", true},          // non-numeric: "1800000000" <= "abc" as strings
		{"1799999999x", false}, // leading-numeric is not numeric in comparisons: string compare
		{"", false}, {"9223372036854775807", true}, {true, true}, {false, false}, {nil, false}, {phpserial.NewPHPArray(), true},
	}
	for _, tc := range tests {
		if got := phpGreaterEqualInt(tc.v, n); got != tc.want {
			t.Errorf("%#v >= %d: %v, want %v", tc.v, n, got, tc.want)
		}
	}
}

func TestPHPIntval(t *testing.T) {
	tests := map[string]int64{
		"2000000000": 2000000000, " 12": 12, "12abc": 12, "abc": 0, "": 0, "-5": -5, "+5": 5,
		"1e3": 1000, "1.9": 1, "99999999999999999999": math.MaxInt64, "-99999999999999999999": math.MinInt64,
		"1e400": math.MaxInt64, ".5": 0, "0x1A": 0,
	}
	for in, want := range tests {
		if got := php.Intval(in); got != want {
			t.Errorf("php.Intval(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestRawURLDecode(t *testing.T) {
	tests := map[string]string{"a%7Cb": "a|b", "a+b": "a+b", "%": "%", "%4": "%4", "%41%4a": "AJ", "%zz": "%zz"}
	for in, want := range tests {
		if got := rawURLDecode(in); got != want {
			t.Errorf("rawURLDecode(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseAuthCookie(f *testing.F) {
	f.Add("vec_wp%7C2000000000%7Cabcdefghijklmnopqrstuvwxyz%7C90a270d8")
	f.Add("a|b|c|d")
	f.Add("%7C%7C%7C")
	f.Add("0")
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := ParseAuthCookie(raw)
		if err != nil {
			return
		}
		joined := c.Username + "|" + c.Expiration + "|" + c.Token + "|" + c.HMAC
		if joined != php.AddSlashes(rawURLDecode(raw)) {
			t.Fatalf("fields do not rebuild the decoded value: %q", joined)
		}
		c.ExpiresAt()
		c.ValidHMAC("$P$BABCDEFGH8V2Z2SVO7ujn5wUtglfRD.", "salt")
	})
}
