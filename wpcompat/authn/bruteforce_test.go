package authn_test

import (
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

const tooMany = `{"code":"wpsidecar_too_many_attempts","message":"Too many failed authentication attempts. Try again later.","data":{"status":429}}`

// The opt-in guard (DEVIATIONS.md): per-username and per-IP lockouts with 429 + Retry-After; a credential that
// already succeeded keeps working; the lockout ends after its time.
func TestBruteForceGuard(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{jwt: true, auth: authn.AuthOptions{BruteForce: authn.BruteForceOptions{
		Enabled: true, MaxFailuresUsr: 2, MaxFailuresIP: 4, Window: time.Minute, Lockout: time.Minute}}})
	auth := func(u, p string) map[string]string { return h("Authorization", basic(u, p)) }
	later := func(d time.Duration) func(*testing.T) { return func(*testing.T) { *s.now = s.now.Add(d) } }
	wptest.Run(t, s.rt, []wptest.Scenario{
		{Name: "admin succeeds once (verdict cached)", URL: meURL, Header: auth("admin", vecAPPlain), Check: wantUser(uAdmin)},
		{Name: "admin failure 1", URL: meURL, Header: auth("admin", "wrong"), Status: 401, WantBody: notLoggedIn},
		{Name: "admin failure 2 locks the username", URL: meURL, Header: auth("ADMIN", "wrong"), Status: 401, WantBody: notLoggedIn},
		{Name: "locked username: 429 without checking", URL: meURL, Header: auth("admin", "wrong"), Status: 429, WantBody: tooMany,
			WantHeader: map[string]string{"Retry-After": "60"}},
		{Name: "locked by email too? no: the key is the presented name", URL: meURL, Header: auth("admin@example.com", vecAPPlain), Check: wantUser(uAdmin)},
		{Name: "the proven credential still works", URL: meURL, Header: auth("admin", vecAPPlain), Check: wantUser(uAdmin)},
		{Name: "other users are not locked", URL: meURL, Header: auth("legacy", vecAPPlain), Check: wantUser(uLegacy)},
		{Name: "IP failure 3", URL: meURL, Header: auth("ghost1", "x"), Status: 401, WantBody: notLoggedIn},
		{Name: "IP failure 4 locks the IP", URL: meURL, Header: auth("ghost2", "x"), Status: 401, WantBody: notLoggedIn},
		{Name: "locked IP: new credentials refused", URL: meURL, Header: auth("editor1", vecAP2Plain), Status: 429, WantBody: tooMany},
		{Name: "locked IP: token endpoint refused", Method: "POST", URL: "/wp-json/jwt-auth/v1/token?username=admin&password=x", Status: 429, WantBody: tooMany},
		{Name: "no credentials: unaffected", URL: meURL, Status: 401, WantBody: notLoggedIn},
		{Name: "after the lockout", URL: meURL, Header: auth("editor1", vecAP2Plain), Setup: later(61 * time.Second), Check: wantUser(uEditor)},
	})
}

// Off by default: WordPress answers every failure with the route's own 401, however many there are.
func TestBruteForceGuardOffByDefault(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{})
	for i := 0; i < 30; i++ {
		if rec := wptest.Do(s.rt, "GET", meURL, h("Authorization", basic("admin", "wrong")), ""); rec.Code != 401 {
			t.Fatalf("attempt %d: %d", i, rec.Code)
		}
	}
	if rec := wptest.Do(s.rt, "GET", meURL, h("Authorization", basic("admin", vecAPPlain)), ""); rec.Code != 200 {
		t.Fatalf("%d", rec.Code)
	}
}
