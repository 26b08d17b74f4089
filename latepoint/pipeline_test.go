package latepoint

import (
	"context"
	"database/sql"
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

// pipelinedRouter is p's database behind a second site whose Pipeline pool carries the key lookup and the customer
// read in one round trip; main and pipe count the round trips of each pool.
func (p *perfSite) pipelinedRouter(tb testing.TB) (rt *rest.Router, main, pipe *atomic.Int64) {
	open := func(multi bool, n *atomic.Int64) *sql.DB {
		cfg, err := mysql.ParseDSN(p.db.DSN)
		if err != nil {
			tb.Fatal(err)
		}
		cfg.InterpolateParams, cfg.MultiStatements = true, multi
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			tb.Fatal(err)
		}
		db := sql.OpenDB(&countingConnector{Connector: conn, n: n})
		tb.Cleanup(func() { db.Close() })
		return db
	}
	main, pipe = &atomic.Int64{}, &atomic.Int64{}
	db := open(false, main)
	site := wpcompat.NewSite(db, db, p.db.Site.Tables, nil, nil)
	site.Now = func() time.Time { return fixedNow }
	site.OptionTTL = time.Hour
	site.Pipeline = open(true, pipe)
	rt = rest.NewRouter(site, authn.NewAuthenticator(site, authn.AuthOptions{APIKeyNamespaces: []string{Namespace}}))
	api := Register(rt, site, Options{DisableAuditLog: true})
	tb.Cleanup(func() { _ = api.Close(context.Background()) })
	return rt, main, pipe
}

// GET one customer with the key lookup and the customer read in one round trip answers what it answers without,
// with and without includes, for a missing customer and for an unknown key; once warm the plain GET sends nothing
// on the main pool.
func TestGetCustomerPipelined(t *testing.T) {
	t.Parallel()
	p := newPerfSite(t)
	rt, main, pipe := p.pipelinedRouter(t)
	one := apiBase + "/customers/" + strconv.FormatInt(p.smallID, 10)
	cases := []struct {
		url, key  string
		pipelined bool // both statements in one round trip on the pipeline, none on the main pool
	}{
		{one, p.key, true},
		{one + "?include=stats,bookings", p.key, false}, // the includes read more after the customer
		{apiBase + "/customers/99999999", p.key, true},
		{one, "lp_live_unknownunknownunknownunknown", false},
	}
	for _, c := range cases {
		hdr := map[string]string{"X-API-Key": c.key}
		for i := 0; i < 3; i++ { // warm: options, leases
			want := wptest.Do(p.rt, "GET", c.url, hdr, "")
			m0, p0 := main.Load(), pipe.Load()
			got := wptest.Do(rt, "GET", c.url, hdr, "")
			mainN, pipeN := main.Load()-m0, pipe.Load()-p0
			if got.Code != want.Code || got.Body.String() != want.Body.String() {
				t.Fatalf("%s: pipelined %d %s\nplain %d %s", c.url, got.Code, got.Body.String(), want.Code, want.Body.String())
			}
			if i == 2 && c.pipelined && (mainN != 0 || pipeN != 1) {
				t.Errorf("%s: %d round trips on the main pool, %d on the pipeline; want 0 and 1", c.url, mainN, pipeN)
			}
			if i == 2 && !c.pipelined && pipeN > 1 {
				t.Errorf("%s: %d round trips on the pipeline", c.url, pipeN)
			}
		}
	}
}
