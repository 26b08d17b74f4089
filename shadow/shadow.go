// Package shadow is the migration mode: per route, PHP answers (php), the sidecar answers (go), or PHP answers
// while the sidecar computes its own answer to the same request and compares (shadow). Reads are re-executed
// by the sidecar off the client's path, in a bounded worker queue; writes are never executed twice — the
// sidecar's verdict (accepted / refused with which status and code) is compared with PHP's answer instead.
// Results go to Prometheus counters and to a JSON Lines mismatch log that `wpsidecar shadow report` reads.
package shadow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Options are what a Shadow works with.
type Options struct {
	Router *rest.Router // the sidecar's REST router: write verdicts, and the route list configs are checked against
	Log    *slog.Logger
	Now    func() time.Time
}

// Shadow holds the live configuration, the worker queue, the counters and the mismatch log.
type Shadow struct {
	router *rest.Router
	log    *slog.Logger
	now    func() time.Time
	path   string // configuration file, re-read by Reload

	cfg atomic.Pointer[settings]

	mu       sync.RWMutex // closed, and sends on jobs and compares
	closed   bool
	jobs     chan *job // requests whose sidecar side is to be computed
	compares chan *job // requests whose both sides are ready, handed back by PHP's side
	workers  sync.WaitGroup

	logMu sync.Mutex
	logf  *logFile

	countMu sync.Mutex
	counts  map[routeKey]*RouteCounts
	since   time.Time

	requests *prometheus.CounterVec
	goTime   *prometheus.HistogramVec // the sidecar's side of shadowed reads (the dashboard's latency beside PHP's)
	skips    *prometheus.CounterVec
	reloads  *prometheus.CounterVec
	queueLen prometheus.GaugeFunc

	stop        chan struct{}
	summaryDone chan struct{}

	recentMu sync.Mutex
	recent   []Record // the newest mismatch and go_error records, as logged (credentials redacted), oldest first
}

// recentKeep is how many mismatch / go_error records Recent keeps in memory.
const recentKeep = 20

// LatencyBuckets are the bounds (seconds) of the sidecar's latency histograms: the HTTP server's and the shadowed
// side's share them so that their quantiles compare.
var LatencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}

// Open loads the configuration file at path and starts shadowing; Reload re-reads the same file.
func Open(path string, opts Options) (*Shadow, error) {
	c, err := LoadConfig(path)
	if err != nil {
		return nil, err
	}
	s, err := New(c, opts)
	if err != nil {
		return nil, err
	}
	s.path = path
	return s, nil
}

// New starts shadowing with a parsed configuration (workers, summary timer, log file).
func New(c *Config, opts Options) (*Shadow, error) {
	st, err := compile(c)
	if err != nil {
		return nil, err
	}
	s := &Shadow{router: opts.Router, log: opts.Log, now: opts.Now, counts: map[routeKey]*RouteCounts{},
		stop: make(chan struct{}), summaryDone: make(chan struct{})}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.since = s.now()
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wpsidecar_shadow_requests_total",
		Help: "Requests to shadow-mode routes by route pattern, method and result (match, mismatch, go_error, delegated, skipped, unverifiable, sampled_out).",
	}, []string{"method", "route", "result"})
	s.goTime = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "wpsidecar_shadow_go_duration_seconds", Help: "Time the sidecar took to compute its side of a shadowed read, by route pattern.",
		Buckets: LatencyBuckets,
	}, []string{"route"})
	s.skips = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wpsidecar_shadow_skipped_total", Help: "Shadow comparisons skipped, by reason.",
	}, []string{"reason"})
	s.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wpsidecar_shadow_config_reloads_total", Help: "Configuration file loads by outcome (ok, error).",
	}, []string{"outcome"})
	s.jobs, s.compares = make(chan *job, st.queueSize), make(chan *job, st.queueSize)
	s.queueLen = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "wpsidecar_shadow_queue_length", Help: "Shadowed requests waiting for a worker (sidecar side or comparison).",
	}, func() float64 { return float64(len(s.jobs) + len(s.compares)) })
	if err := s.apply(st); err != nil {
		return nil, err
	}
	for i := 0; i < st.workers; i++ {
		s.workers.Add(1)
		go s.work()
	}
	go s.summarise()
	return s, nil
}

// Collectors are the Prometheus series to register on the admin listener's registry.
func (s *Shadow) Collectors() []prometheus.Collector {
	return []prometheus.Collector{s.requests, s.goTime, s.skips, s.reloads, s.queueLen}
}

// Path is the configuration file ("" when built from a parsed Config).
func (s *Shadow) Path() string { return s.path }

// Thresholds are the live configuration's readiness thresholds ([ready]).
func (s *Shadow) Thresholds() Thresholds { return s.cfg.Load().ready }

// Recent returns up to n of the newest mismatch and go_error records, newest first, exactly as they went to the
// log (credentials redacted); they are kept even without a log file.
func (s *Shadow) Recent(n int) []Record {
	s.recentMu.Lock()
	defer s.recentMu.Unlock()
	out := make([]Record, 0, min(n, len(s.recent)))
	for i := len(s.recent) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, s.recent[i])
	}
	return out
}

// Reload re-reads the configuration file. A file that does not parse (or names a bad mode, path or rate) keeps
// the previous configuration; the error says why.
func (s *Shadow) Reload() error {
	if s.path == "" {
		return errors.New("shadow: no configuration file to reload")
	}
	c, err := LoadConfig(s.path)
	if err == nil {
		var st *settings
		if st, err = compile(c); err == nil {
			err = s.apply(st)
		}
	}
	if err != nil {
		s.reloads.WithLabelValues("error").Inc()
		s.log.Error("configuration not reloaded; keeping the previous one", "path", s.path, "err", err)
		return err
	}
	return nil
}

// apply makes st the live configuration (opening its log file first: if that fails nothing changes).
func (s *Shadow) apply(st *settings) error {
	if old := s.cfg.Load(); old != nil && (old.queueSize != st.queueSize || old.workers != st.workers) {
		s.log.Warn("queue.size and queue.workers take effect at the next start", "size", old.queueSize, "workers", old.workers)
		st.queueSize, st.workers = old.queueSize, old.workers
	}
	if err := s.setLog(st); err != nil {
		return fmt.Errorf("shadow log: %w", err)
	}
	s.cfg.Store(st)
	s.reloads.WithLabelValues("ok").Inc()
	s.checkRoutes(st)
	s.log.Info("shadow configuration loaded", "path", s.path, "default_mode", string(st.defaultMode), "routes", st.modes(), "log", st.logPath)
	s.writeRecord(Record{Type: "config", Time: s.now().UTC(), Modes: append([]string{"* " + string(st.defaultMode)}, st.modes()...)})
	return nil
}

func (s *Shadow) setLog(st *settings) error {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	if s.logf != nil && s.logf.path == st.logPath {
		s.logf.mu.Lock()
		s.logf.maxSize, s.logf.keep = st.maxSize, st.keep
		s.logf.mu.Unlock()
		return nil
	}
	var nl *logFile
	if st.logPath != "" {
		var err error
		if nl, err = openLogFile(st.logPath, st.maxSize, st.keep); err != nil {
			return err
		}
	}
	if s.logf != nil {
		_ = s.logf.close()
	}
	s.logf = nl
	return nil
}

// checkRoutes logs the configuration's problems (see CheckConfig).
func (s *Shadow) checkRoutes(st *settings) {
	for _, w := range routeWarnings(st, s.router) {
		s.log.Warn(w)
	}
}

// CheckConfig checks a parsed configuration against the sidecar's route table: the mode of each listed route
// ("METHOD PATTERN → mode", the default first as "* mode") and warnings — routes the sidecar does not register
// (their requests always go to PHP) and shadowed writes it cannot judge (no Validate hook).
func CheckConfig(c *Config, rt *rest.Router) (modes, warnings []string, err error) {
	st, err := compile(c)
	if err != nil {
		return nil, nil, err
	}
	return append([]string{"* " + string(st.defaultMode)}, st.modes()...), routeWarnings(st, rt), nil
}

func routeWarnings(st *settings, rt *rest.Router) []string {
	if rt == nil {
		return nil
	}
	var out []string
	infos := rt.Patterns()
	for _, k := range st.listed {
		found, validates := false, false
		for _, ri := range infos {
			if ri.Pattern != k.pattern {
				continue
			}
			for _, m := range ri.Methods {
				if k.method == "*" || m == k.method || (k.method == "HEAD" && m == "GET") {
					found = true
					validates = validates || ri.Validates
				}
			}
		}
		switch {
		case !found:
			out = append(out, "route "+k.String()+" is not one the sidecar registers: its requests go to PHP whatever the mode (`wpsidecar shadow routes` lists them)")
		case st.routes[k].mode == ModeShadow && !isRead(k.method) && k.method != "*" && !validates:
			out = append(out, "shadowed write route "+k.String()+" has no Validate hook: requests past authentication and permission are counted unverifiable")
		}
	}
	return out
}

// Mode is the configured mode of a route (method as dispatched, pattern as registered).
func (s *Shadow) Mode(method, pattern string) Mode { return s.cfg.Load().rule(method, pattern).mode }

// Count records one result for a route (also used by the caller for requests it passes to PHP unshadowed).
func (s *Shadow) Count(method, pattern string, r Result, reason string) {
	s.requests.WithLabelValues(method, pattern, string(r)).Inc()
	if r == Skipped {
		s.skips.WithLabelValues(reason).Inc()
	}
	k := routeKey{method, pattern}
	s.countMu.Lock()
	c := s.counts[k]
	if c == nil {
		c = &RouteCounts{Method: method, Route: pattern}
		s.counts[k] = c
	}
	c.Add(r, reason, 1)
	s.countMu.Unlock()
}

func isRead(method string) bool { return method == http.MethodGet || method == http.MethodHead }

// job is one shadowed request: the sidecar's side runs in a worker while PHP answers the client; whichever side
// finishes last hands the pair to the comparison (a worker never waits for PHP).
type job struct {
	key     routeKey
	rule    *routeRule
	st      *settings
	read    bool
	goReq   *http.Request
	goH     http.Handler
	reqBody []byte

	mu      sync.Mutex
	goDone  bool // set by the worker
	phpDone bool // set by the request's goroutine once PHP's answer has gone out (or failed)
	dropped bool // the sidecar's side decided there is nothing to compare (already counted)

	// The sidecar's side (worker).
	goAns       Answer
	goTruncated bool
	verdict     rest.Verdict
	goErr       error
	goMS        float64

	// PHP's side (request goroutine).
	php          Answer
	phpComplete  bool
	phpTruncated bool
}

// Serve answers a request to a shadow-mode route: php (the pass-through to PHP) answers the client, streamed
// as usual, while the sidecar's answer (reads, from goH) or verdict (writes) is computed in a worker and
// compared. Nothing here waits for the sidecar.
func (s *Shadow) Serve(w http.ResponseWriter, req *http.Request, method, pattern string, php, goH http.Handler) {
	st := s.cfg.Load()
	rule := st.rule(method, pattern)
	pass := func(r Result, reason string) {
		s.Count(method, pattern, r, reason)
		php.ServeHTTP(w, req)
	}
	if rule.mode != ModeShadow {
		php.ServeHTTP(w, req)
		return
	}
	if rule.sample < 1 && rand.Float64() >= rule.sample {
		pass(SampledOut, "")
		return
	}
	read := isRead(method)
	if method == http.MethodOptions {
		pass(Skipped, "options")
		return
	}
	var body []byte
	hasBody := req.Body != nil && req.Body != http.NoBody && req.ContentLength != 0
	switch {
	case read && hasBody:
		pass(Skipped, "read_with_body")
		return
	case !read && hasBody:
		if req.ContentLength > int64(st.maxBody) {
			pass(Skipped, "request_too_large")
			return
		}
		// Buffer at most max_body: a larger upload streams on to PHP untouched.
		buf, err := io.ReadAll(io.LimitReader(req.Body, int64(st.maxBody)+1))
		orig := req.Body
		req.Body = readCloser{io.MultiReader(bytes.NewReader(buf), orig), orig}
		if err != nil || len(buf) > st.maxBody {
			pass(Skipped, "request_too_large")
			return
		}
		body = buf
	}

	goReq := req.Clone(rest.WithDryRun(context.Background()))
	goReq.Body = http.NoBody
	if body != nil {
		goReq.Body = io.NopCloser(bytes.NewReader(body))
		goReq.ContentLength = int64(len(body))
	}
	j := &job{key: routeKey{method, pattern}, rule: rule, st: st, read: read, goReq: goReq, goH: goH, reqBody: body}
	if !s.send(s.jobs, j) {
		pass(Skipped, "queue_full")
		return
	}
	tw := &teeWriter{ResponseWriter: w, max: st.maxBody}
	completed := false
	defer func() { // also when the proxy aborts the response (it panics with http.ErrAbortHandler)
		j.mu.Lock()
		j.php = tw.answer()
		j.phpTruncated = tw.truncated
		j.phpComplete = completed && tw.complete(method == http.MethodHead) && req.Context().Err() == nil
		j.phpDone = true
		ready := j.goDone && !j.dropped
		j.mu.Unlock()
		if ready && !s.send(s.compares, j) {
			s.Count(method, pattern, Skipped, "queue_full")
		}
	}()
	php.ServeHTTP(tw, req)
	completed = true
}

type readCloser struct {
	io.Reader
	io.Closer
}

// send queues j without blocking; false when the queue is full or the Shadow is closed.
func (s *Shadow) send(ch chan *job, j *job) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return false
	}
	select {
	case ch <- j:
		return true
	default:
		return false
	}
}

// work runs the sidecar's side of queued requests and the comparisons PHP's side handed back. After Close it
// finishes what is queued.
func (s *Shadow) work() {
	defer s.workers.Done()
	for {
		select {
		case j, ok := <-s.jobs:
			if !ok {
				for {
					select {
					case j := <-s.compares:
						s.finish(j)
					default:
						return
					}
				}
			}
			s.runGo(j)
		case j := <-s.compares:
			s.finish(j)
		}
	}
}

// runGo computes the sidecar's side of one job — its answer to a read, its verdict on a write — then compares
// at once if PHP's answer is already out, else leaves that to the request's goroutine.
func (s *Shadow) runGo(j *job) {
	ctx, cancel := context.WithTimeout(j.goReq.Context(), j.st.goTimeout)
	defer cancel()
	goReq := j.goReq.WithContext(ctx)
	start := time.Now()
	var goErr error
	if j.read {
		rec := newRecorder(j.st.maxBody)
		goErr = safely(func() { j.goH.ServeHTTP(rec, goReq) })
		j.goAns, j.goTruncated = rec.answer(), rec.truncated
	} else {
		j.mu.Lock()
		late := j.phpDone // PHP already answered: its write may be what the verdict would see
		j.mu.Unlock()
		switch {
		case late:
			s.drop(j, Skipped, "late")
			return
		case s.router == nil:
			s.drop(j, Unverifiable, "")
			return
		}
		var v rest.Verdict
		goErr = safely(func() { v = s.router.Verdict(goReq) })
		j.verdict = v
	}
	elapsed := time.Since(start)
	if j.read {
		s.goTime.WithLabelValues(j.key.pattern).Observe(elapsed.Seconds())
	}
	if goErr == nil && (ctx.Err() != nil || elapsed > j.st.goTimeout) {
		goErr = fmt.Errorf("no answer within go_timeout %s (took %s)", j.st.goTimeout, elapsed.Round(time.Millisecond))
	}
	j.goErr, j.goMS = goErr, float64(elapsed.Microseconds())/1000
	j.mu.Lock()
	j.goDone = true
	ready := j.phpDone
	j.mu.Unlock()
	if ready {
		s.finish(j)
	}
}

// drop ends a job whose sidecar side found nothing to compare.
func (s *Shadow) drop(j *job, r Result, reason string) {
	j.mu.Lock()
	j.goDone, j.dropped = true, true
	j.mu.Unlock()
	s.Count(j.key.method, j.key.pattern, r, reason)
}

// finish compares both sides of a job, counts and logs.
func (s *Shadow) finish(j *job) {
	goAns, verdict, goErr, goMS := j.goAns, j.verdict, j.goErr, j.goMS
	php := j.php
	switch {
	case !j.phpComplete:
		s.Count(j.key.method, j.key.pattern, Skipped, "php_incomplete")
		return
	case php.Status == http.StatusBadGateway || php.Status == http.StatusGatewayTimeout:
		s.Count(j.key.method, j.key.pattern, Skipped, "upstream_error")
		return
	case j.phpTruncated || j.goTruncated:
		s.Count(j.key.method, j.key.pattern, Skipped, "too_large")
		return
	}
	body, err := decodeBody(php.Header, php.Body, j.st.maxBody)
	if err != nil {
		reason := "content_encoding"
		if errors.Is(err, errTooLarge) {
			reason = "too_large"
		}
		s.Count(j.key.method, j.key.pattern, Skipped, reason)
		return
	}
	php.Body = body

	// The sidecar would hand this request to PHP (it cannot answer it exactly): neither a match nor an error.
	if goErr == nil && ((j.read && goAns.Header.Get(rest.DelegatedHeader) != "") || (!j.read && verdict.Delegated != "")) {
		reason := verdict.Delegated
		if j.read {
			reason = goAns.Header.Get(rest.DelegatedHeader)
		}
		s.Count(j.key.method, j.key.pattern, Delegated, reason)
		return
	}
	if j.read && goErr == nil && goAns.Status >= 500 && php.Status < 500 {
		goErr = fmt.Errorf("the sidecar answered %d %s", goAns.Status, errorCode(goAns.Body))
	}
	if goErr != nil { // the record goes out before the count, so a count never announces a missing line
		rec := s.record("go_error", j, php, goMS)
		rec.Error = goErr.Error()
		if j.read && goAns.Status != 0 {
			rec.Go = s.loggedAnswer(goAns, j.rule.rules)
		}
		s.writeRecord(rec)
		s.Count(j.key.method, j.key.pattern, GoError, "")
		return
	}
	var diffs []Diff
	if j.read {
		diffs = Compare(php, goAns, j.key.method == http.MethodHead, j.rule.rules)
	} else {
		if !verdict.Verifiable {
			s.Count(j.key.method, j.key.pattern, Unverifiable, "")
			return
		}
		diffs = CompareVerdict(php, verdict)
	}
	if len(diffs) == 0 {
		s.Count(j.key.method, j.key.pattern, Match, "")
		return
	}
	rec := s.record("mismatch", j, php, goMS)
	if j.read {
		rec.Go = s.loggedAnswer(goAns, j.rule.rules)
	} else {
		rec.Go = &LoggedAnswer{Verdict: goVerdictText(verdict)}
		if verdict.Response != nil {
			rec.Go.Status = verdict.Response.Status
			if b, err := wpjson.MarshalJSON(verdict.Response.Body); err == nil {
				rec.Go.Body = redactBody("application/json", b)
			}
		}
	}
	for _, d := range diffs {
		rec.Diff = append(rec.Diff, d.String())
		rec.Fields = append(rec.Fields, d.Field)
	}
	s.writeRecord(rec)
	s.Count(j.key.method, j.key.pattern, Mismatch, "")
}

// safely runs fn, turning a panic into an error (the sidecar's handler must never take the process down).
func safely(fn func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	fn()
	return nil
}

func (s *Shadow) record(typ string, j *job, php Answer, goMS float64) Record {
	r := j.goReq
	uri := r.URL.Path
	if q := RedactQuery(r.URL.RawQuery); q != "" {
		uri += "?" + q
	}
	lr := &LoggedRequest{ID: php.Header.Get("X-Request-Id"), Method: r.Method, URI: uri, Headers: RedactHeader(r.Header)}
	if j.reqBody != nil {
		lr.Body = redactBody(r.Header.Get("Content-Type"), j.reqBody)
	}
	return Record{Type: typ, Time: s.now().UTC(), Method: j.key.method, Route: j.key.pattern, Request: lr,
		PHP: s.loggedAnswer(php, j.rule.rules), GoMS: goMS}
}

// loggedAnswer keeps the compared headers (plus Content-Encoding) and the body, credentials redacted.
func (s *Shadow) loggedAnswer(a Answer, r *Rules) *LoggedAnswer {
	h := http.Header{}
	for _, k := range append(append([]string(nil), r.headers...), "Content-Encoding") {
		if v := a.Header.Values(k); len(v) > 0 {
			h[k] = v
		}
	}
	return &LoggedAnswer{Status: a.Status, Headers: RedactHeader(h), Body: redactBody(a.Header.Get("Content-Type"), a.Body)}
}

func (s *Shadow) writeRecord(rec Record) {
	if rec.Type == "mismatch" || rec.Type == "go_error" {
		s.recentMu.Lock()
		s.recent = append(s.recent, rec)
		if len(s.recent) > recentKeep {
			s.recent = append(s.recent[:0:0], s.recent[len(s.recent)-recentKeep:]...)
		}
		s.recentMu.Unlock()
	}
	s.logMu.Lock()
	l := s.logf
	s.logMu.Unlock()
	if l == nil {
		return
	}
	if err := l.write(rec); err != nil {
		s.log.Warn("shadow log write failed", "path", l.path, "err", err)
	}
}

// summarise writes the per-route counts every log.summary_interval (re-read at each tick).
func (s *Shadow) summarise() {
	defer close(s.summaryDone)
	t := time.NewTimer(s.cfg.Load().summary)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.FlushCounts()
			t.Reset(s.cfg.Load().summary)
		}
	}
}

// FlushCounts writes the counts gathered since the previous counts record (nothing when there are none).
func (s *Shadow) FlushCounts() {
	now := s.now()
	s.countMu.Lock()
	counts, since := s.counts, s.since
	s.counts, s.since = map[routeKey]*RouteCounts{}, now
	s.countMu.Unlock()
	if len(counts) == 0 {
		return
	}
	list := make([]RouteCounts, 0, len(counts))
	for _, c := range counts {
		list = append(list, *c)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].Route != list[j].Route {
			return list[i].Route < list[j].Route
		}
		return list[i].Method < list[j].Method
	})
	su := since.UTC()
	s.writeRecord(Record{Type: "counts", Time: now.UTC(), Since: &su, Counts: list})
}

// Close stops taking comparisons, lets the running ones finish (bounded), writes the last counts and closes
// the log. Call it after the HTTP server has shut down.
func (s *Shadow) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.jobs)
	s.mu.Unlock()
	close(s.stop)
	<-s.summaryDone
	done := make(chan struct{})
	go func() { s.workers.Wait(); close(done) }()
	st := s.cfg.Load()
	select {
	case <-done:
	case <-time.After(st.goTimeout + 5*time.Second):
		s.log.Warn("shadow comparisons still running at shutdown; their results are lost")
	}
	s.FlushCounts()
	s.logMu.Lock()
	defer s.logMu.Unlock()
	if s.logf != nil {
		err := s.logf.close()
		s.logf = nil
		return err
	}
	return nil
}
