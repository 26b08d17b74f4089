// Package latepoint answers the LatePoint API Extension's customers routes (namespace latepoint-api/v1) over
// LatePoint 5.0.15's own tables, with API keys, per-key rate limits and an audit log kept in the sidecar's own
// tables. Contract: latepoint-customers.md; choices where the documentation is silent: DEVIATIONS.md "LatePoint".
package latepoint

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Namespace is the REST namespace the extension registers.
const Namespace = "latepoint-api/v1"

// Routes (spec §6.7–§6.11); {id} is digits only, anything else falls through to rest_no_route.
const (
	routeCustomers = "/customers"
	routeCustomer  = "/customers/(?P<id>[0-9]+)"
	routeStatus    = "/status"
)

// auditRoutes maps the router's patterns to the templated names the audit log stores.
var auditRoutes = map[string]string{
	"/" + Namespace + routeCustomers: "/customers",
	"/" + Namespace + routeCustomer:  "/customers/{id}",
	"/" + Namespace + routeStatus:    "/status",
}

// pluginBasename is LatePoint's entry in active_plugins.
const pluginBasename = "latepoint/latepoint.php"

// Options configures the LatePoint API. The zero value gives the documented defaults.
type Options struct {
	MinAge         int            // minimum customer age for date_of_birth (default 13, seed 001)
	RequireEmail   bool           // require e-mail on create (default false: optional for the API, issue 6)
	RejectTestKeys bool           // production mode: refuse lp_test_ keys with 401 (spec §6.5 [REC])
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For is believed for the IP allow-list
	TestLimits     Limits         // default 100/min, 1000/h
	LiveLimits     Limits         // default 60/min, 3600/h

	LeaseFraction      float64       // rate-limit lease size as a fraction of the limit (default 1/20)
	AuditQueueSize     int           // default 10000
	AuditBatchSize     int           // default 500
	AuditFlushInterval time.Duration // default 1s
	DisableAuditLog    bool
	BackgroundInterval time.Duration // lease give-back and last-used flush period (default 1s)

	UploadsURL       string // base URL of wp-content/uploads (default: upload_url_path option, else content URL + /uploads)
	DefaultAvatarURL string // LatePoint's default avatar (default: plugins URL + /latepoint/public/images/default-avatar.jpg)
}

func (o *Options) defaults() {
	if o.MinAge == 0 {
		o.MinAge = 13
	}
	if o.TestLimits == (Limits{}) {
		o.TestLimits = DefaultTestLimits
	}
	if o.LiveLimits == (Limits{}) {
		o.LiveLimits = DefaultLiveLimits
	}
	if o.LeaseFraction <= 0 {
		o.LeaseFraction = 1.0 / 20
	}
	if o.BackgroundInterval <= 0 {
		o.BackgroundInterval = time.Second
	}
}

// API is the registered LatePoint API: its store, keys, limiter and audit log. Close it on shutdown so unspent
// rate-limit leases go back and queued audit rows are written.
type API struct {
	site    *wpcompat.Site
	opts    Options
	store   *Store
	keys    *KeyStore
	limiter *Limiter
	audit   *AuditLog

	usedMu sync.Mutex
	used   map[int64]lastUse

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// Register adds the LatePoint API routes to rt and starts the background work (rate-limit lease give-back,
// last-used flush, audit writer).
func Register(rt *rest.Router, site *wpcompat.Site, opts Options) *API {
	opts.defaults()
	a := &API{
		site:  site,
		opts:  opts,
		store: NewStore(site),
		keys:  NewKeyStore(site),
		used:  map[int64]lastUse{},
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	a.limiter = NewLimiter(site.DB, site.Tables.Table("wpsidecar_rate_limits"), site.Clock, site.Log)
	a.limiter.LeaseFraction = opts.LeaseFraction
	if !opts.DisableAuditLog {
		a.audit = NewAuditLog(site.DB, site.Tables.Table("wpsidecar_api_logs"), opts.AuditQueueSize, opts.AuditBatchSize,
			opts.AuditFlushInterval, site.Log, func() { site.QueueDropped("latepoint_audit_log") })
	}

	rt.Register(Namespace, routeCustomers,
		rest.Handler{Methods: http.MethodGet, Permission: a.require("customers:read"), Callback: a.listCustomers},
		rest.Handler{Methods: http.MethodPost, Permission: a.require("customers:create"), Callback: a.createCustomer, Validate: a.validateCreate},
	)
	rt.Register(Namespace, routeCustomer,
		rest.Handler{Methods: http.MethodGet, Permission: a.require("customers:read"), Callback: a.getCustomer,
			// The customer with its meta rides with the API key lookup (wpcompat.PipelineQuery).
			Prefetch: func(r *rest.Request) *wpcompat.Prefetch {
				id, err := strconv.ParseInt(r.URLParams["id"], 10, 64)
				if err != nil {
					return nil
				}
				return a.store.CustomerPrefetch(id)
			}},
		rest.Handler{Methods: "PUT, PATCH", Permission: a.require("customers:update"), Callback: a.updateCustomer, Validate: a.validateUpdate},
		rest.Handler{Methods: http.MethodDelete, Permission: a.require("customers:delete"), Callback: a.deleteCustomer, Validate: a.validateDelete},
	)
	rt.Register(Namespace, routeStatus,
		rest.Handler{Methods: http.MethodGet, Permission: a.require(""), Callback: a.status},
	)
	rt.Hook("/"+Namespace, a.auditHook)
	rt.FaultEnvelope("/"+Namespace, faultEnvelope)
	go a.background()
	return a
}

// Close stops the background work, gives unspent rate-limit leases back and flushes the audit log.
func (a *API) Close(ctx context.Context) error {
	a.once.Do(func() { close(a.stop) })
	select {
	case <-a.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	a.limiter.giveBack(ctx, true)
	a.flushUsed(ctx)
	if a.audit != nil {
		return a.audit.Close(ctx)
	}
	return nil
}

// AuditLog exposes the audit writer (metrics: dropped/written counts).
func (a *API) AuditLog() *AuditLog { return a.audit }

func (a *API) background() {
	defer close(a.done)
	tick := time.NewTicker(a.opts.BackgroundInterval)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-a.stop:
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			a.limiter.giveBack(ctx, false)
			a.flushUsed(ctx)
			if time.Since(last) > 10*time.Minute {
				a.limiter.purge(ctx)
				last = time.Now()
			}
			cancel()
		}
	}
}

// flushUsed writes pending last_used_at/last_used_ip updates.
func (a *API) flushUsed(ctx context.Context) {
	a.usedMu.Lock()
	var pending []int64
	snap := map[int64]lastUse{}
	for id, u := range a.used {
		if u.dirty {
			pending = append(pending, id)
			snap[id] = u
		}
	}
	a.usedMu.Unlock()
	for _, id := range pending {
		u := snap[id]
		if err := a.keys.touch(ctx, id, u.at, u.ip); err != nil {
			a.site.Log.Warn("latepoint: record key use", "key_id", id, "err", err)
			continue
		}
		a.usedMu.Lock()
		if cur := a.used[id]; cur.at.Equal(u.at) {
			a.used[id] = lastUse{at: u.at, ip: u.ip, written: u.at}
		}
		a.usedMu.Unlock()
	}
}

// auditHook queues one audit row per request under the namespace (every route, unknown ones included).
func (a *API) auditHook(r *rest.Request, resp *rest.Response) {
	p := strings.ToLower(r.Path)
	if p != "/"+Namespace && !strings.HasPrefix(p, "/"+Namespace+"/") {
		return
	}
	if a.audit == nil || rest.DryRun(r.Ctx()) {
		return // a shadow-mode re-execution: PHP answered (and logged) the request
	}
	st, _ := r.Values[valAuth].(*authState)
	e := auditEntry{Method: r.Method, Status: resp.Status, UserAgent: r.HTTP.UserAgent(), At: a.site.Clock()}
	if e.Status == 0 {
		e.Status = http.StatusOK
	}
	e.RequestID = requestID(r)
	e.Route = auditRoutes[r.Route]
	if e.Route == "" {
		e.Route = strings.TrimPrefix(r.Path, "/"+Namespace)
	}
	if st != nil {
		e.IP = st.ip
		e.KeyPrefix = st.prefix
		if st.key != nil {
			e.KeyID = st.key.ID
		}
	} else if ip := a.clientIP(r.HTTP); ip.IsValid() {
		e.IP = ip.String()
	}
	if start, ok := r.Values[valStart].(time.Time); ok {
		e.DurationMS = time.Since(start).Milliseconds()
	}
	switch b := resp.Body.(type) {
	case *errorBody:
		e.ErrorCode = b.Code
	case *wpjson.Object:
		if e.Status >= 400 {
			if c, ok := b.Get("code"); ok {
				e.ErrorCode, _ = c.(string)
			}
		}
	}
	a.audit.Log(e)
}

// requestID is the serving layer's request id when it set one, else a fresh random id.
func requestID(r *rest.Request) string {
	for _, h := range []string{"X-Request-Id", "X-Request-ID"} {
		if v := r.HTTP.Header.Get(h); v != "" && len(v) <= 32 {
			return v
		}
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// logged logs the internal cause of a 5xx envelope (the router does not log plugin envelopes) and returns it.
func (a *API) logged(r *rest.Request, err error) error {
	var ae *apiError
	if errors.As(err, &ae) && ae.Status >= 500 && ae.Cause != nil && !wpcompat.IsDBFault(ae.Cause) {
		a.site.Log.Error("latepoint api request failed", "method", r.Method, "route", r.Route, "code", ae.Code, "err", ae.Cause)
	}
	return err
}

// available answers 503 latepoint_not_available when LatePoint is not an active plugin (the extension runs only
// with LatePoint loaded) or the database cannot be read; missing tables surface the same way from the store.
func (a *API) available(r *rest.Request) error {
	active, err := a.site.PluginActive(r.Ctx(), pluginBasename)
	if err != nil {
		return a.logged(r, errNotAvailable(err))
	}
	if !active {
		return errNotAvailable(errors.New("LatePoint is not in active_plugins"))
	}
	return nil
}

// clock is the site-local "now" for a request.
func (a *API) clock(r *rest.Request) (localClock, error) {
	loc, err := a.site.Location(r.Ctx())
	if err != nil {
		return localClock{}, a.logged(r, errNotAvailable(classify(err)))
	}
	return newLocalClock(a.site.Clock(), loc), nil
}
