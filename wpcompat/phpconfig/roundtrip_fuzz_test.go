package phpconfig

import (
	"errors"
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/internal/wpvectors"
)

// Round trips and agreement with the WordPress 7.1 vectors (testdata/wpcompat/vectors.json, no PHP at fuzz time).
// Run them for a while with `make fuzz`; plain `go test` runs their seeds.

// wpVectors is testdata/wpcompat/vectors.json (shared with wpcompat's tests).
type wpVectors = wpvectors.Vectors

func loadWPVectors(t testing.TB) *wpVectors { return wpvectors.Load(t) }

// phpSingleQuoted is a PHP single-quoted literal of s (only \\ and \' are escapes there).
func phpSingleQuoted(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// phpDoubleQuoted is a PHP double-quoted literal of s: letters, digits and space as they are, \\, \" and \$, and
// every other byte as \xHH.
func phpDoubleQuoted(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' || c == '"' || c == '$':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ':
			b.WriteByte(c)
		default:
			b.WriteString(`\x`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FuzzConfigStringRoundTrip: any byte string printed as a PHP literal into wp-config.php — single-quoted,
// double-quoted with escapes, concatenated — parses back to itself, as PHP would evaluate it; the table prefix too
// when WordPress would accept it.
func FuzzConfigStringRoundTrip(f *testing.F) {
	for _, s := range []string{"", "it's a \\ pass with $dollar", "{$x}", "\x00\xff\n\t", "?>", "<?php", "'\\'", "wp_", "é"} {
		f.Add(s)
	}
	for _, c := range loadWPVectors(f).Site.Constants {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		src := "<?php\n// a comment with '" + "\n" +
			"define('AUTH_KEY', " + phpSingleQuoted(s) + ");\n" +
			"define( \"AUTH_SALT\",\t" + phpDoubleQuoted(s) + " );\n" +
			"define('NONCE_KEY', 'x' . " + phpSingleQuoted(s) + " . \"y\" . " + phpDoubleQuoted(s) + ");\n" +
			"$table_prefix = " + phpSingleQuoted(s) + ";\n"
		c, err := ParseConfig("fuzz.php", []byte(src), nil, nil)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is %T", err, err)
			}
			if validTablePrefix(s) {
				t.Fatalf("%q refused: %v\n%s", s, err, src)
			}
			return // an invalid table prefix is refused, as WordPress's wp_set_wpdb_vars dies on it
		}
		for name, want := range map[string]string{"AUTH_KEY": s, "AUTH_SALT": s, "NONCE_KEY": "x" + s + "y" + s} {
			if got, ok := c.String(name); !ok || got != want {
				t.Fatalf("%s = %q (%v), want %q\n%s", name, got, ok, want, src)
			}
		}
		if !c.HasTablePrefix || c.TablePrefix != s {
			t.Fatalf("table prefix %q (%v), want %q", c.TablePrefix, c.HasTablePrefix, s)
		}
	})
}
