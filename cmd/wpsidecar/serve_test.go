package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

func TestReadyzFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wpt_"})
	proxy, proxied := wptest.NewFaultProxy(t, tdb.DSN) // stopped and started to simulate a database outage
	cfg, _ := mysql.ParseDSN(proxied)
	cfg.Timeout = time.Second
	cfg.ReadTimeout = 2 * time.Second
	ctx := context.Background()
	db, err := wpcompat.OpenDB(ctx, cfg.FormatDSN(), wpcompat.DBOptions{MaxOpen: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	site := wpcompat.NewSite(db, db, wpcompat.Tables{Prefix: "wpt_"}, nil, nil)
	if err := ensureOwnTables(ctx, db, "wpt_"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newApp(site, site.Log).handler())
	defer srv.Close()

	get := func() (int, string) {
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	waitFor := func(want int) string {
		deadline := time.Now().Add(15 * time.Second)
		for {
			code, body := get()
			if code == want {
				return body
			}
			if time.Now().After(deadline) {
				t.Fatalf("readyz stayed %d (%s), want %d", code, body, want)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	if body := waitFor(200); !strings.Contains(body, `"ready"`) {
		t.Fatalf("body %s", body)
	}
	proxy.Stop()
	if body := waitFor(503); !strings.Contains(body, `"unavailable"`) {
		t.Fatalf("body %s", body)
	}
	proxy.Start(t)
	waitFor(200)

	// /healthz answers whatever the database does.
	proxy.Stop()
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestReadyzReportsMissingTables(t *testing.T) {
	t.Parallel()
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Schemas: []string{"wordpress"}})
	site := wpcompat.NewSite(tdb.DB, tdb.DB, wpcompat.Tables{Prefix: "wpt_"}, nil, nil)
	h := newApp(site, site.Log).handler()
	rec := wptest.Do(h, "GET", "/readyz", nil, "")
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "wpt_wpsidecar_api_keys") {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	if err := ensureOwnTables(context.Background(), tdb.DB, "wpt_"); err != nil {
		t.Fatal(err)
	}
	// A second run is a no-op (IF NOT EXISTS).
	if err := ensureOwnTables(context.Background(), tdb.DB, "wpt_"); err != nil {
		t.Fatal(err)
	}
	if rec := wptest.Do(h, "GET", "/readyz", nil, ""); rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	// REST requests go to the WordPress-style router.
	if rec := wptest.Do(h, "GET", "/wp-json/nothing/here", nil, ""); rec.Code != 404 || !strings.Contains(rec.Body.String(), "rest_no_route") {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
}
