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
	site.OptionTTL = 400 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { site.RefreshOptions(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	questions := func() int64 {
		var name string
		var n int64
		if err := db.QueryRow("SHOW SESSION STATUS LIKE 'Questions'").Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tdb.Exec(t, "INSERT INTO {prefix}options (option_name, option_value, autoload) VALUES ('wpsc_refresh_test', 'one', 'no')")
	if v, ok, err := site.CachedOption(ctx, "wpsc_refresh_test"); err != nil || !ok || v != "one" {
		t.Fatalf("first read: %q %v %v", v, ok, err)
	}
	// Requests in the next three TTLs read nothing themselves (the refresher's statements are on the same single
	// connection: count only what the calls add, by sampling around each call).
	own := 0
	for end := time.Now().Add(3 * site.OptionTTL); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		before := questions()
		if _, _, err := site.CachedOption(ctx, "wpsc_refresh_test"); err != nil {
			t.Fatal(err)
		}
		if n := questions() - before - 1; n > 0 {
			own++
		}
	}
	if own > 1 { // a refresh may land between the two SHOW STATUS once in a while
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
		if time.Since(changed) > site.OptionTTL+100*time.Millisecond {
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
