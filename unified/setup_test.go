package unified

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// testNow is the fixed clock of the scenarios (the demo seed's "now" is 2026-11-23).
var testNow = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)

// Known people of the demo seed (testdata/seed).
const (
	uuidSam   = "d7b497c495eb9dbc5ee4d5c8164eafda" // user 3 + fct_customers 2 + latepoint_customers 2 (linked by id)
	uuidJane  = "441c6ba6031f323debaf1d2a36cf91c2" // fct_customers 1 + latepoint_customers 4 (by e-mail), no user
	uuidMaya  = "e2b83cc2091c020797b456c084f6cd6e" // user 5 + fct 3 + latepoint 3
	uuidEthan = "fb9b7db1173a9d6b4b97775f3c187845" // fct 21 + latepoint 27 (by e-mail)
)

// env is one test database with the API registered and one partner client.
type env struct {
	db       *wptest.DB
	rt       *wpcompat.Router
	opts     Options
	keyFile  string
	clientID string
	secret   string
	uuids    atomic.Int64
	ts       atomic.Int64 // last timestamp used, so that identical requests get distinct signatures
}

type envOption func(*Options)

func newEnv(t *testing.T, mods ...envOption) *env {
	t.Helper()
	db := wptest.NewDB(t, wptest.Options{Seed: true})
	db.Site.Now = func() time.Time { return testNow }
	e := &env{db: db, keyFile: filepath.Join(t.TempDir(), "secrets.key")}
	e.opts = Options{
		SecretsKeyFile: e.keyFile,
		NewUUID:        func() string { return fmt.Sprintf("%032x", 0xa000+e.uuids.Add(1)) },
	}
	for _, m := range mods {
		m(&e.opts)
	}
	e.rt = db.Router()
	Register(e.rt, db.Site, e.opts)
	var err error
	e.clientID, e.secret, err = CreateClient(context.Background(), db.Site, e.keyFile, NewClient{Name: "Count test", RateLimit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	e.ts.Store(testNow.Unix() - 200)
	return e
}

// nextTS returns a fresh timestamp inside the window.
func (e *env) nextTS() int64 { return e.ts.Add(1) }

// signed sends a request signed with the test client (a fresh timestamp each time).
func (e *env) signed(method, target, body string) *httptest.ResponseRecorder {
	return e.signedAt(e.clientID, e.secret, method, target, body, e.nextTS())
}

func (e *env) signedAt(clientID, secret, method, target, body string, ts int64) *httptest.ResponseRecorder {
	h := SignedHeaders(clientID, secret, method, target, ts, []byte(body))
	if body != "" {
		h["Content-Type"] = "application/json"
	}
	return wptest.Do(e.rt, method, target, h, body)
}

// signedHeaders are the headers of a signed request, for scenarios.
func (e *env) signedHeaders(method, target, body string) map[string]string {
	h := SignedHeaders(e.clientID, e.secret, method, target, e.nextTS(), []byte(body))
	if body != "" {
		h["Content-Type"] = "application/json"
	}
	return h
}

func customerURL(uuid string) string { return "/wp-json/wpsidecar/v1/customers/" + uuid }

// snapshot is every column of the rows a query selects, NULL kept apart from '', as text.
func snapshot(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("snapshot %q: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		raw := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, c := range cols {
			if raw[i] == nil {
				fmt.Fprintf(&b, "%s=NULL;", c)
			} else {
				fmt.Fprintf(&b, "%s=%q;", c, string(raw[i]))
			}
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// tablesSnapshot is every row of the WordPress user tables and both plugins' customer tables.
func tablesSnapshot(t *testing.T, d *wptest.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, q := range []struct{ name, order string }{
		{"users", "ID"}, {"usermeta", "umeta_id"}, {"fct_customers", "id"}, {"fct_customer_addresses", "id"},
		{"latepoint_customers", "id"}, {"latepoint_customer_meta", "id"},
	} {
		out[q.name] = snapshot(t, d.DB, "SELECT * FROM "+d.Table(q.name)+" ORDER BY "+q.order)
	}
	return out
}

// diffSnapshots lists the rows that differ, per table.
func diffSnapshots(before, after map[string][]string) []string {
	var diffs []string
	for table, rows := range before {
		arows := after[table]
		n := len(rows)
		if len(arows) > n {
			n = len(arows)
		}
		for i := 0; i < n; i++ {
			var b, a string
			if i < len(rows) {
				b = rows[i]
			}
			if i < len(arows) {
				a = arows[i]
			}
			if a != b {
				diffs = append(diffs, table+":\n  before "+b+"\n  after  "+a)
			}
		}
	}
	return diffs
}

// golden compares a response body with testdata/golden/unified/<name>.json byte for byte.
func golden(t *testing.T, rec *httptest.ResponseRecorder, status int, name string) {
	t.Helper()
	if rec.Code != status {
		t.Errorf("status %d, want %d; body %s", rec.Code, status, rec.Body.String())
	}
	want := string(wptest.Golden(t, "unified/"+name+".json"))
	if got := rec.Body.String(); got != want {
		t.Errorf("body differs from %s\n got: %s\nwant: %s\n%s", name, got, want, wptest.FirstDiff(got, want))
	}
}

// do sends an unsigned request with the given headers.
func (e *env) do(method, target string, header map[string]string, body string) *httptest.ResponseRecorder {
	return wptest.Do(e.rt, method, target, header, body)
}
