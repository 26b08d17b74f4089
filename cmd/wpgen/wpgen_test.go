package main

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

func testConfig(t *testing.T, prefix string, customers int) config {
	t.Helper()
	tables, err := wpcompat.NewTables(prefix)
	if err != nil {
		t.Fatal(err)
	}
	return config{Customers: customers, Seed: 7, Tables: tables, Now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
		Batch: 97, Chunk: 400, Plugins: map[string]bool{"fluentcart": true, "latepoint": true}}
}

// generate fills a fresh seeded database and returns it with a connection opened the way main opens it.
func generate(t *testing.T, cfg config) (*wptest.DB, *sql.DB, *summary) {
	t.Helper()
	d := wptest.NewDB(t, wptest.Options{Prefix: cfg.Tables.Prefix, Seed: true})
	db, err := openDB(d.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sum, err := run(context.Background(), db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return d, db, sum
}

func count(t *testing.T, d *wptest.DB, q string) string {
	t.Helper()
	return d.QueryString(t, q)
}

func TestGenerateConsistentRows(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, "wpg_", 1500)
	d, db, sum := generate(t, cfg)
	tn := func(base string) string { return cfg.Tables.Name(base) }

	// Every table touched carries the prefix, and the customer counts are exact (50 demo rows + generated).
	if got := count(t, d, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'wpg\\_%'"); got != "0" {
		t.Fatalf("%s tables without the prefix", got)
	}
	for _, base := range []string{"fct_customers", "latepoint_customers"} {
		if got := count(t, d, "SELECT COUNT(*) FROM "+tn(base)); got != "1550" {
			t.Errorf("%s: %s rows, want 1550", base, got)
		}
		if sum.get(base) != 1500 {
			t.Errorf("summary %s = %d", base, sum.get(base))
		}
	}
	// Proportions: ~1.5 addresses per FluentCart customer, ~3 bookings per LatePoint customer.
	ratio := func(q string, lo, hi float64) {
		t.Helper()
		var r float64
		if err := db.QueryRow(q).Scan(&r); err != nil {
			t.Fatal(err)
		}
		if r < lo || r > hi {
			t.Errorf("%s = %.2f, want %.1f..%.1f", q, r, lo, hi)
		}
	}
	ratio("SELECT COUNT(*) / 1500 FROM "+tn("fct_customer_addresses")+" WHERE customer_id > 50", 1.3, 1.7)
	ratio("SELECT COUNT(*) / 1500 FROM "+tn("fct_orders")+" WHERE customer_id > 50", 0.4, 0.7)
	ratio("SELECT COUNT(*) / 1500 FROM "+tn("latepoint_bookings")+" WHERE customer_id > 50", 2.7, 3.4)

	// FluentCart stats follow Customer::recountStat over the generated orders.
	q := `SELECT COUNT(*) FROM ` + tn("fct_customers") + ` c LEFT JOIN (SELECT customer_id, COUNT(*) cnt,
		SUM(GREATEST(total_paid - total_refund, 0)) ltv, MIN(created_at) f, MAX(created_at) l FROM ` + tn("fct_orders") + `
		WHERE payment_status IN ('paid', 'partially_refunded', 'partially_paid') GROUP BY customer_id) x ON x.customer_id = c.id
		WHERE c.id > 50 AND NOT (c.purchase_count <=> COALESCE(x.cnt, 0) AND c.ltv <=> COALESCE(x.ltv, 0)
		AND c.first_purchase_date <=> x.f AND c.last_purchase_date <=> x.l)`
	if got := count(t, d, q); got != "0" {
		t.Errorf("%s FluentCart customers with stats that do not match their orders", got)
	}
	if got := count(t, d, "SELECT COUNT(*) FROM "+tn("fct_customers")+" WHERE id > 50 AND uuid NOT REGEXP '^[0-9a-f]{32}$'"); got != "0" {
		t.Errorf("%s customer uuids are not 32 lower-case hex", got)
	}
	if got := count(t, d, "SELECT COUNT(*) FROM "+tn("fct_label_relationships")+" WHERE labelable_id > 50 AND labelable_type <> 'FluentCart\\\\App\\\\Models\\\\Customer'"); got != "0" {
		t.Errorf("%s label relationships with a wrong labelable_type", got)
	}

	// LatePoint: booking -> order item -> order of the same customer; the customer row predates its bookings.
	q = `SELECT COUNT(*) FROM ` + tn("latepoint_bookings") + ` b LEFT JOIN ` + tn("latepoint_order_items") + ` i ON i.id = b.order_item_id
		LEFT JOIN ` + tn("latepoint_orders") + ` o ON o.id = i.order_id WHERE b.customer_id > 50 AND (o.id IS NULL OR o.customer_id <> b.customer_id)`
	if got := count(t, d, q); got != "0" {
		t.Errorf("%s bookings without an order of their customer", got)
	}
	q = `SELECT COUNT(*) FROM ` + tn("latepoint_bookings") + ` b JOIN ` + tn("latepoint_customers") + ` c ON c.id = b.customer_id
		WHERE c.id > 50 AND b.created_at < c.created_at`
	if got := count(t, d, q); got != "0" {
		t.Errorf("%s bookings created before their customer", got)
	}
	// Fully paid orders are covered by succeeded captures.
	q = `SELECT COUNT(*) FROM ` + tn("latepoint_orders") + ` o LEFT JOIN (SELECT order_id, SUM(amount) s FROM ` + tn("latepoint_transactions") + `
		WHERE kind = 'capture' AND status = 'succeeded' GROUP BY order_id) t ON t.order_id = o.id
		WHERE o.customer_id > 50 AND o.payment_status = 'fully_paid' AND NOT (t.s <=> o.total)`
	if got := count(t, d, q); got != "0" {
		t.Errorf("%s fully_paid orders whose captures differ from the total", got)
	}
	// Every status shows up, in the past and the future where it makes sense.
	for _, st := range []string{"approved", "pending", "cancelled", "no_show", "completed", "payment_pending"} {
		if got := count(t, d, "SELECT COUNT(*) FROM "+tn("latepoint_bookings")+" WHERE customer_id > 50 AND status = '"+st+"'"); got == "0" {
			t.Errorf("no generated booking with status %s", st)
		}
	}

	// Local columns and UTC columns describe the same instant in the site's time zone (America/New_York).
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("SELECT start_date, start_time, end_date, end_time, start_datetime_utc, end_datetime_utc FROM " +
		tn("latepoint_bookings") + " WHERE customer_id > 50")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var sd, ed, su, eu string
		var st, et int
		if err := rows.Scan(&sd, &st, &ed, &et, &su, &eu); err != nil {
			t.Fatal(err)
		}
		check := func(day string, minutes int, utc string) {
			d0, err := time.ParseInLocation("2006-01-02", day[:10], ny)
			if err != nil {
				t.Fatal(err)
			}
			local := time.Date(d0.Year(), d0.Month(), d0.Day(), minutes/60, minutes%60, 0, 0, ny)
			if minutes == 1440 {
				local = d0
			}
			if got := local.UTC().Format("2006-01-02 15:04:05"); got != utc[:19] {
				t.Fatalf("%s %d: UTC %s, stored %s", day, minutes, got, utc)
			}
		}
		check(sd, st, su)
		check(ed, et, eu)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 3000 {
		t.Fatalf("checked only %d bookings", n)
	}

	// A second run refuses without --force and adds rows with it.
	if _, err := run(context.Background(), db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil ||
		!strings.Contains(err.Error(), "--force") {
		t.Fatalf("second run without force: %v", err)
	}
	cfg.Force, cfg.Customers = true, 10
	if _, err := run(context.Background(), db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	if got := count(t, d, "SELECT COUNT(*) FROM "+tn("latepoint_customers")); got != "1560" {
		t.Errorf("after --force: %s LatePoint customers", got)
	}
}

// The same seed on the same starting database gives the same rows.
func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	digest := func() string {
		cfg := testConfig(t, "wpd_", 300)
		d, _, _ := generate(t, cfg)
		return d.QueryString(t, `SELECT CONCAT(
			(SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, email, uuid, ltv, status, created_at) ORDER BY id)) FROM `+cfg.Tables.Name("fct_customers")+`),
			(SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, booking_code, start_date, start_time, status, order_item_id) ORDER BY id)) FROM `+cfg.Tables.Name("latepoint_bookings")+`),
			(SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, token, amount, kind) ORDER BY id)) FROM `+cfg.Tables.Name("latepoint_transactions")+`))`)
	}
	if a, b := digest(), digest(); a != b {
		t.Fatalf("two runs with seed 7 differ: %s vs %s", a, b)
	}
}
