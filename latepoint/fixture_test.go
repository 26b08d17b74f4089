package latepoint

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// fixedNow is the tests' clock: 2026-11-23 10:00 in America/New_York (the seed's "now").
var fixedNow = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)

// fixture is a fresh database with the demo seed, the router with the LatePoint API, and named API keys.
type fixture struct {
	db   *wptest.DB
	rt   *rest.Router
	api  *API
	keys map[string]string // name → plaintext
	ids  map[string]int64
}

const apiBase = "/wp-json/latepoint-api/v1"

// keySpecs are the fixture keys, created in this order (ids 1…n).
var keySpecs = []struct {
	name string
	nk   NewKey
	sql  string // extra UPDATE applied after creation ({prefix}, ? = id)
}{
	{"admin", NewKey{Name: "Fixture admin", Environment: EnvTest, Permissions: []string{"customers:read", "customers:create", "customers:update", "customers:delete"}, LimitPerMinute: 1000000, LimitPerHour: 1000000}, ""},
	{"reader", NewKey{Name: "Fixture reader", Environment: EnvLive, Permissions: []string{"customers:read"}, LimitPerMinute: 1000000, LimitPerHour: 1000000}, ""},
	{"expired", NewKey{Name: "Fixture expired", Environment: EnvTest, Permissions: []string{"customers:read"}, ExpiresOn: "2026-11-22"}, ""},
	{"revoked", NewKey{Name: "Fixture revoked", Environment: EnvTest, Permissions: []string{"customers:read"}}, "UPDATE {prefix}wpsidecar_api_keys SET status = 'revoked', revoked_at = '2026-11-01 00:00:00' WHERE id = ?"},
	{"office", NewKey{Name: "Fixture office only", Environment: EnvLive, Permissions: []string{"customers:read"}, AllowedIPs: []string{"10.1.0.0/16", "192.0.2.7"}}, ""},
	{"tiny", NewKey{Name: "Fixture tiny limit", Environment: EnvLive, Permissions: []string{"customers:read"}, LimitPerMinute: 3, LimitPerHour: 100}, ""},
	{"creator", NewKey{Name: "Fixture creator", Environment: EnvTest, Permissions: []string{"customers:create"}, LimitPerMinute: 1000000, LimitPerHour: 1000000}, ""},
	{"valid_until_today", NewKey{Name: "Fixture expires today", Environment: EnvLive, Permissions: []string{"customers:read"}, ExpiresOn: "2026-11-23", LimitPerMinute: 1000}, ""},
}

func newFixture(t testing.TB, opts Options) *fixture {
	t.Helper()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Seed: true})
	db.Site.Now = func() time.Time { return fixedNow }
	f := &fixture{db: db, rt: db.Router(), keys: map[string]string{}, ids: map[string]int64{}}
	if opts.BackgroundInterval == 0 {
		opts.BackgroundInterval = 50 * time.Millisecond
	}
	if opts.AuditFlushInterval == 0 {
		opts.AuditFlushInterval = 50 * time.Millisecond
	}
	f.api = Register(f.rt, db.Site, opts)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = f.api.Close(ctx)
	})
	ks := NewKeyStore(db.Site)
	for _, spec := range keySpecs {
		id, plain, err := ks.Create(context.Background(), spec.nk)
		if err != nil {
			t.Fatalf("create key %s: %v", spec.name, err)
		}
		if spec.sql != "" {
			db.Exec(t, spec.sql, id)
		}
		f.keys[spec.name], f.ids[spec.name] = plain, id
	}
	return f
}

// hdr is the X-API-Key header for a fixture key.
func (f *fixture) hdr(name string) map[string]string {
	return map[string]string{"X-API-Key": f.keys[name]}
}

// jsonHdr is hdr plus a JSON content type.
func (f *fixture) jsonHdr(name string) map[string]string {
	h := f.hdr(name)
	h["Content-Type"] = "application/json"
	return h
}

func (f *fixture) do(method, url string, header map[string]string, body string) *httptest.ResponseRecorder {
	return wptest.Do(f.rt, method, url, header, body)
}

// rowCount counts rows of a table with an optional WHERE clause.
func (f *fixture) rowCount(t testing.TB, table, where string, args ...any) string {
	t.Helper()
	q := "SELECT COUNT(*) FROM {prefix}" + table
	if where != "" {
		q += " WHERE " + where
	}
	return f.db.QueryString(t, q, args...)
}

func golden(route, name string) string { return "latepoint/" + route + "_" + name + ".json" }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
