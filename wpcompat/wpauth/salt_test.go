package wpauth

import (
	"errors"
	"strings"
	"testing"
)

func testOptions(m map[string]string) func(string) (string, bool, error) {
	return func(name string) (string, bool, error) {
		v, ok := m[name]
		return v, ok, nil
	}
}

// TestSaltSelection replays the spec §1.3 table (each row was executed against the 7.1 wp_salt).
func TestSaltSelection(t *testing.T) {
	all := map[string]string{
		"AUTH_KEY": "ak", "AUTH_SALT": "as", "SECURE_AUTH_KEY": "sak", "SECURE_AUTH_SALT": "sas",
		"LOGGED_IN_KEY": "lk", "LOGGED_IN_SALT": "ls", "NONCE_KEY": "nk", "NONCE_SALT": "ns",
	}
	with := func(over map[string]string, drop ...string) map[string]string {
		out := map[string]string{}
		for k, v := range all {
			out[k] = v
		}
		for _, k := range drop {
			delete(out, k)
		}
		for k, v := range over {
			out[k] = v
		}
		return out
	}
	opts := map[string]string{
		"auth_key": "o-ak", "auth_salt": "o-as", "secure_auth_key": "o-sak", "secure_auth_salt": "o-sas",
		"logged_in_key": "o-lk", "logged_in_salt": "o-ls", "nonce_key": "o-nk", "nonce_salt": "o-ns",
		"secret_key": "o-secret",
	}
	tests := []struct {
		name      string
		constants map[string]string
		scheme    string
		want      string
	}{
		{"all eight distinct", all, "logged_in", "lkls"},
		{"auth", all, "auth", "akas"},
		{"secure_auth", all, "secure_auth", "saksas"},
		{"nonce", all, "nonce", "nkns"},
		{"placeholder key", with(map[string]string{"AUTH_KEY": SaltPlaceholder}), "auth", "o-akas"},
		{"falsy key and salt", with(map[string]string{"AUTH_KEY": "", "AUTH_SALT": "0"}), "auth", "o-ako-as"},
		{"duplicate value ignores both", with(map[string]string{"NONCE_KEY": "lk"}), "nonce", "o-nkns"},
		{"duplicate value, other scheme", with(map[string]string{"NONCE_KEY": "lk"}), "logged_in", "o-lkls"},
		{"duplicate with SECRET_KEY", with(map[string]string{"SECRET_KEY": "ak"}), "auth", "o-akas"},
		{"only SECRET_*: auth", map[string]string{"SECRET_KEY": "sk", "SECRET_SALT": "ss"}, "auth", "skss"},
		{"only SECRET_*: logged_in", map[string]string{"SECRET_KEY": "sk", "SECRET_SALT": "ss"}, "logged_in", "sko-ls"},
		{"SECRET_KEY under a usable constant", with(map[string]string{"SECRET_KEY": "sk"}), "nonce", "nkns"},
		{"nothing defined", nil, "logged_in", "o-lko-ls"},
		{"nothing defined, auth", nil, "auth", "o-ako-as"},
		{"other scheme uses SECRET_KEY", map[string]string{"SECRET_KEY": "sk"}, "custom", "sk" + hmacMD5Hex("sk", "custom")},
		{"other scheme uses option secret_key", nil, "custom", "o-secret" + hmacMD5Hex("o-secret", "custom")},
		{"salt with quotes and dollars", with(map[string]string{"LOGGED_IN_KEY": `a'b"c\$d`}), "logged_in", `a'b"c\$dls`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := SaltSource{Constants: tc.constants, Option: testOptions(opts)}
			got, err := s.Salt(tc.scheme)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Salt(%q) = %q, want %q", tc.scheme, got, tc.want)
			}
		})
	}
}

func TestSaltNeverGenerates(t *testing.T) {
	tests := []struct {
		name      string
		constants map[string]string
		options   map[string]string
		scheme    string
		mention   string
	}{
		{"missing option", map[string]string{"AUTH_KEY": "ak"}, map[string]string{}, "auth", "auth_salt"},
		{"empty option", nil, map[string]string{"logged_in_key": ""}, "logged_in", "logged_in_key"},
		{"falsy option", nil, map[string]string{"nonce_key": "0", "nonce_salt": "x"}, "nonce", "nonce_key"},
		{"corrupt serialized option", nil, map[string]string{"nonce_key": `s:9:"x";`, "nonce_salt": "x"}, "nonce", "nonce_key"},
		{"placeholder and no option", map[string]string{"AUTH_KEY": SaltPlaceholder, "AUTH_SALT": "as"}, nil, "auth", "AUTH_KEY"},
		{"other scheme without secret", nil, nil, "custom", "secret_key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := SaltSource{Constants: tc.constants, Option: testOptions(tc.options)}
			_, err := s.Salt(tc.scheme)
			if !errors.Is(err, ErrSaltMissing) || !strings.Contains(err.Error(), tc.mention) {
				t.Fatalf("err = %v, want ErrSaltMissing naming %s", err, tc.mention)
			}
		})
	}
	if _, err := (SaltSource{}).Salt("auth"); !errors.Is(err, ErrSaltMissing) {
		t.Errorf("no constants and no option reader: %v", err)
	}
	boom := errors.New("db down")
	s := SaltSource{Option: func(string) (string, bool, error) { return "", false, boom }}
	if _, err := s.Salt("auth"); !errors.Is(err, boom) || errors.Is(err, ErrSaltMissing) {
		t.Errorf("option read error must pass through: %v", err)
	}
}

func TestSaltPlaceholderTranslations(t *testing.T) {
	c := map[string]string{"AUTH_KEY": "mettez une phrase unique ici", "AUTH_SALT": "as"}
	opts := testOptions(map[string]string{"auth_key": "o-ak"})
	if got, _ := (SaltSource{Constants: c, Option: opts}).Salt("auth"); got != "mettez une phrase unique icias" {
		t.Errorf("untranslated placeholder list: %q", got)
	}
	s := SaltSource{Constants: c, Option: opts, Placeholders: []string{"mettez une phrase unique ici"}}
	if got, _ := s.Salt("auth"); got != "o-akas" {
		t.Errorf("translated placeholder must be ignored: %q", got)
	}
	if got := s.SuspectPlaceholders(); len(got) != 1 || got[0] != "AUTH_KEY" {
		t.Errorf("SuspectPlaceholders = %v", got)
	}
}

func TestWPHash(t *testing.T) {
	if got := WPHash("x", "test-logged-in-keytest-logged-in-salt"); got != "250cea0a7a8261e66c8e9ceba9123006" {
		t.Errorf("WPHash = %s", got)
	}
}
