package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// doctor reports every demo table and the pinned versions, and fails when WordPress's tables are missing.
func TestDoctorOnTheDemoSite(t *testing.T) {
	t.Parallel()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Seed: true})
	cfg := filepath.Join(wptest.RepoRoot(), "testdata", "demo", "wp-config.php")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"doctor", "--dsn", db.DSN, "--table-prefix", "wpt_", "--wp-config", cfg}, &out, &errb, func(string) string { return "" })
	text := out.String()
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, text, errb.String())
	}
	for _, want := range []string{
		"table prefix: wpt_",
		"tables wordpress: 5/5 all present",
		"tables fluentcart: 35/35 all present",
		"tables latepoint: 32/32 all present",
		"db_version: 61833 = WordPress 7.1",
		"_fluent_cart_db_version: 1.0.40 = FluentCart 1.3.25",
		"latepoint_db_version: 2.1.4 = LatePoint 5.0.15",
		"fluent-cart/fluent-cart.php",
		"application passwords: usable (in use; WP_ENVIRONMENT_TYPE=local",
		"$P$ (phpass): 1",
		"result: OK",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, text)
		}
	}

	bare := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Schemas: []string{"fluentcart"}})
	out.Reset()
	code = run(context.Background(), []string{"doctor", "--dsn", bare.DSN, "--table-prefix", "wpt_"}, &out, &errb, func(string) string { return "" })
	if code == 0 || !strings.Contains(out.String(), "MISSING wpt_users") || !strings.Contains(out.String(), "result: PROBLEMS FOUND") {
		t.Fatalf("exit %d\n%s", code, out.String())
	}
}
