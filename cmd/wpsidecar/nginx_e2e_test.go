package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest/phpsite"
)

// buildSidecar compiles this command once per test binary run.
var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

func sidecarBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wpsidecar-bin")
		if err != nil {
			buildErr = err
			return
		}
		buildPath = filepath.Join(dir, "wpsidecar")
		out, err := exec.Command("go", "build", "-o", buildPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// sidecarProc is one `wpsidecar serve` process.
type sidecarProc struct {
	cmd  *exec.Cmd
	port int
	log  string
}

func startSidecar(t *testing.T, dsn, prefix, wpConfig string, port int, extra ...string) *sidecarProc { // extra flags override the defaults
	t.Helper()
	bin := sidecarBinary(t)
	logPath := filepath.Join(t.TempDir(), fmt.Sprintf("sidecar-%d-%d.log", port, time.Now().UnixNano()))
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	p := &sidecarProc{port: port, log: logPath}
	args := append([]string{"serve", "--dsn", dsn, "--table-prefix", prefix, "--wp-config", wpConfig,
		"--listen", fmt.Sprintf("127.0.0.1:%d", port), "--admin-listen", "off", "--shutdown-timeout", "10s"}, extra...)
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	// The port may still be held for a moment by a process that is shutting down.
	deadline := time.Now().Add(20 * time.Second)
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", port))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logPath)
			t.Fatalf("sidecar on %d not ready:\n%s", port, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Cleanup(func() { p.kill() })
	return p
}

func (p *sidecarProc) kill() {
	if p.cmd.Process != nil && p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	}
}

func (p *sidecarProc) term() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	return p.cmd.Wait()
}

// deployNginx returns the http {} and server {} parts of deploy/nginx/wpsidecar.conf with its include files placed
// in the site's directory and pointed at this site's php-fpm socket, and the sidecars as the upstream servers.
func deployNginx(t *testing.T, sidecarPorts []int) phpsite.Options {
	t.Helper()
	root := wptest.RepoRoot()
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(root, "deploy", "nginx", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	conf := read("wpsidecar.conf")
	httpStart := strings.Index(conf, "# ---- http {} context")
	serverStart := strings.Index(conf, "# ---- server {} context")
	if httpStart < 0 || serverStart < 0 {
		t.Fatal("deploy/nginx/wpsidecar.conf lost its section markers")
	}
	httpPart, serverPart := conf[httpStart:serverStart], conf[serverStart:]
	var servers strings.Builder
	for _, p := range sidecarPorts {
		fmt.Fprintf(&servers, "    server 127.0.0.1:%d max_fails=0;\n", p)
	}
	httpPart = strings.Replace(httpPart, "    server 127.0.0.1:8080 max_fails=0;\n", servers.String(), 1)
	return phpsite.Options{
		Workers:   4,
		NginxHTTP: func(*phpsite.Site) string { return httpPart },
		NginxServer: func(s *phpsite.Site) string {
			proxyConf := filepath.Join(s.Dir, "wpsidecar-proxy.conf")
			phpConf := filepath.Join(s.Dir, "wpsidecar-php.conf")
			php := strings.Replace(read("wpsidecar-php.conf"), "unix:/run/php/php-fpm.sock", "unix:"+s.FPMSocket, 1)
			php = strings.Replace(php, "include fastcgi_params;", "include /etc/nginx/fastcgi_params;", 1)
			if err := os.WriteFile(proxyConf, []byte(read("wpsidecar-proxy.conf")), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(phpConf, []byte(php), 0o644); err != nil {
				t.Fatal(err)
			}
			server := strings.ReplaceAll(serverPart, "/etc/nginx/wpsidecar-proxy.conf", proxyConf)
			server = strings.ReplaceAll(server, "/etc/nginx/wpsidecar-php.conf", phpConf)
			return fmt.Sprintf(`
        listen 127.0.0.1:%d;
        server_name _;
        root %s;
        index index.php;
%s
        location / {
            try_files $uri $uri/ /index.php?$args;
        }
        location ~ \.php$ {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
            fastcgi_param HTTP_AUTHORIZATION $http_authorization;
            fastcgi_pass unix:%s;
        }
`, s.Port, s.Docroot, server, s.FPMSocket)
		},
		MuPlugins: map[string]string{"wpsidecar-e2e.php": mustRead(t, filepath.Join(root, "testdata", "e2e", "wpsidecar-e2e.php"))},
	}
}

func mustRead(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type nginxAnswer struct {
	status int
	byPHP  bool
	body   string
}

func fetch(t *testing.T, method, url string, header map[string]string, body string) nginxAnswer {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return nginxAnswer{status: resp.StatusCode, byPHP: resp.Header.Get("X-Answered-By") == "php", body: string(b)}
}

const adminBasic = "admin:AdmN 1234 AbCd 5678 EfGh 9012"

func basicAuth(up string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(up)) }

// Real nginx + php-fpm + Debian's WordPress + the sidecar behind deploy/nginx/wpsidecar.conf: owned routes are
// answered by the sidecar, everything else by PHP; when the sidecar is down PHP answers the owned routes too; a
// graceful restart under load loses no request.
func TestNginxRouteOverride(t *testing.T) {
	phpsite.Require(t)
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpe_", Seed: true})
	port := freeTCPPort(t)
	site := phpsite.Start(t, db, deployNginx(t, []int{port}))
	site.Install(t)
	sc := startSidecar(t, db.DSN, "wpe_", site.ConfigPath, port)
	admin := map[string]string{"Authorization": basicAuth(adminBasic)}

	// Owned routes, in every URL form, are answered by the sidecar.
	for _, path := range []string{"/wp-json/fluent-cart/v2/customers?per_page=2", "/?rest_route=/fluent-cart/v2/customers&per_page=2",
		"/index.php?rest_route=%2Ffluent-cart%2Fv2%2Fcustomers&per_page=2", "/index.php/wp-json/fluent-cart/v2/customers?per_page=2",
		"/wp-json/FLUENT-CART/v2/customers/?per_page=2"} {
		a := fetch(t, "GET", site.URL+path, admin, "")
		if a.byPHP || a.status != 200 || !strings.HasPrefix(a.body, `{"customers":{`) {
			t.Errorf("GET %s: status %d byPHP %v body %.120s", path, a.status, a.byPHP, a.body)
		}
	}
	// Routes the sidecar does not own go to PHP: another namespace, and a path inside an owned namespace.
	for _, path := range []string{"/wp-json/wpsidecar-e2e/v1/ping", "/wp-json/latepoint-api/v1/bookings", "/?rest_route=/wpsidecar-e2e/v1/ping"} {
		if a := fetch(t, "GET", site.URL+path, nil, ""); !a.byPHP || a.status != 200 {
			t.Errorf("GET %s: status %d byPHP %v body %.200s", path, a.status, a.byPHP, a.body)
		}
	}
	if a := fetch(t, "POST", site.URL+"/wp-json/latepoint-api/v1/bookings", map[string]string{"Content-Type": "application/json"}, `{"x":1}`); !a.byPHP || !strings.Contains(a.body, `"method":"POST"`) {
		t.Errorf("a POST handed back to PHP keeps its method: %d %s", a.status, a.body)
	}
	// The sidecar's own error answers are final: never retried on PHP, 4xx or 5xx.
	direct := fetch(t, "GET", fmt.Sprintf("http://127.0.0.1:%d/wp-json/latepoint-api/v1/customers", port), nil, "")
	viaNginx := fetch(t, "GET", site.URL+"/wp-json/latepoint-api/v1/customers", nil, "")
	if viaNginx.byPHP || viaNginx.status != direct.status || viaNginx.body != direct.body || direct.status != 401 {
		t.Errorf("sidecar 401 must reach the client: direct %d %s, via nginx %d byPHP=%v %s", direct.status, direct.body, viaNginx.status, viaNginx.byPHP, viaNginx.body)
	}
	db.Exec(t, "RENAME TABLE {prefix}latepoint_customers TO {prefix}latepoint_customers_away")
	key := createKey(t, db.DSN, "wpe_", site.ConfigPath, "customers:read")
	lp := map[string]string{"X-API-Key": key}
	direct = fetch(t, "GET", fmt.Sprintf("http://127.0.0.1:%d/wp-json/latepoint-api/v1/customers", port), lp, "")
	viaNginx = fetch(t, "GET", site.URL+"/wp-json/latepoint-api/v1/customers", lp, "")
	db.Exec(t, "RENAME TABLE {prefix}latepoint_customers_away TO {prefix}latepoint_customers")
	if direct.status < 500 || viaNginx.byPHP || viaNginx.status != direct.status {
		t.Errorf("sidecar 5xx must reach the client: direct %d %s, via nginx %d byPHP=%v %s", direct.status, direct.body, viaNginx.status, viaNginx.byPHP, viaNginx.body)
	}

	// Sidecar killed → nginx serves the owned routes from PHP; restarted → back to Go.
	sc.kill()
	if a := fetch(t, "GET", site.URL+"/wp-json/fluent-cart/v2/customers", admin, ""); !a.byPHP || a.status != 200 {
		t.Errorf("sidecar down: status %d byPHP %v %s", a.status, a.byPHP, a.body)
	}
	if a := fetch(t, "POST", site.URL+"/?rest_route=/fluent-cart/v2/customers", map[string]string{"Content-Type": "application/json"}, `{"a":1}`); !a.byPHP || !strings.Contains(a.body, `"method":"POST"`) {
		t.Errorf("sidecar down, POST falls back with its body and method: %d %s", a.status, a.body)
	}
	sc = startSidecar(t, db.DSN, "wpe_", site.ConfigPath, port)
	if a := fetch(t, "GET", site.URL+"/wp-json/fluent-cart/v2/customers", admin, ""); a.byPHP || a.status != 200 {
		t.Errorf("sidecar back: status %d byPHP %v", a.status, a.byPHP)
	}

	// Graceful restart while 50 clients run: every request gets a 2xx from one side or the other.
	var total, failed, fromPHP atomic.Int64
	var firstFail atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 20 * time.Second}
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("GET", site.URL+"/wp-json/fluent-cart/v2/customers?per_page=1", nil)
				req.Header.Set("Authorization", admin["Authorization"])
				resp, err := client.Do(req)
				total.Add(1)
				if err != nil {
					failed.Add(1)
					firstFail.CompareAndSwap(nil, err.Error())
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode < 200 || resp.StatusCode > 299 {
					failed.Add(1)
					firstFail.CompareAndSwap(nil, fmt.Sprintf("%d %s", resp.StatusCode, bytes.TrimSpace(b)))
				}
				if resp.Header.Get("X-Answered-By") == "php" {
					fromPHP.Add(1)
				}
			}
		}()
	}
	time.Sleep(700 * time.Millisecond)
	if err := sc.term(); err != nil {
		t.Errorf("graceful stop: %v", err)
	}
	startSidecar(t, db.DSN, "wpe_", site.ConfigPath, port) // stopped by its t.Cleanup
	time.Sleep(700 * time.Millisecond)
	close(stop)
	wg.Wait()
	t.Logf("graceful restart: %d requests, %d answered by PHP meanwhile, %d failed", total.Load(), fromPHP.Load(), failed.Load())
	if failed.Load() > 0 || total.Load() < 50 {
		t.Errorf("%d of %d requests failed during a graceful restart (first: %v)", failed.Load(), total.Load(), firstFail.Load())
	}
}

// createKey runs `wpsidecar keys create` and returns the plaintext key (its last output line).
func createKey(t *testing.T, dsn, prefix, wpConfig, perms string) string {
	t.Helper()
	out, err := exec.Command(sidecarBinary(t), "keys", "create", "--dsn", dsn, "--table-prefix", prefix, "--wp-config", wpConfig,
		"--name", "e2e", "--env", "live", "--permissions", perms).Output()
	if err != nil {
		t.Fatalf("keys create: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// Three sidecar instances behind one nginx upstream enforce one API key's per-minute limit within 10%.
func TestSharedRateLimitAcrossInstances(t *testing.T) {
	phpsite.Require(t)
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpr_", Seed: true})
	ports := []int{freeTCPPort(t), freeTCPPort(t), freeTCPPort(t)}
	site := phpsite.Start(t, db, deployNginx(t, ports))
	site.Install(t)
	for _, p := range ports {
		startSidecar(t, db.DSN, "wpr_", site.ConfigPath, p)
	}
	key := createKey(t, db.DSN, "wpr_", site.ConfigPath, "customers:read")
	const limit = 60
	db.Exec(t, "UPDATE {prefix}wpsidecar_api_keys SET limit_per_minute = ?, limit_per_hour = 100000", limit)
	// Stay inside one fixed minute window.
	if s := time.Now().Second(); s > 40 {
		time.Sleep(time.Duration(62-s) * time.Second)
	}
	var ok, limited, other atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				a := fetch(t, "GET", site.URL+"/wp-json/latepoint-api/v1/customers?per_page=1", map[string]string{"X-API-Key": key}, "")
				switch {
				case a.status == 200 && !a.byPHP:
					ok.Add(1)
				case a.status == 429:
					limited.Add(1)
				default:
					other.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("3 instances, limit %d/min: %d allowed, %d limited, %d other", limit, ok.Load(), limited.Load(), other.Load())
	if other.Load() != 0 {
		t.Errorf("%d unexpected answers", other.Load())
	}
	if got := ok.Load(); got < limit*9/10 || got > limit*11/10 {
		t.Errorf("allowed %d requests, want %d ± 10%%", got, limit)
	}
}
