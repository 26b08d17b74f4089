// Package wpvectors loads what PHP running WordPress 7.1 produced for the tests of wpcompat and its subpackages:
// testdata/wpcompat/vectors.json (the Appendix A vectors of spec/wordpress-auth-and-rest.md) and the serialized
// values WordPress stored (testdata/wpcompat/serialized). Test support only; it imports no wpsidecar package, so
// the internal tests of any wpcompat package can use it without an import cycle.
package wpvectors

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Vectors is vectors.json.
type Vectors struct {
	Source string `json:"_source"`
	Site   struct {
		Constants      map[string]string `json:"constants"`
		SaltLoggedIn   string            `json:"salt_logged_in"`
		SiteURL        string            `json:"siteurl"`
		CookieHash     string            `json:"cookiehash"`
		LoggedInCookie string            `json:"logged_in_cookie"`
		WPHash         []struct {
			Data, Scheme, Hash string
		} `json:"wp_hash"`
	} `json:"site"`
	Passwords []struct {
		Password, Hash, Note string
		Check                bool
	} `json:"passwords"`
	Prehash []struct {
		Password, Prehash string
	} `json:"prehash"`
	Password72 struct {
		Prefix                     string `json:"prefix"`
		HashedSuffix               string `json:"hashed_suffix"`
		OtherSuffix                string `json:"other_suffix"`
		WPHashVerifiesOther        bool   `json:"wp_hash_verifies_other"`
		VanillaBcryptVerifiesOther bool   `json:"vanilla_bcrypt_verifies_other"`
	} `json:"password_72_bytes"`
	AppPasswords []struct {
		Plain, Display, Hash string
	} `json:"app_passwords"`
	AppPasswordChecks []struct {
		Presented, Stored string
		Check             bool
	} `json:"app_password_checks"`
	Cookies []struct {
		Login    string `json:"login"`
		UserPass string `json:"user_pass"`
		PassFrag string `json:"pass_frag"`
		Scheme   string `json:"scheme"`
		HMAC     string `json:"hmac"`
	} `json:"cookies"`
	CookieCommon struct {
		Expiration, Token string
	} `json:"cookie_common"`
	CookieIntermediate struct {
		Salt    string `json:"salt"`
		KeyMsg  string `json:"key_msg"`
		HMACMsg string `json:"hmac_msg"`
		HMAC    string `json:"hmac"`
	} `json:"cookie_intermediate"`
	Session struct {
		Token, Verifier, Stored string
		Expiration              int64
	} `json:"session"`
	Nonces []struct {
		T, Tick, UID                    int64
		Action, Token, Full, Nonce, Msg string
	} `json:"nonces"`
	NonceVerify []struct {
		T, UID       int64
		Nonce, Token string
		Result       int
	} `json:"nonce_verify"`
	NonceTicks []struct {
		T, Tick int64
		Life    int
	} `json:"nonce_ticks"`
	JWT struct {
		Secret, Alg, Payload, Token string
	} `json:"jwt"`
	Serialized []struct {
		PHP              string `json:"php"`
		Serialized       string `json:"serialized"`
		MaybeSerializeOf string `json:"maybe_serialize_of"`
	} `json:"serialized"`
	SerializedCorrupt []struct {
		Stored string `json:"stored"`
	} `json:"serialized_corrupt"`
}

// Load reads vectors.json and fails the test when a section is empty.
func Load(t testing.TB) *Vectors {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(), "testdata", "wpcompat", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v Vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("vectors.json: %v", err)
	}
	// Guard against a renamed key silently emptying a section.
	for name, n := range map[string]int{"passwords": len(v.Passwords), "prehash": len(v.Prehash),
		"app_passwords": len(v.AppPasswords), "app_password_checks": len(v.AppPasswordChecks),
		"cookies": len(v.Cookies), "nonces": len(v.Nonces), "nonce_verify": len(v.NonceVerify),
		"nonce_ticks": len(v.NonceTicks), "serialized": len(v.Serialized), "wp_hash": len(v.Site.WPHash),
		"serialized_corrupt": len(v.SerializedCorrupt)} {
		if n == 0 {
			t.Fatalf("vectors.json: section %s is empty", name)
		}
	}
	if v.Session.Stored == "" || v.JWT.Token == "" || v.CookieIntermediate.HMAC == "" || v.Password72.Prefix == "" {
		t.Fatal("vectors.json: a single-value section is empty")
	}
	return &v
}

// SerializedSeeds returns the real WordPress values in testdata/wpcompat/serialized, by file name.
func SerializedSeeds(t testing.TB) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(), "testdata", "wpcompat", "serialized", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no serialized seeds: %v", err)
	}
	out := make(map[string]string, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = string(b)
	}
	return out
}

// repoRoot is the repository's top directory (this file is wpcompat/internal/wpvectors/wpvectors.go).
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..", ".."))
}
