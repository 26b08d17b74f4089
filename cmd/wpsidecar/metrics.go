package main

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/pprof"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// metrics are the Prometheus series served on the admin listener's /metrics.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	authFail    *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	dropped     *prometheus.CounterVec
	delegations *prometheus.CounterVec
	answers     *prometheus.CounterVec
	cacheLag    prometheus.Histogram // --cache only
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wpsidecar_http_requests_total", Help: "HTTP requests by who answered (go, php, or php-delegated: an owned route handed to PHP), route pattern, method and status.",
	}, []string{"handler", "route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "wpsidecar_http_request_duration_seconds", Help: "Request latency by who answered and route pattern.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"handler", "route"})
	m.authFail = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wpsidecar_auth_failures_total", Help: "Presented credentials that were refused, by reason.",
	}, []string{"reason"})
	m.rateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wpsidecar_rate_limit_rejections_total", Help: "Requests refused by a rate limit, by kind.",
	}, []string{"kind"})
	m.dropped = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wpsidecar_dropped_total", Help: "Items dropped by bounded queues (e.g. audit log rows).",
	}, []string{"what"})
	m.delegations = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wpsidecar_delegations_total", Help: "Requests to owned routes that the sidecar handed to PHP because it cannot answer them exactly, by route pattern and reason.",
	}, []string{"route", "reason"})
	m.answers = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wpsidecar_http_answers_total",
		Help: "Answers by who answered, route pattern and class: ok, client_error, planned_error (a 5xx copying the plugin's own), server_error (the sidecar failed), db_timeout, db_unavailable, outcome_unknown, client_closed (499), delegated (handed to PHP).",
	}, []string{"handler", "route", "class"})
	m.reg.MustRegister(m.requests, m.latency, m.authFail, m.rateLimited, m.dropped, m.delegations, m.answers,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// wire connects a site's events and database pools to the metrics.
func (m *metrics) wire(site *wpcompat.Site) {
	site.Events.AuthFailure = func(reason string) { m.authFail.WithLabelValues(reason).Inc() }
	site.Events.RateLimited = func(kind string) { m.rateLimited.WithLabelValues(kind).Inc() }
	site.Events.Dropped = func(what string) { m.dropped.WithLabelValues(what).Inc() }
	m.reg.MustRegister(collectors.NewDBStatsCollector(site.DB, "primary"))
	if site.ReadDB != nil && site.ReadDB != site.DB {
		m.reg.MustRegister(collectors.NewDBStatsCollector(site.ReadDB, "replica"))
	}
}

// register adds other packages' collectors (e.g. the shadow counters) to /metrics.
func (m *metrics) register(cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

func (m *metrics) observe(handler, route, method string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(handler, route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(handler, route).Observe(elapsed.Seconds())
}

// adminHandler serves /metrics (and /healthz) on the admin listener.
func (m *metrics) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, map[string]any{"status": "ok"}) })
	// Profiles for operators (the admin listener is loopback-only by default): go tool pprof http://…/debug/pprof/profile
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

func hashString(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}
