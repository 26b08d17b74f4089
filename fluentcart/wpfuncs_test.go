package fluentcart

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpformat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// Vectors produced by WordPress 7.1 itself (sanitize_text_field, sanitize_email, is_email, esc_url,
// sanitize_url, sanitize_user(strict), sanitize_title, esc_html) and PHP 8.2 (intval, is_numeric):
// testdata/fluentcart/wp71_formatting_vectors.json, strings base64-encoded.
func TestFormattingAgainstWordPress(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(wptest.RepoRoot(), "testdata", "fluentcart", "wp71_formatting_vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vecs []struct {
		In, Text, Email, URL, URLRaw, User, Title, EscHTML string
		IsEmail, Numeric                                   bool
		Intval                                             int64
	}
	if err := json.Unmarshal(b, &vecs); err != nil {
		t.Fatal(err)
	}
	dec := func(s string) string {
		d, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return string(d)
	}
	for _, v := range vecs {
		in := dec(v.In)
		check := func(name, got, want string) {
			if got != want {
				t.Errorf("%s(%q) = %q, want %q", name, in, got, want)
			}
		}
		check("sanitize_text_field", wpformat.SanitizeTextField(in), dec(v.Text))
		check("sanitize_email", wpformat.SanitizeEmail(in), dec(v.Email))
		check("esc_url", wpformat.EscURL(in, true), dec(v.URL))
		check("sanitize_url", wpformat.EscURL(in, false), dec(v.URLRaw))
		check("sanitize_user", wpformat.SanitizeUserStrict(in), dec(v.User))
		check("sanitize_title", wpformat.SanitizeTitleASCII(wpformat.SanitizeUserStrict(in)), dec(v.Title))
		check("esc_html", wpformat.EscHTML(in), dec(v.EscHTML))
		if got := wpformat.IsEmail(in); got != v.IsEmail {
			t.Errorf("is_email(%q) = %v", in, got)
		}
		if got := isNumericString(in); got != v.Numeric {
			t.Errorf("is_numeric(%q) = %v", in, got)
		}
		if got := stringToInt(in); got != v.Intval {
			t.Errorf("intval(%q) = %d, want %d", in, got, v.Intval)
		}
	}
}
