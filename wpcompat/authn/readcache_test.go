package authn_test

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/bincache"
	"github.com/wpsidecar/wpsidecar/bincache/binlogstream"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// The read cache on the auth path (serve --cache): a repeated Application Password request needs no query at all,
// and once the binlog event of a change made by another connection has been applied, the next request sees it: a
// revoked Application Password, a changed role and a deleted user are refused. Answers equal the uncached site's.
func TestReadCacheAuth(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{auth: authn.AuthOptions{SkipUsageRecording: true}})
	var logBin, format string
	if err := s.db.DB.QueryRow("SELECT @@log_bin, @@binlog_format").Scan(&logBin, &format); err != nil {
		t.Fatal(err)
	}
	if logBin != "1" || format != "ROW" {
		msg := "test server without a ROW binlog (restart it with .ci/devdb.sh)"
		if os.Getenv("WPSIDECAR_REQUIRE_BINLOG") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	s.db.Exec(t, "CREATE TABLE {prefix}wpsidecar_meta (meta_key varchar(191) NOT NULL PRIMARY KEY, meta_value text NOT NULL, updated_at datetime NOT NULL)")
	db, trips := countingDB(t, s.db.DSN)
	site := wpcompat.NewSite(db, db, s.site.Tables, s.site.Config, slog.New(slog.NewTextHandler(io.Discard, nil)))
	site.Now = s.site.Now
	c := bincache.New(1<<20, 10*time.Second) // generous: the order is proven by Sync, not by time
	c.Settle = 0                             // the test reads right after each change on purpose; the order is proven by WaitApplied
	st, err := binlogstream.NewStream(c, binlogstream.StreamConfig{DSN: s.db.DSN, ServerID: 100000 + rand.Uint32N(1<<30),
		Heartbeat: 100 * time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		ProbeTable: "wpa_wpsidecar_meta",
		Watch:      []binlogstream.Watch{{Table: "wpa_users", Column: -1}, {Table: "wpa_usermeta", Column: 1}, {Table: "wpa_options", Column: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { st.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	site.ReadCache = c
	auth := authn.NewAuthenticator(site, authn.AuthOptions{SkipUsageRecording: true})
	rt := rest.NewRouter(site, auth)
	authn.RegisterCore(rt, site)
	deadline := time.Now().Add(20 * time.Second)
	for !c.Healthy() {
		if time.Now().After(deadline) {
			t.Fatal("stream not healthy")
		}
		time.Sleep(10 * time.Millisecond)
	}
	get := func(h http.Handler, user, pass string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, meURL+"?context=edit", nil)
		req.Header.Set("Authorization", basic(user, pass))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code, w.Body.String()
	}
	change := func(q string, args ...any) {
		t.Helper()
		s.db.Exec(t, q, args...)
		sctx, scancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer scancel()
		if err := st.Sync(sctx, s.db.DB); err != nil {
			t.Fatalf("stream did not apply the change: %v", err)
		}
	}
	same := func(user, pass string) (int, string) {
		t.Helper()
		code, body := get(rt, user, pass)
		wcode, want := get(s.rt, user, pass)
		if code != wcode || body != want {
			t.Fatalf("cached %d %s\nuncached %d %s", code, body, wcode, want)
		}
		return code, body
	}

	// The uncached site's first answer records the password's use (a usermeta write): its binlog event may land
	// between two requests on a busy machine and empty the user's entry. So: apply what is pending, fill, measure —
	// a few times; one users/me answered from memory alone is what this checks.
	var code int
	for attempt := 0; attempt < 5; attempt++ {
		sctx, scancel := context.WithTimeout(context.Background(), 20*time.Second)
		err := st.Sync(sctx, s.db.DB)
		scancel()
		if err != nil {
			t.Fatal(err)
		}
		same("editor1", vecAP2Plain)
		trips.Store(0)
		if code, _ = get(rt, "editor1", vecAP2Plain); code == 200 && trips.Load() == 0 {
			break
		}
	}
	if code != 200 || trips.Load() != 0 {
		t.Fatalf("cached users/me: status %d, %d round trips (want 200, 0); cache %+v, lag %v", code, trips.Load(), c.Stats(), c.Lag())
	}
	// A changed role: the next request carries the new capabilities.
	change("UPDATE {prefix}usermeta SET meta_value = 'a:1:{s:6:\"author\";b:1;}' WHERE user_id = 2 AND meta_key = 'wpa_capabilities'")
	if _, body := same("editor1", vecAP2Plain); !strings.Contains(body, `"roles":["author"]`) {
		t.Fatalf("role change not seen: %s", body)
	}
	// A revoked Application Password is refused.
	change("UPDATE {prefix}usermeta SET meta_value = 'a:0:{}' WHERE user_id = 2 AND meta_key = '_application_passwords'")
	if code, _ := same("editor1", vecAP2Plain); code != http.StatusUnauthorized {
		t.Fatalf("revoked Application Password: status %d", code)
	}
	// A deleted user is refused.
	same("admin", vecAPPlain)
	same("admin", vecAPPlain)
	change("DELETE FROM {prefix}users WHERE ID = 1")
	if code, _ := same("admin", vecAPPlain); code != http.StatusUnauthorized {
		t.Fatalf("deleted user: status %d", code)
	}
	if st := c.Stats(); st.Hits == 0 || st.Invalidations == 0 {
		t.Fatalf("cache not used: %+v", st)
	}
}
