package wpcompat

import (
	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestIsEmail(t *testing.T) {
	tests := map[string]bool{
		"admin@example.com":              true,
		"a@b.co":                         true,
		"first.last+tag@sub.example.org": true,
		"o'neil@example.com":             true,
		"x!#$%&'*+/=?^_`{|}~-@a.bc":      true,
		"a@b.c":                          false, // too short
		"@example.com":                   false, // @ at position 0
		"admin.example.com":              false,
		"ad min@example.com":             false,
		"admin@example":                  false, // one label
		"admin@example..com":             false,
		"admin@.example.com":             false,
		"admin@example.com.":             false,
		"admin@-example.com":             false,
		"admin@example-.com":             false,
		"admin@exa_mple.com":             false,
		"admin@exämple.com":              false,
		"admin@example.com\n":            false,
		"admin@@example.com":             false,
		"admin\n@example.com":            true, // PCRE $ matches before a final newline of the local part
		"admin\n\n@example.com":          false,
		"ädmin@example.com":              false,
		"admin@EXAMPLE.COM":              true,
		"admin@example.c-m":              true,
		"admin@1.2":                      true,
	}
	for in, want := range tests {
		if got := IsEmail(in); got != want {
			t.Errorf("IsEmail(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestSanitizeUser(t *testing.T) {
	tests := map[string]string{
		"admin":                      "admin",
		"  admin  ":                  "admin",
		"Admin":                      "Admin", // case kept; the collation decides
		"ad  min":                    "ad min",
		"ad\t\n\v\f\rmin":            "ad min",
		"ad%41min":                   "admin",
		"ad%4min":                    "ad%4min",
		"ad%2%41min":                 "ad%2min",
		"a&amp;b":                    "ab",
		"a&;b;c":                     "ac",
		"a&b":                        "a&b",
		"<b>admin</b>":               "admin",
		"<script>x</script>admin":    "admin",
		"<STYLE type=x>y</STYLE>adm": "adm",
		"ad<min":                     "ad",
		"a < b":                      "a < b",
		"a<!-- c -->b":               "ab",
		"a<x title='>'>b":            "ab",
		"ad\x00min":                  "ad\x00min"[:2] + "min",
		"josé":                       "josé", // documented simplification: no remove_accents
		"jos\xe9":                    "",     // invalid UTF-8: no user
		"user@example.com":           "user@example.com",
		"":                           "",
		"\f":                         " ", // trim() keeps \f, the whitespace collapse turns it into a space
		"\x0b admin \x0b":            "admin",
	}
	for in, want := range tests {
		if got := SanitizeUser(in); got != want {
			t.Errorf("SanitizeUser(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzSanitizeUser(f *testing.F) {
	for _, s := range []string{"admin", "<b>x</b>", "a%41&amp;b", "<!--", "a<b", "josé", "\f", "a b", "a  b", " a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := SanitizeUser(s)
		if plainLogin(s) { // the fast path must be what the full sanitising would give
			full := pcreSpaceRun.ReplaceAllString(php.Trim(htmlEntityRe.ReplaceAllString(PercentOctet.ReplaceAllString(StripLoginTags(s), ""), "")), " ")
			if out != s || full != s {
				t.Fatalf("plain login %q: SanitizeUser %q, full path %q", s, out, full)
			}
		}
		// trim() keeps "\f" but the \s+ collapse then makes it " ", so only runs and other blanks are excluded.
		if strings.ContainsAny(out, "\t\n\v\f\r") || strings.Contains(out, "  ") || !utf8.ValidString(out) {
			t.Fatalf("SanitizeUser(%q) = %q", s, out)
		}
		IsEmail(s)
	})
}
