package phpsite_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest/phpsite"
)

// The harness brings up a working WordPress: install, a user, an Application Password accepted over Basic auth,
// and a logged-in cookie + nonce accepted by /wp/v2/users/me.
func TestHarnessServesWordPress(t *testing.T) {
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpp_", Schemas: []string{"wordpress"}})
	site := phpsite.Start(t, db, phpsite.Options{})
	site.Install(t)
	id := site.CreateUser(t, "alice", "alice@example.com", "alice-pass", "editor")
	ap := site.CreateAppPassword(t, id, "harness")
	if len(ap.Password) != 24 {
		t.Fatalf("app password %q", ap.Password)
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:"+ap.Password))
	resp := site.Do(t, "GET", "/wp-json/wp/v2/users/me", http.Header{"Authorization": {basic}}, "")
	if resp.Status != 200 || !strings.Contains(string(resp.Body), `"id":`) {
		t.Fatalf("app password: %d %s\n%s", resp.Status, resp.Body, site.Logs())
	}
	anon := site.Do(t, "GET", "/wp-json/wp/v2/users/me", nil, "")
	if anon.Status != 401 || !strings.Contains(string(anon.Body), "rest_not_logged_in") {
		t.Fatalf("anonymous: %d %s", anon.Status, anon.Body)
	}
	c := site.AuthCookie(t, id, "logged_in", 0)
	nonce := site.Nonce(t, id, c, "wp_rest")
	resp = site.Do(t, "GET", "/wp-json/wp/v2/users/me", http.Header{"Cookie": {c.Header()}, "X-WP-Nonce": {nonce}}, "")
	if resp.Status != 200 || resp.Header.Get("X-WP-Nonce") == "" {
		t.Fatalf("cookie+nonce: %d %s %v", resp.Status, resp.Body, resp.Header)
	}
}
