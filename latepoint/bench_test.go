package latepoint

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// countingConnector counts database round trips (queries, execs, begin, commit, rollback) on every connection.
type countingConnector struct {
	driver.Connector
	n *atomic.Int64
}

func (c *countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: conn, n: c.n}, nil
}

type countingConn struct {
	driver.Conn
	n *atomic.Int64
}

func (c *countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c.n.Add(1)
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c *countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	c.n.Add(1)
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (c *countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	c.n.Add(1)
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.n.Add(1)
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &countingTx{Tx: tx, n: c.n}, nil
}

func (c *countingConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }
func (c *countingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}
func (c *countingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }
func (c *countingConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

type countingTx struct {
	driver.Tx
	n *atomic.Int64
}

func (t *countingTx) Commit() error   { t.n.Add(1); return t.Tx.Commit() }
func (t *countingTx) Rollback() error { t.n.Add(1); return t.Tx.Rollback() }

// perfSite is the test database behind a counting connection pool, with the option cache on (as in production).
type perfSite struct {
	db      *wptest.DB
	site    *wpcompat.Site
	rt      *rest.Router
	queries *atomic.Int64
	key     string
	bigID   int64 // customer with 500 bookings
	smallID int64 // customer with 2 bookings
}

func newPerfSite(tb testing.TB) *perfSite {
	tb.Helper()
	db := wptest.NewDB(tb, wptest.Options{Prefix: "wpt_", Seed: true})
	cfg, err := mysql.ParseDSN(db.DSN)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.InterpolateParams = true // as wpcompat.OpenDB: one round trip per query
	var mode string
	if err := db.DB.QueryRow("SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
		tb.Fatal(err)
	}
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["sql_mode"] = "'" + mode + "'"
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	p := &perfSite{db: db, queries: &atomic.Int64{}}
	sqlDB := sql.OpenDB(&countingConnector{Connector: conn, n: p.queries})
	sqlDB.SetMaxOpenConns(32)
	sqlDB.SetMaxIdleConns(32)
	tb.Cleanup(func() { sqlDB.Close() })
	p.site = wpcompat.NewSite(sqlDB, sqlDB, db.Site.Tables, nil, nil)
	p.site.Now = func() time.Time { return fixedNow }
	p.site.OptionTTL = time.Hour
	p.rt = rest.NewRouter(p.site, authn.NewAuthenticator(p.site, authn.AuthOptions{APIKeyNamespaces: []string{Namespace}}))
	api := Register(p.rt, p.site, Options{DisableAuditLog: true})
	tb.Cleanup(func() { _ = api.Close(context.Background()) })
	_, p.key, err = NewKeyStore(p.site).Create(context.Background(), NewKey{Name: "bench", Environment: EnvLive,
		Permissions: []string{"customers:read", "customers:create"}, LimitPerMinute: 1 << 30, LimitPerHour: 1 << 30})
	if err != nil {
		tb.Fatal(err)
	}
	p.bigID = p.customerWithBookings(tb, "big.booker@example.com", 500)
	p.smallID = p.customerWithBookings(tb, "small.booker@example.com", 2)
	return p
}

// customerWithBookings inserts a customer with n bookings spread over services, agents, locations and statuses,
// each with its order, order item and a captured transaction.
func (p *perfSite) customerWithBookings(tb testing.TB, email string, n int) int64 {
	tb.Helper()
	res := p.db.Exec(tb, "INSERT INTO {prefix}latepoint_customers (first_name, last_name, email, status, is_guest, created_at, updated_at) VALUES ('Bench', 'Booker', ?, 'active', 0, '2024-01-01 09:00:00', '2024-01-01 09:00:00')", email)
	id, _ := res.LastInsertId()
	base := int64(100000) * id
	p.db.Exec(tb, `INSERT INTO {prefix}latepoint_orders (id, subtotal, total, status, fulfillment_status, payment_status, customer_id, created_at, updated_at)
		WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
		SELECT ? + i, 45, 45, 'open', 'fulfilled', 'fully_paid', ?, '2024-01-01 09:00:00', '2024-01-01 09:00:00' FROM s`, n, base, id)
	p.db.Exec(tb, `INSERT INTO {prefix}latepoint_order_items (id, order_id, variant, item_data, subtotal, total, created_at, updated_at)
		WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
		SELECT ? + i, ? + i, 'booking', '{}', 45, 45, '2024-01-01 09:00:00', '2024-01-01 09:00:00' FROM s`, n, base, base)
	p.db.Exec(tb, `INSERT INTO {prefix}latepoint_transactions (order_id, customer_id, processor, payment_method, payment_portion, kind, status, amount, created_at, updated_at)
		WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
		SELECT ? + i, ?, 'stripe', 'card', 'full', 'capture', 'succeeded', 45, '2024-01-01 09:00:00', '2024-01-01 09:00:00' FROM s`, n, base, id)
	p.db.Exec(tb, `INSERT INTO {prefix}latepoint_bookings (booking_code, start_date, end_date, start_time, end_time, start_datetime_utc, end_datetime_utc,
		buffer_before, buffer_after, duration, status, customer_id, service_id, agent_id, location_id, order_item_id, total_attendees, created_at, updated_at)
		WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
		SELECT CONCAT('B', i), DATE_ADD('2025-01-01', INTERVAL i * 3 DAY), DATE_ADD('2025-01-01', INTERVAL i * 3 DAY), 600, 645, NULL, NULL, 0, 0, 45,
		ELT(1 + i % 5, 'approved', 'completed', 'cancelled', 'no_show', 'pending'), ?, 1 + i % 3, 1 + i % 3, 1 + i % 2, ? + i, 1,
		'2024-01-01 09:00:00', '2024-01-01 09:00:00' FROM s`, n, id, base)
	return id
}

func (p *perfSite) get(tb testing.TB, url string) {
	rec := wptest.Do(p.rt, "GET", url, map[string]string{"X-API-Key": p.key}, "")
	if rec.Code != 200 {
		tb.Fatalf("%s: %d %s", url, rec.Code, rec.Body.String())
	}
}

// queriesFor is the number of database round trips of one request (warm: options and leases already cached): the
// fewest of five tries, since the package's background work (lease give-back, index catch-up) can add a query to
// a window on a busy machine but never removes one.
func (p *perfSite) queriesFor(tb testing.TB, url string) int64 {
	p.get(tb, url)
	var fewest int64 = -1
	for range 5 {
		before := p.queries.Load()
		p.get(tb, url)
		if n := p.queries.Load() - before; fewest < 0 || n < fewest {
			fewest = n
		}
	}
	return fewest
}

// The number of queries of GET with stats and bookings does not depend on how many bookings a customer has, and a
// list page with stats costs the same whatever its size.
func TestQueriesPerRequestConstant(t *testing.T) {
	t.Parallel()
	p := newPerfSite(t)
	inc := "?include=stats,bookings,upcoming_bookings,past_bookings,custom_fields,avatar&bookings_limit=100"
	small := p.queriesFor(t, apiBase+"/customers/"+strconv.FormatInt(p.smallID, 10)+inc)
	big := p.queriesFor(t, apiBase+"/customers/"+strconv.FormatInt(p.bigID, 10)+inc)
	if small != big {
		t.Errorf("GET with includes: %d queries for 2 bookings, %d for 500", small, big)
	}
	// Avatar lookups run only when some customer on the page has an image or a linked user: at most 2 more; the transaction index catch-up is 1.
	page5 := p.queriesFor(t, apiBase+"/customers?per_page=5&include=stats,bookings,custom_fields,avatar")
	page100 := p.queriesFor(t, apiBase+"/customers?per_page=100&include=stats,bookings,custom_fields,avatar")
	if page5 > 11 || page100 > 11 {
		t.Errorf("list with includes: %d queries for 5 customers, %d for 100; want at most 11", page5, page100)
	}
	if big > 13 {
		t.Errorf("GET with every include: %d queries, want at most 13", big)
	}
	// GET one without includes: the API key, then the customer with its meta in one query.
	if one := p.queriesFor(t, apiBase+"/customers/"+strconv.FormatInt(p.smallID, 10)); one > 2 {
		t.Errorf("GET one customer: %d queries, want at most 2 (key, customer with meta)", one)
	}
	t.Logf("queries/request: get+all includes %d, list+all includes %d, get stats+bookings %d, list stats %d", big, page100,
		p.queriesFor(t, apiBase+"/customers/"+strconv.FormatInt(p.bigID, 10)+"?include=stats,bookings"),
		p.queriesFor(t, apiBase+"/customers?include=stats"))
}

func benchGET(b *testing.B, url string) {
	p := newPerfSite(b)
	url = fmt.Sprintf(url, p.bigID)
	p.get(b, url)
	b.ReportAllocs()
	before := p.queries.Load()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p.get(b, url)
	}
	b.StopTimer()
	b.ReportMetric(float64(p.queries.Load()-before)/float64(b.N), "queries/op")
}

// GET one customer with 500 bookings, include=stats,bookings (default bookings_limit 10).
func BenchmarkGetCustomerStatsBookings500(b *testing.B) {
	benchGET(b, apiBase+"/customers/%d?include=stats,bookings")
}

// The same with bookings_limit=100 and every include.
func BenchmarkGetCustomerAllIncludes500(b *testing.B) {
	benchGET(b, apiBase+"/customers/%d?include=stats,bookings,upcoming_bookings,past_bookings,custom_fields,notes,avatar&bookings_limit=100")
}

// A list page of 20 with stats.
func BenchmarkListCustomersStats(b *testing.B) {
	benchGET(b, apiBase+"/customers?per_page=20&include=stats&x=%d")
}

// POST /customers with a new e-mail each time (per-e-mail lock, duplicate check, insert, meta, read-back).
func BenchmarkCreateCustomer(b *testing.B) {
	p := newPerfSite(b)
	h := map[string]string{"X-API-Key": p.key, "Content-Type": "application/json"}
	b.ReportAllocs()
	before := p.queries.Load()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := wptest.Do(p.rt, "POST", apiBase+"/customers", h, fmt.Sprintf(`{"first_name":"Bench","last_name":"Create","email":"bench.%d@example.com","phone":"+1 555 010 %04d","country":"US","custom_fields":{"cf_R3f3rr4L":"Google"}}`, i, i%10000))
		if rec.Code != 201 {
			b.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(p.queries.Load()-before)/float64(b.N), "queries/op")
}
