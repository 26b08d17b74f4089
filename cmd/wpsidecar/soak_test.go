//go:build soak

package main

// `make soak` (not part of `make test`): mixed traffic over every namespace through real nginx for about ten
// minutes while faults are injected on a schedule, then a reconciliation of every write against the database and
// one table (README "Faults"). Everything runs on loopback against a private MariaDB primary and replica this test
// starts itself in a temporary directory — the shared development server is never stopped.
//
//	WPSIDECAR_SOAK_SPACING   time between faults (default 60s; the run lasts about 8 spacings)
//	WPSIDECAR_SOAK_WORKERS   client workers (default 12), each paced to WPSIDECAR_SOAK_RATE requests/s (default 3)
//	WPSIDECAR_SOAK_TABLE     file the table is also written to

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/unified"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpauth"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest/phpsite"
)

// ---- private MariaDB -------------------------------------------------------------------------------------------

type mariadb struct {
	name, dir, sock string
	port            int
	args            []string
	cmd             *exec.Cmd
}

func newMariaDB(t *testing.T, name string, port int, extra ...string) *mariadb {
	t.Helper()
	dir, err := os.MkdirTemp("", "soakdb-"+name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	m := &mariadb{name: name, dir: dir, sock: filepath.Join(dir, "mysqld.sock"), port: port}
	out, err := exec.Command("mariadb-install-db", "--no-defaults", "--user=root", "--datadir="+filepath.Join(dir, "data"),
		"--auth-root-authentication-method=normal", "--skip-test-db").CombinedOutput()
	if err != nil {
		t.Fatalf("mariadb-install-db: %v\n%s", err, out)
	}
	m.args = append([]string{"--no-defaults", "--user=root", "--datadir=" + filepath.Join(dir, "data"), "--socket=" + m.sock,
		fmt.Sprintf("--port=%d", port), "--bind-address=127.0.0.1", "--log-error=" + filepath.Join(dir, "err.log"),
		"--pid-file=" + filepath.Join(dir, "mysqld.pid"),
		"--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_520_ci", "--innodb-buffer-pool-size=128M",
		"--innodb-flush-log-at-trx-commit=1", "--max-connections=500", "--skip-name-resolve"}, extra...)
	m.start(t)
	t.Cleanup(m.stop)
	return m
}

func (m *mariadb) start(t *testing.T) {
	t.Helper()
	m.cmd = exec.Command("mariadbd", m.args...)
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := m.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for exec.Command("mariadb-admin", "--socket="+m.sock, "-uroot", "ping").Run() != nil {
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(m.dir, "err.log"))
			t.Fatalf("%s did not start:\n%s", m.name, b)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stop shuts the server down cleanly (SIGTERM) and waits.
func (m *mariadb) stop() {
	if m.cmd == nil || m.cmd.Process == nil {
		return
	}
	_ = m.cmd.Process.Signal(syscall.SIGCONT)
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		_ = m.cmd.Process.Kill()
		<-done
	}
	m.cmd = nil
}

func (m *mariadb) signal(sig syscall.Signal) {
	if m.cmd != nil && m.cmd.Process != nil {
		_ = m.cmd.Process.Signal(sig)
	}
}

func (m *mariadb) sql(t *testing.T, q string) string {
	t.Helper()
	out, err := exec.Command("mariadb", "--socket="+m.sock, "-uroot", "-N", "-B", "-e", q).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %s: %v\n%s", m.name, q, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (m *mariadb) dsn() string { return "root@unix(" + m.sock + ")/" }

// ---- traffic ---------------------------------------------------------------------------------------------------

type outcome string

const (
	oOK       outcome = "2xx"
	oRefused  outcome = "4xx intended" // bad credentials / bad body, answered as such
	o4xxOther outcome = "4xx unexpected"
	o503      outcome = "503 db fault"
	oUnknown  outcome = "500 outcome_unknown"
	o5xxPlan  outcome = "5xx planned (PHP's own)"
	o5xx      outcome = "5xx failure"
	oPHP      outcome = "answered by PHP"
	oNet      outcome = "transport error"
)

var outcomeOrder = []outcome{oOK, oRefused, o4xxOther, o503, oUnknown, o5xxPlan, o5xx, oPHP, oNet}

type sample struct {
	start, end time.Time
	op         string
	out        outcome
	status     int
	body       string
}

type write struct {
	kind   string // fc_create, lp_create, fc_update, lp_update, lp_delete, uni_update
	key    string // e-mail, or customer id / uuid
	value  string // marker written
	out    outcome
	seq    int
	worker int
}

type soak struct {
	t       *testing.T
	base    string // nginx
	admin   string // sidecar admin listener
	client  *http.Client
	mu      sync.Mutex
	samples []sample
	writes  []write
	seq     int
	adminA  string
	cookie  phpsite.Cookie
	nonce   string
	lpKey   string
	uniID   string
	uniSec  string
}

func (s *soak) record(sm sample, w *write) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.samples = append(s.samples, sm)
	if w != nil {
		s.seq++
		w.seq = s.seq
		w.out = sm.out
		s.writes = append(s.writes, *w)
	}
}

var codeRe = regexp.MustCompile(`"code":"([a-z_]+)"`)

// classify an answer; intended says which 4xx statuses the request was built to get.
func classify(status int, hdr http.Header, body string, err error, intended ...int) outcome {
	if err != nil {
		return oNet
	}
	if hdr.Get("X-Answered-By") == "php" {
		return oPHP
	}
	code := ""
	if m := codeRe.FindStringSubmatch(body); m != nil {
		code = m[1]
	}
	switch {
	case status < 300:
		return oOK
	case status == 503 && (code == "wpsidecar_db_timeout" || code == "wpsidecar_db_unavailable" || code == "latepoint_not_available"):
		return o503
	case status == 500 && code == "wpsidecar_outcome_unknown":
		return oUnknown
	case status == 500 && code == "plugin_exception":
		return o5xxPlan
	case status >= 500:
		return o5xx
	}
	for _, s := range intended {
		if s == status {
			return oRefused
		}
	}
	return o4xxOther
}

func (s *soak) do(op, method, path string, hdr map[string]string, body string, w *write, intended ...int) (int, string) {
	req, _ := http.NewRequest(method, s.base+path, strings.NewReader(body))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := s.client.Do(req)
	var status int
	var b []byte
	var h http.Header
	if err == nil {
		b, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		status, h = resp.StatusCode, resp.Header
	}
	out := classify(status, h, string(b), err, intended...)
	sm := sample{start: start, end: time.Now(), op: op, out: out, status: status}
	if out == o4xxOther || out == o5xx {
		sm.body = fmt.Sprintf("%s %s → %d %.200s %v", method, path, status, b, err)
	}
	s.record(sm, w)
	return status, string(b)
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// worker state: its own FluentCart and LatePoint customers and unified uuid, so that its updates are sequential.
type worker struct {
	id      int
	fcID    string
	fcEmail string
	lpID    string
	uniUUID string
	lpMine  [][2]string // LatePoint customers this worker created (acknowledged): id, e-mail; deleted later
	rnd     *mrand.Rand
	counter int
}

func (s *soak) signed(method, target, body string) map[string]string {
	h := unified.SignedHeaders(s.uniID, s.uniSec, method, target, time.Now().Unix(), []byte(body))
	h["Content-Type"] = "application/json"
	return h
}

func (s *soak) step(wk *worker) {
	wk.counter++
	marker := fmt.Sprintf("w%dn%d%s", wk.id, wk.counter, randHex(3))
	appAuth := map[string]string{"Authorization": s.adminA}
	lp := map[string]string{"X-API-Key": s.lpKey}
	switch r := wk.rnd.IntN(100); {
	case r < 8:
		s.do("wp users/me (app password)", "GET", "/wp-json/wp/v2/users/me", appAuth, "", nil)
	case r < 14:
		s.do("wp users/me (cookie+nonce)", "GET", "/wp-json/wp/v2/users/me", map[string]string{"Cookie": s.cookie.Header(), "X-WP-Nonce": s.nonce}, "", nil)
	case r < 17:
		s.do("jwt token", "POST", "/wp-json/jwt-auth/v1/token", nil, `{"username":"admin","password":"demo-admin-pass"}`, nil, 403)
	case r < 20:
		s.do("bad app password", "GET", "/wp-json/wp/v2/users/me", map[string]string{"Authorization": basicAuth("admin:wrong wrong wrong wrong")}, "", nil, 401)
	case r < 30:
		s.do("fc list", "GET", "/wp-json/fluent-cart/v2/customers?per_page=5&page="+strconv.Itoa(1+wk.rnd.IntN(3)), appAuth, "", nil)
	case r < 36:
		s.do("fc get", "GET", "/wp-json/fluent-cart/v2/customers/"+wk.fcID, appAuth, "", nil)
	case r < 38:
		s.do("fc bad select (PHP's 500)", "GET", "/wp-json/fluent-cart/v2/customers/"+wk.fcID+"?with[]=bogus", appAuth, "", nil)
	case r < 43:
		email := marker + "@soak.example.com"
		s.do("fc create", "POST", "/wp-json/fluent-cart/v2/customers", appAuth, `{"full_name":"Soak `+marker+`","email":"`+email+`"}`,
			&write{kind: "fc_create", key: email, worker: wk.id})
	case r < 49:
		s.do("fc update", "PUT", "/wp-json/fluent-cart/v2/customers/"+wk.fcID, appAuth,
			`{"id":`+wk.fcID+`,"full_name":"Soak `+marker+`","email":"`+wk.fcEmail+`"}`,
			&write{kind: "fc_update", key: wk.fcID, value: marker, worker: wk.id})
	case r < 51:
		s.do("fc bad body", "PUT", "/wp-json/fluent-cart/v2/customers/"+wk.fcID, appAuth, `{"id":`, nil, 400)
	case r < 59:
		s.do("lp list", "GET", "/wp-json/latepoint-api/v1/customers?per_page=5", lp, "", nil)
	case r < 63:
		s.do("lp get", "GET", "/wp-json/latepoint-api/v1/customers/"+wk.lpID, lp, "", nil)
	case r < 66:
		s.do("lp bad key", "GET", "/wp-json/latepoint-api/v1/customers/"+wk.lpID, map[string]string{"X-API-Key": "lp_live_" + randHex(20)}, "", nil, 401)
	case r < 71:
		email := marker + "@soak.example.com"
		st, body := s.do("lp create", "POST", "/wp-json/latepoint-api/v1/customers", lp,
			`{"first_name":"Soak","last_name":"`+letters(marker)+`","email":"`+email+`"}`, &write{kind: "lp_create", key: email, worker: wk.id})
		if st == 201 || st == 200 {
			var v struct {
				Data struct {
					ID json.Number `json:"id"`
				} `json:"data"`
			}
			if json.Unmarshal([]byte(body), &v) == nil && v.Data.ID != "" {
				wk.lpMine = append(wk.lpMine, [2]string{v.Data.ID.String(), email})
			}
		}
	case r < 76:
		s.do("lp update", "PUT", "/wp-json/latepoint-api/v1/customers/"+wk.lpID, lp, `{"last_name":"`+letters(marker)+`"}`,
			&write{kind: "lp_update", key: wk.lpID, value: letters(marker), worker: wk.id})
	case r < 79:
		if len(wk.lpMine) == 0 {
			s.do("lp bad body", "POST", "/wp-json/latepoint-api/v1/customers", lp, `{"first_name":`, nil, 400)
			return
		}
		c := wk.lpMine[0]
		wk.lpMine = wk.lpMine[1:]
		s.do("lp delete", "DELETE", "/wp-json/latepoint-api/v1/customers/"+c[0], lp, "", &write{kind: "lp_delete", key: c[0], value: c[1], worker: wk.id})
	case r < 86:
		target := "/wp-json/wpsidecar/v1/customers/" + wk.uniUUID + "?n=" + randHex(4) // a signature is single-use
		s.do("unified get", "GET", target, s.signed("GET", target, ""), "", nil)
	case r < 88:
		target := "/wp-json/wpsidecar/v1/customers/find-by-email?n=" + randHex(4) + "&email=" + url.QueryEscape(wk.fcEmail)
		s.do("unified find", "GET", target, s.signed("GET", target, ""), "", nil)
	case r < 90:
		target := "/wp-json/wpsidecar/v1/customers/" + wk.uniUUID
		h := s.signed("GET", target, "")
		h["x-signature"] = strings.Repeat("0", 64)
		s.do("unified bad signature", "GET", target, h, "", nil, 401)
	default:
		target := "/wp-json/wpsidecar/v1/customers/" + wk.uniUUID
		phone := fmt.Sprintf("+1 512 %03d %04d", wk.rnd.IntN(1000), wk.counter%10000)
		body := `{"mainPhone":"` + phone + `"}`
		s.do("unified update", "PUT", target, s.signed("PUT", target, body), body,
			&write{kind: "uni_update", key: wk.uniUUID, value: phone, worker: wk.id})
	}
}

// ---- faults ----------------------------------------------------------------------------------------------------

type faultRun struct {
	name       string
	start, end time.Time
	recovered  time.Duration // first 2xx from the sidecar to a request started after the end
	readyDown  time.Duration // /readyz 503 after the start (-1: never)
	readyUp    time.Duration // /readyz 200 again after the end
	during     map[outcome]int
	slowest    time.Duration
}

type readyPoll struct {
	at time.Time
	ok bool
}

func envDuration(name string, def time.Duration) time.Duration {
	if v := os.Getenv(name); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func scrape(t *testing.T, url string) string {
	resp, err := http.Get(url)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func metricValue(metrics, name string) float64 {
	for _, l := range strings.Split(metrics, "\n") {
		if strings.HasPrefix(l, name+" ") {
			v, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(l, name)), 64)
			return v
		}
	}
	return -1
}

// level is the sidecar's heap in use after a forced GC and its goroutine count.
func level(t *testing.T, admin string) (heap, goroutines float64) {
	scrape(t, admin+"/debug/pprof/heap?gc=1") // forces a collection
	m := scrape(t, admin+"/metrics")
	return metricValue(m, "go_memstats_heap_inuse_bytes"), metricValue(m, "go_goroutines")
}

func TestSoak(t *testing.T) {
	phpsite.Require(t)
	for _, bin := range []string{"mariadbd", "mariadb-install-db", "mariadb", "mariadb-admin"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Fatalf("%s not installed (run .ci/devdb.sh as root once)", bin)
		}
	}
	spacing := envDuration("WPSIDECAR_SOAK_SPACING", 60*time.Second)
	nWorkers := envInt("WPSIDECAR_SOAK_WORKERS", 12)
	rate := envInt("WPSIDECAR_SOAK_RATE", 3)

	// Private primary (binary log) and replica.
	primary := newMariaDB(t, "primary", freeTCPPort(t), "--server-id=1", "--log-bin=mysql-bin", "--binlog-format=ROW")
	primary.sql(t, "CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'repl'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1'")
	replica := newMariaDB(t, "replica", freeTCPPort(t), "--server-id=2", "--read-only=1")
	replica.sql(t, fmt.Sprintf("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%d, MASTER_USER='repl', MASTER_PASSWORD='repl', "+
		"MASTER_CONNECT_RETRY=1, MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=4; START SLAVE", primary.port))
	os.Setenv("WPSIDECAR_TEST_DSN", primary.dsn())

	db := wptest.NewDB(t, wptest.Options{Prefix: "wps_", Seed: true})
	db.Exec(t, "UPDATE {prefix}options SET option_value = ? WHERE option_name = 'active_plugins'",
		`a:3:{i:0;s:27:"fluent-cart/fluent-cart.php";i:1;s:23:"latepoint/latepoint.php";i:2;s:47:"jwt-authentication-for-wp-rest-api/jwt-auth.php";}`)
	port := freeTCPPort(t)
	opts := deployNginx(t, []int{port})
	opts.ExtraConfig = `define( 'JWT_AUTH_SECRET_KEY', 'soak-jwt-secret' );`
	site := phpsite.Start(t, db, opts)
	site.Install(t)

	// The sidecar reaches the primary through a TCP proxy (to cut its connections) and reads from the replica.
	proxy, proxied := wptest.NewFaultProxy(t, db.DSN)
	replicaDSN := strings.Replace(db.DSN, primary.sock, replica.sock, 1)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "secrets.key")
	adminPort := freeTCPPort(t)
	logPath := filepath.Join(dir, "sidecar.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	var sidecar *exec.Cmd
	startSC := func() {
		sidecar = exec.Command(sidecarBinary(t), "serve", "--dsn", proxied, "--read-dsn", replicaDSN, "--table-prefix", "wps_",
			"--wp-config", site.ConfigPath, "--listen", fmt.Sprintf("127.0.0.1:%d", port),
			"--admin-listen", fmt.Sprintf("127.0.0.1:%d", adminPort), "--shutdown-timeout", "15s", "--secrets-key-file", keyFile,
			"--db-timeout", "10s")
		sidecar.Stdout, sidecar.Stderr = logf, logf
		if err := sidecar.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", port)); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return
				}
			}
			if time.Now().After(deadline) {
				b, _ := os.ReadFile(logPath)
				t.Fatalf("sidecar not ready:\n%s", b)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// Wait for the replica to hold the site before the sidecar reads from it.
	for i := 0; ; i++ {
		if replica.sql(t, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"+db.Name+"'") ==
			primary.sql(t, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"+db.Name+"'") {
			break
		}
		if i > 300 {
			t.Fatalf("replica did not catch up: %s", replica.sql(t, "SHOW SLAVE STATUS\\G"))
		}
		time.Sleep(200 * time.Millisecond)
	}
	out, err := exec.Command(sidecarBinary(t), "clients", "create", "--dsn", db.DSN, "--table-prefix", "wps_", "--wp-config", site.ConfigPath,
		"--name", "soak", "--secrets-key-file", keyFile, "--rate-limit", "100000").CombinedOutput()
	if err != nil {
		t.Fatalf("clients create: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	idSecret := strings.Fields(lines[len(lines)-1])
	startSC()
	t.Cleanup(func() {
		if sidecar.Process != nil && sidecar.ProcessState == nil {
			_ = sidecar.Process.Kill()
			_ = sidecar.Wait()
		}
	})
	lpKey := createKey(t, db.DSN, "wps_", site.ConfigPath, "customers:read,customers:create,customers:update,customers:delete")
	db.Exec(t, "UPDATE {prefix}wpsidecar_api_keys SET limit_per_minute = 100000, limit_per_hour = 10000000")
	// The session is made by WordPress (session_tokens); the cookie and nonce for it are computed as WordPress 7.1
	// does (the test site's PHP is Debian's 6.1).
	phpCookie := site.AuthCookie(t, 1, "logged_in", 0)
	cfg, err := phpconfig.ParseConfigFile(site.ConfigPath, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	salt := func(k string) string { v, _ := cfg.String(k); return v }
	exp := time.Now().Add(48 * time.Hour).Unix()
	cookie := phpCookie
	cookie.Value = url.QueryEscape(wpauth.GenerateAuthCookie("admin", db.QueryString(t, "SELECT user_pass FROM {prefix}users WHERE ID = 1"),
		exp, phpCookie.Token, salt("LOGGED_IN_KEY")+salt("LOGGED_IN_SALT")))
	nonce := wpauth.CreateNonce("wp_rest", 1, phpCookie.Token, salt("NONCE_KEY")+salt("NONCE_SALT"), time.Now())
	s := &soak{t: t, base: site.URL, admin: fmt.Sprintf("http://127.0.0.1:%d", adminPort),
		client: &http.Client{Timeout: 30 * time.Second}, adminA: basicAuth(adminBasic), cookie: cookie,
		nonce: nonce, lpKey: lpKey, uniID: idSecret[0], uniSec: idSecret[1]}

	// Each worker's own customers.
	workers := make([]*worker, nWorkers)
	for i := range workers {
		wk := &worker{id: i, rnd: mrand.New(mrand.NewPCG(uint64(i), 42))}
		wk.fcEmail = fmt.Sprintf("soak-worker-%d@soak.example.com", i)
		st, body := s.do("setup", "POST", "/wp-json/fluent-cart/v2/customers", map[string]string{"Authorization": s.adminA},
			`{"full_name":"Soak Worker","email":"`+wk.fcEmail+`"}`, nil)
		var fc struct {
			Customer struct {
				ID json.Number `json:"id"`
			} `json:"customer"`
			Data struct {
				ID json.Number `json:"id"`
			} `json:"data"`
		}
		_ = json.Unmarshal([]byte(body), &fc)
		wk.fcID = db.QueryString(t, "SELECT IFNULL((SELECT id FROM {prefix}fct_customers WHERE email = ?), '')", wk.fcEmail)
		if wk.fcID == "" {
			t.Fatalf("setup FluentCart customer: %d %s", st, body)
		}
		st, body = s.do("setup", "POST", "/wp-json/latepoint-api/v1/customers", map[string]string{"X-API-Key": lpKey},
			fmt.Sprintf(`{"first_name":"Soak","last_name":"Worker%s","email":"soak-lp-%d@soak.example.com"}`, letters(strconv.Itoa(i)), i), nil)
		wk.lpID = db.QueryString(t, "SELECT IFNULL((SELECT id FROM {prefix}latepoint_customers WHERE email = ?), '')", fmt.Sprintf("soak-lp-%d@soak.example.com", i))
		if wk.lpID == "" {
			b, _ := os.ReadFile(logPath)
			t.Fatalf("setup LatePoint customer: %d %s\n%s", st, body, b)
		}
		target := "/wp-json/wpsidecar/v1/customers/find-by-email?email=" + url.QueryEscape(wk.fcEmail)
		st, body = s.do("setup", "GET", target, s.signed("GET", target, ""), "", nil)
		var u struct {
			Data struct {
				UUID string `json:"uuid"`
			} `json:"data"`
		}
		if json.Unmarshal([]byte(body), &u); u.Data.UUID == "" {
			t.Fatalf("setup unified uuid: %d %s", st, body)
		}
		wk.uniUUID = u.Data.UUID
		workers[i] = wk
	}
	s.mu.Lock()
	s.samples, s.writes = nil, nil
	s.mu.Unlock()

	// Traffic.
	ctx, stopTraffic := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	interval := time.Second / time.Duration(rate)
	for _, wk := range workers {
		wg.Add(1)
		go func(wk *worker) {
			defer wg.Done()
			next := time.Now()
			for ctx.Err() == nil {
				s.step(wk)
				next = next.Add(interval)
				if d := time.Until(next); d > 0 {
					select {
					case <-time.After(d):
					case <-ctx.Done():
					}
				} else {
					next = time.Now()
				}
			}
		}(wk)
	}
	// /readyz every 250 ms, straight to the sidecar.
	var polls []readyPoll
	var pollMu sync.Mutex
	wg.Add(1)
	go func() {
		defer wg.Done()
		c := &http.Client{Timeout: 5 * time.Second}
		for ctx.Err() == nil {
			at := time.Now()
			ok := false
			if resp, err := c.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", port)); err == nil {
				ok = resp.StatusCode == 200
				resp.Body.Close()
			}
			pollMu.Lock()
			polls = append(polls, readyPoll{at: at, ok: ok})
			pollMu.Unlock()
			time.Sleep(250 * time.Millisecond)
		}
	}()

	var faults []*faultRun
	inject := func(name string, fn func()) {
		f := &faultRun{name: name, start: time.Now()}
		t.Logf("%s fault: %s", f.start.Format("15:04:05"), name)
		fn()
		f.end = time.Now()
		faults = append(faults, f)
	}
	sleep := func(d time.Duration) { time.Sleep(d) }

	sleep(spacing / 2)
	inject("sidecar SIGTERM-restarted (PHP answers meanwhile)", func() {
		_ = sidecar.Process.Signal(syscall.SIGTERM)
		_ = sidecar.Wait()
		time.Sleep(2 * time.Second)
		startSC()
	})
	sleep(spacing)
	heap0, gor0 := level(t, s.admin)
	inject("database frozen 3 s (SIGSTOP)", func() {
		primary.signal(syscall.SIGSTOP)
		time.Sleep(3 * time.Second)
		primary.signal(syscall.SIGCONT)
	})
	sleep(spacing)
	inject("database frozen 20 s (SIGSTOP)", func() {
		primary.signal(syscall.SIGSTOP)
		time.Sleep(20 * time.Second)
		primary.signal(syscall.SIGCONT)
	})
	sleep(spacing)
	inject("database restarted", func() {
		primary.stop()
		primary.start(t)
	})
	sleep(spacing)
	inject("every database connection cut (TCP proxy)", func() { proxy.Cut() })
	sleep(spacing)
	inject("read replica stopped 20 s", func() {
		replica.stop()
		time.Sleep(20 * time.Second)
		replica.start(t)
	})
	sleep(30 * time.Second)
	heap1, gor1 := level(t, s.admin)
	sleep(spacing / 4)
	stopTraffic()
	wg.Wait()

	// Reconciliation, straight from the primary (the replica may lag).
	time.Sleep(2 * time.Second)
	type tally struct{ found, lost, failedAbsent, failedPresent, unknownFound, unknownAbsent, php, dup int }
	rec := map[string]*tally{}
	get := func(k string) *tally {
		if rec[k] == nil {
			rec[k] = &tally{}
		}
		return rec[k]
	}
	isAck := func(o outcome) bool { return o == oOK }
	isFailed := func(o outcome) bool { return o == o503 || o == oRefused || o == o4xxOther }
	var problems []string
	count := func(q string, args ...any) int {
		n, _ := strconv.Atoi(db.QueryString(t, q, args...))
		return n
	}
	lastValue := map[string][]write{} // per updated entity, its writes in order
	for _, w := range s.writes {
		tl := get(w.kind)
		switch w.kind {
		case "fc_create", "lp_create":
			table := "{prefix}fct_customers"
			if w.kind == "lp_create" {
				table = "{prefix}latepoint_customers"
			}
			n := count("SELECT COUNT(*) FROM "+table+" WHERE email = ?", w.key)
			if n > 1 {
				tl.dup++
				problems = append(problems, fmt.Sprintf("%s %s stored %d times", w.kind, w.key, n))
			}
			switch {
			case w.out == oPHP:
				tl.php++
			case isAck(w.out):
				if n >= 1 || (w.kind == "lp_create" && deletedLater(s.writes, w.key)) {
					tl.found++
				} else {
					tl.lost++
					problems = append(problems, fmt.Sprintf("acknowledged %s %s missing", w.kind, w.key))
				}
			case isFailed(w.out):
				if n == 0 {
					tl.failedAbsent++
				} else {
					tl.failedPresent++
					problems = append(problems, fmt.Sprintf("failed %s %s (%s) present", w.kind, w.key, w.out))
				}
			default:
				if n >= 1 {
					tl.unknownFound++
				} else {
					tl.unknownAbsent++
				}
			}
		case "lp_delete":
			n := count("SELECT COUNT(*) FROM {prefix}latepoint_customers WHERE id = ?", w.key)
			switch {
			case w.out == oPHP:
				tl.php++
			case isAck(w.out):
				if n == 0 {
					tl.found++
				} else {
					tl.lost++
					problems = append(problems, "acknowledged delete of LatePoint customer "+w.key+" not applied")
				}
			case isFailed(w.out):
				if n == 1 {
					tl.failedAbsent++
				} else {
					tl.failedPresent++
					problems = append(problems, "failed delete of LatePoint customer "+w.key+" applied")
				}
			default:
				if n == 0 {
					tl.unknownFound++
				} else {
					tl.unknownAbsent++
				}
			}
		default:
			lastValue[w.kind+"|"+w.key] = append(lastValue[w.kind+"|"+w.key], w)
		}
	}
	// Updates: per entity, the stored value is the last acknowledged write's, or an unknown one's after it; a
	// failed write's value is never stored.
	for k, ws := range lastValue {
		kind, key, _ := strings.Cut(k, "|")
		var stored string
		switch kind {
		case "fc_update":
			stored = db.QueryString(t, "SELECT CONCAT_WS(' ', first_name, last_name) FROM {prefix}fct_customers WHERE id = ?", key)
		case "lp_update":
			stored = db.QueryString(t, "SELECT last_name FROM {prefix}latepoint_customers WHERE id = ?", key)
		case "uni_update": // read back through the unified API itself, straight from the sidecar
			target := "/wp-json/wpsidecar/v1/customers/" + key
			req, _ := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d", port)+target, nil)
			for k, v := range s.signed("GET", target, "") {
				req.Header.Set(k, v)
			}
			if resp, err := http.DefaultClient.Do(req); err == nil {
				var v struct {
					Data struct {
						MainPhone string `json:"mainPhone"`
					} `json:"data"`
				}
				_ = json.NewDecoder(resp.Body).Decode(&v)
				resp.Body.Close()
				stored = v.Data.MainPhone
			}
		}
		tl := get(kind)
		lastAck := -1
		for i, w := range ws {
			if isAck(w.out) {
				lastAck = i
			}
		}
		allowed := map[string]bool{}
		if lastAck >= 0 {
			allowed[ws[lastAck].value] = true
		}
		for i := lastAck + 1; i < len(ws); i++ {
			if !isAck(ws[i].out) && !isFailed(ws[i].out) {
				allowed[ws[i].value] = true
			}
		}
		match := func(v string) bool {
			if kind == "fc_update" {
				return strings.Contains(stored, v)
			}
			return stored == v
		}
		ok := lastAck < 0 && len(allowed) == 0
		for v := range allowed {
			ok = ok || match(v)
		}
		for _, w := range ws {
			switch {
			case w.out == oPHP:
				tl.php++
			case isAck(w.out):
				tl.found++
			case isFailed(w.out):
				tl.failedAbsent++
				if match(w.value) && !allowed[w.value] {
					tl.failedAbsent--
					tl.failedPresent++
					problems = append(problems, fmt.Sprintf("failed %s of %s (%s) is stored", kind, key, w.value))
				}
			default:
				if match(w.value) {
					tl.unknownFound++
				} else {
					tl.unknownAbsent++
				}
			}
		}
		if !ok && lastAck >= 0 {
			tl.found--
			tl.lost++
			problems = append(problems, fmt.Sprintf("%s of %s: stored %q, last acknowledged %q", kind, key, stored, ws[lastAck].value))
		}
	}

	// The table.
	var b strings.Builder
	byOut := map[outcome]int{}
	var inF, outF []float64
	for _, sm := range s.samples {
		byOut[sm.out]++
		d := sm.end.Sub(sm.start).Seconds() * 1000
		in := false
		for _, f := range faults {
			if sm.end.After(f.start) && sm.start.Before(f.end.Add(2*time.Second)) {
				in = true
			}
		}
		if in {
			inF = append(inF, d)
		} else {
			outF = append(outF, d)
		}
	}
	for _, f := range faults {
		f.during = map[outcome]int{}
		for _, sm := range s.samples {
			if sm.end.After(f.start) && sm.start.Before(f.end.Add(2*time.Second)) {
				f.during[sm.out]++
				if d := sm.end.Sub(sm.start); d > f.slowest {
					f.slowest = d
				}
			}
		}
		f.recovered = -1
		var first time.Time
		for _, sm := range s.samples {
			if sm.start.After(f.end) && sm.out == oOK && (first.IsZero() || sm.end.Before(first)) {
				first = sm.end
			}
		}
		if !first.IsZero() {
			f.recovered = first.Sub(f.end)
		}
		f.readyDown, f.readyUp = -1, -1
		for _, p := range polls {
			if !p.ok && !p.at.Before(f.start) && p.at.Before(f.end) && f.readyDown < 0 {
				f.readyDown = p.at.Sub(f.start)
			}
			if p.ok && !p.at.Before(f.end) && f.readyUp < 0 {
				f.readyUp = p.at.Sub(f.end)
			}
		}
	}
	dur := s.samples[len(s.samples)-1].end.Sub(s.samples[0].start)
	fmt.Fprintf(&b, "Soak: %d workers × %d req/s through nginx for %s, faults %s apart (private MariaDB primary + replica, loopback)\n\n",
		nWorkers, rate, dur.Round(time.Second), spacing)
	fmt.Fprintf(&b, "| requests | %d |\n|---|---|\n", len(s.samples))
	for _, o := range outcomeOrder {
		fmt.Fprintf(&b, "| %s | %d |\n", o, byOut[o])
	}
	fmt.Fprintf(&b, "| p99 outside faults | %.0f ms (%d requests) |\n", p99(outF), len(outF))
	fmt.Fprintf(&b, "| p99 during faults (+2 s) | %.0f ms (%d requests) |\n", p99(inF), len(inF))
	fmt.Fprintf(&b, "| heap in use before / 30 s after the last fault | %.1f / %.1f MiB (%+.0f %%) |\n", heap0/(1<<20), heap1/(1<<20), 100*(heap1-heap0)/heap0)
	fmt.Fprintf(&b, "| goroutines before / 30 s after the last fault | %.0f / %.0f |\n", gor0, gor1)
	fmt.Fprintf(&b, "\n| writes | acknowledged: found | acknowledged: lost | failed: absent | failed: present | unknown: found | unknown: absent | by PHP (not checked) | duplicates |\n|---|---|---|---|---|---|---|---|---|\n")
	var kinds []string
	for k := range rec {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		tl := rec[k]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d | %d | %d |\n", k, tl.found, tl.lost, tl.failedAbsent, tl.failedPresent, tl.unknownFound, tl.unknownAbsent, tl.php, tl.dup)
	}
	fmt.Fprintf(&b, "\n| fault | lasted | answers meanwhile (+2 s): 2xx / 503 / unknown / PHP / other | slowest answer | /readyz 503 after | /readyz 200 again after | first 2xx after the end |\n|---|---|---|---|---|---|---|\n")
	for _, f := range faults {
		other := f.during[o5xx] + f.during[oNet] + f.during[o4xxOther]
		fmt.Fprintf(&b, "| %s | %.1f s | %d / %d / %d / %d / %d | %.1f s | %s | %s | %s |\n", f.name, f.end.Sub(f.start).Seconds(),
			f.during[oOK], f.during[o503], f.during[oUnknown], f.during[oPHP], other, f.slowest.Seconds(),
			secs(f.readyDown), secs(f.readyUp), secs(f.recovered))
	}
	table := b.String()
	fmt.Println(table)
	if p := os.Getenv("WPSIDECAR_SOAK_TABLE"); p != "" {
		_ = os.WriteFile(p, []byte(table), 0o644)
	}
	var odd []string
	for _, sm := range s.samples {
		if sm.body != "" && len(odd) < 15 {
			odd = append(odd, sm.body)
		}
	}
	if len(odd) > 0 {
		t.Logf("unexpected answers (first %d):\n%s", len(odd), strings.Join(odd, "\n"))
	}
	for _, p := range problems {
		t.Error(p)
	}
	if heap1 > heap0*1.2 {
		t.Errorf("heap grew from %.0f to %.0f bytes", heap0, heap1)
	}
	if gor1 > gor0+10 {
		t.Errorf("goroutines grew from %.0f to %.0f", gor0, gor1)
	}
	if byOut[o5xx] > 0 {
		t.Errorf("%d unplanned 5xx answers", byOut[o5xx])
	}
}

// deletedLater reports whether the LatePoint customer created with email was deleted later in the run by a delete
// that was not refused (the delete itself is checked by its own row).
func deletedLater(ws []write, email string) bool {
	for _, d := range ws {
		if d.kind == "lp_delete" && d.value == email && d.out != o503 && d.out != oRefused && d.out != o4xxOther {
			return true
		}
	}
	return false
}

func secs(d time.Duration) string {
	if d < 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func p99(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	sort.Float64s(v)
	return v[int(math.Ceil(0.99*float64(len(v))))-1]
}

// letters spells a marker with letters only (LatePoint names allow letters, spaces, hyphens and apostrophes).
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return 'g' + (r - '0')
		}
		return r
	}, s)
}
