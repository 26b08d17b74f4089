package main

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/wpsidecar/wpsidecar/latepoint"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// faultRig is the whole sidecar (every namespace, newApp's handler) over a seeded database reached through
// wptest.FaultProxy, so that a test can cut one database connection in the middle of a request (CutOn).
type faultRig struct {
	tdb    *wptest.DB
	proxy  *wptest.FaultProxy
	app    *app
	h      http.Handler
	lpKey  string // a LatePoint API key with every customers permission
	wpAuth string // Basic header of the demo admin's application password
}

func newFaultRig(t *testing.T) *faultRig {
	t.Helper()
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Seed: true})
	proxy, dsn := wptest.NewFaultProxy(t, tdb.DSN)
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = 2 * time.Second
	cfg.ReadTimeout = 5 * time.Second
	ctx := context.Background()
	db, err := wpcompat.OpenDB(ctx, cfg.FormatDSN(), wpcompat.DBOptions{MaxOpen: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	wpcfg, err := phpconfig.ParseConfigFile(filepath.Join(wptest.RepoRoot(), "testdata", "demo", "wp-config.php"),
		func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	tables, err := wpcompat.NewTables("wpt_")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	site := wpcompat.NewSite(db, db, tables, wpcfg, log)
	// As serve runs without a replica: a GET one's authentication query and first read share a round trip on a pool
	// of their own, through the same proxy.
	pipe, err := wpcompat.OpenDB(ctx, cfg.FormatDSN(), wpcompat.DBOptions{MaxOpen: 8, MultiStatements: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pipe.Close() })
	site.Pipeline = pipe
	if err := ensureOwnTables(ctx, db, "wpt_"); err != nil {
		t.Fatal(err)
	}
	_, key, err := latepoint.NewKeyStore(site).Create(ctx, latepoint.NewKey{Name: "faults", Environment: latepoint.EnvTest,
		Permissions:    []string{"customers:read", "customers:create", "customers:update", "customers:delete"},
		LimitPerMinute: 1000000, LimitPerHour: 1000000})
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(site, log)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.close(ctx)
	})
	return &faultRig{tdb: tdb, proxy: proxy, app: a, h: a.handler(), lpKey: key,
		wpAuth: "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:AdmN 1234 AbCd 5678 EfGh 9012"))}
}

func (f *faultRig) fluentCart(method, path, body string) *httptest.ResponseRecorder {
	return wptest.Do(f.h, method, "/wp-json/fluent-cart/v2"+path,
		map[string]string{"Content-Type": "application/json", "Authorization": f.wpAuth}, body)
}

func (f *faultRig) latePoint(method, path, body string) *httptest.ResponseRecorder {
	return wptest.Do(f.h, method, "/wp-json/latepoint-api/v1"+path,
		map[string]string{"Content-Type": "application/json", "X-API-Key": f.lpKey}, body)
}

// cutDuring arms the proxy, runs the request and checks the trap really fired during it.
func (f *faultRig) cutDuring(t *testing.T, after, pattern string, forward bool, req func() *httptest.ResponseRecorder) *httptest.ResponseRecorder {
	t.Helper()
	fired := f.proxy.CutOn(after, pattern, forward)
	rec := req()
	select {
	case <-fired:
	default:
		t.Fatalf("the request never sent %q: the cut did not happen (answer %d %s)", pattern, rec.Code, rec.Body.String())
	}
	return rec
}

// wantBody compares a whole response body.
func wantBody(t *testing.T, rec *httptest.ResponseRecorder, status int, body string) {
	t.Helper()
	if rec.Code != status || rec.Body.String() != body {
		t.Errorf("answer %d %s\nwant   %d %s", rec.Code, rec.Body.String(), status, body)
	}
}

// The fault answers (README "Faults", wpcompat/rest/faultanswer.go): a request whose database connection is cut before
// anything was committed answers 503 wpsidecar_db_unavailable (not carried out; retry), in WordPress's envelope —
// LatePoint's routes in theirs, 503 latepoint_not_available (spec latepoint-customers.md §6.3) —; a cut after COMMIT
// was sent answers 500 wpsidecar_outcome_unknown.
const (
	dbUnavailable    = `{"code":"wpsidecar_db_unavailable","message":"The database is unavailable; the request was not carried out. Try again later.","data":{"status":503}}`
	outcomeUnknown   = `{"code":"wpsidecar_outcome_unknown","message":"The change may or may not have been applied; read it back before retrying.","data":{"status":500}}`
	lpOutcomeUnknown = `{"status":"error","success":false,"code":"wpsidecar_outcome_unknown","message":"The change may or may not have been applied; read it back before retrying.","error":{"code":"wpsidecar_outcome_unknown","message":"The change may or may not have been applied; read it back before retrying.","details":{}},"data":{"status":500}}`
	lpUnavailable    = `{"status":"error","success":false,"code":"latepoint_not_available","message":"LatePoint is not available","error":{"code":"latepoint_not_available","message":"LatePoint is not available","details":{}},"data":{"status":503}}`
)

// A connection cut while a read is in flight: the route's error envelope, and the next request is served.
func TestDatabaseCutDuringRead(t *testing.T) {
	t.Parallel()
	f := newFaultRig(t)
	if rec := f.fluentCart("GET", "/customers", ""); rec.Code != 200 {
		t.Fatalf("before the cut: %d %s", rec.Code, rec.Body.String())
	}
	// The lists, then GET one, whose authentication query and customer read travel in one packet on the pipeline pool.
	for _, c := range []struct {
		name, match, want string
		get               func() *httptest.ResponseRecorder
	}{
		{"FluentCart list", "FROM `wpt_fct_customers`", dbUnavailable,
			func() *httptest.ResponseRecorder { return f.fluentCart("GET", "/customers", "") }},
		{"LatePoint list", "FROM `wpt_latepoint_customers`", lpUnavailable,
			func() *httptest.ResponseRecorder { return f.latePoint("GET", "/customers", "") }},
		{"FluentCart GET one", "FROM `wpt_fct_customers` c", dbUnavailable,
			func() *httptest.ResponseRecorder { return f.fluentCart("GET", "/customers/1", "") }},
		{"LatePoint GET one", "FROM `wpt_latepoint_customers` c LEFT JOIN", lpUnavailable,
			func() *httptest.ResponseRecorder { return f.latePoint("GET", "/customers/1", "") }},
	} {
		rec := f.cutDuring(t, "", c.match, false, c.get)
		wantBody(t, rec, 503, c.want)
		if c.name == "FluentCart list" && rec.Header().Get("Retry-After") == "" {
			t.Error("503 without Retry-After")
		}
		if rec := c.get(); rec.Code != 200 {
			t.Fatalf("%s after the cut: %d %s", c.name, rec.Code, rec.Body.String())
		}
	}
}

// A connection cut just after the server received a write (the INSERT of a create, inside its transaction, not
// yet committed): the envelope, no row, and the same create then succeeds once. The server's reply to the INSERT
// can win the race with the cut; the create then sends its COMMIT into the dead connection and cannot know what
// became of it, so 500 wpsidecar_outcome_unknown is the honest answer in that case (the COMMIT never reached the
// server: no row either way).
func TestDatabaseCutDuringWrite(t *testing.T) {
	t.Parallel()
	f := newFaultRig(t)
	body := `{"first_name":"Cut","last_name":"Write","email":"cut.write@example.com"}`
	rec := f.cutDuring(t, "", "`wpt_latepoint_customers` (first_name, last_name, email", true, func() *httptest.ResponseRecorder {
		return f.latePoint("POST", "/customers", body)
	})
	if rec.Code == 500 {
		wantBody(t, rec, 500, lpOutcomeUnknown)
	} else {
		wantBody(t, rec, 503, lpUnavailable)
	}
	if n := f.tdb.QueryString(t, "SELECT COUNT(*) FROM {prefix}latepoint_customers WHERE email = 'cut.write@example.com'"); n != "0" {
		t.Fatalf("%s rows after the cut write, want 0", n)
	}
	if rec := f.latePoint("POST", "/customers", body); rec.Code != 201 {
		t.Fatalf("after the cut: %d %s", rec.Code, rec.Body.String())
	}
	if n := f.tdb.QueryString(t, "SELECT COUNT(*) FROM {prefix}latepoint_customers WHERE email = 'cut.write@example.com'"); n != "1" {
		t.Fatalf("%s rows, want 1", n)
	}
}

// fcUserRows counts the rows a FluentCart create with a new WordPress user writes, in its three tables, in one
// statement (one consistent read): a COMMIT delivered just before the cut may land while the counts are read, and
// separate statements could then see half of it.
func fcUserRows(t *testing.T, f *faultRig, email string) [3]string {
	t.Helper()
	row := f.tdb.QueryString(t, "SELECT CONCAT_WS('|', "+
		"(SELECT COUNT(*) FROM {prefix}fct_customers WHERE email = ?), "+
		"(SELECT COUNT(*) FROM {prefix}users WHERE user_email = ?), "+
		"(SELECT COUNT(*) FROM {prefix}usermeta m JOIN {prefix}users u ON u.ID = m.user_id WHERE u.user_email = ?))", email, email, email)
	parts := strings.Split(row, "|")
	if len(parts) != 3 {
		t.Fatalf("row counts %q", row)
	}
	return [3]string{parts[0], parts[1], parts[2]}
}

// A connection cut inside an open multi-table transaction — FluentCart's create with a new WordPress user has
// written the customer and the user and is adding the user's meta — leaves no row in any of the tables, and the
// same create then succeeds with all of them.
func TestDatabaseCutInOpenTransaction(t *testing.T) {
	t.Parallel()
	f := newFaultRig(t)
	const email = "cut.tx@example.com"
	body := `{"full_name":"Cut Transaction","email":"` + email + `","wp_user":"yes"}`
	rec := f.cutDuring(t, "INSERT INTO `wpt_users`", "INSERT INTO `wpt_usermeta`", true, func() *httptest.ResponseRecorder {
		return f.fluentCart("POST", "/customers", body)
	})
	wantBody(t, rec, 503, dbUnavailable)
	if got := fcUserRows(t, f, email); got != [3]string{"0", "0", "0"} {
		t.Fatalf("rows after the cut (customers, users, usermeta) = %v, want none", got)
	}
	if rec := f.fluentCart("POST", "/customers", body); rec.Code != 200 {
		t.Fatalf("after the cut: %d %s", rec.Code, rec.Body.String())
	}
	if got := fcUserRows(t, f, email); got[0] != "1" || got[1] != "1" || got[2] == "0" {
		t.Fatalf("rows after the retry (customers, users, usermeta) = %v", got)
	}
}

// A connection cut as COMMIT goes out (held back from the server, or delivered to it): whether it committed is
// unknown to the sidecar, which says so (500 wpsidecar_outcome_unknown); the rows are all there or none.
func TestDatabaseCutDuringCommit(t *testing.T) {
	t.Parallel()
	f := newFaultRig(t)
	for _, forward := range []bool{false, true} {
		email := "cut.commit.held@example.com"
		if forward {
			email = "cut.commit.sent@example.com"
		}
		body := `{"full_name":"Cut Commit","email":"` + email + `","wp_user":"yes"}`
		rec := f.cutDuring(t, "INSERT INTO `wpt_usermeta`", "COMMIT", forward, func() *httptest.ResponseRecorder {
			return f.fluentCart("POST", "/customers", body)
		})
		wantBody(t, rec, 500, outcomeUnknown)
		got := fcUserRows(t, f, email)
		all := got[0] == "1" && got[1] == "1" && got[2] != "0"
		none := got == [3]string{"0", "0", "0"}
		if !all && !none || !forward && !none {
			t.Errorf("COMMIT forwarded=%v: rows (customers, users, usermeta) = %v, want all or none", forward, got)
		}
		t.Logf("COMMIT forwarded=%v: rows %v", forward, got)
		if rec := f.fluentCart("GET", "/customers", ""); rec.Code != 200 {
			t.Fatalf("after the cut: %d %s", rec.Code, rec.Body.String())
		}
	}
}

// Over-limit bodies on every namespace: 413 rest_request_too_large in WordPress's envelope, read no further than
// the limit (nothing at all when Content-Length already says too much), before authentication or any write.
func TestBodyLimitOnEveryNamespace(t *testing.T) {
	t.Parallel()
	f := newFaultRig(t)
	const limit = 4096
	f.app.rest.MaxBodyBytes = limit
	before := tableChecksums(t, f.tdb)
	// WordPress's WP_Error envelope, except on wpsidecar/v1, whose README puts WordPress's own errors on its routes
	// into the unified envelope.
	const wpEnvelope = `{"code":"rest_request_too_large","message":"The request body is too large.","data":{"status":413}}`
	routes := []struct{ method, path, want string }{
		{"POST", "/wp-json/wp/v2/users/me", wpEnvelope},
		{"POST", "/wp-json/jwt-auth/v1/token", wpEnvelope},
		{"POST", "/wp-json/fluent-cart/v2/customers", wpEnvelope},
		{"POST", "/?rest_route=/fluent-cart/v2/customers", wpEnvelope},
		{"POST", "/wp-json/latepoint-api/v1/customers", wpEnvelope},
		{"PUT", "/wp-json/wpsidecar/v1/customers/0123456789abcdef0123456789abcdef",
			`{"status":"error","message":"The request body is too large.","code":"rest_request_too_large","details":{},"errors":[]}`},
	}
	for _, rt := range routes {
		for _, declared := range []bool{true, false} {
			body := &countingReader{left: 4 * limit}
			req := httptest.NewRequest(rt.method, rt.path, body)
			req.ContentLength = -1 // chunked: the size is found by reading
			if declared {
				req.ContentLength = 4 * limit
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", f.wpAuth)
			req.Header.Set("X-API-Key", f.lpKey)
			rec := httptest.NewRecorder()
			f.h.ServeHTTP(rec, req)
			if rec.Code != 413 || rec.Body.String() != rt.want {
				t.Errorf("%s %s (Content-Length declared: %v): %d %s", rt.method, rt.path, declared, rec.Code, rec.Body.String())
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s %s: Content-Type %q", rt.method, rt.path, ct)
			}
			maxRead := int64(limit + 1) // one byte past the limit tells "too large" from "exactly the limit"
			if declared {
				maxRead = 0
			}
			if body.read > maxRead {
				t.Errorf("%s %s (declared %v): read %d bytes of the body, want at most %d", rt.method, rt.path, declared, body.read, maxRead)
			}
		}
	}
	if after := tableChecksums(t, f.tdb); after != before {
		t.Errorf("over-limit requests changed the database:\nbefore %s\nafter  %s", before, after)
	}
	// A body of exactly the limit is read and handled (authenticated, so the application password's last use is recorded: after the checksum).
	rec := f.fluentCart("POST", "/customers", `{"full_name":"x","pad":"`+strings.Repeat("a", limit-len(`{"full_name":"x","pad":""}`))+`"}`)
	if rec.Code == 413 {
		t.Errorf("a body of exactly the limit: %d %s", rec.Code, rec.Body.String())
	}
}

// countingReader is an endless-looking JSON-ish body that counts what the server reads of it.
type countingReader struct {
	left, read int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > c.left {
		n = c.left
	}
	for i := range p[:n] {
		p[i] = 'a'
	}
	c.left -= n
	c.read += n
	return int(n), nil
}

// tableChecksums is CHECKSUM TABLE of every table of the test database, in one string.
func tableChecksums(t *testing.T, tdb *wptest.DB) string {
	t.Helper()
	rows, err := tdb.DB.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, "`"+n+"`")
	}
	rows.Close()
	var b strings.Builder
	crows, err := tdb.DB.Query("CHECKSUM TABLE " + strings.Join(names, ", "))
	if err != nil {
		t.Fatal(err)
	}
	defer crows.Close()
	for crows.Next() {
		var name string
		var sum *int64
		if err := crows.Scan(&name, &sum); err != nil {
			t.Fatal(err)
		}
		if sum != nil {
			b.WriteString(name[strings.LastIndex(name, ".")+1:] + "=" + strconv.FormatInt(*sum, 10) + " ")
		}
	}
	return b.String()
}
