package shadow

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// rig is a front door like cmd/wpsidecar's in front-proxy mode: a real upstream HTTP server stands for PHP
// behind httputil.ReverseProxy, the sidecar's side is a rest.Router.
type rig struct {
	t       *testing.T
	s       *Shadow
	router  *rest.Router
	front   *httptest.Server
	logPath string

	mu      sync.Mutex
	php     func(w http.ResponseWriter, r *http.Request) // what "PHP" answers
	phpSeen [][]byte                                     // request bodies PHP received
}

func newRig(t *testing.T, cfg string, register func(rt *rest.Router)) *rig {
	t.Helper()
	g := &rig{t: t, router: rest.NewRouter(nil, nil)}
	register(g.router)
	g.logPath = filepath.Join(t.TempDir(), "shadow.jsonl")
	logLine := "path = \"" + g.logPath + "\"\n"
	if strings.Contains(cfg, "[log]\n") {
		cfg = strings.Replace(cfg, "[log]\n", "[log]\n"+logLine, 1)
	} else {
		cfg = "[log]\n" + logLine + cfg
	}
	c, err := ParseConfig([]byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	g.s, err = New(c, Options{Router: g.router, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		g.phpSeen = append(g.phpSeen, b)
		h := g.php
		g.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(up.Close)
	u, _ := url.Parse(up.URL)
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(u) }, FlushInterval: -1}
	g.front = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-"+r.URL.Query().Get("n"))
		method, pattern, ok := g.router.RouteOf(r)
		if !ok || g.s.Mode(method, pattern) != ModeShadow {
			proxy.ServeHTTP(w, r)
			return
		}
		g.s.Serve(w, r, method, pattern, proxy, g.router)
	}))
	t.Cleanup(g.front.Close)
	t.Cleanup(func() { g.s.Close() })
	return g
}

func (g *rig) setPHP(h func(w http.ResponseWriter, r *http.Request)) {
	g.mu.Lock()
	g.php = h
	g.mu.Unlock()
}

// phpJSON answers like WordPress's REST server for a GET-only route.
func phpJSON(status int, body string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.Header().Set("Link", `</wp-json/>; rel="https://api.w.org/"`)
		w.Header().Set("Allow", "GET")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func (g *rig) do(method, target, body string, hdr ...string) (int, string, time.Duration) {
	g.t.Helper()
	req, _ := http.NewRequest(method, g.front.URL+target, strings.NewReader(body))
	if body == "" {
		req.Body = http.NoBody
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		g.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(b), time.Since(start)
}

// metricValue reads a counter or gauge as /metrics would show it.
func metricValue(c prometheus.Metric) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		panic(err)
	}
	if m.Counter != nil {
		return m.Counter.GetValue()
	}
	return m.Gauge.GetValue()
}

func (g *rig) count(method, pattern string, r Result) int {
	return int(metricValue(g.s.requests.WithLabelValues(method, pattern, string(r))))
}

// wait polls until a route's result reaches n.
func (g *rig) wait(method, pattern string, r Result, n int) {
	g.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for g.count(method, pattern, r) < n {
		if time.Now().After(deadline) {
			g.t.Fatalf("%s %s: %s = %d, want %d", method, pattern, r, g.count(method, pattern, r), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (g *rig) records(typ string) []map[string]any {
	g.t.Helper()
	f, err := os.Open(g.logPath)
	if err != nil {
		g.t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			g.t.Fatalf("bad log line %q", sc.Text())
		}
		if m["type"] == typ {
			out = append(out, m)
		}
	}
	return out
}

const custPattern = "/shop/v1/customers/(?P<id>[0-9]+)"

func customerRoute(goBody *atomic.Value, delay *atomic.Int64) func(rt *rest.Router) {
	return func(rt *rest.Router) {
		rt.Register("shop/v1", "/customers/(?P<id>[0-9]+)", rest.Handler{Methods: "GET", Callback: func(r *rest.Request) (*rest.Response, error) {
			if d := delay.Load(); d > 0 {
				time.Sleep(time.Duration(d))
			}
			if r.URLParams["id"] == "666" {
				panic("handler bug")
			}
			v, err := wpjson.DecodeOrdered([]byte(goBody.Load().(string)))
			if err != nil {
				return nil, err
			}
			return rest.OK(v), nil
		}})
	}
}

func TestShadowReadsMatchAndMismatch(t *testing.T) {
	var goBody atomic.Value
	var delay atomic.Int64
	goBody.Store(`{"customer":{"id":"7","email":"a@x.test","orders":[{"total":"10.00"}]}}`)
	g := newRig(t, "[[route]]\nroute = \"GET "+custPattern+"\"\nmode = \"shadow\"\n", customerRoute(&goBody, &delay))

	g.setPHP(phpJSON(200, `{"customer":{"id":"7","email":"a@x.test","orders":[{"total":"10.00"}]}}`))
	for i := 0; i < 3; i++ {
		code, body, _ := g.do("GET", "/wp-json/shop/v1/customers/7", "")
		if code != 200 || !strings.Contains(body, "a@x.test") {
			t.Fatalf("client got %d %s", code, body)
		}
	}
	g.wait("GET", custPattern, Match, 3)

	// A different answer from the sidecar: the client still gets PHP's, the log names the field.
	goBody.Store(`{"customer":{"id":"7","email":"a@x.test","orders":[{"total":"10"}]}}`)
	code, body, _ := g.do("GET", "/wp-json/shop/v1/customers/7?n=9&password=hunter2", "", "Authorization", "Basic YWRtaW46c2VjcmV0", "Cookie", "wordpress_logged_in_x=admin")
	if code != 200 || !strings.Contains(body, `"10.00"`) {
		t.Fatalf("client got %d %s", code, body)
	}
	g.wait("GET", custPattern, Mismatch, 1)
	recs := g.records("mismatch")
	if len(recs) != 1 {
		t.Fatalf("%d mismatch records", len(recs))
	}
	rec := recs[0]
	raw, _ := json.Marshal(rec)
	if diff := rec["diff"].([]any); len(diff) != 1 || diff[0] != `customer.orders[0].total: php "10.00" go "10"` {
		t.Fatalf("diff %v", diff)
	}
	if rec["fields"].([]any)[0] != "customer.orders[*].total" || rec["route"] != custPattern || rec["method"] != "GET" {
		t.Fatalf("record %s", raw)
	}
	req := rec["request"].(map[string]any)
	if req["id"] != "req-9" || req["uri"] != "/wp-json/shop/v1/customers/7?n=9&password=[REDACTED]" {
		t.Fatalf("request %v", req)
	}
	for _, secret := range []string{"hunter2", "YWRtaW46c2VjcmV0", "admin"} {
		if strings.Contains(string(raw), secret) {
			t.Fatalf("credential %q in the log: %s", secret, raw)
		}
	}
	if h := req["headers"].(map[string]any); h["Authorization"] != "Basic [REDACTED]" || h["Cookie"] != "[REDACTED]" {
		t.Fatalf("headers %v", h)
	}
	php, gov := rec["php"].(map[string]any), rec["go"].(map[string]any)
	if php["status"].(float64) != 200 || gov["status"].(float64) != 200 || !strings.Contains(string(raw), `"total":"10.00"`) ||
		php["headers"].(map[string]any)["Content-Type"] != "application/json; charset=UTF-8" {
		t.Fatalf("answers %s", raw)
	}

	// The sidecar's panic is a go_error, never the process's end.
	code, _, _ = g.do("GET", "/wp-json/shop/v1/customers/666", "")
	g.wait("GET", custPattern, GoError, 1)
	if code != 200 || !strings.Contains(g.records("go_error")[0]["error"].(string), "panic: handler bug") {
		t.Fatal("panic not recorded")
	}

	// PHP unreachable (the proxy's 502) is not a comparison.
	g.setPHP(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) })
	g.do("GET", "/wp-json/shop/v1/customers/7", "")
	g.wait("GET", custPattern, Skipped, 1)

	// A gzip-encoded PHP answer is compared decoded.
	goBody.Store(`{"ok":true}`)
	g.setPHP(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.Header().Set("Link", `</wp-json/>; rel="https://api.w.org/"`)
		w.Header().Set("Allow", "GET")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, `{"ok":true}`)
		zw.Close()
	})
	req2, _ := http.NewRequest("GET", g.front.URL+"/wp-json/shop/v1/customers/7", nil)
	req2.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultClient.Do(req2)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body) // a client that hangs up early makes PHP's answer incomplete: skipped
	resp.Body.Close()
	g.wait("GET", custPattern, Match, 4)

	// Counts lines: written on flush, summing every result.
	g.s.FlushCounts()
	counts := g.records("counts")
	if len(counts) != 1 {
		t.Fatalf("%d counts records", len(counts))
	}
	c := counts[0]["counts"].([]any)[0].(map[string]any)
	if c["match"].(float64) != 4 || c["mismatch"].(float64) != 1 || c["go_error"].(float64) != 1 || c["skipped"].(float64) != 1 ||
		c["skip_reasons"].(map[string]any)["upstream_error"].(float64) != 1 {
		t.Fatalf("counts %v", c)
	}
}

// The client's latency never depends on the sidecar's: a slow Go side runs after (and beside) PHP's answer, and
// past go_timeout it is a go_error.
func TestShadowSlowGoNeverDelaysTheClient(t *testing.T) {
	var goBody atomic.Value
	var delay atomic.Int64
	goBody.Store(`{"id":1}`)
	delay.Store(int64(800 * time.Millisecond))
	g := newRig(t, "[queue]\ngo_timeout = \"300ms\"\n[[route]]\nroute = \"GET "+custPattern+"\"\nmode = \"shadow\"\n", customerRoute(&goBody, &delay))
	g.setPHP(phpJSON(200, `{"id":1}`))
	var worst time.Duration
	for i := 0; i < 4; i++ {
		code, _, took := g.do("GET", "/wp-json/shop/v1/customers/1", "")
		if code != 200 {
			t.Fatal(code)
		}
		worst = max(worst, took)
	}
	if worst > 200*time.Millisecond {
		t.Fatalf("a client waited %s while the sidecar took 800ms", worst)
	}
	g.wait("GET", custPattern, GoError, 4)
	if e := g.records("go_error")[0]["error"].(string); !strings.Contains(e, "go_timeout 300ms") {
		t.Fatalf("error %q", e)
	}
	// Slow but within the timeout: a match, and still no wait for the client.
	delay.Store(int64(150 * time.Millisecond))
	if _, _, took := g.do("GET", "/wp-json/shop/v1/customers/1", ""); took > 100*time.Millisecond {
		t.Fatalf("client waited %s", took)
	}
	g.wait("GET", custPattern, Match, 1)
}

// A full queue skips the comparison (counted), never the request.
func TestShadowQueueOverflowIsSkippedAndCounted(t *testing.T) {
	started, release := make(chan struct{}, 10), make(chan struct{})
	g := newRig(t, "[queue]\nsize = 1\nworkers = 1\ngo_timeout = \"10s\"\n[[route]]\nroute = \"GET /q/v1/x\"\nmode = \"shadow\"\n", func(rt *rest.Router) {
		rt.Register("q/v1", "/x", rest.Handler{Methods: "GET", Callback: func(r *rest.Request) (*rest.Response, error) {
			started <- struct{}{}
			<-release
			return rest.OK(1), nil
		}})
	})
	g.setPHP(phpJSON(200, `1`))
	g.do("GET", "/wp-json/q/v1/x", "")
	<-started // the only worker is busy
	for i := 0; i < 5; i++ {
		if code, _, took := g.do("GET", "/wp-json/q/v1/x", ""); code != 200 || took > 200*time.Millisecond {
			t.Fatalf("request %d: %d after %s", i, code, took)
		}
	}
	if n := g.count("GET", "/q/v1/x", Skipped); n != 4 {
		t.Fatalf("skipped %d, want 4 (one waits in the queue)", n)
	}
	if v := metricValue(g.s.skips.WithLabelValues("queue_full")); v != 4 {
		t.Fatalf("queue_full %v", v)
	}
	if v := metricValue(g.s.queueLen); v != 1 {
		t.Fatalf("queue length %v", v)
	}
	close(release)
	g.wait("GET", "/q/v1/x", Match, 2)
}

// Writes are forwarded to PHP and never executed by the sidecar; its verdict is compared with PHP's answer.
func TestShadowWritesAreJudgedNotExecuted(t *testing.T) {
	var executed atomic.Int64
	exec := func(r *rest.Request) (*rest.Response, error) {
		executed.Add(1)
		return rest.OK("done"), nil
	}
	g := newRig(t, "[log]\nmax_body = 100\n[[route]]\nroute = \"* /w/v1/items\"\nmode = \"shadow\"\n", func(rt *rest.Router) {
		rt.Register("w/v1", "/items",
			rest.Handler{Methods: "POST", Callback: exec, Validate: func(r *rest.Request) error {
				if name, _ := r.ParamString("name"); name == "" {
					return rest.NewError("missing_name", "Name is required.", 422)
				}
				return nil
			}},
			rest.Handler{Methods: "PUT", Callback: exec},
		)
	})
	phpAnswer := func(status int, body string) {
		g.setPHP(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(30 * time.Millisecond) // WordPress boots before it writes: the verdict is taken first
			w.Header().Set("Content-Type", "application/json; charset=UTF-8")
			w.WriteHeader(status)
			io.WriteString(w, body)
		})
	}
	const p = "/w/v1/items"
	phpAnswer(201, `{"id":1}`)
	if code, body, _ := g.do("POST", "/wp-json/w/v1/items", `{"name":"a"}`, "Content-Type", "application/json"); code != 201 || body != `{"id":1}` {
		t.Fatalf("client got %d %s", code, body)
	}
	g.wait("POST", p, Match, 1)
	phpAnswer(422, `{"code":"missing_name","message":"x","data":{"status":422}}`)
	g.do("POST", "/wp-json/w/v1/items", `{"name":""}`, "Content-Type", "application/json")
	g.wait("POST", p, Match, 2)

	// PHP accepted what the sidecar would refuse.
	phpAnswer(201, `{"id":2}`)
	g.do("POST", "/wp-json/w/v1/items", `{"password":"s3cret"}`, "Content-Type", "application/json")
	g.wait("POST", p, Mismatch, 1)
	rec := g.records("mismatch")[0]
	raw, _ := json.Marshal(rec)
	if rec["diff"].([]any)[0] != "verdict: php accepted (201) go refused (422 missing_name)" || strings.Contains(string(raw), "s3cret") ||
		!strings.Contains(string(raw), `"body":{"password":"[REDACTED]"}`) {
		t.Fatalf("record %s", raw)
	}

	// No Validate hook: forwarded, counted unverifiable.
	phpAnswer(200, `{}`)
	g.do("PUT", "/wp-json/w/v1/items", `{"name":"a"}`, "Content-Type", "application/json")
	g.wait("PUT", p, Unverifiable, 1)

	// A body over max_body streams on to PHP whole and is not compared.
	big := `{"name":"` + strings.Repeat("b", 500) + `"}`
	g.do("POST", "/wp-json/w/v1/items", big, "Content-Type", "application/json")
	g.wait("POST", p, Skipped, 1)

	if executed.Load() != 0 {
		t.Fatalf("the sidecar executed %d writes", executed.Load())
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.phpSeen) != 5 || string(g.phpSeen[0]) != `{"name":"a"}` || string(g.phpSeen[4]) != big {
		t.Fatalf("PHP received %d bodies, last %d bytes", len(g.phpSeen), len(g.phpSeen[len(g.phpSeen)-1]))
	}
}

func TestShadowSampling(t *testing.T) {
	var goBody atomic.Value
	var delay atomic.Int64
	goBody.Store(`1`)
	g := newRig(t, "[[route]]\nroute = \"GET "+custPattern+"\"\nmode = \"shadow\"\nsample = 0.0\n", customerRoute(&goBody, &delay))
	g.setPHP(phpJSON(200, `1`))
	for i := 0; i < 20; i++ {
		g.do("GET", "/wp-json/shop/v1/customers/1", "")
	}
	if g.count("GET", custPattern, SampledOut) != 20 || g.count("GET", custPattern, Match) != 0 {
		t.Fatal("sample = 0 compared requests")
	}
	c, _ := ParseConfig([]byte("[[route]]\nroute = \"GET " + custPattern + "\"\nmode = \"shadow\"\nsample = 0.5\n"))
	st, _ := compile(c)
	if err := g.s.apply(st); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		g.do("GET", "/wp-json/shop/v1/customers/1", "")
	}
	g.wait("GET", custPattern, Match, 40)
	if n := g.count("GET", custPattern, SampledOut) - 20; n < 60 || n > 140 {
		t.Fatalf("sample 0.5 left out %d of 200", n)
	}
}

// A worker never waits for PHP: with one worker and a queue of one, requests PHP takes 300 ms to answer are all
// compared when they arrive 30 ms apart.
func TestShadowWorkersNeverWaitForPHP(t *testing.T) {
	g := newRig(t, "[queue]\nsize = 1\nworkers = 1\n[[route]]\nroute = \"GET /s/v1/x\"\nmode = \"shadow\"\n", func(rt *rest.Router) {
		rt.Register("s/v1", "/x", rest.Handler{Methods: "GET", Callback: func(r *rest.Request) (*rest.Response, error) {
			return rest.OK(1), nil
		}})
	})
	slow := phpJSON(200, `1`)
	g.setPHP(func(w http.ResponseWriter, r *http.Request) { time.Sleep(300 * time.Millisecond); slow(w, r) })
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); g.do("GET", "/wp-json/s/v1/x", "") }()
		time.Sleep(30 * time.Millisecond)
	}
	wg.Wait()
	g.wait("GET", "/s/v1/x", Match, 4)
	if n := g.count("GET", "/s/v1/x", Skipped); n != 0 {
		t.Fatalf("%d skipped", n)
	}
}
