package main

import (
	"context"
	"flag"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wpsidecar/wpsidecar/bincache"
	"github.com/wpsidecar/wpsidecar/bincache/binlogstream"
	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// cacheOptions are serve's read-cache flags (off by default).
type cacheOptions struct {
	on       bool
	sizeMB   int
	maxLag   time.Duration
	serverID uint

	applyDelay time.Duration // tests: a slow binlog stream
}

func registerCacheFlags(fs *flag.FlagSet) *cacheOptions {
	o := &cacheOptions{}
	fs.BoolVar(&o.on, "cache", false, "serve options and authentication's user lookups from memory, invalidated by the binlog (ROW format) read as a replica; see `wpsidecar doctor`")
	fs.IntVar(&o.sizeMB, "cache-size-mb", 64, "read cache memory bound in MB (least recently used entries go first)")
	fs.DurationVar(&o.maxLag, "cache-max-lag", time.Second, "staleness bound: when the binlog stream is silent or behind for longer, the cache is dropped and bypassed until it has caught up")
	fs.UintVar(&o.serverID, "cache-server-id", 0, "server_id the binlog stream uses (unique among the server's replicas; default: random)")
	return o
}

// startCache wires the read cache into site and the REST router and starts its binlog stream (until ctx ends).
func startCache(ctx context.Context, o *cacheOptions, dsn string, site *wpcompat.Site, a *app, m *metrics, log *slog.Logger) error {
	if !o.on {
		return nil
	}
	id := uint32(o.serverID)
	if id == 0 {
		id = 1<<20 + rand.Uint32N(1<<30)
	}
	c := bincache.New(int64(o.sizeMB)<<20, o.maxLag)
	st, err := binlogstream.NewStream(c, binlogstream.StreamConfig{DSN: dsn, ServerID: id, Heartbeat: o.maxLag / 4, Log: log,
		ProbeTable: site.Tables.Name("wpsidecar_meta"),
		OnLag:      m.observeCacheLag,
		ApplyDelay: o.applyDelay,
		Watch: []binlogstream.Watch{
			{Table: site.Tables.Users(), Column: -1},
			{Table: site.Tables.Usermeta(), Column: 1},                      // user_id
			{Table: site.Tables.Options(), Column: 1},                       // option_name
			{Table: site.Tables.Name("wpsidecar_api_keys"), Column: 0},      // id (LatePoint API keys)
			{Table: site.Tables.Name("latepoint_customers"), Column: 0},     // id
			{Table: site.Tables.Name("latepoint_customer_meta"), Column: 1}, // object_id
			{Table: site.Tables.Name("fct_customers"), Column: 0},           // id
			{Table: site.Tables.Name("fct_label_relationships"), Column: 2}, // labelable_id
		}})
	if err != nil {
		return err
	}
	site.ReadCache = c
	sync := func(ctx context.Context) {
		sctx, cancel := context.WithTimeout(ctx, o.maxLag)
		defer cancel()
		if err := st.Sync(sctx, site.DB); err != nil {
			log.Warn("read cache: could not follow the binlog past a write in time: cache dropped", "err", err)
			c.Drop()
		}
	}
	a.rest.AfterWrite = sync
	if a.proxy != nil {
		// Front-proxy mode: a write PHP answered (a delegated route, or any route the sidecar does not own, such as
		// a profile edit) is out of the cache before its answer is passed on. Behind nginx's delegate location the
		// sidecar never sees PHP's answer: there such writes reach the cache through the binlog (within the bound).
		prev := a.proxy.ModifyResponse
		a.proxy.ModifyResponse = func(resp *http.Response) error {
			if m := resp.Request.Method; m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions {
				sync(resp.Request.Context())
			}
			if prev != nil {
				return prev(resp)
			}
			return nil
		}
	}
	if m != nil {
		m.wireCache(c)
	}
	go st.Run(ctx)
	log.Info("read cache on", "size_mb", o.sizeMB, "max_lag", o.maxLag.String(), "server_id", id)
	return nil
}

// observeCacheLag records one probe's commit → applied time (nil-safe).
func (m *metrics) observeCacheLag(d time.Duration) {
	if m != nil && m.cacheLag != nil {
		m.cacheLag.Observe(d.Seconds())
	}
}

func (m *metrics) wireCache(c *bincache.Cache) {
	m.cacheLag = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "wpsidecar_cache_lag_seconds",
		Help:    "Read cache: time from a probe row's commit to its arrival through the binlog (the lag from a commit to its invalidation).",
		Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}})
	m.reg.MustRegister(m.cacheLag)
	gauge := func(name, help string, f func(bincache.Stats) float64) {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return f(c.Stats()) }))
	}
	counter := func(name, help string, f func(bincache.Stats) int64) {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(f(c.Stats())) }))
	}
	gauge("wpsidecar_cache_entries", "Entries in the read cache.", func(s bincache.Stats) float64 { return float64(s.Entries) })
	gauge("wpsidecar_cache_bytes", "Estimated memory held by the read cache.", func(s bincache.Stats) float64 { return float64(s.Bytes) })
	gauge("wpsidecar_cache_max_bytes", "The read cache's memory bound (--cache-size-mb).", func(s bincache.Stats) float64 { return float64(s.MaxBytes) })
	gauge("wpsidecar_cache_healthy", "1 while the binlog stream is caught up and the cache serves; 0 while it is bypassed.", func(s bincache.Stats) float64 {
		if s.Healthy {
			return 1
		}
		return 0
	})
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "wpsidecar_cache_staleness_seconds",
		Help: "Read cache: time since the last proof that every committed change had been applied (served only while below --cache-max-lag)."},
		func() float64 { return c.Lag().Seconds() }))
	counter("wpsidecar_cache_hits_total", "Reads answered from the cache.", func(s bincache.Stats) int64 { return s.Hits })
	counter("wpsidecar_cache_misses_total", "Reads not in the cache (read from MySQL).", func(s bincache.Stats) int64 { return s.Misses })
	counter("wpsidecar_cache_bypasses_total", "Reads that skipped the cache because the stream was not healthy.", func(s bincache.Stats) int64 { return s.Bypasses })
	counter("wpsidecar_cache_drops_total", "Times the cache was dropped (stream stopped, failed or fell behind).", func(s bincache.Stats) int64 { return s.Drops })
	counter("wpsidecar_cache_evictions_total", "Entries evicted by the memory bound.", func(s bincache.Stats) int64 { return s.Evictions })
	counter("wpsidecar_cache_invalidations_total", "Invalidations (binlog row changes and the sidecar's own writes).", func(s bincache.Stats) int64 { return s.Invalidations })
}
