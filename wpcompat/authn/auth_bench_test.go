package authn_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// countingDB opens dsn through a driver wrapper that counts client/server round trips: every statement prepare,
// every execution, every direct query, BEGIN and COMMIT/ROLLBACK.
func countingDB(tb testing.TB, dsn string) (*sql.DB, *atomic.Int64) {
	tb.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.InterpolateParams = true // as wpcompat.OpenDB configures it: one round trip per query
	inner, err := mysql.NewConnector(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	n := &atomic.Int64{}
	db := sql.OpenDB(countConnector{inner, n})
	tb.Cleanup(func() { db.Close() })
	return db, n
}

type countConnector struct {
	inner driver.Connector
	n     *atomic.Int64
}

func (c countConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &countConn{Conn: conn, n: c.n}, nil
}

func (c countConnector) Driver() driver.Driver { return c.inner.Driver() }

type countConn struct {
	driver.Conn
	n *atomic.Int64
}

func (c *countConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	c.n.Add(1)
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return &countStmt{Stmt: st, n: c.n}, nil
}

func (c *countConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	r, err := c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
	if !errors.Is(err, driver.ErrSkip) {
		c.n.Add(1)
	}
	return r, err
}

func (c *countConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	r, err := c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
	if !errors.Is(err, driver.ErrSkip) {
		c.n.Add(1)
	}
	return r, err
}

func (c *countConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.n.Add(1)
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return countTx{tx, c.n}, nil
}

func (c *countConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *countConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *countConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type countTx struct {
	driver.Tx
	n *atomic.Int64
}

func (t countTx) Commit() error   { t.n.Add(1); return t.Tx.Commit() }
func (t countTx) Rollback() error { t.n.Add(1); return t.Tx.Rollback() }

type countStmt struct {
	driver.Stmt
	n *atomic.Int64
}

func (s *countStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.n.Add(1)
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (s *countStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.n.Add(1)
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *countStmt) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := s.Stmt.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// BenchmarkAppPasswordAuth measures Auth.Authenticate for a Basic Application Password request on the Appendix A
// site with production option caching (2 s). warm: the verdict is cached (keyed by the stored hash); cold: every
// request verifies the hash. generic: a 6.8+ $generic$ (BLAKE2b) item; phpass: a legacy <= 6.7 $P$ item.
// roundtrips/op counts client/server round trips (prepares, executions, queries, BEGIN/COMMIT).
func BenchmarkAppPasswordAuth(b *testing.B) {
	for _, bc := range []struct {
		name, user, pass string
		ttl              time.Duration
	}{
		{"warm/generic", "admin", vecAPPlain, 0},
		{"cold/generic", "admin", vecAPPlain, -1},
		{"warm/phpass", "legacy", vecAPPlain, 0},
		{"cold/phpass", "legacy", vecAPPlain, -1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := newAuthSite(b, authSiteOptions{})
			db, trips := countingDB(b, s.db.DSN)
			site := wpcompat.NewSite(db, db, s.site.Tables, s.site.Config, slog.New(slog.NewTextHandler(io.Discard, nil)))
			auth := authn.NewAuthenticator(site, authn.AuthOptions{VerdictTTL: bc.ttl, SkipUsageRecording: true})
			hdr := basic(bc.user, bc.pass)
			run := func() {
				req := httptest.NewRequest(http.MethodGet, meURL, nil)
				req.Header.Set("Authorization", hdr)
				r := &rest.Request{HTTP: req, Site: site, Method: "GET", Path: "/wp/v2/users/me",
					ExtraHeader: http.Header{}, Values: map[string]any{}}
				if err := auth.Authenticate(r); err != nil || r.User == nil {
					b.Fatalf("not authenticated: %v", err)
				}
			}
			run() // fills the option cache, the roles memo, prepared statements and (warm) the verdict cache
			trips.Store(0)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				run()
			}
			b.StopTimer()
			b.ReportMetric(float64(trips.Load())/float64(b.N), "roundtrips/op")
		})
	}
}

// BenchmarkDBRoundTrip is the floor under BenchmarkAppPasswordAuth: one prepared primary-key lookup on the same
// server, i.e. what a single round trip costs here.
func BenchmarkDBRoundTrip(b *testing.B) {
	s := newAuthSite(b, authSiteOptions{})
	db, trips := countingDB(b, s.db.DSN)
	stmt, err := db.Prepare("SELECT user_login FROM " + s.db.Table("users") + " WHERE ID = ?")
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	var login string
	_ = stmt.QueryRow(1).Scan(&login)
	trips.Store(0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := stmt.QueryRow(1).Scan(&login); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(trips.Load())/float64(b.N), "roundtrips/op")
}

// GET /wp/v2/users/me with an Application Password costs one round trip in steady state: the route declares the
// usermeta it renders (Handler.UserMeta) and the authentication query loads them with the user and its
// credentials. The answer is the same as when the meta is read separately (editor1 has first/last name).
func TestUsersMeOneRoundTrip(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{auth: authn.AuthOptions{SkipUsageRecording: true}})
	db, trips := countingDB(t, s.db.DSN)
	site := wpcompat.NewSite(db, db, s.site.Tables, s.site.Config, slog.New(slog.NewTextHandler(io.Discard, nil)))
	site.Now = s.site.Now
	auth := authn.NewAuthenticator(site, authn.AuthOptions{SkipUsageRecording: true})
	rt := rest.NewRouter(site, auth)
	authn.RegisterCore(rt, site)
	get := func(h http.Handler) (int, string) {
		req := httptest.NewRequest(http.MethodGet, meURL+"?context=edit", nil)
		req.Header.Set("Authorization", basic("editor1", vecAP2Plain))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code, w.Body.String()
	}
	get(rt) // option cache, roles memo, verdict cache
	trips.Store(0)
	code, body := get(rt)
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	if n := trips.Load(); n != 1 {
		t.Fatalf("users/me took %d round trips, want 1", n)
	}
	// The reference: the same site's router with the usual per-request option reads (TTL 0).
	if code2, want := get(s.rt); code2 != code || want != body {
		t.Fatalf("answers differ:\n%s\n%s", body, want)
	}
	if !strings.Contains(body, `"first_name":"Elena"`) {
		t.Fatalf("meta not rendered: %s", body)
	}
}
