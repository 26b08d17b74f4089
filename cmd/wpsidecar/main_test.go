package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// Precedence: flag > environment > (wp-config) > default.
func TestSettingsPrecedence(t *testing.T) {
	env := map[string]string{"WPSIDECAR_LISTEN": "127.0.0.1:7000", "WPSIDECAR_TABLE_PREFIX": "envp_"}
	getenv := func(k string) string { return env[k] }
	s := newSettings("serve", io.Discard, getenv)
	var listen string
	s.fs.StringVar(&listen, "listen", "", "")
	if err := s.fs.Parse([]string{"--table-prefix", "flagp_"}); err != nil {
		t.Fatal(err)
	}
	if got := s.value("listen", "WPSIDECAR_LISTEN", "127.0.0.1:8080"); got != "127.0.0.1:7000" {
		t.Errorf("env should win over default: %s", got)
	}
	if got := s.value("table-prefix", "WPSIDECAR_TABLE_PREFIX", "wp_"); got != "flagp_" {
		t.Errorf("flag should win over env: %s", got)
	}
	if got := s.value("dsn", "WPSIDECAR_DSN", "fallback"); got != "fallback" {
		t.Errorf("default when nothing is set: %s", got)
	}
	res, err := s.resolve(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || res != nil {
		t.Errorf("no DSN and no wp-config must be an error")
	}
}

func TestRedactedQuery(t *testing.T) {
	got := redactedQuery("page=2&_wpnonce=abc123&password=hunter2&api_key=lp_x&q=a")
	want := "page=2&_wpnonce=[REDACTED]&password=[REDACTED]&api_key=[REDACTED]&q=a"
	if got != want {
		t.Errorf("got %s", got)
	}
}

// The access log never contains credentials; panics become a 500 WordPress envelope; every answer has a request id.
func TestMiddlewareLogsWithoutSecretsAndRecovers(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	h := middleware(log, newMetrics(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/boom" {
			panic("kaboom")
		}
		w.WriteHeader(204)
	}))
	secrets := []string{"QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "lp_live_secretkeyvalue", "wordpress_logged_in_x=admin%7C1", "n0nce"}
	req := httptest.NewRequest("GET", "/wp-json/x?_wpnonce=n0nce", nil)
	req.Header.Set("Authorization", "Basic "+secrets[0])
	req.Header.Set("X-API-Key", secrets[1])
	req.Header.Set("Cookie", secrets[2])
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 204 || rec.Header().Get("X-Request-Id") == "" {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/boom", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code":"internal_server_error"`) || strings.Contains(rec.Body.String(), "kaboom") {
		t.Fatalf("panic answer: %d %s", rec.Code, rec.Body.String())
	}
	out := logs.String()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("log contains secret %q", s)
		}
	}
	if !strings.Contains(out, "kaboom") || !strings.Contains(out, "goroutine") {
		t.Errorf("panic and stack should be logged")
	}
}

// Front-proxy mode: owned routes in Go, everything else (and unsupported auth schemes) to the upstream, unchanged.
func TestFrontProxy(t *testing.T) {
	t.Parallel()
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Schemas: []string{"wordpress", "wpsidecar"}})
	tdb.Exec(t, "INSERT INTO {prefix}options (option_name, option_value) VALUES ('home','http://site.test'),('siteurl','http://site.test'),('permalink_structure','/%postname%/')")
	var seen *http.Request
	var seenBody string
	php := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r
		b, _ := io.ReadAll(r.Body)
		seenBody = string(b)
		w.Header().Set("X-Answered-By", "php")
		_, _ = io.WriteString(w, "php:"+r.URL.RequestURI())
	}))
	defer php.Close()
	a := newApp(tdb.Site, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a.rest.Register("owned/v1", "/thing", rest.Handler{Methods: "GET", Callback: func(*rest.Request) (*rest.Response, error) {
		return rest.OK(wpjson.NewObject().Set("by", "go")), nil
	}})
	u, _ := url.Parse(php.URL)
	a.proxy = newUpstreamProxy(u, a.log)
	a.metrics = newMetrics()
	h := a.handler()

	rec := wptest.Do(h, "GET", "/wp-json/owned/v1/thing", nil, "")
	if rec.Body.String() != `{"by":"go"}` {
		t.Fatalf("owned route: %s", rec.Body.String())
	}
	rec = wptest.Do(h, "GET", "/?rest_route=/owned/v1/thing", nil, "")
	if rec.Body.String() != `{"by":"go"}` {
		t.Fatalf("owned route, rest_route form: %s", rec.Body.String())
	}
	rec = wptest.Do(h, "POST", "/wp-login.php?x=1", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "log=a&pwd=b")
	if rec.Body.String() != "php:/wp-login.php?x=1" || seenBody != "log=a&pwd=b" || seen.Header.Get("X-Forwarded-For") == "" {
		t.Fatalf("pass-through: %q body %q xff %q", rec.Body.String(), seenBody, seen.Header.Get("X-Forwarded-For"))
	}
	rec = wptest.Do(h, "POST", "/wp-json/owned/v1/thing", nil, "")
	if rec.Header().Get("X-Answered-By") != "php" {
		t.Fatalf("a method the sidecar does not own goes to PHP")
	}
	rec = wptest.Do(h, "GET", "/wp-json/owned/v1/thing", map[string]string{"Authorization": "Bearer some-oauth-token"}, "")
	if rec.Header().Get("X-Answered-By") != "php" {
		t.Fatalf("an auth scheme the sidecar cannot serve goes to PHP")
	}
}

// Behind nginx, requests the sidecar does not own are handed back to PHP with X-Accel-Redirect.
func TestNginxDelegation(t *testing.T) {
	t.Parallel()
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Schemas: []string{"wordpress", "wpsidecar"}})
	a := newApp(tdb.Site, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a.rest.Register("owned/v1", "/thing", rest.Handler{Methods: "GET", Callback: func(*rest.Request) (*rest.Response, error) {
		return rest.OK("go"), nil
	}})
	h := a.handler()
	del := map[string]string{"X-Wpsidecar-Delegate": "@wordpress_php"}
	if rec := wptest.Do(h, "GET", "/wp-json/owned/v1/thing", del, ""); rec.Body.String() != `"go"` || rec.Header().Get("X-Accel-Redirect") != "" {
		t.Fatalf("owned: %s %v", rec.Body.String(), rec.Header())
	}
	if rec := wptest.Do(h, "GET", "/wp-json/owned/v1/other", del, ""); rec.Header().Get("X-Accel-Redirect") != "@wordpress_php" || rec.Body.Len() != 0 {
		t.Fatalf("unowned: %d %v", rec.Code, rec.Header())
	}
	// Without the header (no nginx in front) an unknown route is WordPress's rest_no_route.
	if rec := wptest.Do(h, "GET", "/wp-json/owned/v1/other", nil, ""); rec.Code != 404 {
		t.Fatalf("no delegate: %d", rec.Code)
	}
}

func TestParseCIDRs(t *testing.T) {
	got, err := parseCIDRs("127.0.0.1/32, ::1/128,10.0.0.7,192.168.1.9/24")
	if err != nil || len(got) != 4 || got[2].String() != "10.0.0.7/32" || got[3].String() != "192.168.1.0/24" {
		t.Fatalf("%v %v", got, err)
	}
	if got, err := parseCIDRs("none"); err != nil || len(got) != 0 {
		t.Fatalf("none: %v %v", got, err)
	}
	if _, err := parseCIDRs("nonsense"); err == nil {
		t.Fatal("bad CIDR accepted")
	}
}
