package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest/phpsite"
)

// Demo credentials (testdata/seed): the administrator's Application Password for the sidecar, and the
// pre-6.8 administrator with a phpass ($P$) Application Password for WordPress 6.1, which cannot verify $generic$.
const (
	adminAppPassword    = "admin:AdmN 1234 AbCd 5678 EfGh 9012"
	oldadminAppPassword = "oldadmin:OldA 1234 AbCd 5678 EfGh 9012"
)

type benchEnv struct {
	o        options
	admin    *sql.DB // server connection (general log, database management)
	limitDB  *sql.DB // the benchmark database, for the bare-SQL limit
	dsn      string
	base     string // sidecar URL
	adminURL string // sidecar admin URL (/metrics, /debug/pprof), "" when off
	apiKey   string
	emails   map[int64]string // FluentCart customer id → email, for PUT bodies
	maxFC    int64
	sidecar  *exec.Cmd
	php      *phpsite.Site
	tb       *benchTB
	runID    string
	created  atomic.Int64
	startup  time.Duration // exec → /readyz 200
	dbPID    int           // the database server's process on this machine (0: unknown)
}

// costs is the closing line: binary size, start-up time and resident memory of the sidecar.
func (e *benchEnv) costs() string {
	var size int64
	if fi, err := os.Stat(filepath.Join(e.o.bin, "wpsidecar")); err == nil {
		size = fi.Size()
	}
	rss := "?"
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", e.sidecar.Process.Pid)); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "VmRSS:") {
				rss = strings.TrimSpace(strings.TrimPrefix(l, "VmRSS:"))
			}
		}
	}
	return fmt.Sprintf("\nSidecar binary %.1f MB, start-up (exec → /readyz 200) %v, resident memory after the run %s.\n",
		float64(size)/1e6, e.startup.Round(time.Millisecond), rss)
}

func prepare(ctx context.Context, o options) (*benchEnv, error) {
	if o.serverDSN == "" {
		return nil, fmt.Errorf("--dsn (or WPSIDECAR_TEST_DSN) is required")
	}
	e := &benchEnv{o: o, tb: &benchTB{}, runID: fmt.Sprint(time.Now().Unix())}
	var err error
	if e.admin, err = sql.Open("mysql", o.serverDSN); err != nil {
		return nil, err
	}
	if e.dsn, err = wptest.WithDatabase(o.serverDSN, o.dbName, false); err != nil {
		return nil, err
	}
	if o.cache {
		var logBin, format string
		if err := e.admin.QueryRowContext(ctx, "SELECT @@log_bin, @@binlog_format").Scan(&logBin, &format); err != nil {
			return nil, err
		}
		if logBin != "1" || format != "ROW" {
			return nil, fmt.Errorf("--cache needs the binlog on in ROW format (log_bin=%s, binlog_format=%s): restart the server with .ci/devdb.sh, or see wpsidecar doctor", logBin, format)
		}
	}
	if !o.skipLoad {
		logf("recreating %s and loading schemas + demo seed", o.dbName)
		for _, q := range []string{"DROP DATABASE IF EXISTS `" + o.dbName + "`",
			"CREATE DATABASE `" + o.dbName + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci"} {
			if _, err := e.admin.ExecContext(ctx, q); err != nil {
				return nil, err
			}
		}
		if err := wptest.Load(ctx, e.dsn, wptest.Options{Prefix: "wp_", Seed: true}); err != nil {
			return nil, err
		}
		logf("generating %d customers per plugin", o.customers)
		gen := exec.CommandContext(ctx, filepath.Join(o.bin, "wpgen"), "--dsn", e.dsn, "--table-prefix", "wp_", "--customers", fmt.Sprint(o.customers))
		gen.Stdout, gen.Stderr = os.Stderr, os.Stderr
		if err := gen.Run(); err != nil {
			return nil, fmt.Errorf("wpgen: %w", err)
		}
	}
	var pidFile string
	if e.admin.QueryRowContext(ctx, "SELECT @@pid_file").Scan(&pidFile) == nil {
		if b, err := os.ReadFile(pidFile); err == nil {
			fmt.Sscan(strings.TrimSpace(string(b)), &e.dbPID)
		}
	}
	// Multi statements: the captured round trips are replayed as they were sent (pipelined ones hold two).
	if e.limitDB, err = wpcompat.OpenDB(ctx, e.dsn, wpcompat.DBOptions{MaxOpen: 64, MultiStatements: true}); err != nil {
		return nil, err
	}
	if err := e.startSidecar(ctx); err != nil {
		e.close()
		return nil, err
	}
	if err := e.createKey(ctx); err != nil {
		e.close()
		return nil, err
	}
	if err := e.loadEmails(ctx); err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

func (e *benchEnv) startSidecar(ctx context.Context) error {
	port, err := phpsite.FreePort()
	if err != nil {
		return err
	}
	e.base = fmt.Sprintf("http://127.0.0.1:%d", port)
	logFile, err := os.Create(filepath.Join(os.TempDir(), "wpbench-sidecar.log"))
	if err != nil {
		return err
	}
	cfg := filepath.Join(wptest.RepoRoot(), "testdata", "demo", "wp-config.php")
	e.sidecar = exec.Command(filepath.Join(e.o.bin, "wpsidecar"), "serve", "--dsn", e.dsn, "--wp-config", cfg,
		"--listen", fmt.Sprintf("127.0.0.1:%d", port), "--admin-listen", "off")
	if e.o.profileDir != "" {
		ap, err := phpsite.FreePort()
		if err != nil {
			return err
		}
		e.adminURL = fmt.Sprintf("http://127.0.0.1:%d", ap)
		e.sidecar.Args[len(e.sidecar.Args)-1] = fmt.Sprintf("127.0.0.1:%d", ap)
	}
	if e.o.cache {
		e.sidecar.Args = append(e.sidecar.Args, "--cache", "--cache-max-lag", e.o.cacheMaxLag.String())
	}
	e.sidecar.Stdout, e.sidecar.Stderr = logFile, logFile
	if err := e.sidecar.Start(); err != nil {
		return err
	}
	logf("sidecar pid %d on %s (log %s)", e.sidecar.Process.Pid, e.base, logFile.Name())
	started := time.Now()
	deadline := started.Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(e.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				e.startup = time.Since(started)
				return nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return fmt.Errorf("sidecar did not become ready (see %s)", logFile.Name())
}

// createKey makes a LatePoint API key with the CLI and lifts its rate limits so the load is not throttled.
func (e *benchEnv) createKey(ctx context.Context) error {
	out, err := exec.CommandContext(ctx, filepath.Join(e.o.bin, "wpsidecar"), "keys", "create", "--dsn", e.dsn,
		"--name", "wpbench "+e.runID, "--env", "live",
		"--permissions", "customers:read,customers:create,customers:update,customers:delete").Output()
	if err != nil {
		return fmt.Errorf("keys create: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	e.apiKey = strings.TrimSpace(lines[len(lines)-1])
	_, err = e.limitDB.ExecContext(ctx, "UPDATE wp_wpsidecar_api_keys SET limit_per_minute = 100000000, limit_per_hour = 1000000000 WHERE name = ?", "wpbench "+e.runID)
	return err
}

func (e *benchEnv) loadEmails(ctx context.Context) error {
	e.emails = map[int64]string{}
	rows, err := e.limitDB.QueryContext(ctx, "SELECT id, email FROM wp_fct_customers ORDER BY id LIMIT 5000")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			return err
		}
		e.emails[id] = email
	}
	return e.limitDB.QueryRowContext(ctx, "SELECT MAX(id) FROM wp_fct_customers").Scan(&e.maxFC)
}

func (e *benchEnv) close() {
	if e.sidecar != nil && e.sidecar.Process != nil {
		_ = e.sidecar.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = e.sidecar.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = e.sidecar.Process.Kill()
		}
	}
	e.tb.cleanup()
	if e.limitDB != nil {
		e.limitDB.Close()
	}
	if e.admin != nil {
		e.admin.Close()
	}
}

// describe is the table's heading: date, CPU, dataset.
func (e *benchEnv) describe() string {
	ws := "every customer"
	if e.o.workingSet > 0 {
		ws = fmt.Sprintf("the first %d customers", e.o.workingSet)
	}
	cache := ""
	if e.o.cache {
		cache = ", sidecar with --cache"
	}
	return fmt.Sprintf("Measured %s on %s (%d cores), %d customers per plugin (GET one reads cycle over %s), %v per run%s, sidecar and load generator on the same machine.",
		time.Now().UTC().Format("2006-01-02"), cpuModel(), runtime.NumCPU(), e.o.customers, ws, e.o.duration, cache)
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func basic(userpass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(userpass))
}

// scenario is one measured request type.
type scenario struct {
	name string
	want int
	req  request
	// header is the credential header the request carries (the HTTP floor checks the same one).
	header string
	// tail: also measured at a constant rate against the HTTP floor.
	tail bool
	// gate: the targets make bench holds this scenario to (nil: none).
	gate *target
	// list: a list or search, measured again with the indexes doctor --indexes advises.
	list bool
}

func (e *benchEnv) scenarios() []scenario {
	fcAuth := basic(adminAppPassword)
	get := func(path string, hdr map[string]string) func(int64) (*http.Request, error) {
		return func(n int64) (*http.Request, error) {
			req, err := http.NewRequest(http.MethodGet, e.base+path, nil)
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			return req, err
		}
	}
	// The single-row reads walk the customers in a fixed stride (7919 is prime: every id comes before any repeats),
	// over the whole table, or over the first --working-set ids (with --cache by default 1,000: over 100,000 rows a
	// run of a few tens of thousands of requests would never read a customer twice, and measure only misses).
	fcN, lpN := e.maxFC, int64(e.o.customers+50)
	if ws := int64(e.o.workingSet); ws > 0 {
		fcN, lpN = min(fcN, ws), min(lpN, ws)
	}
	fcID := func(n int64) int64 { return 1 + (n*7919)%fcN }
	lpID := func(n int64) int64 { return 1 + (n*7919)%lpN }
	names := []string{"smith", "garcia", "anna", "lee", "müller", "martin"}
	one := e.targets()
	return []scenario{
		{name: "FluentCart GET one customer", want: 200, tail: true, gate: one, req: func(n int64) (*http.Request, error) {
			return get(fmt.Sprintf("/wp-json/fluent-cart/v2/customers/%d", fcID(n)), map[string]string{"Authorization": fcAuth})(n)
		}},
		{name: "LatePoint GET one customer", want: 200, header: "X-API-Key", tail: true, gate: one, req: func(n int64) (*http.Request, error) {
			return get(fmt.Sprintf("/wp-json/latepoint-api/v1/customers/%d", lpID(n)), map[string]string{"X-API-Key": e.apiKey})(n)
		}},
		{name: "WordPress users/me", want: 200, tail: true, gate: one, req: get("/wp-json/wp/v2/users/me", map[string]string{"Authorization": fcAuth})},
		{name: "FluentCart list page 1 (per_page 10)", want: 200, list: true, req: get("/wp-json/fluent-cart/v2/customers?page=1&per_page=10", map[string]string{"Authorization": fcAuth})},
		{name: "FluentCart list sorted by LTV", want: 200, list: true, req: get("/wp-json/fluent-cart/v2/customers?page=1&per_page=10&sort_by=ltv&sort_type=desc", map[string]string{"Authorization": fcAuth})},
		{name: "FluentCart search", want: 200, list: true, req: func(n int64) (*http.Request, error) {
			return get("/wp-json/fluent-cart/v2/customers?per_page=10&search="+names[n%int64(len(names))], map[string]string{"Authorization": fcAuth})(n)
		}},
		{name: "FluentCart PUT update", want: 200, req: func(n int64) (*http.Request, error) {
			id := 51 + (n*7919)%int64(len(e.emails)-50) // generated customers: unique e-mails (the demo seed has a case-duplicate pair)
			// FluentCart's admin screen sends the whole customer; the body's id exempts its own e-mail from the
			// duplicate check (fluentcart-customers.md §5.4).
			body, _ := json.Marshal(map[string]any{"id": id, "full_name": fmt.Sprintf("Bench Run%d", n%1000),
				"email": e.emails[id], "status": "active", "notes": "updated by wpbench"})
			req, err := http.NewRequest(http.MethodPut, fmt.Sprintf("%s/wp-json/fluent-cart/v2/customers/%d", e.base, id), bytes.NewReader(body))
			if err == nil {
				req.Header.Set("Authorization", fcAuth)
				req.Header.Set("Content-Type", "application/json")
			}
			return req, err
		}},
		{name: "LatePoint GET with include=stats,bookings", want: 200, header: "X-API-Key", req: func(n int64) (*http.Request, error) {
			return get(fmt.Sprintf("/wp-json/latepoint-api/v1/customers/%d?include=stats,bookings", lpID(n)), map[string]string{"X-API-Key": e.apiKey})(n)
		}},
		{name: "LatePoint list", want: 200, header: "X-API-Key", list: true, req: get("/wp-json/latepoint-api/v1/customers", map[string]string{"X-API-Key": e.apiKey})},
		{name: "LatePoint POST create", want: 201, header: "X-API-Key", req: func(int64) (*http.Request, error) {
			n := e.created.Add(1) // unique across the warm-up and measured runs: every create is a new person
			body, _ := json.Marshal(map[string]any{"first_name": "Bench", "last_name": "Create",
				"email": fmt.Sprintf("bench-%s-%d@example.com", e.runID, n), "phone": "+1 555 0100"})
			req, err := http.NewRequest(http.MethodPost, e.base+"/wp-json/latepoint-api/v1/customers", bytes.NewReader(body))
			if err == nil {
				req.Header.Set("X-API-Key", e.apiKey)
				req.Header.Set("Content-Type", "application/json")
			}
			return req, err
		}},
	}
}

// measurePHP runs the PHP reference: WordPress 6.1 from Debian on nginx + php-fpm (opcache on, pm static with
// cores×2 workers) answering /wp-json/wp/v2/users/me for the phpass Application Password.
func (e *benchEnv) measurePHP(ctx context.Context, conns int, d time.Duration) (*result, error) {
	if e.php == nil {
		if m := phpsite.Missing(); m != "" {
			return nil, fmt.Errorf("%s not installed (run .ci/php.sh as root)", m)
		}
		db := &wptest.DB{Name: e.o.dbName, DSN: e.dsn, Prefix: "wp_", DB: e.limitDB}
		var err error
		func() {
			defer e.tb.recoverFatal(&err)
			e.php = phpsite.Start(e.tb, db, phpsite.Options{Workers: 2 * runtime.NumCPU()})
			e.php.Install(e.tb)
		}()
		if err != nil {
			return nil, err
		}
		logf("PHP reference on %s", e.php.URL)
	}
	auth := basic(oldadminAppPassword)
	mk := func(n int64) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, e.php.URL+"/wp-json/wp/v2/users/me", nil)
		if err == nil {
			req.Header.Set("Authorization", auth)
		}
		return req, err
	}
	runLoad(ctx, newClient(conns), conns, 2*time.Second, 200, mk)
	r := runLoad(ctx, newClient(conns), conns, d, 200, mk)
	return &r, nil
}

// applyIndexes runs the CREATE INDEX statements `wpsidecar doctor --indexes` prints on the benchmark database and
// returns the function that drops them again (the database is reused with --reuse-db).
func (e *benchEnv) applyIndexes(ctx context.Context) (drop func(), err error) {
	out, err := exec.CommandContext(ctx, filepath.Join(e.o.bin, "wpsidecar"), "doctor", "--indexes", "--dsn", e.dsn).Output()
	if err != nil {
		return nil, fmt.Errorf("doctor --indexes: %w", err)
	}
	var drops []string
	drop = func() {
		for _, q := range drops {
			if _, err := e.limitDB.ExecContext(context.Background(), q); err != nil {
				logf("%s: %v", q, err)
			}
		}
	}
	re := regexp.MustCompile("(?m)^CREATE INDEX `([^`]+)` ON `([^`]+)` .*;$")
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		logf("applying %s", m[0])
		if _, err := e.limitDB.ExecContext(ctx, m[0]); err != nil {
			drop()
			return nil, fmt.Errorf("%s: %w", m[0], err)
		}
		drops = append(drops, "DROP INDEX `"+m[1]+"` ON `"+m[2]+"`")
	}
	return drop, nil
}

// profile fetches a CPU profile of the sidecar over d into file (make bench --cpuprofile DIR).
func (e *benchEnv) profile(ctx context.Context, d time.Duration, file string) {
	secs := int(d / time.Second)
	if e.adminURL == "" || secs < 1 {
		return
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", e.adminURL, secs), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		logf("profile: %v", err)
		return
	}
	defer resp.Body.Close()
	f, err := os.Create(file)
	if err != nil {
		logf("profile: %v", err)
		return
	}
	defer f.Close()
	if _, err := io.Copy(f, resp.Body); err == nil {
		logf("CPU profile of the sidecar: %s", file)
	}
}
