package fluentcart_test

// The admin app's customer screens on a real store: testdata/fluentcart-store/store.sql is a dump of a store that
// FluentCart 1.3.25's own PHP made (products, customers, orders in every status, refunds, coupons, subscriptions),
// and testdata/golden/fluentcart-store/*.json are PHP's answers to the requests FluentCart's admin app sends on
// its customer screens over that dump (see the README there). Each golden is replayed through the full router
// with the user's Application Password against a fresh database loaded with the dump: status, body byte for byte
// and the recorded headers must match, with no PHP behind the sidecar.

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/fluentcart"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// storeGolden is one recorded answer (format of testdata/golden/fluentcart-store).
type storeGolden struct {
	Name    string `json:"name"`
	User    string `json:"user"`
	Request struct {
		Method      string            `json:"method"`
		Path        string            `json:"path"`
		Query       any               `json:"query"`
		ContentType string            `json:"content_type"`
		Body        string            `json:"body"`
		Headers     map[string]string `json:"headers"` // e.g. X-HTTP-Method-Override (method already holds it)
	} `json:"request"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// storeHeaders are the response headers the recorder keeps (README of the goldens): one missing from a golden
// was absent from PHP's answer and must be absent here too.
var storeHeaders = []string{"Content-Type", "Allow", "X-WP-Total", "X-WP-TotalPages", "Link", "Location", "Expires",
	"Cache-Control", "X-Robots-Tag", "X-Content-Type-Options", "Access-Control-Expose-Headers",
	"Access-Control-Allow-Headers"}

// storePrefix is the table prefix of the test database (the dump writes {prefix}; the recording used wp_).
const storePrefix = "fcs_"

func storeFiles(t *testing.T) (dump string, goldens []string) {
	t.Helper()
	root := wptest.RepoRoot()
	dump = filepath.Join(root, "testdata", "fluentcart-store", "store.sql")
	if _, err := os.Stat(dump); err != nil {
		t.Skip("no store dump (testdata/fluentcart-store/store.sql)")
	}
	goldens, _ = filepath.Glob(filepath.Join(root, "testdata", "golden", "fluentcart-store", "*.json"))
	sort.Strings(goldens)
	if len(goldens) == 0 {
		t.Skip("no goldens recorded on the store (testdata/golden/fluentcart-store)")
	}
	return dump, goldens
}

// storeRig is a fresh database loaded as the recorder loads it — the WordPress schema and the demo WordPress rows
// (testdata/seed/00_wordpress.sql), the FluentCart schema, then the store dump (not 10_fluentcart.sql: the dump
// is the whole store) — served through the real authenticator and router. Every table is snapshotted so each
// writing request starts from the dump as committed.
type storeRig struct {
	db     *wptest.DB
	site   *wpcompat.Site
	auth   *authn.Auth
	rt     *rest.Router
	clock  time.Time
	tables []string
	mu     sync.Mutex
}

func newStoreRig(t *testing.T, dump string) *storeRig {
	t.Helper()
	db := wptest.NewDB(t, wptest.Options{Prefix: storePrefix, Schemas: []string{"wordpress"}, Seed: true})
	multi, err := wptest.WithDatabase(db.DSN, db.Name, true)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("mysql", multi)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, f := range []string{filepath.Join(wptest.RepoRoot(), "sql", "fluentcart-1.3.25.sql"), dump} {
		if err := wptest.ExecFile(t.Context(), conn, f, storePrefix); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := phpconfig.ParseConfigFile(filepath.Join(wptest.RepoRoot(), "testdata", "demo", "wp-config.php"), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	tables, err := wpcompat.NewTables(storePrefix)
	if err != nil {
		t.Fatal(err)
	}
	r := &storeRig{db: db}
	// "Now" for answers that compare with the clock (a subscription's trial): the store's newest timestamp, a
	// moment of the recording session, so the answers do not drift as the calendar moves on.
	latest := db.QueryString(t, "SELECT COALESCE(GREATEST(COALESCE((SELECT MAX(updated_at) FROM {prefix}fct_orders), '2000-01-01'), "+
		"COALESCE((SELECT MAX(updated_at) FROM {prefix}fct_subscriptions), '2000-01-01')), '2000-01-01 00:00:00')")
	if r.clock, err = time.Parse("2006-01-02 15:04:05", latest); err != nil {
		r.clock = time.Now().UTC()
	}
	r.site = wpcompat.NewSite(db.DB, db.DB, tables, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r.site.OptionTTL = 0
	r.site.Now = func() time.Time { return r.clock }
	// As `serve` runs without a replica: GET one customer rides with the authentication query (wpcompat/prefetch.go).
	pipe, err := wpcompat.OpenDB(context.Background(), db.DSN, wpcompat.DBOptions{MultiStatements: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pipe.Close() })
	r.site.Pipeline = pipe
	r.auth = authn.NewAuthenticator(r.site, authn.AuthOptions{})
	r.rt = rest.NewRouter(r.site, r.auth)
	fluentcart.Register(r.rt, r.site, fluentcart.Options{})
	rows, err := db.DB.Query("SHOW TABLES LIKE '" + storePrefix + "%'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		r.tables = append(r.tables, name)
	}
	rows.Close()
	for _, tb := range r.tables {
		db.Exec(t, "CREATE TABLE `snap_"+tb+"` LIKE `"+tb+"`")
		db.Exec(t, "INSERT INTO `snap_"+tb+"` SELECT * FROM `"+tb+"`")
	}
	return r
}

// restore puts every table back to the dump (auto-increment counters included).
func (r *storeRig) restore(t *testing.T) {
	t.Helper()
	r.auth.WaitUsage()
	for _, tb := range r.tables {
		r.db.Exec(t, "TRUNCATE TABLE `"+tb+"`")
		r.db.Exec(t, "INSERT INTO `"+tb+"` SELECT * FROM `snap_"+tb+"`")
	}
}

var storeUUID = regexp.MustCompile(`"uuid":"([0-9a-f]{32})"`)

// mask applies the recorder's masks: the uuid of a customer the request created, and the request's own time.
func (r *storeRig) mask(t *testing.T, body string, before map[string]bool) string {
	body = storeUUID.ReplaceAllStringFunc(body, func(m string) string {
		if u := storeUUID.FindStringSubmatch(m)[1]; !before[u] {
			return `"uuid":"__UUID__"`
		}
		return m
	})
	body = strings.ReplaceAll(body, r.clock.Format("2006-01-02T15:04:05")+"+00:00", "__NOW__")
	return strings.ReplaceAll(body, `"date":"`+r.clock.Format("2006-01-02 15:04:05")+`.000000"`, `"date":"__NOW__"`)
}

func (r *storeRig) customerUUIDs(t *testing.T) map[string]bool {
	out := map[string]bool{}
	rows, err := r.db.DB.Query("SELECT uuid FROM `" + storePrefix + "fct_customers`")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var u sql.NullString
		if err := rows.Scan(&u); err != nil {
			t.Fatal(err)
		}
		out[u.String] = true
	}
	return out
}

// requestURL rebuilds the recorded request's URL (query as recorded: a string, or name -> value pairs).
func (g *storeGolden) requestURL() string {
	u := g.Request.Path
	switch q := g.Request.Query.(type) {
	case string:
		if q != "" {
			u += "?" + strings.TrimPrefix(q, "?")
		}
	case map[string]any:
		var parts []string
		for k, v := range q {
			s, _ := v.(string)
			parts = append(parts, k+"="+s)
		}
		sort.Strings(parts)
		if len(parts) > 0 {
			u += "?" + strings.Join(parts, "&")
		}
	}
	return u
}

func TestRealStoreGoldens(t *testing.T) {
	dump, files := storeFiles(t)
	r := newStoreRig(t, dump)
	var reads, writes []*storeGolden
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		g := &storeGolden{}
		if err := json.Unmarshal(b, g); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if g.Name == "" {
			g.Name = strings.TrimSuffix(filepath.Base(f), ".json")
		}
		if g.Request.Method == "" || g.Request.Method == "GET" {
			reads = append(reads, g)
		} else {
			writes = append(writes, g)
		}
	}
	// As recorded: every read on the store as loaded, then each write on a fresh copy of it.
	matched := 0
	for _, g := range append(reads, writes...) {
		write := g.Request.Method != "" && g.Request.Method != "GET"
		if t.Run(g.Name, func(t *testing.T) { r.replay(t, g, write) }) {
			matched++
		}
	}
	t.Logf("%d of %d recorded answers match (%d reads, %d writes)", matched, len(files), len(reads), len(writes))
}

func (r *storeRig) replay(t *testing.T, g *storeGolden, write bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if write {
		r.restore(t)
		defer r.restore(t)
	}
	before := r.customerUUIDs(t)
	hdr := map[string]string{}
	if g.User != "" {
		pw, known := appPasswords[g.User]
		if !known {
			t.Fatalf("unknown user %q", g.User)
		}
		hdr["Authorization"] = "Basic " + base64.StdEncoding.EncodeToString([]byte(g.User+":"+pw))
	}
	if g.Request.ContentType != "" {
		hdr["Content-Type"] = g.Request.ContentType
	}
	method := g.Request.Method
	if method == "" {
		method = "GET"
	}
	rec := wptest.Do(r.rt, method, g.requestURL(), hdr, g.Request.Body)
	r.auth.WaitUsage()
	if rec.Code != g.Status {
		t.Errorf("status %d, want %d; body %.300s", rec.Code, g.Status, rec.Body.String())
	}
	got := rec.Body.String()
	if write {
		got = r.mask(t, got, before)
	}
	if got != g.Body {
		t.Errorf("body differs: %s", wptest.FirstDiff(got, g.Body))
	}
	for _, k := range storeHeaders {
		want := ""
		for name, v := range g.Headers {
			if strings.EqualFold(name, k) {
				want = v
			}
		}
		if got := strings.Join(rec.Header().Values(k), ", "); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
}

// The orders tab and the customer page cost the same number of queries whatever the number of orders, items,
// subscriptions and subscription meta rows: one query per relation, never one per row.
func TestRealStoreQueryCountConstant(t *testing.T) {
	dump := filepath.Join(wptest.RepoRoot(), "testdata", "fluentcart-store", "store.sql")
	if _, err := os.Stat(dump); err != nil {
		t.Skip("no store dump (testdata/fluentcart-store/store.sql)")
	}
	r := newStoreRig(t, dump)
	db, err := wpcompat.OpenDB(t.Context(), r.db.DSN, wpcompat.DBOptions{MaxOpen: 1, MaxIdle: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables, _ := wpcompat.NewTables(storePrefix)
	site := wpcompat.NewSite(db, db, tables, r.site.Config, slog.New(slog.NewTextHandler(io.Discard, nil)))
	admin, err := r.site.GetUserBy(t.Context(), wpcompat.UserByLogin, "admin")
	if err != nil || admin == nil {
		t.Fatalf("admin: %v", err)
	}
	rt := rest.NewRouter(site, fixedUser{admin})
	fluentcart.Register(rt, site, fluentcart.Options{})
	c := &countingSite{rt: rt, conn: db}

	// The customer with the most orders, and one with the most subscriptions.
	most := r.db.QueryString(t, "SELECT customer_id FROM {prefix}fct_orders GROUP BY customer_id ORDER BY COUNT(*) DESC, customer_id LIMIT 1")
	subs := r.db.QueryString(t, "SELECT COALESCE((SELECT customer_id FROM {prefix}fct_subscriptions GROUP BY customer_id ORDER BY COUNT(*) DESC, customer_id LIMIT 1), 1)")
	orders := func(perPage string) string {
		return "/wp-json/fluent-cart/v2/customers/" + most + "/orders?per_page=" + perPage + "&page=1&with[]=order_items&search=&order_by=id&order_type=DESC"
	}
	c.queries(t, orders("1")) // warm the option cache
	_, one := c.queries(t, orders("1"))
	code, many := c.queries(t, orders("10"))
	if code != 200 || one != many {
		t.Errorf("orders tab: per_page=1 %d queries, per_page=10 %d (status %d)", one, many, code)
	}
	page := func(id string) string {
		return "/wp-json/fluent-cart/v2/customers/" + id + "?with[]=shipping_address&with[]=billing_address&with[]=labels&with[]=subscriptions"
	}
	c.queries(t, page(subs))
	code, withSubs := c.queries(t, page(subs))
	if code != 200 {
		t.Errorf("customer page: status %d", code)
	}
	// find + 4 relations + subscription meta (+ the options the computed fields read, cached)
	if withSubs > 8 {
		t.Errorf("customer page with subscriptions took %d queries", withSubs)
	}
	_, list := c.queries(t, "/wp-json/fluent-cart/v2/customers/"+most+"/order")
	t.Logf("queries: orders tab %d, customer page %d, customers/{id}/order %d", many, withSubs, list)
}
