package main

import (
	"math"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/wpsidecar/wpsidecar/shadow"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// fakeSource is a dashSource over a private registry, with a clock the test moves.
type fakeSource struct {
	reg    *prometheus.Registry
	routes []rest.RouteInfo
	recent []shadow.Record
}

func (f *fakeSource) Routes() []rest.RouteInfo             { return f.routes }
func (f *fakeSource) Mode(string, string) string           { return "shadow" }
func (f *fakeSource) Gather() ([]*dto.MetricFamily, error) { return f.reg.Gather() }
func (f *fakeSource) Thresholds() shadow.Thresholds        { return shadow.Thresholds{MinMatches: 2} }
func (f *fakeSource) Recent(n int) []shadow.Record         { return f.recent }
func (f *fakeSource) Config() string                       { return "test" }

// Requests in the last 5 minutes subtract the newest sample at least 5 minutes old; the total does not.
func TestDashboardWindow(t *testing.T) {
	m := newMetrics()
	src := &fakeSource{reg: m.reg, routes: []rest.RouteInfo{{Methods: []string{"GET"}, Pattern: "/x/v1/y"}}}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	d := newDashboard(src, func() time.Time { return now })
	for i := 0; i < 4; i++ {
		m.observe("go", "/x/v1/y", "GET", 200, time.Millisecond)
	}
	m.observe("php-delegated", "/x/v1/y", "GET", 200, time.Millisecond)
	for i := 0; i < 40; i++ { // 400 s of samples every 10 s, one request per sample after the first 5
		now = now.Add(dashSampleStep)
		d.sample()
		if i >= 4 {
			m.observe("php", "/x/v1/y", "GET", 200, 3*time.Millisecond)
		}
	}
	p := d.page()
	r := p.Routes[0]
	if r.Total != 41 || r.Answered[0] != 4 || r.Answered[1] != 36 || r.Answered[2] != 1 {
		t.Fatalf("total %d answered %v", r.Total, r.Answered)
	}
	// The base is the sample taken at 100 s (300 s ago), when 5 php requests had come: 36 - 5 = 31 since.
	if r.Recent != 31 {
		t.Fatalf("last 5 minutes: %d", r.Recent)
	}
	if len(d.snaps) > int(dashWindow/dashSampleStep)+2 {
		t.Fatalf("%d samples kept", len(d.snaps))
	}
	if len(p.Latency) != 1 || p.Latency[0].PHPN != 36 || p.Latency[0].GoN != 4 {
		t.Fatalf("latency %+v", p.Latency)
	}
	// 3 ms lies in the (2.5 ms, 5 ms] bucket: interpolated as histogram_quantile does.
	if got := p.Latency[0].PHP50; math.Abs(got-3.75) > 1e-9 {
		t.Fatalf("PHP p50 %v", got)
	}
}

func TestHistogramQuantile(t *testing.T) {
	h := &histo{bounds: []float64{.001, .01, .1, math.Inf(1)}, cum: []float64{10, 90, 99, 100}, count: 100}
	for _, c := range []struct{ q, want float64 }{{.05, .5}, {.5, 1 + 9*0.5}, {.99, 100}, {1, 100}} {
		if got := h.quantile(c.q); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("q%v = %v, want %v", c.q, got, c.want)
		}
	}
	if !math.IsNaN((&histo{}).quantile(.5)) {
		t.Error("empty histogram has a quantile")
	}
}

// The page escapes what it shows (a logged request could carry markup) and answers only GET / on the admin mux.
func TestDashboardEscapesAndHeaders(t *testing.T) {
	m := newMetrics()
	src := &fakeSource{reg: m.reg, recent: []shadow.Record{{Type: "mismatch", Method: "GET", Route: "/x",
		Request: &shadow.LoggedRequest{URI: "/x?q=<script>alert(1)</script>"}, Diff: []string{`a: php "<b>" go "<i>"`}}}}
	d := newDashboard(src, time.Now)
	rec := httptest.NewRecorder()
	d.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	body := rec.Body.String()
	if strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") || !strings.Contains(body, `a: php &#34;&lt;b&gt;&#34;`) {
		t.Fatalf("not escaped:\n%s", body)
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Fatalf("CSP %q", csp)
	}
}
