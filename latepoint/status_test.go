package latepoint

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// statusScenarios: GET /status and every authentication outcome (spec §6.5, §8.1; issue 6).
func statusScenarios(f *fixture) []wptest.Scenario {
	bearer := func(v string) map[string]string { return map[string]string{"Authorization": "Bearer " + v} }
	return []wptest.Scenario{
		{Name: "ok", URL: apiBase + "/status", Header: f.hdr("admin"), Status: 200, Golden: golden("status", "ok"),
			WantHeader: map[string]string{"X-RateLimit-Limit": "1000000", "X-RateLimit-Remaining": "999999", "Allow": "GET"}},
		{Name: "bearer lp_ key", URL: apiBase + "/status", Header: bearer(f.keys["reader"]), Status: 200, Golden: golden("status", "reader_bearer")},
		{Name: "X-API-Key wins over Bearer", URL: apiBase + "/status", Header: map[string]string{"X-API-Key": f.keys["admin"], "Authorization": "Bearer lp_test_nope"}, Status: 200},
		{Name: "missing key", URL: apiBase + "/status", Status: 401, Golden: golden("error", "unauthorized"),
			WantHeader: map[string]string{"X-RateLimit-Limit": ""}},
		{Name: "unknown key", URL: apiBase + "/status", Header: map[string]string{"X-API-Key": "lp_live_" + strings.Repeat("A", 43)}, Status: 401, Golden: golden("error", "unauthorized")},
		{Name: "not an lp_ key", URL: apiBase + "/status", Header: map[string]string{"X-API-Key": "sk_live_abc"}, Status: 401, Golden: golden("error", "unauthorized")},
		{Name: "bearer that is not an lp_ key is no API key", URL: apiBase + "/status", Header: bearer("eyJhbGciOiJIUzI1NiJ9.e30.x"), Status: 401, Golden: golden("error", "unauthorized")},
		{Name: "expired yesterday", URL: apiBase + "/status", Header: f.hdr("expired"), Status: 401, Golden: golden("error", "unauthorized")},
		{Name: "expires at the end of today", URL: apiBase + "/status", Header: f.hdr("valid_until_today"), Status: 200},
		{Name: "revoked", URL: apiBase + "/status", Header: f.hdr("revoked"), Status: 401, Golden: golden("error", "unauthorized")},
		{Name: "ip outside allow-list", URL: apiBase + "/status", Header: f.hdr("office"), Status: 403, Golden: golden("error", "ip_not_allowed")},
		{Name: "insufficient permission", URL: apiBase + "/customers", Header: f.hdr("creator"), Status: 403, Golden: golden("error", "insufficient_permissions_read"),
			WantHeader: map[string]string{"X-RateLimit-Limit": "1000000", "Allow": "POST"}},
		{Name: "reader cannot delete", Method: "DELETE", URL: apiBase + "/customers/48", Header: f.hdr("reader"), Status: 403, Golden: golden("error", "insufficient_permissions_delete")},
		{Name: "unknown route under the namespace", URL: apiBase + "/nope", Header: f.hdr("admin"), Status: 404, Golden: golden("error", "rest_no_route")},
		{Name: "id must be digits", URL: apiBase + "/customers/12abc", Header: f.hdr("admin"), Status: 404, Golden: golden("error", "rest_no_route")},
		{Name: "no POST on an item", Method: "POST", URL: apiBase + "/customers/12", Header: f.hdr("admin"), Status: 404, Golden: golden("error", "rest_no_route")},
		{Name: "rest_route form", URL: "/?rest_route=/latepoint-api/v1/status", Header: f.hdr("admin"), Status: 200},
	}
}

func TestStatusAndAuthentication(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	wptest.Run(t, f.rt, statusScenarios(f))
}

// The rate limit: X-RateLimit-* on every authenticated answer, 429 rate_limit_exceeded with Retry-After once the
// key's per-minute budget (3) is spent; a refused request does not spend the hour budget.
func TestRateLimitThroughRouter(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	reset := "1795446060" // 15:01:00 UTC, end of the fixed clock's minute
	for i, remaining := range []string{"2", "1", "0"} {
		rec := f.do("GET", apiBase+"/status", f.hdr("tiny"), "")
		if rec.Code != 200 || rec.Header().Get("X-RateLimit-Limit") != "3" || rec.Header().Get("X-RateLimit-Remaining") != remaining ||
			rec.Header().Get("X-RateLimit-Reset") != reset {
			t.Fatalf("request %d: %d %v", i+1, rec.Code, rec.Header())
		}
	}
	wptest.Run(t, f.rt, []wptest.Scenario{{Name: "fourth", URL: apiBase + "/customers", Header: f.hdr("tiny"), Status: 429,
		Golden:     golden("error", "rate_limit_exceeded"),
		WantHeader: map[string]string{"Retry-After": "60", "X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}}})
	if got := f.db.QueryString(t, "SELECT request_count FROM {prefix}wpsidecar_rate_limits WHERE subject = ? AND window_type = 'minute'", "apikey:"+itoa(f.ids["tiny"])); got != "3" {
		t.Errorf("shared minute counter = %s, want 3", got)
	}
}

// Behind a trusted proxy the allow-list sees the client's address from X-Forwarded-For; from anyone else the
// header is ignored.
func TestIPAllowListBehindTrustedProxy(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	do := func(remote, xff string) int {
		req := httptest.NewRequest("GET", apiBase+"/status", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-API-Key", f.keys["office"])
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		rec := httptest.NewRecorder()
		f.rt.ServeHTTP(rec, req)
		return rec.Code
	}
	cases := []struct {
		remote, xff string
		want        int
	}{
		{"127.0.0.1:5000", "10.1.2.3", http.StatusOK},
		{"127.0.0.1:5000", "203.0.113.9, 10.1.2.3", http.StatusOK}, // right-most untrusted hop decides
		{"127.0.0.1:5000", "10.1.2.3, 203.0.113.9", http.StatusForbidden},
		{"127.0.0.1:5000", "", http.StatusForbidden},
		{"192.0.2.7:5000", "", http.StatusOK},
		{"198.51.100.1:5000", "10.1.2.3", http.StatusForbidden}, // untrusted peer: header ignored
		{"[::ffff:192.0.2.7]:5000", "", http.StatusOK},
	}
	for _, c := range cases {
		if got := do(c.remote, c.xff); got != c.want {
			t.Errorf("peer %s XFF %q: %d, want %d", c.remote, c.xff, got, c.want)
		}
	}
}

// Test keys are refused in production mode.
func TestRejectTestKeys(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{RejectTestKeys: true})
	wptest.Run(t, f.rt, []wptest.Scenario{
		{Name: "test key", URL: apiBase + "/status", Header: f.hdr("admin"), Status: 401, Golden: golden("error", "unauthorized")},
		{Name: "live key", URL: apiBase + "/status", Header: f.hdr("reader"), Status: 200},
	})
}

// Where the JWT plugin is active, a Bearer value starting with "lp_" on this namespace is still an API key: the
// WordPress authenticator is told to leave it alone (AuthOptions.APIKeyNamespaces). Without that option the JWT
// plugin's check would refuse the request before the route runs, as it does on a real site.
func TestBearerKeyWithJWTPluginActive(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	plugins := `a:3:{i:0;s:27:"fluent-cart/fluent-cart.php";i:1;s:23:"latepoint/latepoint.php";i:2;s:47:"jwt-authentication-for-wp-rest-api/jwt-auth.php";}`
	f.db.Exec(t, "UPDATE {prefix}options SET option_value = ? WHERE option_name = 'active_plugins'", plugins)
	cfg, err := phpconfig.ParseConfig("wp-config.php", []byte("<?php\ndefine( 'JWT_AUTH_SECRET_KEY', 'test-secret' );\n$table_prefix = 'wpt_';\n"),
		func(string) (string, bool) { return "", false }, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.db.Site.Config = cfg
	bearer := map[string]string{"Authorization": "Bearer " + f.keys["reader"]}

	with := rest.NewRouter(f.db.Site, authn.NewAuthenticator(f.db.Site, authn.AuthOptions{APIKeyNamespaces: []string{Namespace}}))
	api := Register(with, f.db.Site, Options{DisableAuditLog: true})
	t.Cleanup(func() { _ = api.Close(t.Context()) })
	if rec := wptest.Do(with, "GET", apiBase+"/customers/17", bearer, ""); rec.Code != 200 {
		t.Fatalf("with APIKeyNamespaces: %d %s", rec.Code, rec.Body.String())
	}
	without := rest.NewRouter(f.db.Site, authn.NewAuthenticator(f.db.Site, authn.AuthOptions{}))
	api2 := Register(without, f.db.Site, Options{DisableAuditLog: true})
	t.Cleanup(func() { _ = api2.Close(t.Context()) })
	if rec := wptest.Do(without, "GET", apiBase+"/customers/17", bearer, ""); rec.Code == 200 {
		t.Fatalf("without APIKeyNamespaces the JWT plugin should have refused the lp_ Bearer value: %s", rec.Body.String())
	}
}
