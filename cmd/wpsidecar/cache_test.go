package main

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// serve --cache: a write the sidecar answers itself, and a write PHP answers through the sidecar (front-proxy mode),
// are out of the read cache before their answers reach the client — the next read, by anyone, sees them.
func TestReadCacheOwnAndProxiedWrites(t *testing.T) {
	t.Parallel()
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Schemas: []string{"wordpress", "wpsidecar"}})
	var logBin, format string
	if err := tdb.DB.QueryRow("SELECT @@log_bin, @@binlog_format").Scan(&logBin, &format); err != nil {
		t.Fatal(err)
	}
	if logBin != "1" || format != "ROW" {
		if os.Getenv("WPSIDECAR_REQUIRE_BINLOG") != "" {
			t.Fatal("test server without a ROW binlog")
		}
		t.Skip("test server without a ROW binlog (restart it with .ci/devdb.sh)")
	}
	tdb.Exec(t, "INSERT INTO {prefix}options (option_name, option_value) VALUES ('home','http://site.test'),('siteurl','http://site.test'),('blogname','v0')")
	php := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost { // PHP writes, then answers
			tdb.Exec(t, "UPDATE {prefix}options SET option_value = ? WHERE option_name = 'blogname'", r.URL.Query().Get("v"))
		}
		_, _ = io.WriteString(w, "php")
	}))
	defer php.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	site := tdb.Site
	a := newApp(site, log)
	a.rest.Register("owned/v1", "/write", rest.Handler{Methods: "POST", Callback: func(r *rest.Request) (*rest.Response, error) {
		_, err := site.DB.ExecContext(r.Ctx(), "UPDATE wpt_options SET option_value = ? WHERE option_name = 'blogname'", r.Query.Get("v"))
		return rest.OK(nil), err
	}})
	u, _ := url.Parse(php.URL)
	a.proxy = newUpstreamProxy(u, log)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	// The stream applies each change 300 ms late: only the wait before the answer can make the next read see it.
	if err := startCache(ctx, &cacheOptions{on: true, sizeMB: 1, maxLag: 10 * time.Second, serverID: uint(100000 + rand.Uint32N(1<<30)),
		applyDelay: 300 * time.Millisecond},
		tdb.DSN, site, a, nil, log); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); !site.ReadCache.Healthy(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("cache not healthy")
		}
	}
	h := a.handler()
	blogname := func() string {
		v, _, err := site.CachedOption(context.Background(), "blogname")
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for i, path := range []string{"/wp-json/owned/v1/write?v=%s", "/wp-login.php?v=%s"} {
		want := []string{"go-write", "php-write"}[i]
		// The value must be in the cache before the write. Past Settle it is stored by the read below; on a busy
		// machine the cache may be between a drop and the next probe back (healthy again within a heartbeat), so
		// wait for health and try again, a bounded number of times.
		cached := false
		for try := 0; try < 40 && !cached; try++ {
			time.Sleep(150 * time.Millisecond)
			if site.ReadCache.Healthy() {
				blogname()
				_, cached = site.ReadCache.Get("opt\x00blogname")
			}
		}
		if !cached {
			t.Fatalf("blogname not cached before the write: %+v, lag %v", site.ReadCache.Stats(), site.ReadCache.Lag())
		}
		rec := wptest.Do(h, "POST", fmtPath(path, want), nil, "")
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
		}
		if got := blogname(); got != want {
			t.Fatalf("right after the answer to %s the cache gave %q, want %q", path, got, want)
		}
	}
}

func fmtPath(p, v string) string { return strings.Replace(p, "%s", v, 1) }
