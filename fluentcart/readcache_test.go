package fluentcart_test

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/bincache"
	"github.com/wpsidecar/wpsidecar/bincache/binlogstream"
	"github.com/wpsidecar/wpsidecar/fluentcart"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// With the read cache (serve --cache), GET one customer needs no statement once the credentials and the customer
// are cached; after the binlog event of a change made by another connection (PHP) has been applied, the next GET
// shows it — a customer field, a label attached. Answers equal the uncached ones.
func TestReadCacheGetCustomer(t *testing.T) {
	t.Parallel()
	db := wptest.NewDB(t, wptest.Options{Prefix: prefix, Schemas: []string{"wordpress", "fluentcart", "wpsidecar"}, Seed: true})
	var logBin, format string
	if err := db.DB.QueryRow("SELECT @@log_bin, @@binlog_format").Scan(&logBin, &format); err != nil {
		t.Fatal(err)
	}
	if logBin != "1" || format != "ROW" {
		if os.Getenv("WPSIDECAR_REQUIRE_BINLOG") != "" {
			t.Fatal("test server without a ROW binlog")
		}
		t.Skip("test server without a ROW binlog (restart it with .ci/devdb.sh)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	conn, err := wpcompat.OpenDB(ctx, db.DSN, wpcompat.DBOptions{MaxOpen: 1, MaxIdle: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	cfg, err := phpconfig.ParseConfigFile(filepath.Join(wptest.RepoRoot(), "testdata", "demo", "wp-config.php"), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	tables, _ := wpcompat.NewTables(prefix)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	site := wpcompat.NewSite(conn, conn, tables, cfg, log)
	site.Now = func() time.Time { return testNow }
	c := bincache.New(1<<20, 10*time.Second) // generous: the order is proven by Sync, not by time
	c.Settle = 0                             // re-reads right after each change on purpose
	st, err := binlogstream.NewStream(c, binlogstream.StreamConfig{DSN: db.DSN, ServerID: 100000 + rand.Uint32N(1<<30),
		Heartbeat: 100 * time.Millisecond, Log: log, ProbeTable: prefix + "wpsidecar_meta",
		Watch: []binlogstream.Watch{{Table: prefix + "users", Column: -1}, {Table: prefix + "usermeta", Column: 1},
			{Table: prefix + "options", Column: 1}, {Table: prefix + "fct_customers", Column: 0},
			{Table: prefix + "fct_label_relationships", Column: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { st.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	for deadline := time.Now().Add(20 * time.Second); !c.Healthy(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("stream not healthy")
		}
	}
	rt := rest.NewRouter(site, authn.NewAuthenticator(site, authn.AuthOptions{SkipUsageRecording: true}))
	fluentcart.Register(rt, site, fluentcart.Options{})
	auth := map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"+appPasswords["admin"]))}
	url := "/wp-json/fluent-cart/v2/customers/1"
	questions := func() int64 {
		var name string
		var n int64
		if err := conn.QueryRow("SHOW SESSION STATUS LIKE 'Questions'").Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	get := func() string {
		t.Helper()
		site.ReadCache = c
		rec := wptest.Do(rt, "GET", url, auth, "")
		site.ReadCache = nil
		want := wptest.Do(rt, "GET", url, auth, "")
		if rec.Code != 200 || rec.Code != want.Code || rec.Body.String() != want.Body.String() {
			t.Fatalf("cached %d %s\nuncached %d %s", rec.Code, rec.Body.String(), want.Code, want.Body.String())
		}
		return rec.Body.String()
	}
	change := func(q string, args ...any) {
		t.Helper()
		db.Exec(t, q, args...)
		sctx, scancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer scancel()
		if err := st.Sync(sctx, db.DB); err != nil {
			t.Fatalf("stream did not apply the change: %v", err)
		}
	}
	get()
	site.ReadCache = c
	before := questions()
	rec := wptest.Do(rt, "GET", url, auth, "")
	n := questions() - before - 1 // the second SHOW STATUS counts itself
	site.ReadCache = nil
	if rec.Code != 200 || n != 0 {
		t.Fatalf("cached GET one: status %d, %d statements (want 200, 0)", rec.Code, n)
	}
	change("UPDATE {prefix}fct_customers SET notes = 'changed by PHP' WHERE id = 1")
	if body := get(); !strings.Contains(body, `"notes":"changed by PHP"`) {
		t.Fatalf("customer change not seen: %s", body)
	}
	var label int64
	if err := db.DB.QueryRow("SELECT id FROM " + prefix + "fct_label ORDER BY id LIMIT 1").Scan(&label); err != nil {
		res := db.Exec(t, "INSERT INTO {prefix}fct_label (value, created_at, updated_at) VALUES ('cache', NOW(), NOW())")
		label, _ = res.LastInsertId()
	}
	change("INSERT INTO {prefix}fct_label_relationships (label_id, labelable_id, labelable_type, created_at, updated_at) VALUES (?, 1, ?, NOW(), NOW())",
		label, `FluentCart\App\Models\Customer`)
	get()
	// A linked user's photo meta is part of the customer's entry: a change of it by another connection is seen.
	url = "/wp-json/fluent-cart/v2/customers/4"
	get()
	get()
	change("UPDATE {prefix}usermeta SET meta_value = 'https://cdn.example.com/photos/changed-by-php.jpg' WHERE meta_key = 'fc_customer_photo_url' AND user_id = (SELECT user_id FROM {prefix}fct_customers WHERE id = 4)")
	if body := get(); !strings.Contains(body, `changed-by-php.jpg`) {
		t.Fatalf("photo meta change not seen: %s", body)
	}
	if s := c.Stats(); s.Hits == 0 {
		t.Fatalf("cache not used: %+v", s)
	}
}
