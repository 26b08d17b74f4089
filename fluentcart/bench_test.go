package fluentcart_test

// Benchmarks through the full router (routing, permission, handler, JSON) and the query-count guarantee of the
// list page. Queries are counted on a one-connection pool with MySQL's Questions status counter.

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"testing"

	"github.com/wpsidecar/wpsidecar/fluentcart"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// fixedUser authenticates every request as the demo administrator without touching the database, so the
// counts below are the FluentCart routes' own.
type fixedUser struct{ u *wpcompat.User }

func (f fixedUser) Authenticate(r *rest.Request) error {
	r.User = f.u
	return nil
}

type countingSite struct {
	rt   *rest.Router
	conn *sql.DB // the one connection the site uses
}

func newCountingSite(tb testing.TB) *countingSite {
	tb.Helper()
	r := shared(tb)
	db, err := wpcompat.OpenDB(context.Background(), r.db.DSN, wpcompat.DBOptions{MaxOpen: 1, MaxIdle: 1})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	tables, _ := wpcompat.NewTables(prefix)
	site := wpcompat.NewSite(db, db, tables, r.cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	// Production option caching (NewSite's 2 s TTL): the counts are the routes' own table queries.
	admin, err := r.site.GetUserBy(context.Background(), wpcompat.UserByLogin, "admin")
	if err != nil || admin == nil {
		tb.Fatalf("admin: %v", err)
	}
	rt := rest.NewRouter(site, fixedUser{admin})
	fluentcart.Register(rt, site, fluentcart.Options{})
	return &countingSite{rt: rt, conn: db}
}

func (c *countingSite) questions(tb testing.TB) int64 {
	var name string
	var n int64
	if err := c.conn.QueryRow("SHOW SESSION STATUS LIKE 'Questions'").Scan(&name, &n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// queries runs one request and returns its status and the number of statements it sent.
func (c *countingSite) queries(tb testing.TB, url string) (int, int64) {
	before := c.questions(tb)
	rec := wptest.Do(c.rt, "GET", url, nil, "")
	after := c.questions(tb)
	return rec.Code, after - before - 1 // the second SHOW STATUS counts itself
}

// A list page costs the same number of queries whether it shows 1 or 50 customers with their labels and
// addresses: one COUNT, one page SELECT, one query per eager relation, one for the linked users' photos,
// plus the option reads of the computed fields.
func TestListQueryCountConstant(t *testing.T) {
	c := newCountingSite(t)
	// Ascending ids so both pages hold a customer linked to a WordPress user (photo and wpUser queries run).
	const with = "&sort_type=asc&with[]=labels&with[]=billing_address&with[]=shipping_address&with[]=wpUser"
	c.queries(t, "/wp-json/fluent-cart/v2/customers?per_page=2"+with) // warm the option cache
	_, small := c.queries(t, "/wp-json/fluent-cart/v2/customers?per_page=2"+with)
	code, large := c.queries(t, "/wp-json/fluent-cart/v2/customers?per_page=50"+with)
	if code != 200 || small != large {
		t.Fatalf("per_page=2: %d queries, per_page=50: %d queries (status %d)", small, large, code)
	}
	// count + page + 4 relations + photo metas
	if large != 7 {
		t.Fatalf("list page with 4 relations took %d queries, want 7", large)
	}
}

func BenchmarkGetCustomer(b *testing.B) {
	c := newCountingSite(b)
	const url = "/wp-json/fluent-cart/v2/customers/30?with[]=shipping_address&with[]=billing_address&with[]=labels"
	if code, _ := c.queries(b, url); code != 200 {
		b.Fatalf("status %d", code)
	}
	_, q := c.queries(b, url)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := wptest.Do(c.rt, "GET", url, nil, "")
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
	b.ReportMetric(float64(q), "queries/op")
}

func BenchmarkListCustomers(b *testing.B) {
	c := newCountingSite(b)
	const url = "/wp-json/fluent-cart/v2/customers?per_page=20&with[]=labels&with[]=billing_address"
	if code, _ := c.queries(b, url); code != 200 {
		b.Fatalf("status %d", code)
	}
	_, q := c.queries(b, url)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := wptest.Do(c.rt, "GET", url, nil, "")
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
	b.ReportMetric(float64(q), "queries/op")
}

// GET one customer without `with` (what the admin screen asks for): the customer and its labels come in one
// statement — two per request with the authentication query.
func TestGetCustomerOneStatement(t *testing.T) {
	c := newCountingSite(t)
	for _, id := range []string{"1", "30", "4"} { // 4: a linked user with a photo meta (read in the same statement)
		url := "/wp-json/fluent-cart/v2/customers/" + id
		c.queries(t, url) // warm the option cache
		if code, n := c.queries(t, url); code != 200 || n != 1 {
			t.Fatalf("GET %s: status %d, %d statements (want 200, 1)", url, code, n)
		}
	}
}

// BenchmarkGetCustomerAdminScreen is the admin screen's request (no `with`): the route the load benchmark and the
// PHP comparison measure.
func BenchmarkGetCustomerAdminScreen(b *testing.B) {
	c := newCountingSite(b)
	url := "/wp-json/fluent-cart/v2/customers/1"
	if code, _ := c.queries(b, url); code != 200 {
		b.Fatalf("status %d", code)
	}
	b.ReportAllocs()
	for b.Loop() {
		if rec := wptest.Do(c.rt, "GET", url, nil, ""); rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
