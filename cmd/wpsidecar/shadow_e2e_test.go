package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest/phpsite"
)

// The sidecar's side of testdata/shadow/mu-plugins/wpsidecar-shadow-test.php, with switches the test uses to make
// it wrong or slow on purpose.
type shadowTestRoutes struct {
	bug       atomic.Bool  // the read answers a different email
	tooStrict atomic.Bool  // the write's validation refuses names longer than 8 characters (PHP accepts them)
	delay     atomic.Int64 // the read sleeps this long
	executed  atomic.Int64 // write callbacks run (must stay 0 in shadow mode)
	delegate  atomic.Bool  // both routes hand their requests to PHP (rest.Delegate)
}

const (
	testNS       = "wpsidecar-shadow-test/v1"
	itemPattern  = "/wpsidecar-shadow-test/v1/items/(?P<id>[0-9]+)"
	itemsPattern = "/wpsidecar-shadow-test/v1/items"
)

func (sr *shadowTestRoutes) register(rt *rest.Router) {
	rt.Register(testNS, "/items/(?P<id>[0-9]+)", rest.Handler{Methods: "GET", Callback: func(r *rest.Request) (*rest.Response, error) {
		if d := sr.delay.Load(); d > 0 {
			time.Sleep(time.Duration(d))
		}
		if sr.delegate.Load() {
			return nil, rest.Delegate("test_shape")
		}
		var item any
		raw, found, err := r.Site.Option(r.Ctx(), "wpsidecar_shadow_test_answer")
		if err != nil {
			return nil, err
		}
		if found {
			if item, err = wpjson.DecodeOrdered([]byte(raw)); err != nil {
				return nil, err
			}
		}
		if o, ok := item.(*wpjson.Object); ok && sr.bug.Load() {
			o.Set("email", "bug@example.com")
		}
		id, _ := strconv.Atoi(r.URLParams["id"])
		return rest.OK(wpjson.NewObject().Set("id", id).Set("item", item)).SetHeader("X-Answered-By", "go"), nil
	}})
	rt.Register(testNS, "/items", rest.Handler{
		Methods: "POST",
		Callback: func(r *rest.Request) (*rest.Response, error) {
			sr.executed.Add(1)
			name, _ := r.ParamString("name")
			return rest.NewResponse(201, wpjson.NewObject().Set("created", name)), nil
		},
		Validate: func(r *rest.Request) error {
			if sr.delegate.Load() {
				return rest.Delegate("test_shape")
			}
			name, ok := r.ParamString("name")
			if !ok {
				return rest.NewError("rest_missing_callback_param", "Missing parameter(s): name", 400).With("params", []any{"name"})
			}
			if sr.tooStrict.Load() && len(name) > 8 {
				return rest.NewError("name_too_long", "Name is too long.", 400)
			}
			return nil
		},
	})
}

// shadowCount reads a shadow counter from the admin listener's /metrics.
func shadowCount(m *metrics, method, route, result string) int {
	rec := httptest.NewRecorder()
	m.adminHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	prefix := fmt.Sprintf(`wpsidecar_shadow_requests_total{method=%q,result=%q,route=%q} `, method, result, route)
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			n, _ := strconv.ParseFloat(v, 64)
			return int(n)
		}
	}
	return 0
}

func waitCount(t *testing.T, m *metrics, method, route, result string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for shadowCount(m, method, route, result) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%s %s: %s = %d, want %d", method, route, result, shadowCount(m, method, route, result), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type answer struct {
	status int
	header http.Header
	body   string
	took   time.Duration
}

func send(t *testing.T, method, target, body string) answer {
	t.Helper()
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, target, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return answer{resp.StatusCode, resp.Header, string(b), time.Since(start)}
}

func logRecords(t *testing.T, path, typ string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("bad log line %q", sc.Text())
		}
		if m["type"] == typ {
			out = append(out, m)
		}
	}
	return out
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// newShadowRig starts real nginx + php-fpm + Debian's WordPress with the shadow-test mu-plugin, and the sidecar app
// in front of it in front-proxy mode with shadowTestRoutes registered and metrics on (shadow not started yet).
func newShadowRig(t *testing.T, prefix string) (*wptest.DB, *phpsite.Site, *app, *shadowTestRoutes, *metrics) {
	t.Helper()
	plugin, err := os.ReadFile(filepath.Join(wptest.RepoRoot(), "testdata", "shadow", "mu-plugins", "wpsidecar-shadow-test.php"))
	if err != nil {
		t.Fatal(err)
	}
	db := wptest.NewDB(t, wptest.Options{Prefix: prefix, Schemas: []string{"wordpress"}})
	php := phpsite.Start(t, db, phpsite.Options{MuPlugins: map[string]string{"wpsidecar-shadow-test.php": string(plugin)}, Workers: 4})
	php.Install(t)
	cfg, err := phpconfig.ParseConfigFile(php.ConfigPath, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	tables, _ := wpcompat.NewTables(db.Prefix)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	site := wpcompat.NewSite(db.DB, db.DB, tables, cfg, log)
	app := newApp(site, log)
	routes := &shadowTestRoutes{}
	routes.register(app.rest)
	upstream, _ := url.Parse(php.URL)
	app.proxy = newUpstreamProxy(upstream, log)
	m := newMetrics()
	app.metrics = m
	return db, php, app, routes, m
}

// End to end with real nginx + php-fpm + Debian's WordPress behind the sidecar in front-proxy mode, shadowing on:
// identical answers count as matches, a deliberately different answer is logged with a diff naming the field, a
// slow sidecar never delays the client, writes are judged (never executed twice), SIGHUP switches the route.
func TestShadowEndToEndWithWordPress(t *testing.T) {
	db, php, app, routes, m := newShadowRig(t, "wpsh_")
	setAnswer := func(v string) {
		db.Exec(t, "INSERT INTO "+db.Table("options")+" (option_name, option_value, autoload) VALUES ('wpsidecar_shadow_test_answer', ?, 'yes') ON DUPLICATE KEY UPDATE option_value = VALUES(option_value)", v)
	}
	setAnswer(`{"email":"ann@example.com","name":"Ann \u00c5berg","orders":[{"number":"A-1","total":"10.50"}],"tags":["x","y"],"meta":{}}`)

	dir := t.TempDir()
	logPath := filepath.Join(dir, "shadow.jsonl")
	cfgPath := filepath.Join(dir, "wpsidecar.toml")
	writeConfig := func(itemMode string) {
		text := fmt.Sprintf(`default_mode = "php"
[log]
path = %q
summary_interval = "1h"
[queue]
go_timeout = "500ms"
[[route]]
route = "GET %s"
mode = %q
[[route]]
route = "POST %s"
mode = "shadow"
`, logPath, itemPattern, itemMode, itemsPattern)
		if err := os.WriteFile(cfgPath, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeConfig("shadow")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sh, err := app.startShadow(ctx, cfgPath, m)
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	front := httptest.NewServer(app.handler())
	defer front.Close()

	// 1. Identical answers are matches; the client gets PHP's answer.
	for i := 1; i <= 10; i++ {
		a := send(t, "GET", front.URL+"/wp-json/wpsidecar-shadow-test/v1/items/"+strconv.Itoa(i), "")
		if a.status != 200 || a.header.Get("X-Answered-By") != "php" || !strings.Contains(a.body, `"email":"ann@example.com"`) {
			t.Fatalf("client got %d %v %s\n%s", a.status, a.header, a.body, php.Logs())
		}
	}
	waitCount(t, m, "GET", itemPattern, "match", 10)
	if n := shadowCount(m, "GET", itemPattern, "mismatch") + shadowCount(m, "GET", itemPattern, "go_error"); n != 0 {
		t.Fatalf("%d identical answers not counted as matches: %v", n, logRecords(t, logPath, "mismatch"))
	}

	// 2. A deliberately different answer: logged with a diff naming the field; the client still gets PHP's.
	routes.bug.Store(true)
	a := send(t, "GET", front.URL+"/wp-json/wpsidecar-shadow-test/v1/items/42?password=hunter2", "")
	if a.header.Get("X-Answered-By") != "php" || !strings.Contains(a.body, "ann@example.com") {
		t.Fatalf("client got %v %s", a.header, a.body)
	}
	waitCount(t, m, "GET", itemPattern, "mismatch", 1)
	routes.bug.Store(false)
	recs := logRecords(t, logPath, "mismatch")
	if len(recs) != 1 {
		t.Fatalf("%d mismatch records", len(recs))
	}
	raw, _ := json.Marshal(recs[0])
	if d := recs[0]["diff"].([]any); len(d) != 1 || d[0] != `item.email: php "ann@example.com" go "bug@example.com"` {
		t.Fatalf("diff %v", d)
	}
	if strings.Contains(string(raw), "hunter2") || !strings.Contains(string(raw), `"uri":"/wp-json/wpsidecar-shadow-test/v1/items/42?password=[REDACTED]"`) {
		t.Fatalf("request not logged as expected: %s", raw)
	}
	t.Logf("mismatch record: %s", raw)

	// 3. A slow sidecar never delays the client: the sidecar takes 1.5 s, past go_timeout (go_error).
	var direct, shadowed []time.Duration
	for i := 0; i < 5; i++ {
		direct = append(direct, send(t, "GET", php.URL+"/wp-json/wpsidecar-shadow-test/v1/items/7", "").took)
	}
	routes.delay.Store(int64(1500 * time.Millisecond))
	for i := 0; i < 5; i++ {
		a := send(t, "GET", front.URL+"/wp-json/wpsidecar-shadow-test/v1/items/7", "")
		if a.status != 200 || a.header.Get("X-Answered-By") != "php" {
			t.Fatalf("client got %d %v", a.status, a.header)
		}
		shadowed = append(shadowed, a.took)
	}
	t.Logf("client latency: PHP direct median %s; through the sidecar, shadowing a 1.5 s Go side: median %s, each %v",
		median(direct), median(shadowed), shadowed)
	for _, d := range shadowed {
		if d >= time.Second {
			t.Fatalf("a client waited %s for a 1.5 s sidecar", d)
		}
	}
	if median(shadowed) > median(direct)*2+100*time.Millisecond {
		t.Fatalf("shadowed median %s vs direct %s", median(shadowed), median(direct))
	}
	waitCount(t, m, "GET", itemPattern, "go_error", 5)
	routes.delay.Store(0)
	if e := logRecords(t, logPath, "go_error")[0]["error"].(string); !strings.Contains(e, "go_timeout 500ms") {
		t.Fatalf("go_error %q", e)
	}

	// 4. Writes: PHP writes, the sidecar only judges.
	for _, body := range []string{`{"name":"pen"}`, `{}`} {
		a := send(t, "POST", front.URL+"/wp-json/wpsidecar-shadow-test/v1/items", body)
		if a.header.Get("X-Answered-By") != "php" && a.status != 400 {
			t.Fatalf("write answered by %v: %d %s", a.header, a.status, a.body)
		}
	}
	waitCount(t, m, "POST", itemsPattern, "match", 2)
	routes.tooStrict.Store(true)
	if a := send(t, "POST", front.URL+"/wp-json/wpsidecar-shadow-test/v1/items", `{"name":"fountain pen"}`); a.status != 201 {
		t.Fatalf("PHP's answer: %d %s", a.status, a.body)
	}
	waitCount(t, m, "POST", itemsPattern, "mismatch", 1)
	if routes.executed.Load() != 0 {
		t.Fatalf("the sidecar executed %d writes in shadow mode", routes.executed.Load())
	}
	var last string
	if err := db.DB.QueryRow("SELECT option_value FROM " + db.Table("options") + " WHERE option_name = 'wpsidecar_shadow_test_last_write'").Scan(&last); err != nil || last != "fountain pen" {
		t.Fatalf("PHP's write: %q %v", last, err)
	}
	var verdictDiff string
	for _, r := range logRecords(t, logPath, "mismatch") {
		if r["method"] == "POST" {
			verdictDiff = r["diff"].([]any)[0].(string)
		}
	}
	if verdictDiff != "verdict: php accepted (201) go refused (400 name_too_long)" {
		t.Fatalf("verdict diff %q", verdictDiff)
	}

	// 4b. A request the sidecar would hand to PHP is counted as delegated, not as a sidecar error or a mismatch.
	routes.tooStrict.Store(false)
	routes.delegate.Store(true)
	goErrors, mismatches := shadowCount(m, "GET", itemPattern, "go_error"), shadowCount(m, "GET", itemPattern, "mismatch")
	if a := send(t, "GET", front.URL+"/wp-json/wpsidecar-shadow-test/v1/items/7", ""); a.header.Get("X-Answered-By") != "php" || a.status != 200 {
		t.Fatalf("client got %d %v %s", a.status, a.header, a.body)
	}
	if a := send(t, "POST", front.URL+"/wp-json/wpsidecar-shadow-test/v1/items", `{"name":"ink"}`); a.status != 201 {
		t.Fatalf("PHP's answer: %d %s", a.status, a.body)
	}
	waitCount(t, m, "GET", itemPattern, "delegated", 1)
	waitCount(t, m, "POST", itemsPattern, "delegated", 1)
	if shadowCount(m, "GET", itemPattern, "go_error") != goErrors || shadowCount(m, "GET", itemPattern, "mismatch") != mismatches {
		t.Fatal("a delegated request was counted as a sidecar error or a mismatch")
	}
	routes.delegate.Store(false)

	// 5. SIGHUP switches the route to go without a restart; a broken file keeps it; php hands it back to PHP.
	answeredBy := func() string {
		return send(t, "GET", front.URL+"/wp-json/wpsidecar-shadow-test/v1/items/1", "").header.Get("X-Answered-By")
	}
	hup := func(want string) {
		t.Helper()
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for answeredBy() != want {
			if time.Now().After(deadline) {
				t.Fatalf("after SIGHUP the route is still not answered by %s", want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	writeConfig("go")
	hup("go")
	if err := os.WriteFile(cfgPath, []byte("default_mode = \"php\"\n[[route]]\nroute = \"GET "+itemPattern+"\"\nmode = \"phpp\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	hup("go")
	time.Sleep(200 * time.Millisecond) // the broken file has been read by now
	if by := answeredBy(); by != "go" {
		t.Fatalf("a broken configuration changed the route: %s", by)
	}
	writeConfig("php")
	hup("php")

	// 6. The report: per-route table, the top mismatching field, nothing ready at the 10,000 default; ready at 10.
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"shadow", "report", "--log", logPath}, &out, &errOut, func(string) string { return "" }); code != 0 {
		t.Fatalf("report exit %d: %s", code, errOut.String())
	}
	report := out.String()
	t.Logf("wpsidecar shadow report --log %s\n%s", logPath, report)
	for _, want := range []string{
		"GET " + itemPattern + "  php",
		"item.email",
		" matched (needs 10000), 1 mismatches, 5 sidecar errors",
		"POST " + itemsPattern + ": 2 matched (needs 10000), 1 mismatches",
		"verdict",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
