package unified

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
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
	rt       *rest.Router
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
	return recordExchange(method, target, h, body, wptest.Do(e.rt, method, target, h, body))
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

// snapshot is every column of the rows a query selects, NULL kept apart from the empty string, as text.
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

// snapTables are the tables a customer update may touch (and a few it must not).
var snapTables = []string{"users", "usermeta", "fct_customers", "fct_customer_addresses", "fct_customer_meta",
	"latepoint_customers", "latepoint_customer_meta"}

// tableSnap is every row of a table keyed by its first column (the primary key), NULL kept apart from the empty string.
type tableSnap struct {
	cols []string
	rows map[string][]*string
	keys []string
}

func takeSnap(t *testing.T, db *sql.DB, table string) tableSnap {
	t.Helper()
	rows, err := db.Query("SELECT * FROM " + table + " ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	ts := tableSnap{cols: cols, rows: map[string][]*string{}}
	for rows.Next() {
		raw := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		vals := make([]*string, len(cols))
		for i, r := range raw {
			if r != nil {
				s := string(r)
				vals[i] = &s
			}
		}
		ts.rows[*vals[0]] = vals
		ts.keys = append(ts.keys, *vals[0])
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ts
}

// tablesSnapshot snapshots snapTables.
func tablesSnapshot(t *testing.T, d *wptest.DB) map[string]tableSnap {
	t.Helper()
	out := map[string]tableSnap{}
	for _, name := range snapTables {
		out[name] = takeSnap(t, d.DB, d.Table(name))
	}
	return out
}

func show(p *string) string {
	if p == nil {
		return "NULL"
	}
	return fmt.Sprintf("%q", *p)
}

// columnDiffs lists every difference, one per changed column ("users[3].display_name=\"X\""), inserted row
// ("table[id] inserted") or deleted row, sorted.
func columnDiffs(before, after map[string]tableSnap) []string {
	var out []string
	for _, name := range snapTables {
		b, a := before[name], after[name]
		for _, k := range b.keys {
			av, ok := a.rows[k]
			if !ok {
				out = append(out, name+"["+k+"] deleted")
				continue
			}
			for i, c := range b.cols {
				if show(b.rows[k][i]) != show(av[i]) {
					out = append(out, name+"["+k+"]."+c+"="+show(av[i]))
				}
			}
		}
		for _, k := range a.keys {
			if _, ok := b.rows[k]; !ok {
				out = append(out, name+"["+k+"] inserted")
			}
		}
	}
	sort.Strings(out)
	return out
}

// wantDiffs checks that exactly the listed columns changed.
func wantDiffs(t *testing.T, before, after map[string]tableSnap, want ...string) {
	t.Helper()
	got := columnDiffs(before, after)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changed columns:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
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
	return recordExchange(method, target, header, body, wptest.Do(e.rt, method, target, header, body))
}
