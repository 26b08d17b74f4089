package unified

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Vectors computed with openssl (README's shell example):
//
//	printf '%s' "$STRING_TO_SIGN" | openssl dgst -sha256 -hmac "$SECRET" -hex
func TestSignVectors(t *testing.T) {
	const secret = "wss_test-Secret_1"
	if got := BodyHash([]byte(`{"customer":"A B"}`)); got != "30c83dc4c59da3d08b08017fce3406ea799377697c27aba6c595b4396ea0f24a" {
		t.Errorf("BodyHash = %s", got)
	}
	if got := Sign(secret, "put", "/wp-json/wpsidecar/v1/customers/d7b497c495eb9dbc5ee4d5c8164eafda", 1795446000, []byte(`{"customer":"A B"}`)); got != "b7bd5aaa16cc61548cd2cafaed0d17e66a5e81dbeb57f918c61b25647cdbe1b7" {
		t.Errorf("PUT signature = %s", got)
	}
	// GET: empty bodyHash, the raw query is part of the target.
	if got := Sign(secret, "GET", "/wp-json/wpsidecar/v1/customers/find-by-email?email=a%40b.co", 1795446000, []byte("ignored")); got != "dfb377e1fcb37882a29967332f5fb07f1e20368f43dda5afcd8e9065410fa586" {
		t.Errorf("GET signature = %s", got)
	}
}

func TestRequestTarget(t *testing.T) {
	for _, c := range []struct{ uri, want string }{
		{"/wp-json/wpsidecar/v1/customers/x?email=a%40b.co", "/wp-json/wpsidecar/v1/customers/x?email=a%40b.co"},
		{"http://example.com/wp-json/x?y=1", "/wp-json/x?y=1"},
		{"https://example.com?rest_route=/x", "/?rest_route=/x"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RequestURI = c.uri
		if got := requestTarget(r); got != c.want {
			t.Errorf("requestTarget(%q) = %q, want %q", c.uri, got, c.want)
		}
	}
}

// Every way a signature can fail answers 401 with its own code; the request changes nothing.
func TestSignatureFailures(t *testing.T) {
	e := newEnv(t)
	target := customerURL(uuidSam)
	body := `{"customer":"Replay Test"}`
	sign := func(secret string, ts int64, b string) map[string]string {
		h := SignedHeaders(e.clientID, secret, "PUT", target, ts, []byte(b))
		h["Content-Type"] = "application/json"
		return h
	}

	t.Run("replayed", func(t *testing.T) {
		h := sign(e.secret, e.nextTS(), `{"status":"active"}`)
		if rec := e.do("PUT", target, h, `{"status":"active"}`); rec.Code != 200 {
			t.Fatalf("first use: %d %s", rec.Code, rec.Body)
		}
		golden(t, e.do("PUT", target, h, `{"status":"active"}`), 401, "auth_replayed")
	})
	t.Run("expired", func(t *testing.T) {
		golden(t, e.do("PUT", target, sign(e.secret, testNow.Unix()-301, body), body), 401, "auth_expired")
		golden(t, e.do("PUT", target, sign(e.secret, testNow.Unix()+301, body), body), 401, "auth_expired")
	})
	t.Run("edge of the window is accepted", func(t *testing.T) {
		if rec := e.do("GET", target, SignedHeaders(e.clientID, e.secret, "GET", target, testNow.Unix()-300, nil), ""); rec.Code != 200 {
			t.Errorf("ts = now-300: %d %s", rec.Code, rec.Body)
		}
		if rec := e.do("GET", target, SignedHeaders(e.clientID, e.secret, "GET", target, testNow.Unix()+300, nil), ""); rec.Code != 200 {
			t.Errorf("ts = now+300: %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("tampered body", func(t *testing.T) {
		h := sign(e.secret, e.nextTS(), body)
		golden(t, e.do("PUT", target, h, `{"customer":"Mallory"}`), 401, "auth_tampered_body")
		// Without x-content-sha256 a changed body is only a signature mismatch.
		delete(h, "x-content-sha256")
		golden(t, e.do("PUT", target, h, `{"customer":"Mallory"}`), 401, "auth_wrong_secret")
	})
	t.Run("wrong secret", func(t *testing.T) {
		golden(t, e.do("PUT", target, sign(e.secret+"x", e.nextTS(), body), body), 401, "auth_wrong_secret")
	})
	t.Run("other method than signed", func(t *testing.T) {
		h := sign(e.secret, e.nextTS(), body)
		golden(t, e.do("PATCH", target, h, body), 401, "auth_wrong_secret")
	})
	t.Run("unknown client", func(t *testing.T) {
		h := sign(e.secret, e.nextTS(), body)
		h["x-client-id"] = "wsc_00000000000000000000"
		golden(t, e.do("PUT", target, h, body), 401, "auth_unknown_client")
	})
	t.Run("invalid timestamp", func(t *testing.T) {
		h := sign(e.secret, e.nextTS(), body)
		h["x-timestamp"] = "1795446000.5"
		golden(t, e.do("PUT", target, h, body), 401, "auth_invalid_timestamp")
	})
	t.Run("invalid signature", func(t *testing.T) {
		h := sign(e.secret, e.nextTS(), body)
		h["x-signature"] = strings.Repeat("z", 64)
		golden(t, e.do("PUT", target, h, body), 401, "auth_invalid_signature")
	})
	t.Run("missing headers", func(t *testing.T) {
		golden(t, e.do("PUT", target, map[string]string{"Content-Type": "application/json"}, body), 401, "auth_missing_headers")
	})
	t.Run("revoked client", func(t *testing.T) {
		id, secret, err := CreateClient(context.Background(), e.db.Site, e.keyFile, NewClient{Name: "to revoke"})
		if err != nil {
			t.Fatal(err)
		}
		if rec := e.signedAt(id, secret, "GET", target, "", e.nextTS()); rec.Code != 200 {
			t.Fatalf("before revoking: %d", rec.Code)
		}
		if err := RevokeClient(context.Background(), e.db.Site, id); err != nil {
			t.Fatal(err)
		}
		golden(t, e.signedAt(id, secret, "GET", target, "", e.nextTS()), 401, "auth_revoked_client")
	})
	if got := e.db.QueryString(t, "SELECT display_name FROM {prefix}users WHERE ID = 3"); got != "Sam Porter" {
		t.Errorf("a refused request changed the user: %q", got)
	}
}

// 100 requests a minute per client by default; the 101st is refused with Retry-After until the window ends.
func TestRateLimit(t *testing.T) {
	e := newEnv(t)
	id, secret, err := CreateClient(context.Background(), e.db.Site, e.keyFile, NewClient{Name: "default limit"})
	if err != nil {
		t.Fatal(err)
	}
	target := customerURL(uuidSam)
	var last *httptest.ResponseRecorder
	for i := 0; i < 100; i++ {
		last = e.signedAt(id, secret, "GET", target, "", e.nextTS())
		if last.Code != 200 {
			t.Fatalf("request %d: %d %s", i+1, last.Code, last.Body)
		}
	}
	if got := last.Header().Get("X-RateLimit-Remaining"); got != "0" {
		t.Errorf("X-RateLimit-Remaining after 100 = %q", got)
	}
	rec := e.signedAt(id, secret, "GET", target, "", e.nextTS())
	golden(t, rec, http.StatusTooManyRequests, "auth_rate_limited")
	if got := rec.Header().Get("Retry-After"); got != "60" {
		t.Errorf("Retry-After = %q, want 60", got)
	}
	// Another client has its own budget.
	if rec := e.signed("GET", target, ""); rec.Code != 200 {
		t.Errorf("other client: %d", rec.Code)
	}
	// The next minute starts afresh.
	e.db.Site.Now = func() time.Time { return testNow.Add(time.Minute) }
	if rec := e.signedAt(id, secret, "GET", target, "", testNow.Unix()+60); rec.Code != 200 {
		t.Errorf("next window: %d %s", rec.Code, rec.Body)
	}
	if n := e.db.QueryString(t, "SELECT request_count FROM {prefix}wpsidecar_rate_limits WHERE subject = ? AND window_start = ?",
		"client:"+id, testNow.Format(dbLayout)); n != strconv.Itoa(101) {
		t.Errorf("counted %s requests in the first window, want 101", n)
	}
}

// Client secrets are encrypted at rest under a key file made with mode 0600; the plain secret is nowhere in the
// database.
func TestClientSecretsAtRest(t *testing.T) {
	e := newEnv(t)
	fi, err := os.Stat(e.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 || fi.Size() != 32 {
		t.Errorf("key file mode %o size %d, want 0600 and 32 bytes", fi.Mode().Perm(), fi.Size())
	}
	row := strings.Join(snapshot(t, e.db.DB, "SELECT * FROM "+e.db.Table("wpsidecar_clients")), "\n")
	if strings.Contains(row, e.secret) || strings.Contains(row, strings.TrimPrefix(e.secret, "wss_")) {
		t.Fatal("the plain secret is stored")
	}
	key, err := LoadOrCreateKey(e.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	enc := e.db.QueryString(t, "SELECT secret_enc FROM {prefix}wpsidecar_clients WHERE client_id = ?", e.clientID)
	if got, err := openSecret(key, e.clientID, enc); err != nil || got != e.secret {
		t.Errorf("decrypt = %q, %v", got, err)
	}
	if _, err := openSecret(key, "wsc_other", enc); err == nil {
		t.Error("ciphertext decrypts for another client id")
	}
	other := make([]byte, 32)
	if _, err := openSecret(other, e.clientID, enc); err == nil {
		t.Error("ciphertext decrypts under another key")
	}
	if err := os.Chmod(e.keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKey(e.keyFile); err == nil {
		t.Error("a world-readable key file was accepted")
	}
	for _, s := range []string{e.clientID, e.secret} {
		if s == "" || strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
			t.Errorf("%q is not [A-Za-z0-9_-]+", s)
		}
	}
}
