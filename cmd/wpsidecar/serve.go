package main

//go:generate go run genschema.go

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/wpsidecar/wpsidecar/shadow"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

type serveOptions struct {
	listen          string
	adminListen     string
	upstream        *url.URL
	readDSN         string
	maxBody         int64
	rywWindow       time.Duration
	shutdownTimeout time.Duration
	configPath      string
	dbTimeout       time.Duration
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("serve", stderr, getenv)
	secretsKeyFile := secretsKeyFlag(s)
	var listen, adminListen, upstream, readDSN, configPath, trusted string
	var shutdown, ryw, dbTimeout time.Duration
	var maxBody int64
	var appPasswordErrors, bruteForce, keepOmitted bool
	s.fs.StringVar(&trusted, "trusted-proxies", "", "comma-separated CIDRs whose X-Forwarded-Proto/-For are believed (env WPSIDECAR_TRUSTED_PROXIES; default 127.0.0.1/32,::1/128; \"none\" trusts nobody)")
	s.fs.BoolVar(&appPasswordErrors, "app-password-errors", false, "answer a wrong Application Password with WordPress's 401 error instead of continuing anonymous (stock WordPress: off)")
	s.fs.BoolVar(&bruteForce, "brute-force", false, "throttle repeated failed authentications per IP and username with 429 (a deviation from WordPress; see DEVIATIONS.md)")
	s.fs.BoolVar(&keepOmitted, "fluentcart-keep-omitted", false, "FluentCart updates keep the stored value of omitted fields instead of blanking them as PHP does")
	s.fs.StringVar(&listen, "listen", "", "HOST:PORT to serve on (env WPSIDECAR_LISTEN; default 127.0.0.1:8080)")
	s.fs.StringVar(&adminListen, "admin-listen", "", "HOST:PORT for the migration dashboard (/), /metrics and /debug/pprof/ (env WPSIDECAR_ADMIN_LISTEN; default 127.0.0.1:9090; \"off\" disables)")
	s.fs.StringVar(&upstream, "upstream", "", "front-proxy mode: URL of the PHP site that answers everything not owned (env WPSIDECAR_UPSTREAM)")
	s.fs.StringVar(&configPath, "config", "", "configuration file (TOML): per-route php/shadow/go modes, shadow log; re-read on SIGHUP (env WPSIDECAR_CONFIG)")
	s.fs.StringVar(&readDSN, "read-dsn", "", "DSN of a read replica for reads (env WPSIDECAR_READ_DSN)")
	s.fs.Int64Var(&maxBody, "max-body", 10<<20, "largest request body the sidecar reads for its own routes, in bytes")
	s.fs.DurationVar(&ryw, "read-your-writes", 5*time.Second, "after a client's write, its reads go to the primary for this long")
	s.fs.DurationVar(&shutdown, "shutdown-timeout", 20*time.Second, "how long in-flight requests may take after SIGTERM")
	var dbConns int
	s.fs.IntVar(&dbConns, "db-conns", 0, "most connections each database pool opens (env WPSIDECAR_DB_CONNS; default 64)")
	s.fs.DurationVar(&dbTimeout, "db-timeout", 10*time.Second, "bound on each request's database work, waiting for a pool connection included; past it 503 + Retry-After (env WPSIDECAR_DB_TIMEOUT; 0 = unbounded)")
	cacheOpts := registerCacheFlags(s.fs)
	if err := s.fs.Parse(args); err != nil {
		return err
	}
	logBuf := newLineBuffer(stderr)
	defer logBuf.Close()
	log := s.logger(logBuf)
	if v := s.value("db-timeout", "WPSIDECAR_DB_TIMEOUT", "10s"); v != dbTimeout.String() {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fmt.Errorf("WPSIDECAR_DB_TIMEOUT %q is not a duration", v)
		}
		dbTimeout = d
	}
	tuneGC(getenv, log)
	opts := serveOptions{
		listen:          s.value("listen", "WPSIDECAR_LISTEN", "127.0.0.1:8080"),
		adminListen:     s.value("admin-listen", "WPSIDECAR_ADMIN_LISTEN", "127.0.0.1:9090"),
		readDSN:         s.value("read-dsn", "WPSIDECAR_READ_DSN", ""),
		maxBody:         maxBody,
		rywWindow:       ryw,
		shutdownTimeout: shutdown,
		configPath:      s.value("config", "WPSIDECAR_CONFIG", ""),
		dbTimeout:       dbTimeout,
	}
	if up := s.value("upstream", "WPSIDECAR_UPSTREAM", ""); up != "" {
		u, err := url.Parse(up)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("--upstream %q is not an absolute URL", up)
		}
		opts.upstream = u
	}

	proxies, err := parseCIDRs(s.value("trusted-proxies", "WPSIDECAR_TRUSTED_PROXIES", "127.0.0.1/32,::1/128"))
	if err != nil {
		return err
	}
	ro := routeOptions{
		secretsKeyFile:    secretsKeyFile(),
		keepOmittedFields: keepOmitted,
		auth: authn.AuthOptions{
			TrustedProxies:    proxies,
			AppPasswordErrors: appPasswordErrors,
			BruteForce:        authn.BruteForceOptions{Enabled: bruteForce},
		},
	}

	res, err := s.resolve(log)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if v := s.value("db-conns", "WPSIDECAR_DB_CONNS", "0"); v != "0" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("--db-conns %q is not a positive number", v)
		}
		dbConns = n
	}
	db, err := wpcompat.OpenDB(ctx, res.dsn, wpcompat.DBOptions{MaxOpen: dbConns})
	if err != nil {
		return err
	}
	defer db.Close()
	readDB := db
	if opts.readDSN != "" {
		if readDB, err = wpcompat.OpenDB(ctx, opts.readDSN, wpcompat.DBOptions{FallbackDSN: res.dsn}); err != nil {
			return fmt.Errorf("read replica: %w", err)
		}
		defer readDB.Close()
	}
	site := wpcompat.NewSite(db, readDB, res.tables, res.config, log)
	go site.RefreshOptions(ctx) // options stay current in the background: no request re-reads one when it expires
	if opts.readDSN == "" {
		// Authentication and a route's first read in one round trip (wpcompat/prefetch.go); a pool of its own so
		// that no other statement runs on a connection that accepts several at once.
		pipe, err := wpcompat.OpenDB(ctx, res.dsn, wpcompat.DBOptions{MaxOpen: dbConns, MultiStatements: true})
		if err != nil {
			return err
		}
		defer pipe.Close()
		site.Pipeline = pipe
	}
	if err := ensureOwnTables(ctx, db, res.tables.Prefix); err != nil {
		return err
	}
	m := newMetrics()
	m.wire(site)
	app := newApp(site, log, ro)
	app.metrics = m
	if s.value("log-format", "WPSIDECAR_LOG_FORMAT", "json") != "text" && log.Enabled(ctx, slog.LevelInfo) {
		app.accessLines = newAccessLineWriter(logBuf)
	}
	app.rest.MaxBodyBytes = opts.maxBody
	app.rest.DBTimeout = opts.dbTimeout
	if opts.upstream != nil {
		app.proxy = newUpstreamProxy(opts.upstream, log)
		log.Info("front-proxy mode", "upstream", opts.upstream.String())
	}
	if err := startCache(ctx, cacheOpts, res.dsn, site, app, m, log); err != nil {
		return err
	}
	if opts.readDSN != "" {
		app.ryw = newReadYourWrites(opts.rywWindow)
	}
	if opts.configPath == "" {
		// systemd's ExecReload sends SIGHUP; without a configuration file there is nothing to re-read.
		signal.Ignore(syscall.SIGHUP)
	}
	if opts.configPath != "" {
		sh, err := app.startShadow(ctx, opts.configPath, m)
		if err != nil {
			return err
		}
		defer sh.Close() // after the server's shutdown: the last comparisons finish, the last counts are written
	}
	if opts.adminListen != "" && opts.adminListen != "off" {
		aln, err := net.Listen("tcp", opts.adminListen)
		if err != nil {
			return fmt.Errorf("admin listener: %w", err)
		}
		admin := &http.Server{Handler: app.adminHandler(ctx, m), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = admin.Serve(aln) }()
		defer admin.Close()
		log.Info("metrics and migration dashboard", "listen", aln.Addr().String())
	}

	ln, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           app.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("wpsidecar serving", "listen", ln.Addr().String(), "table_prefix", res.tables.Prefix, "version", readBuildVersion().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", opts.shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), opts.shutdownTimeout)
	defer cancel()
	shutdownErr := srv.Shutdown(sctx)
	app.close(sctx)
	if shutdownErr != nil {
		return fmt.Errorf("graceful shutdown: %w", shutdownErr)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// ensureOwnTables creates the sidecar's own tables when missing (never touches WordPress's or a plugin's).
func ensureOwnTables(ctx context.Context, db *sql.DB, prefix string) error {
	for _, stmt := range strings.Split(strings.ReplaceAll(ownSchemaSQL, "{prefix}", prefix), ";\n") {
		if strings.TrimSpace(wpcompat.StripSQLComments(stmt)) == "" {
			continue
		}
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create the sidecar's own tables: %w", err)
		}
	}
	return nil
}

// app is the composed process: site, REST router with every owned route, own endpoints, optional proxy to PHP.
type app struct {
	site    *wpcompat.Site
	log     *slog.Logger
	rest    *rest.Router
	metrics *metrics
	proxy   *httputil.ReverseProxy // front-proxy mode: everything not owned goes to PHP
	ryw     *readYourWrites        // with a read replica: a client's reads after its write go to the primary
	shadow  *shadow.Shadow         // with --config: per-route php / shadow / go modes
	closers []closer               // background work of the route packages, stopped after the server
	// accessLines, when set, writes the access log's lines in slog's JSON without slog (accesslog.go)
	accessLines *accessLineWriter
}

// close stops the route packages' background work (flushing what they hold), bounded by ctx.
func (a *app) close(ctx context.Context) {
	for _, c := range a.closers {
		if err := c.Close(ctx); err != nil {
			a.log.Warn("closing background work", "err", err)
		}
	}
}

func newApp(site *wpcompat.Site, log *slog.Logger, ro ...routeOptions) *app {
	var authOpts authn.AuthOptions
	if len(ro) > 0 {
		authOpts = ro[0].auth
	}
	authOpts.APIKeyNamespaces = []string{"latepoint-api/v1"}
	auth := authn.NewAuthenticator(site, authOpts)
	router := rest.NewRouter(site, auth)
	router.Observe = func(r *rest.Request, _ int, _ time.Duration) {
		if info := infoFrom(r.Ctx()); info != nil {
			info.route = r.Route
			info.class = rest.AnswerClass(r)
		}
	}
	closers := registerRoutes(router, site, ro...)
	return &app{site: site, log: log, rest: router, closers: closers}
}

// handler routes the process's own endpoints with httprouter and hands every other request to the REST router
// (or, in front-proxy mode, to PHP when the sidecar does not own it), behind the logging/recovery middleware.
func (a *app) handler() http.Handler {
	r := httprouter.New()
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.HandleMethodNotAllowed = false
	r.GET("/healthz", a.healthz)
	r.GET("/readyz", a.readyz)
	a.rest.Delegate = a.delegate
	var restHandler http.Handler = a.rest
	if a.ryw != nil {
		restHandler = a.ryw.wrap(restHandler)
	}
	r.NotFound = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if a.shadow != nil && a.serveByMode(w, req, restHandler) {
			return
		}
		delegate := req.Header.Get("X-Wpsidecar-Delegate")
		if (a.proxy != nil || strings.HasPrefix(delegate, "@")) && !(a.rest.Owns(req) && servableAuth(req, a.jwtActive(req))) {
			if info := infoFrom(req.Context()); info != nil {
				info.handled = "php"
			}
			if a.proxy != nil {
				a.proxy.ServeHTTP(w, req)
				return
			}
			// Behind nginx (deploy/nginx/wpsidecar.conf): hand the request back to PHP through the named location.
			w.Header().Set("X-Accel-Redirect", delegate)
			w.WriteHeader(http.StatusOK)
			return
		}
		restHandler.ServeHTTP(w, req)
	})
	return middlewareWith(a.log, a.accessLines, a.metrics, r)
}

// delegate hands a request for an owned route that the sidecar cannot answer exactly to PHP (the REST router
// calls it before anything was written for the request): in front-proxy mode through the upstream, behind nginx
// through the delegate location with X-Accel-Redirect (nginx replays the method and body it buffered). false
// when there is neither: a standalone sidecar answers 501 wpsidecar_not_implemented.
func (a *app) delegate(w http.ResponseWriter, req *http.Request, route, reason string) bool {
	loc := req.Header.Get("X-Wpsidecar-Delegate")
	if a.proxy == nil && !strings.HasPrefix(loc, "@") {
		return false
	}
	if info := infoFrom(req.Context()); info != nil {
		info.handled, info.route, info.reason = "php-delegated", route, reason
	}
	if a.metrics != nil {
		a.metrics.delegations.WithLabelValues(route, reason).Inc()
	}
	if a.proxy != nil {
		a.proxy.ServeHTTP(w, req)
		return true
	}
	w.Header().Set("X-Accel-Redirect", loc)
	w.WriteHeader(http.StatusOK)
	return true
}

// jwtActive reports whether the JWT plugin would authenticate Bearer tokens on this site.
func (a *app) jwtActive(r *http.Request) bool {
	if _, ok := a.site.Config.String("JWT_AUTH_SECRET_KEY"); !ok {
		return false
	}
	on, err := a.site.PluginActive(r.Context(), "jwt-authentication-for-wp-rest-api/jwt-auth.php")
	return err == nil && on
}

func (a *app) healthz(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
}

// requiredTables are the tables the sidecar cannot work without; plugin tables are optional (their routes answer
// the plugin's "not available" error when missing).
func requiredTables(t wpcompat.Tables) []string {
	return []string{t.Users(), t.Usermeta(), t.Options(), t.Name("wpsidecar_meta"), t.Name("wpsidecar_api_keys"), t.Name("wpsidecar_rate_limits")}
}

func (a *app) readyz(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	missing, err := missingTables(ctx, a.site.DB, requiredTables(a.site.Tables))
	if err != nil {
		a.log.Warn("not ready", "err", err)
		if info := infoFrom(r.Context()); info != nil {
			info.class = rest.ClassDBUnavailable
		}
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "error": "database unreachable"})
		return
	}
	if len(missing) > 0 {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "error": "missing tables", "missing_tables": missing})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready"})
}

// missingTables lists which of tables do not exist, in one query.
func missingTables(ctx context.Context, db *sql.DB, tables []string) ([]string, error) {
	q := "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?" +
		strings.Repeat(",?", len(tables)-1) + ")"
	args := make([]any, len(tables))
	for i, t := range tables {
		args[i] = t
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		have[strings.ToLower(n)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	missing := []string{}
	for _, t := range tables {
		if !have[strings.ToLower(t)] {
			missing = append(missing, t)
		}
	}
	return missing, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// parseCIDRs reads a comma-separated list of CIDR prefixes (or bare addresses); "none" or "" is the empty list.
func parseCIDRs(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" || item == "none" {
			continue
		}
		if !strings.Contains(item, "/") {
			a, err := netip.ParseAddr(item)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: %w", item, err)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", item, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
