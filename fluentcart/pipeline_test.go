package fluentcart_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"testing"

	"github.com/wpsidecar/wpsidecar/fluentcart"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// pipelineSite is the shared rig's database behind a site with a Pipeline pool, each pool one connection so that
// its statements can be counted.
type pipelineSite struct {
	rt         *rest.Router
	main, pipe *sql.DB
}

func newPipelineSite(t *testing.T, pipelined bool) *pipelineSite {
	t.Helper()
	r := shared(t)
	open := func(multi bool) *sql.DB {
		db, err := wpcompat.OpenDB(context.Background(), r.db.DSN, wpcompat.DBOptions{MaxOpen: 1, MaxIdle: 1, MultiStatements: multi})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	p := &pipelineSite{main: open(false)}
	tables, _ := wpcompat.NewTables(prefix)
	site := wpcompat.NewSite(p.main, p.main, tables, r.cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	site.Now = r.site.Now
	if pipelined {
		p.pipe = open(true)
		site.Pipeline = p.pipe
	}
	p.rt = rest.NewRouter(site, authn.NewAuthenticator(site, authn.AuthOptions{}))
	fluentcart.Register(p.rt, site, fluentcart.Options{})
	return p
}

func questions(t *testing.T, db *sql.DB) int64 {
	if db == nil {
		return 0
	}
	var name string
	var n int64
	if err := db.QueryRow("SHOW SESSION STATUS LIKE 'Questions'").Scan(&name, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// GET one customer with the authentication query and the customer read in one round trip gives the same answers
// as without the pipeline — for the admin, for a user FluentCart refuses, for a customer that does not exist and
// with `with` (not pipelined) — and sends nothing on the main pool once warm.
func TestGetCustomerPipelined(t *testing.T) {
	plain, piped := newPipelineSite(t, false), newPipelineSite(t, true)
	// moved: how many of the plain site's statements the pipeline carries (the authentication query and the customer
	// read: 2; refused: the authentication query, and the customer read is sent but not used; not pipelined: 0).
	cases := []struct {
		user, url string
		moved     int64
	}{
		{"admin", "/wp-json/fluent-cart/v2/customers/1", 2},
		{"admin", "/wp-json/fluent-cart/v2/customers/2", 2},
		{"admin", "/wp-json/fluent-cart/v2/customers/4", 2}, // a linked user's photo meta comes with the customer
		{"admin", "/wp-json/fluent-cart/v2/customers/999999", 2},
		{"admin", "/wp-json/fluent-cart/v2/customers/1?with[]=addresses", 0},
		{"subscriber", "/wp-json/fluent-cart/v2/customers/1", 1},
		{"fcmanager", "/wp-json/fluent-cart/v2/customers/2", 1}, // refused without FluentCart Pro
		{"", "/wp-json/fluent-cart/v2/customers/1", 0},          // no authentication query to ride with
	}
	for _, c := range cases {
		hdr := map[string]string{}
		if c.user != "" {
			hdr["Authorization"] = basicAuth(c.user)
		}
		for i := 0; i < 2; i++ { // the first request warms the option cache
			plainBefore := questions(t, plain.main)
			want := wptest.Do(plain.rt, "GET", c.url, hdr, "")
			plainN := questions(t, plain.main) - plainBefore - 1
			mainBefore, pipeBefore := questions(t, piped.main), questions(t, piped.pipe)
			got := wptest.Do(piped.rt, "GET", c.url, hdr, "")
			mainN, pipeN := questions(t, piped.main)-mainBefore-1, questions(t, piped.pipe)-pipeBefore-1
			if got.Code != want.Code || got.Body.String() != want.Body.String() {
				t.Fatalf("%s as %q: pipelined %d %s\nplain %d %s", c.url, c.user, got.Code, got.Body.String(), want.Code, want.Body.String())
			}
			wantPipe := int64(0)
			if c.moved > 0 {
				wantPipe = 2 // one round trip, two statements
			}
			if i == 1 && (mainN != plainN-c.moved || pipeN != wantPipe) {
				t.Errorf("%s as %q: %d statements on the main pool and %d on the pipeline; want %d and %d (plain: %d)",
					c.url, c.user, mainN, pipeN, plainN-c.moved, wantPipe, plainN)
			}
		}
	}
}
