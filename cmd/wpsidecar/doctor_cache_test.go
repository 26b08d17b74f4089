package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// doctor says whether the read cache can run on the test server, and when it cannot, the exact lines to add.
func TestDoctorReadCacheCheck(t *testing.T) {
	t.Parallel()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Schemas: []string{"wordpress"}})
	var logBin int
	var format string
	if err := db.DB.QueryRow("SELECT @@log_bin, @@binlog_format").Scan(&logBin, &format); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	run(context.Background(), []string{"doctor", "--dsn", db.DSN, "--table-prefix", "wpt_"}, &out, &errb, func(string) string { return "" })
	text := out.String()
	switch {
	case logBin == 1 && format == "ROW":
		if !strings.Contains(text, "read cache (--cache): can run") {
			t.Fatalf("binlog on, ROW, root: doctor should say the cache can run:\n%s", text)
		}
	case logBin != 1:
		if !strings.Contains(text, "read cache (--cache): cannot run") || !strings.Contains(text, "    log_bin = mysql-bin") ||
			!strings.Contains(text, "    [mysqld]") {
			t.Fatalf("binlog off: doctor should print the lines to add:\n%s", text)
		}
	default:
		if !strings.Contains(text, "    binlog_format = ROW") {
			t.Fatalf("binlog_format %s: doctor should print binlog_format = ROW:\n%s", format, text)
		}
	}
}
