package wpcompat_test

import (
	"context"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// With RefreshOptions running, cached options follow the database within OptionTTL and requests stop reading them
// one by one: after warm-up a CachedOption call sends nothing, across several TTLs.
func TestRefreshOptionsKeepsCacheCurrent(t *testing.T) {
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wpo_", Schemas: []string{"wordpress"}, Seed: true})
	db, err := wpcompat.OpenDB(t.Context(), tdb.DSN, wpcompat.DBOptions{MaxOpen: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tables, _ := wpcompat.NewTables("wpo_")
	site := wpcompat.NewSite(db, db, tables, nil, nil)
	site.OptionTTL = time.Second // the refresher runs every 500 ms and has 500 ms: room for a loaded CI machine
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { site.RefreshOptions(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	tdb.Exec(t, "INSERT INTO {prefix}options (option_name, option_value, autoload) VALUES ('wpsc_refresh_test', 'one', 'no')")
	if v, ok, err := site.CachedOption(ctx, "wpsc_refresh_test"); err != nil || !ok || v != "one" {
		t.Fatalf("first read: %q %v %v", v, ok, err)
	}
	// Requests in the next three TTLs read nothing themselves. Counted by the Site, not by the server's statement
	// counter: the refresher's own statements would land between two samples under load.
	before := site.OptionReads()
	for end := time.Now().Add(3 * site.OptionTTL); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if _, _, err := site.CachedOption(ctx, "wpsc_refresh_test"); err != nil {
			t.Fatal(err)
		}
	}
	if own := site.OptionReads() - before; own > 1 { // a refresh delayed past the TTL on a loaded machine, once
		t.Errorf("%d CachedOption calls read the database themselves", own)
	}
	// A change by another connection is served within OptionTTL.
	tdb.Exec(t, "UPDATE {prefix}options SET option_value = 'two' WHERE option_name = 'wpsc_refresh_test'")
	changed := time.Now()
	for {
		v, _, err := site.CachedOption(ctx, "wpsc_refresh_test")
		if err != nil {
			t.Fatal(err)
		}
		if v == "two" {
			break
		}
		if time.Since(changed) > site.OptionTTL+500*time.Millisecond { // slack for a loaded machine
			t.Fatalf("still %q %v after the change", v, time.Since(changed))
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A deleted option is seen as absent.
	tdb.Exec(t, "DELETE FROM {prefix}options WHERE option_name = 'wpsc_refresh_test'")
	time.Sleep(site.OptionTTL + 100*time.Millisecond)
	if _, ok, _ := site.CachedOption(ctx, "wpsc_refresh_test"); ok {
		t.Fatal("a deleted option is still served")
	}
}
