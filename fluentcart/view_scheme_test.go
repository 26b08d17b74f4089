package fluentcart

import (
	"regexp"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpformat"
)

// withScheme is set_url_scheme()'s preg_replace('#^\w+://#', ...) written out by hand; this holds it to the regexp.
func TestWithSchemeMatchesRegexp(t *testing.T) {
	re := regexp.MustCompile(`^\w+://`)
	for _, u := range []string{"http://example.com/a", "https://x", "//cdn.example.com/x.png", "ftp_1://a", "://x", "a:/b",
		"  http://padded ", "javascript:alert(1)", "HTTP://UPPER", "é://x", "", "http:/", "https://a://b"} {
		want := php.Trim(u)
		if len(want) >= 2 && want[:2] == "//" {
			want = "http:" + want
		}
		want = re.ReplaceAllString(want, "https://")
		if got := withScheme(u, "https"); got != want {
			t.Errorf("withScheme(%q) = %q, want %q", u, got, want)
		}
	}
}

// escGravatar's once-per-query-string escaping gives what esc_url gives on the whole address.
func TestEscGravatarIsEscURL(t *testing.T) {
	qs := []string{"s=100", "s=100&d=mm", "s=100&d=" + php.RawURLEncode("https://example.com/a b.png?x=1&y=2"),
		"s=100&d=%0A%0d&r=g", "s=100&d=%25%30a&r=pg&initials=ab", "s=100&r=" + php.RawURLEncode("&amp;'\";//")}
	for _, q := range qs {
		for _, hash := range []string{"", "d41d8cd98f00b204e9800998ecf8427ed41d8cd98f00b204e9800998ecf8427e", "0a0d"} {
			for i := 0; i < 2; i++ { // the second call is answered from the memo
				want := wpformat.EscURL(gravatarBase+hash+"?"+q, true)
				if got := escGravatar(hash, q); got != want {
					t.Errorf("escGravatar(%q, %q) = %q, want %q", hash, q, got, want)
				}
			}
		}
	}
}
