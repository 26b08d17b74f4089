package main

import (
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/wpsidecar/wpsidecar/shadow"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// The migration dashboard: GET / on the admin listener (loopback by default, like /metrics). One server-rendered
// page, no script, no external asset, refreshing itself; it reads and never changes anything.

//go:embed dashboard.html
var dashboardHTML string

var dashboardTmpl = template.Must(template.New("dashboard").Funcs(template.FuncMap{
	"ms":  msText,
	"utc": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
}).Parse(dashboardHTML))

const (
	dashWindow     = 5 * time.Minute  // "requests in the last 5 minutes"
	dashSampleStep = 10 * time.Second // how often the counters are sampled for that window
	dashRefresh    = 10               // seconds between the page's own reloads (meta refresh)
	dashMismatches = 10               // newest mismatch records shown
)

// The series the dashboard reads — all of them on /metrics, so the page and Prometheus never disagree.
const (
	seriesRequests    = "wpsidecar_http_requests_total"           // {handler=go|php|php-delegated, route, method, status}
	seriesLatency     = "wpsidecar_http_request_duration_seconds" // {handler, route}
	seriesDelegations = "wpsidecar_delegations_total"             // {route, reason}
	seriesShadow      = "wpsidecar_shadow_requests_total"         // {method, route, result}
	seriesShadowGo    = "wpsidecar_shadow_go_duration_seconds"    // {route}: the sidecar's side of shadowed reads
)

// answeredCols are the access log's answered_by values (the handler label of seriesRequests), in column order.
var answeredCols = []dashCol{{"go", "Go"}, {"php", "PHP"}, {"php-delegated", "handed to PHP"}}

// resultLabels name the shadow log's result kinds; kinds the shadow package adds later show under their own name.
var resultLabels = map[shadow.Result]string{
	shadow.Match: "match", shadow.Mismatch: "mismatch", shadow.GoError: "sidecar error", shadow.Delegated: "delegated to PHP",
	shadow.Skipped: "skipped", shadow.Unverifiable: "unverifiable", shadow.SampledOut: "sampled out",
}

type dashCol struct{ Key, Label string }

// dashSource is where the dashboard's numbers come from. liveSource reads the running process; another source
// (a different registry, a recorded one) plugs in here.
type dashSource interface {
	Routes() []rest.RouteInfo             // every route the sidecar owns
	Mode(method, pattern string) string   // php, shadow or go
	Gather() ([]*dto.MetricFamily, error) // the /metrics series
	Thresholds() shadow.Thresholds        // the configuration's [ready] table
	Recent(n int) []shadow.Record         // newest mismatch / go_error records, credentials redacted as logged
	Config() string                       // where the modes come from, for the page's header
}

type liveSource struct {
	a   *app
	reg prometheus.Gatherer
}

func (s liveSource) Routes() []rest.RouteInfo             { return s.a.rest.Patterns() }
func (s liveSource) Gather() ([]*dto.MetricFamily, error) { return s.reg.Gather() }

func (s liveSource) Mode(method, pattern string) string {
	if s.a.shadow == nil {
		return string(shadow.ModeGo)
	}
	return string(s.a.shadow.Mode(method, pattern))
}

func (s liveSource) Thresholds() shadow.Thresholds {
	if s.a.shadow == nil {
		return shadow.DefaultThresholds
	}
	return s.a.shadow.Thresholds()
}

func (s liveSource) Recent(n int) []shadow.Record {
	if s.a.shadow == nil {
		return nil
	}
	return s.a.shadow.Recent(n)
}

func (s liveSource) Config() string {
	if s.a.shadow == nil {
		return "no configuration file (--config): every owned route answered by the sidecar"
	}
	return "configuration file " + s.a.shadow.Path()
}

// adminHandler is the admin listener: the dashboard at / and the metrics handler's endpoints (/metrics, /healthz,
// /debug/pprof/). The dashboard samples the counters until ctx ends.
func (a *app) adminHandler(ctx context.Context, m *metrics) http.Handler {
	d := newDashboard(liveSource{a: a, reg: m.reg}, time.Now)
	go d.run(ctx)
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", d)
	mux.Handle("/", m.adminHandler())
	return mux
}

// dashboard renders the page; it keeps samples of the counters to tell the last 5 minutes from the total.
type dashboard struct {
	src     dashSource
	now     func() time.Time
	started time.Time

	mu    sync.Mutex
	snaps []dashSnap // oldest first; the first is the zero at start until it is older than the window
}

type dashSnap struct {
	at   time.Time
	vals map[string]float64
}

func newDashboard(src dashSource, now func() time.Time) *dashboard {
	t := now()
	return &dashboard{src: src, now: now, started: t, snaps: []dashSnap{{at: t, vals: map[string]float64{}}}}
}

func (d *dashboard) run(ctx context.Context) {
	t := time.NewTicker(dashSampleStep)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.sample()
		}
	}
}

// sample records the counters now, keeping the newest sample at least dashWindow old and everything after it.
func (d *dashboard) sample() {
	mfs, err := d.src.Gather()
	if err != nil {
		return
	}
	vals, _ := flatten(mfs)
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.snaps = append(d.snaps, dashSnap{at: now, vals: vals})
	keep := 0
	for i, s := range d.snaps {
		if !s.at.After(now.Add(-dashWindow)) {
			keep = i
		}
	}
	d.snaps = d.snaps[keep:]
}

// base is the sample the last-5-minutes numbers subtract: the newest one at least dashWindow old (the zero at
// start while the process is younger).
func (d *dashboard) base(now time.Time) map[string]float64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	b := d.snaps[0].vals
	for _, s := range d.snaps {
		if !s.at.After(now.Add(-dashWindow)) {
			b = s.vals
		}
	}
	return b
}

// Keys of the flattened counters.
func reqKey(method, route, handler string) string {
	return "req\x00" + method + "\x00" + route + "\x00" + handler
}
func shKey(method, route string, r shadow.Result) string {
	return "sh\x00" + method + "\x00" + route + "\x00" + string(r)
}

// histo is a cumulative Prometheus histogram (or the sum of several with the same bounds).
type histo struct {
	bounds []float64
	cum    []float64
	count  float64
}

func (h *histo) add(o *dto.Histogram) {
	bs := o.GetBucket()
	if h.bounds == nil {
		for _, b := range bs {
			h.bounds = append(h.bounds, b.GetUpperBound())
		}
		h.cum = make([]float64, len(bs))
	}
	if len(bs) != len(h.bounds) {
		return // different buckets: not summable
	}
	for i, b := range bs {
		h.cum[i] += float64(b.GetCumulativeCount())
	}
	h.count += float64(o.GetSampleCount())
}

func (h *histo) merge(o *histo) {
	if o == nil || o.count == 0 {
		return
	}
	if h.bounds == nil {
		h.bounds, h.cum = append([]float64(nil), o.bounds...), make([]float64, len(o.cum))
	}
	if len(o.bounds) != len(h.bounds) {
		return
	}
	for i := range o.cum {
		h.cum[i] += o.cum[i]
	}
	h.count += o.count
}

// quantile estimates the q-quantile in milliseconds as Prometheus's histogram_quantile does (linear within the
// bucket; above the last finite bound, that bound). NaN without samples.
func (h *histo) quantile(q float64) float64 {
	if h == nil || h.count == 0 {
		return math.NaN()
	}
	rank := q * h.count
	prevBound, prevCum := 0.0, 0.0
	for i, ub := range h.bounds {
		if h.cum[i] >= rank {
			if math.IsInf(ub, 1) {
				return prevBound * 1000
			}
			if h.cum[i] == prevCum {
				return ub * 1000
			}
			return (prevBound + (ub-prevBound)*(rank-prevCum)/(h.cum[i]-prevCum)) * 1000
		}
		prevBound, prevCum = ub, h.cum[i]
	}
	return prevBound * 1000
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// flatten turns the gathered series into counters keyed by reqKey/shKey/"del\x00route\x00reason" and histograms
// keyed "lat\x00handler\x00route" / "shgo\x00route".
func flatten(mfs []*dto.MetricFamily) (map[string]float64, map[string]*histo) {
	vals := map[string]float64{}
	hists := map[string]*histo{}
	hist := func(k string, h *dto.Histogram) {
		if hists[k] == nil {
			hists[k] = &histo{}
		}
		hists[k].add(h)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			l := labels(m)
			switch mf.GetName() {
			case seriesRequests:
				vals[reqKey(l["method"], l["route"], l["handler"])] += m.GetCounter().GetValue()
			case seriesShadow:
				vals[shKey(l["method"], l["route"], shadow.Result(l["result"]))] += m.GetCounter().GetValue()
			case seriesDelegations:
				vals["del\x00"+l["route"]+"\x00"+l["reason"]] += m.GetCounter().GetValue()
			case seriesLatency:
				hist("lat\x00"+l["handler"]+"\x00"+l["route"], m.GetHistogram())
			case seriesShadowGo:
				hist("shgo\x00"+l["route"], m.GetHistogram())
			}
		}
	}
	return vals, hists
}

// The page's data.
type dashPage struct {
	Version       string
	Started, Now  time.Time
	Uptime        string
	WindowNote    string
	Refresh       int
	Config        string
	Thresholds    shadow.Thresholds
	AnsweredCols  []dashCol
	ResultCols    []dashCol
	Routes        []dashRow
	Latency       []dashLatency
	Mismatches    []dashMismatch
	Error         string
	ShadowedCount int
	ReadyCount    int
}

type dashRow struct {
	ID              string // anchor for the row, stable across refreshes
	Method, Pattern string
	Mode            string
	Recent, Total   int64
	Answered        []int64 // per AnsweredCols, since start
	Results         []int64 // per ResultCols, since start
	Shadowed        bool    // in shadow mode or with shadow results to judge
	Ready           bool
	Verdict, Why    string
	Delegations     string // "reason 3, other 1" since start
}

type dashLatency struct {
	Pattern        string
	PHPN, GoN      int64
	PHP50, PHP99   float64
	Go50, Go99     float64
	Bars           []dashBar
	ChartW, ChartH int
}

type dashBar struct {
	Label, Class, Value string
	Y, W                int
}

type dashMismatch struct {
	Time          time.Time
	Type          string
	Method, Route string
	URI, ID       string
	PHP, Go       string
	Diff          []string
	Error         string
}

func (d *dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	page := d.page()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// Nothing from elsewhere, no script: the page works (and is safe) with scripts off.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodHead {
		return
	}
	if err := dashboardTmpl.Execute(w, page); err != nil {
		fmt.Fprintf(w, "<p>dashboard: %s</p>", template.HTMLEscapeString(err.Error()))
	}
}

func (d *dashboard) page() *dashPage {
	now := d.now()
	p := &dashPage{Version: readBuildVersion().String(), Started: d.started, Now: now, Refresh: dashRefresh,
		Uptime: now.Sub(d.started).Round(time.Second).String(), Config: d.src.Config(), Thresholds: d.src.Thresholds(),
		AnsweredCols: answeredCols}
	if now.Sub(d.started) < dashWindow {
		p.WindowNote = "the process started less than 5 minutes ago: the last 5 minutes are everything since start"
	}
	for _, r := range shadow.Results {
		label := resultLabels[r]
		if label == "" {
			label = strings.ReplaceAll(string(r), "_", " ")
		}
		p.ResultCols = append(p.ResultCols, dashCol{string(r), label})
	}
	mfs, err := d.src.Gather()
	if err != nil {
		p.Error = err.Error()
	}
	vals, hists := flatten(mfs)
	base := d.base(now)

	delegations := map[string][]string{}
	var delKeys []string
	for k := range vals {
		if strings.HasPrefix(k, "del\x00") {
			delKeys = append(delKeys, k)
		}
	}
	sort.Strings(delKeys)
	for _, k := range delKeys {
		parts := strings.Split(k, "\x00")
		delegations[parts[1]] = append(delegations[parts[1]], fmt.Sprintf("%s %d", parts[2], int64(vals[k])))
	}

	handlers := map[string]bool{}
	for k := range vals {
		if strings.HasPrefix(k, "req\x00") {
			handlers[k[strings.LastIndexByte(k, 0)+1:]] = true
		}
	}
	thr := p.Thresholds
	var patterns []string
	seenPattern := map[string]bool{}
	for _, ri := range d.src.Routes() {
		if !seenPattern[ri.Pattern] {
			seenPattern[ri.Pattern] = true
			patterns = append(patterns, ri.Pattern)
		}
		for _, m := range ri.Methods {
			row := dashRow{Method: m, Pattern: ri.Pattern, Mode: d.src.Mode(m, ri.Pattern), ID: routeAnchor(m, ri.Pattern)}
			for _, c := range answeredCols {
				row.Answered = append(row.Answered, int64(vals[reqKey(m, ri.Pattern, c.Key)]))
			}
			for h := range handlers {
				row.Total += int64(vals[reqKey(m, ri.Pattern, h)])
				row.Recent += int64(vals[reqKey(m, ri.Pattern, h)] - base[reqKey(m, ri.Pattern, h)])
			}
			rc := shadow.RouteCounts{Method: m, Route: ri.Pattern}
			var any int64
			for _, r := range shadow.Results {
				n := int64(vals[shKey(m, ri.Pattern, r)])
				row.Results = append(row.Results, n)
				rc.Add(r, "", n)
				any += n
			}
			row.Delegations = strings.Join(delegations[ri.Pattern], ", ")
			row.Shadowed = row.Mode == string(shadow.ModeShadow) || any > 0
			switch {
			case row.Shadowed:
				p.ShadowedCount++
				row.Ready, row.Why = shadow.Readiness(rc, thr)
				if row.Ready {
					p.ReadyCount++
					row.Verdict = "ready to switch to go"
				} else {
					row.Verdict = "not ready"
				}
			case row.Mode == string(shadow.ModeGo):
				row.Verdict = "answered by the sidecar"
			default:
				row.Verdict = "answered by PHP"
			}
			p.Routes = append(p.Routes, row)
		}
	}

	for _, pat := range patterns {
		php := hists["lat\x00php\x00"+pat]
		sidecar := &histo{}
		sidecar.merge(hists["lat\x00go\x00"+pat])
		sidecar.merge(hists["shgo\x00"+pat])
		if (php == nil || php.count == 0) && sidecar.count == 0 {
			continue
		}
		l := dashLatency{Pattern: pat, PHP50: php.quantile(.5), PHP99: php.quantile(.99), Go50: sidecar.quantile(.5), Go99: sidecar.quantile(.99),
			GoN: int64(sidecar.count)}
		if php != nil {
			l.PHPN = int64(php.count)
		}
		l.Bars, l.ChartW, l.ChartH = latencyBars(l)
		p.Latency = append(p.Latency, l)
	}

	for _, rec := range d.src.Recent(dashMismatches) {
		mm := dashMismatch{Time: rec.Time, Type: rec.Type, Method: rec.Method, Route: rec.Route, Diff: rec.Diff, Error: rec.Error}
		if rec.Request != nil {
			mm.URI, mm.ID = rec.Request.URI, rec.Request.ID
		}
		mm.PHP, mm.Go = answerSummary(rec.PHP), answerSummary(rec.Go)
		p.Mismatches = append(p.Mismatches, mm)
	}
	return p
}

func answerSummary(a *shadow.LoggedAnswer) string {
	if a == nil {
		return "–"
	}
	s := ""
	if a.Status != 0 {
		s = fmt.Sprint(a.Status)
	}
	if a.Verdict != "" {
		s = strings.TrimSpace(s + " " + a.Verdict)
	}
	return s
}

// routeAnchor is an id for a route's row: METHOD and the pattern with every other character as "-".
func routeAnchor(method, pattern string) string {
	var b strings.Builder
	b.WriteString("route-" + strings.ToLower(method))
	for _, c := range pattern {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// latencyBars lays out the small horizontal bar chart: PHP and sidecar p50, then p99, scaled to the largest.
func latencyBars(l dashLatency) ([]dashBar, int, int) {
	const labelW, barMax, rowH, valueW = 92, 200, 16, 70
	vals := []struct {
		label, class string
		v            float64
	}{{"PHP p50", "php", l.PHP50}, {"sidecar p50", "go", l.Go50}, {"PHP p99", "php", l.PHP99}, {"sidecar p99", "go", l.Go99}}
	top := 0.0
	for _, v := range vals {
		if !math.IsNaN(v.v) && v.v > top {
			top = v.v
		}
	}
	var bars []dashBar
	for i, v := range vals {
		b := dashBar{Label: v.label, Class: v.class, Y: i * rowH, Value: "–"}
		if !math.IsNaN(v.v) {
			b.Value = msText(v.v)
			if top > 0 {
				b.W = max(1, int(math.Round(v.v/top*barMax)))
			}
		}
		bars = append(bars, b)
	}
	return bars, labelW + barMax + valueW, len(vals) * rowH
}

func msText(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if v < 10 {
		return fmt.Sprintf("%.2f ms", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}
