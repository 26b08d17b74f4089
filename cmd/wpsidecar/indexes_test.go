package main

import (
	"bytes"
	"context"
	"database/sql"
	"regexp"
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// doctor --indexes prints valid CREATE INDEX statements and never runs them; once an operator applies them, MySQL
// answers each served query through its index (no filesort), and doctor then finds nothing left to add.
func TestDoctorIndexes(t *testing.T) {
	t.Parallel()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpi_", Schemas: []string{"wordpress", "fluentcart", "latepoint"}})
	// Enough rows (MariaDB's sequence engine) that the optimizer prefers an index to a sort.
	for _, q := range []string{
		"INSERT INTO {p}latepoint_customers (first_name, last_name, email, status, created_at, updated_at) SELECT CONCAT('F', seq % 997), CONCAT('L', seq % 991), CONCAT('c', seq, '@example.com'), ELT(1 + seq % 4, 'active', 'inactive', 'blocked', 'pending_verification'), '2020-01-01' + INTERVAL (seq * 7919) % 100000 MINUTE, '2021-01-01' + INTERVAL (seq * 104729) % 100000 MINUTE FROM seq_1_to_20000",
		"INSERT INTO {p}latepoint_transactions (order_id, customer_id, kind, status, amount, created_at, updated_at) SELECT seq, seq % 5000, 'capture', 'succeeded', 10, NOW(), NOW() FROM seq_1_to_20000",
		"INSERT INTO {p}fct_customers (email, first_name, last_name, status, purchase_value, purchase_count, ltv, last_purchase_date, uuid, created_at, updated_at) SELECT CONCAT('f', seq, '@example.com'), CONCAT('F', seq % 997), CONCAT('L', seq % 991), 'active', '{}', seq % 37, (seq * 7919) % 100000, '2022-01-01' + INTERVAL (seq * 7919) % 100000 MINUTE, MD5(seq), NOW(), NOW() FROM seq_1_to_20000",
		"INSERT INTO {p}fct_meta (object_type, object_id, meta_key, meta_value, created_at, updated_at) SELECT ELT(1 + seq % 2, 'option', 'order'), seq, CONCAT('key_', seq), 'v', NOW(), NOW() FROM seq_1_to_20000",
		"INSERT INTO {p}fct_meta (object_type, meta_key, meta_value) VALUES ('option', '_fc_checkout_fields', 'a:0:{}')",
		"ANALYZE TABLE {p}latepoint_customers, {p}latepoint_transactions, {p}fct_customers, {p}fct_meta",
	} {
		rows, err := db.DB.Query(strings.ReplaceAll(q, "{p}", "wpi_"))
		if err != nil {
			t.Fatalf("%.80s: %v", q, err)
		}
		rows.Close()
	}
	doctorIndexes := func() string {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"doctor", "--indexes", "--dsn", db.DSN, "--table-prefix", "wpi_"}, &out, &errb, func(string) string { return "" }); code != 0 {
			t.Fatalf("doctor --indexes: exit %d\n%s\n%s", code, out.String(), errb.String())
		}
		return out.String()
	}
	text := doctorIndexes()
	creates := regexp.MustCompile("(?m)^CREATE INDEX `([^`]+)` ON `([^`]+)` .*;$").FindAllStringSubmatch(text, -1)
	serves := regexp.MustCompile(`(?m)^-- serves: (.*)$`).FindAllStringSubmatch(text, -1)
	if len(creates) != len(indexAdvices) || len(serves) != len(indexAdvices) {
		t.Fatalf("want %d statements each with the query it serves:\n%s", len(indexAdvices), text)
	}
	// Printing changed nothing.
	if n := countIndexes(t, db.DB, "wpsidecar_%"); n != 0 {
		t.Fatalf("doctor --indexes created %d indexes itself", n)
	}
	for _, c := range creates {
		if _, err := db.DB.Exec(c[0]); err != nil {
			t.Fatalf("%s: %v", c[0], err)
		}
	}
	for i, c := range creates {
		key, extra := explain(t, db.DB, serves[i][1], c[2])
		if key != c[1] || strings.Contains(extra, "filesort") {
			t.Errorf("%s\n  after %s: key %q, Extra %q", serves[i][1], c[0], key, extra)
		}
	}
	if again := doctorIndexes(); !strings.Contains(again, "-- 0 index(es) to add.") || strings.Contains(again, "CREATE INDEX") {
		t.Fatalf("after applying, doctor still advises:\n%s", again)
	}
	// A site without LatePoint: its advice is skipped, not printed as a statement that would fail.
	bare := wptest.NewDB(t, wptest.Options{Prefix: "wpi_", Schemas: []string{"wordpress", "fluentcart"}})
	var out, errb bytes.Buffer
	run(context.Background(), []string{"doctor", "--indexes", "--dsn", bare.DSN, "--table-prefix", "wpi_"}, &out, &errb, func(string) string { return "" })
	if strings.Contains(out.String(), "ON `wpi_latepoint_") || !strings.Contains(out.String(), "skipped: table wpi_latepoint_customers does not exist") {
		t.Fatalf("LatePoint absent:\n%s", out.String())
	}
}

func countIndexes(t *testing.T, db *sql.DB, like string) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME LIKE ?", like).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// explain returns the key and Extra of table's row in EXPLAIN query.
func explain(t *testing.T, db *sql.DB, query, table string) (key, extra string) {
	t.Helper()
	rows, err := db.Query("EXPLAIN " + query)
	if err != nil {
		t.Fatalf("EXPLAIN %s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := map[string]string{}
		for i, c := range cols {
			row[c] = vals[i].String
		}
		if row["table"] == table || row["table"] == "c" {
			return row["key"], row["Extra"]
		}
	}
	t.Fatalf("EXPLAIN %s: no row for %s", query, table)
	return "", ""
}
