package latepoint

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/bincache"
	"github.com/wpsidecar/wpsidecar/bincache/binlogstream"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// With the read cache (serve --cache), GET one customer needs no query once the key and the customer are cached;
// after the binlog event of another connection's change has been applied, the next GET shows it, and a key revoked
// by another process (the wpsidecar keys CLI) is refused. Answers equal the uncached ones.
func TestReadCacheCustomerAndKey(t *testing.T) {
	t.Parallel()
	p := newPerfSite(t)
	var logBin, format string
	if err := p.db.DB.QueryRow("SELECT @@log_bin, @@binlog_format").Scan(&logBin, &format); err != nil {
		t.Fatal(err)
	}
	if logBin != "1" || format != "ROW" {
		if os.Getenv("WPSIDECAR_REQUIRE_BINLOG") != "" {
			t.Fatal("test server without a ROW binlog")
		}
		t.Skip("test server without a ROW binlog (restart it with .ci/devdb.sh)")
	}
	c := bincache.New(1<<20, 10*time.Second) // generous: the order is proven by Sync, not by time
	c.Settle = 0                             // re-reads right after each change on purpose; the order is proven by Sync
	st, err := binlogstream.NewStream(c, binlogstream.StreamConfig{DSN: p.db.DSN, ServerID: 100000 + rand.Uint32N(1<<30),
		Heartbeat: 100 * time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		ProbeTable: "wpt_wpsidecar_meta",
		Watch: []binlogstream.Watch{{Table: "wpt_wpsidecar_api_keys", Column: 0}, {Table: "wpt_latepoint_customers", Column: 0},
			{Table: "wpt_latepoint_customer_meta", Column: 1}, {Table: "wpt_options", Column: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { st.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	for deadline := time.Now().Add(20 * time.Second); !c.Healthy(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("stream not healthy")
		}
	}
	url := apiBase + "/customers/" + strconv.FormatInt(p.smallID, 10)
	get := func() (int, string) {
		p.site.ReadCache = c
		rec := wptest.Do(p.rt, "GET", url, map[string]string{"X-API-Key": p.key}, "")
		p.site.ReadCache = nil
		want := wptest.Do(p.rt, "GET", url, map[string]string{"X-API-Key": p.key}, "")
		if rec.Code != want.Code || rec.Body.String() != want.Body.String() {
			t.Fatalf("cached %d %s\nuncached %d %s", rec.Code, rec.Body.String(), want.Code, want.Body.String())
		}
		return rec.Code, rec.Body.String()
	}
	change := func(q string, args ...any) {
		t.Helper()
		p.db.Exec(t, q, args...)
		sctx, scancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer scancel()
		if err := st.Sync(sctx, p.db.DB); err != nil {
			t.Fatalf("stream did not apply the change: %v", err)
		}
	}
	// The key's last_used_at is flushed in the background: that write invalidates the cached key when its binlog
	// event arrives, which may fall between two GETs on a busy machine. So: apply what is pending, fill, measure —
	// and retry a few times; one GET answered from memory alone is what this checks.
	var rec *httptest.ResponseRecorder
	var n int64
	for attempt := 0; attempt < 5; attempt++ {
		sctx, scancel := context.WithTimeout(context.Background(), 20*time.Second)
		err := st.Sync(sctx, p.db.DB)
		scancel()
		if err != nil {
			t.Fatal(err)
		}
		get()
		p.site.ReadCache = c
		before := p.queries.Load()
		rec = wptest.Do(p.rt, "GET", url, map[string]string{"X-API-Key": p.key}, "")
		n = p.queries.Load() - before
		p.site.ReadCache = nil
		if rec.Code == 200 && n == 0 {
			break
		}
	}
	if rec.Code != 200 || n != 0 {
		t.Fatalf("cached GET one: status %d, %d queries (want 200, 0)", rec.Code, n)
	}
	change("UPDATE {prefix}latepoint_customers SET first_name = 'Changed' WHERE id = ?", p.smallID)
	if _, body := get(); !strings.Contains(body, `"first_name":"Changed"`) {
		t.Fatalf("customer change not seen: %s", body)
	}
	change("INSERT INTO {prefix}latepoint_customer_meta (object_id, meta_key, meta_value, created_at, updated_at) VALUES (?, 'notes_extra', 'x', NOW(), NOW())", p.smallID)
	get()
	change("UPDATE {prefix}wpsidecar_api_keys SET status = 'revoked' WHERE name = 'bench'")
	if code, _ := get(); code == 200 {
		t.Fatal("a key revoked by another connection was accepted")
	}
	if s := c.Stats(); s.Hits == 0 {
		t.Fatalf("cache not used: %+v", s)
	}
}
