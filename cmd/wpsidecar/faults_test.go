package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/latepoint"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// The whole process during a frozen database: FluentCart and LatePoint answer 503 in their own envelopes within
// the deadline, /readyz turns 503 and back, /metrics counts the timeouts by route, a client that hangs up is a 499
// (not a 500, no ERROR line), FluentCart's copy of PHP's plugin_exception is counted as planned, and everything
// serves normally once the database answers again.
func TestFrozenDatabaseWholeProcess(t *testing.T) {
	t.Parallel()
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wp_", Seed: true})
	ctx := context.Background()
	if err := ensureOwnTables(ctx, tdb.DB, "wp_"); err != nil {
		t.Fatal(err)
	}
	proxy, dsn := wptest.NewFaultProxy(t, tdb.DSN)
	db, err := wpcompat.OpenDB(ctx, dsn, wpcompat.DBOptions{MaxOpen: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg, err := phpconfig.ParseConfigFile(filepath.Join(wptest.RepoRoot(), "testdata", "demo", "wp-config.php"), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	tables, _ := wpcompat.NewTables("wp_")
	logs := &lockedBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	site := wpcompat.NewSite(db, db, tables, cfg, log)
	// As serve runs without a replica: GET one's authentication query and first read share a round trip on a pool of
	// their own, which meets the same stall.
	pipe, err := wpcompat.OpenDB(ctx, dsn, wpcompat.DBOptions{MaxOpen: 8, MultiStatements: true})
	if err != nil {
		t.Fatal(err)
	}
	defer pipe.Close()
	site.Pipeline = pipe
	_, lpKey, err := latepoint.NewKeyStore(site).Create(ctx, latepoint.NewKey{Name: "faults", Environment: "live", Permissions: []string{"customers:read"}})
	if err != nil {
		t.Fatal(err)
	}
	m := newMetrics()
	a := newApp(site, log)
	a.metrics = m
	a.rest.DBTimeout = time.Second
	defer a.close(ctx)
	srv := httptest.NewServer(a.handler())
	defer srv.Close()
	admin := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:AdmN 1234 AbCd 5678 EfGh 9012"))

	do := func(method, path string, hdr map[string]string, body string) (int, string, http.Header, time.Duration) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header, time.Since(start)
	}
	fc := map[string]string{"Authorization": admin, "Content-Type": "application/json"}
	lp := map[string]string{"X-API-Key": lpKey}
	put := `{"id":1,"full_name":"Jane Frozen","email":"jane.doe@example.com"}`

	if code, body, _, _ := do("GET", "/wp-json/fluent-cart/v2/customers/1", fc, ""); code != 200 {
		t.Fatalf("before: %d %s", code, body)
	}
	if code, body, _, _ := do("GET", "/wp-json/latepoint-api/v1/customers/1", lp, ""); code != 200 {
		t.Fatalf("before: %d %s", code, body)
	}
	// FluentCart's own 500 for an unknown relation, copied from PHP: planned, not a failure.
	if code, body, _, _ := do("GET", "/wp-json/fluent-cart/v2/customers/1?with[]=bogus", fc, ""); code != 500 || !strings.Contains(body, "plugin_exception") {
		t.Fatalf("planned: %d %s", code, body)
	}

	proxy.Pause()
	code, body, hdr, took := do("PUT", "/wp-json/fluent-cart/v2/customers/1", fc, put)
	if code != 503 || body != `{"code":"wpsidecar_db_timeout","message":"`+rest.MsgDBTimeout+`","data":{"status":503}}` ||
		hdr.Get("Retry-After") != "5" || took > 1700*time.Millisecond {
		t.Errorf("FluentCart PUT: %d %s %v after %v", code, body, hdr, took)
	}
	code, body, hdr, took = do("GET", "/wp-json/latepoint-api/v1/customers/1", lp, "")
	if code != 503 || !strings.Contains(body, `"code":"latepoint_not_available"`) || !strings.Contains(body, `"status":"error"`) ||
		hdr.Get("Retry-After") != "5" || took > 1700*time.Millisecond {
		t.Errorf("LatePoint GET: %d %s %v after %v", code, body, hdr, took)
	}
	code, _, _, took = do("GET", "/readyz", nil, "")
	if code != 503 || took > 3*time.Second {
		t.Errorf("readyz during the stall: %d after %v", code, took)
	}
	// A client that gives up before the deadline.
	cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	req, _ := http.NewRequestWithContext(cctx, "GET", srv.URL+"/wp-json/fluent-cart/v2/customers/2", nil)
	req.Header.Set("Authorization", admin)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("the client should have given up: %d", resp.StatusCode)
	}
	cancel()
	time.Sleep(1200 * time.Millisecond) // the server side notices and answers 499 to nobody
	proxy.Resume()

	if code, body, _, _ := do("PUT", "/wp-json/fluent-cart/v2/customers/1", fc, put); code != 200 {
		t.Fatalf("after: %d %s", code, body)
	}
	if code, _, _, _ := do("GET", "/readyz", nil, ""); code != 200 {
		t.Fatalf("readyz after the stall: %d", code)
	}
	rec := httptest.NewRecorder()
	m.adminHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	metrics := rec.Body.String()
	for _, want := range []string{
		`wpsidecar_http_answers_total{class="db_timeout",handler="go",route="/fluent-cart/v2/customers/(?P<customerId>`,
		`wpsidecar_http_answers_total{class="db_timeout",handler="go",route="/latepoint-api/v1/customers/(?P<id>[0-9]+)"} 1`,
		`wpsidecar_http_answers_total{class="planned_error",handler="go",route="/fluent-cart/v2/customers/(?P<customerId>[0-9]+)"} 1`,
		`wpsidecar_http_answers_total{class="client_closed",handler="go",route="/fluent-cart/v2/customers/(?P<customerId>[0-9]+)"} 1`,
		`status="499"`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(metrics, `class="server_error"`) {
		t.Errorf("no answer was a sidecar failure:\n%s", grepLines(metrics, "wpsidecar_http_answers_total"))
	}
	if l := logs.String(); strings.Contains(l, `"level":"ERROR"`) {
		t.Errorf("ERROR lines:\n%s", grepLines(l, `"level":"ERROR"`))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
