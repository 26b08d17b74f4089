package fluentcart_test

// Test rig of the FluentCart routes: one seeded database per test binary (testdata/seed, prefix "fct1_" so no
// code can lean on "wp_"), the demo wp-config.php, WordPress's real authenticator, and golden files recorded
// from FluentCart 1.3.25 on WordPress 7.1 over the same seed (testdata/golden/fluentcart; see README there).

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
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

const prefix = "fct1_"

// testNow is the sidecar's clock in tests; PHP's own "now" is masked in the golden files (__NOW__).
var testNow = time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC)

// Demo users (testdata/seed/00_wordpress.sql) and their application passwords.
var appPasswords = map[string]string{
	"admin": "AdmN 1234 AbCd 5678 EfGh 9012", "editor": "EdiT 1234 AbCd 5678 EfGh 9012",
	"subscriber": "SubS 1234 AbCd 5678 EfGh 9012", "oldadmin": "OldA 1234 AbCd 5678 EfGh 9012",
	"fcmanager": "MgrS 1234 AbCd 5678 EfGh 9012", "fcworker": "WrkS 1234 AbCd 5678 EfGh 9012",
	"fcaccountant": "AccT 1234 AbCd 5678 EfGh 9012",
}

// writeTables are the tables any customers route writes; write scenarios start from the seed.
var writeTables = []string{"fct_customers", "fct_customer_addresses", "fct_label_relationships", "fct_orders",
	"fct_order_addresses", "users", "usermeta", "options", "fct_meta"}

type rig struct {
	db   *wptest.DB
	site *wpcompat.Site
	auth *authn.Auth
	rt   *rest.Router
	cfg  *phpconfig.Config
	mu   sync.Mutex // scenarios mutate the shared database: one at a time
}

var (
	rigOnce sync.Once
	theRig  *rig
	rigErr  error
)

// shared returns the package's seeded site, creating it on first use (dropped when the binary exits: the
// database name carries a timestamp and wptest sweeps stale ones).
func shared(t testing.TB) *rig {
	t.Helper()
	rigOnce.Do(func() {
		var db *wptest.DB
		db, rigErr = wptest.Create(t.Context(), wptest.Options{Prefix: prefix, Schemas: []string{"wordpress", "fluentcart"}, Seed: true})
		if rigErr != nil {
			return
		}
		theRig, rigErr = newRig(db, fluentcart.Options{})
	})
	if rigErr != nil {
		t.Fatalf("fluentcart rig: %v", rigErr)
	}
	return theRig
}

func newRig(db *wptest.DB, opts fluentcart.Options) (*rig, error) {
	cfg, err := phpconfig.ParseConfigFile(filepath.Join(wptest.RepoRoot(), "testdata", "demo", "wp-config.php"), func(string) (string, bool) { return "", false })
	if err != nil {
		return nil, err
	}
	tables, err := wpcompat.NewTables(prefix)
	if err != nil {
		return nil, err
	}
	site := wpcompat.NewSite(db.DB, db.DB, tables, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	site.OptionTTL = 0
	site.Now = func() time.Time { return testNow }
	auth := authn.NewAuthenticator(site, authn.AuthOptions{})
	rt := rest.NewRouter(site, auth)
	fluentcart.Register(rt, site, opts)
	r := &rig{db: db, site: site, auth: auth, rt: rt, cfg: cfg}
	for _, tb := range writeTables {
		name := db.Table(tb)
		if _, err := db.DB.Exec("CREATE TABLE `" + db.Table("snap_"+tb) + "` LIKE `" + name + "`"); err != nil {
			return nil, err
		}
		if _, err := db.DB.Exec("INSERT INTO `" + db.Table("snap_"+tb) + "` SELECT * FROM `" + name + "`"); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// restore puts the write tables back to the seed (auto-increment counters included).
func (r *rig) restore(t testing.TB) {
	t.Helper()
	r.auth.WaitUsage()
	for _, tb := range writeTables {
		name := r.db.Table(tb)
		r.db.Exec(t, "TRUNCATE TABLE `"+name+"`")
		r.db.Exec(t, "INSERT INTO `"+name+"` SELECT * FROM `"+r.db.Table("snap_"+tb)+"`")
	}
}

func basicAuth(login string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(login+":"+appPasswords[login]))
}

// gcase is one request of a golden scenario table.
type gcase struct {
	name   string // golden file testdata/golden/fluentcart/<name>.json (<route>_<case>)
	method string
	url    string // path and query under /wp-json/fluent-cart/v2 unless it starts with "/?" or "/wp-json"
	body   string
	json   bool   // Content-Type: application/json
	form   bool   // Content-Type: application/x-www-form-urlencoded
	setup  string // SQL run first ({prefix} replaced); implies write
	hdr    map[string]string
	user   string // demo login authenticated with its Application Password ("" = anonymous)
	status int
	allow  string // expected Allow header ("-" = none); empty = not checked
	write  bool   // starts from the seed; a created customer's uuid and "now" are masked before comparing
	check  func(t *testing.T, r *rig)
}

func (c gcase) fullURL() string {
	if strings.HasPrefix(c.url, "/?") || strings.HasPrefix(c.url, "/wp-json") || strings.HasPrefix(c.url, "/index.php") {
		return c.url
	}
	return "/wp-json/fluent-cart/v2" + c.url
}

var (
	nowISO = regexp.MustCompile(regexp.QuoteMeta(testNow.Format("2006-01-02T15:04:05")) + `\+00:00`)
	nowObj = regexp.MustCompile(`"date":"` + regexp.QuoteMeta(testNow.Format("2006-01-02 15:04:05")) + `\.000000"`)
)

// mask replaces the values PHP and the sidecar cannot share, and only those (testdata/golden/fluentcart/README.md):
// the uuid of a customer the request created (newUUIDs: rows absent from the seed, read back after the request)
// and the time of the request (the sidecar's clock is testNow; PHP's "now" is masked by the recorder).
func mask(s string, newUUIDs []string) string {
	for _, u := range newUUIDs {
		s = strings.ReplaceAll(s, `"uuid":"`+u+`"`, `"uuid":"__UUID__"`)
	}
	s = nowISO.ReplaceAllString(s, "__NOW__")
	return nowObj.ReplaceAllString(s, `"date":"__NOW__"`)
}

// createdUUIDs reads back the uuids of the customers a request created: rows whose uuid the seed snapshot lacks.
func (r *rig) createdUUIDs(t testing.TB) []string {
	t.Helper()
	rows, err := r.db.DB.Query(strings.ReplaceAll("SELECT uuid FROM {prefix}fct_customers c WHERE uuid IS NOT NULL AND NOT EXISTS "+
		"(SELECT 1 FROM {prefix}snap_fct_customers s WHERE s.uuid = c.uuid)", "{prefix}", prefix))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			t.Fatal(err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// runGolden sends every case through the full router and compares the body with its golden file.
func runGolden(t *testing.T, cases []gcase) {
	t.Helper()
	if dumpCases(t, cases) {
		return
	}
	r := shared(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r.mu.Lock()
			defer r.mu.Unlock()
			if c.write || c.setup != "" {
				r.restore(t)
				defer r.restore(t)
			}
			if c.setup != "" {
				for _, q := range strings.Split(c.setup, ";\n") {
					r.db.Exec(t, q)
				}
			}
			hdr := map[string]string{}
			for k, v := range c.hdr {
				hdr[k] = v
			}
			if c.json {
				hdr["Content-Type"] = "application/json"
			}
			if c.form {
				hdr["Content-Type"] = "application/x-www-form-urlencoded"
			}
			if c.user != "" {
				hdr["Authorization"] = basicAuth(c.user)
			}
			rec := wptest.Do(r.rt, c.method, c.fullURL(), hdr, c.body)
			r.auth.WaitUsage()
			if rec.Code != c.status {
				t.Errorf("status %d, want %d; body %s", rec.Code, c.status, rec.Body.String())
			}
			want := string(wptest.Golden(t, "fluentcart/"+c.name+".json"))
			got := rec.Body.String()
			if c.write || c.setup != "" {
				got = mask(got, r.createdUUIDs(t))
			}
			if got != want {
				t.Errorf("body differs from golden %s.json: %s", c.name, wptest.FirstDiff(got, want))
			}
			if c.allow != "" {
				wantAllow := c.allow
				if wantAllow == "-" {
					wantAllow = ""
				}
				if a := rec.Header().Get("Allow"); a != wantAllow {
					t.Errorf("Allow %q, want %q", a, wantAllow)
				}
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}

// dumpCases writes the case table as JSON for the recorder that fills the golden files from PHP
// (FLUENTCART_DUMP_CASES=dir); the tests themselves are skipped then.
func dumpCases(t *testing.T, cases []gcase) bool {
	dir := os.Getenv("FLUENTCART_DUMP_CASES")
	if dir == "" {
		return false
	}
	type rc struct {
		Name, Method, URL, Body, CT, User, Setup string
		Write                                    bool
		Headers                                  map[string]string
	}
	var out []rc
	for _, c := range cases {
		ct := ""
		if c.json {
			ct = "application/json"
		}
		if c.form {
			ct = "application/x-www-form-urlencoded"
		}
		out = append(out, rc{c.name, c.method, c.fullURL(), c.body, ct, c.user, c.setup, c.write || c.setup != "", c.hdr})
	}
	b, _ := json.Marshal(out)
	if err := os.WriteFile(filepath.Join(dir, t.Name()+".json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Skip("cases dumped")
	return true
}

// queryRow returns one row of a query on the shared database as strings ("NULL" for NULL).
func queryRow(t *testing.T, r *rig, q string, args ...any) []string {
	t.Helper()
	rows, err := r.db.DB.Query(strings.ReplaceAll(q, "{prefix}", prefix), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	if !rows.Next() {
		t.Fatalf("no row for %s", q)
	}
	vals := make([]*string, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(cols))
	for i, v := range vals {
		if v == nil {
			out[i] = "NULL"
		} else {
			out[i] = *v
		}
	}
	return out
}

// wantRow asserts one row's values (joined with "|").
func wantRow(q string, want string, args ...any) func(*testing.T, *rig) {
	return func(t *testing.T, r *rig) {
		t.Helper()
		if got := strings.Join(queryRow(t, r, q, args...), "|"); got != want {
			t.Errorf("%s\n got %s\nwant %s", q, got, want)
		}
	}
}

var _ = fmt.Sprintf
var _ = httptest.NewRecorder

// doReq sends one request as a demo user (Application Password) through the full router.
func doReq(r *rig, method, url, user, body string, isJSON bool) *httptest.ResponseRecorder {
	r.mu.Lock()
	defer r.mu.Unlock()
	hdr := map[string]string{}
	if isJSON {
		hdr["Content-Type"] = "application/json"
	}
	if user != "" {
		hdr["Authorization"] = basicAuth(user)
	}
	rec := wptest.Do(r.rt, method, url, hdr, body)
	r.auth.WaitUsage()
	return rec
}

func TestMain(m *testing.M) {
	code := m.Run()
	if theRig != nil {
		theRig.db.Drop()
	}
	os.Exit(code)
}
