package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/wpsidecar/wpsidecar/shadow"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

const shadowUsage = `usage: wpsidecar shadow <command> [flags]

commands:
  report   per-route results from the shadow log: requests seen, match rate, top mismatching fields, and which
           routes are ready to switch to go
  routes   the route patterns the sidecar registers, as the configuration file names them
  check    parse a configuration file and check its routes against the sidecar's route table
`

func runShadow(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, shadowUsage)
		return exitCode(2)
	}
	switch args[0] {
	case "report":
		return runShadowReport(args[1:], stdout, stderr, getenv)
	case "routes":
		return runShadowRoutes(args[1:], stdout, stderr)
	case "check":
		return runShadowCheck(args[1:], stdout, stderr, getenv)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, shadowUsage)
		return nil
	}
	fmt.Fprintf(stderr, "wpsidecar shadow: unknown command %q\n\n%s", args[0], shadowUsage)
	return exitCode(2)
}

// startShadow loads the configuration file, registers the shadow counters and re-reads the file on SIGHUP until
// ctx ends. The caller closes the returned Shadow after the HTTP server has shut down.
func (a *app) startShadow(ctx context.Context, path string, m *metrics) (*shadow.Shadow, error) {
	sh, err := shadow.Open(path, shadow.Options{Router: a.rest, Log: a.log.With("component", "shadow")})
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	if m != nil {
		if err := m.register(sh.Collectors()...); err != nil {
			sh.Close()
			return nil, err
		}
	}
	if a.proxy == nil {
		a.log.Warn("--config without --upstream: shadow mode cannot compare (there is no PHP answer to read) and php mode hands requests back to PHP only behind nginx's route override")
	}
	a.shadow = sh
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				a.log.Info("SIGHUP: re-reading the configuration file", "path", path)
				_ = sh.Reload() // on error the previous configuration stays and Reload logs why
			}
		}
	}()
	return sh, nil
}

// serveByMode applies the configured mode to a request for a route the sidecar registers. false leaves the
// request to the usual path (the sidecar answers what it owns and can authenticate; PHP the rest).
func (a *app) serveByMode(w http.ResponseWriter, req *http.Request, goSide http.Handler) bool {
	method, pattern, ok := a.rest.RouteOf(req)
	if !ok {
		return false
	}
	switch a.shadow.Mode(method, pattern) {
	case shadow.ModePHP:
		return a.toPHP(w, req, pattern)
	case shadow.ModeShadow:
		if a.proxy == nil {
			a.shadow.Count(method, pattern, shadow.Skipped, "no_upstream")
			return a.toPHP(w, req, pattern)
		}
		if !servableAuth(req, a.jwtActive(req)) {
			a.shadow.Count(method, pattern, shadow.Skipped, "auth_scheme")
			return a.toPHP(w, req, pattern)
		}
		markPHP(req, pattern)
		a.shadow.Serve(w, req, method, pattern, a.proxy, goSide)
		return true
	}
	return false
}

// toPHP hands a request to PHP: through the upstream proxy, or back to nginx's named location. false when there
// is no PHP to hand it to (the sidecar then answers).
func (a *app) toPHP(w http.ResponseWriter, req *http.Request, pattern string) bool {
	if a.proxy != nil {
		markPHP(req, pattern)
		a.proxy.ServeHTTP(w, req)
		return true
	}
	if d := req.Header.Get("X-Wpsidecar-Delegate"); strings.HasPrefix(d, "@") {
		markPHP(req, pattern)
		w.Header().Set("X-Accel-Redirect", d)
		w.WriteHeader(http.StatusOK)
		return true
	}
	return false
}

func markPHP(req *http.Request, pattern string) {
	if info := infoFrom(req.Context()); info != nil {
		info.handled, info.route = "php", pattern
	}
}

func runShadowReport(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("shadow report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	logPath := fs.String("log", "", "the shadow log (default: log.path of the configuration file)")
	config := fs.String("config", "", "configuration file whose log.path to read (env WPSIDECAR_CONFIG)")
	var since sinceFlag
	fs.Var(&since, "since", "only results newer than this, e.g. 36h or 7d (default: the whole log)")
	// The thresholds live in the configuration file's [ready] table (serve's dashboard judges with the same ones);
	// these flags override them for one run.
	def := shadow.DefaultThresholds
	minMatches := fs.Int64("min-matches", def.MinMatches, "matched requests a route needs to be ready to switch (default: [ready] min_matches of the configuration file)")
	maxMismatches := fs.Int64("max-mismatches", def.MaxMismatches, "mismatches a ready route may have (default: [ready] max_mismatches)")
	maxGoErrors := fs.Int64("max-go-errors", def.MaxGoErrors, "sidecar errors (timeouts, 500s) a ready route may have (default: [ready] max_go_errors)")
	top := fs.Int("top", 3, "mismatching fields listed per route")
	if err := fs.Parse(args); err != nil {
		return err
	}
	path := *logPath
	cfg := *config
	if cfg == "" {
		cfg = getenv("WPSIDECAR_CONFIG")
	}
	var c *shadow.Config
	if cfg != "" {
		var err error
		if c, err = shadow.LoadConfig(cfg); err != nil {
			return err
		}
	}
	if path == "" {
		if c == nil {
			return errors.New("give --log PATH, or --config (WPSIDECAR_CONFIG) with a log.path")
		}
		if path = c.Log.Path; path == "" {
			return fmt.Errorf("%s sets no log.path; give --log PATH", cfg)
		}
	}
	th := c.Thresholds()
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "min-matches":
			th.MinMatches = *minMatches
		case "max-mismatches":
			th.MaxMismatches = *maxMismatches
		case "max-go-errors":
			th.MaxGoErrors = *maxGoErrors
		}
	})
	files, err := shadow.LogFiles(path)
	if err != nil {
		return err
	}
	opts := shadow.ReportOptions{Since: time.Duration(since), MinMatches: th.MinMatches, MaxMismatches: th.MaxMismatches,
		MaxGoErrors: th.MaxGoErrors, TopFields: *top}
	rep, err := shadow.ReadReport(files, opts)
	if err != nil {
		return err
	}
	return rep.Write(stdout, opts)
}

// sinceFlag is a duration that also takes days ("7d").
type sinceFlag time.Duration

func (s *sinceFlag) String() string { return time.Duration(*s).String() }

func (s *sinceFlag) Set(v string) error {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.ParseFloat(days, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("bad duration %q", v)
		}
		*s = sinceFlag(time.Duration(n * float64(24*time.Hour)))
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return fmt.Errorf("bad duration %q", v)
	}
	*s = sinceFlag(d)
	return nil
}

// routeTable is the sidecar's REST route table, registered without a database (registration runs no query).
func routeTable() (rt *rest.Router, err error) {
	tables, err := wpcompat.NewTables("wp_")
	if err != nil {
		return nil, err
	}
	site := wpcompat.NewSite(nil, nil, tables, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("registering the routes without a database failed: %v", p)
		}
	}()
	rt = rest.NewRouter(site, nil)
	registerRoutes(rt, site)
	return rt, nil
}

func runShadowRoutes(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("shadow routes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	rt, err := routeTable()
	if err != nil {
		return err
	}
	for _, ri := range rt.Patterns() {
		for _, m := range ri.Methods {
			note := ""
			if m != http.MethodGet && m != http.MethodHead {
				note = "\t# write: shadow mode counts it unverifiable (no Validate hook)"
				if ri.Validates {
					note = "\t# write: shadow mode compares the sidecar's verdict"
				}
			}
			fmt.Fprintf(stdout, "%s %s%s\n", m, ri.Pattern, note)
		}
	}
	return nil
}

func runShadowCheck(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("shadow check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", "", "configuration file (env WPSIDECAR_CONFIG)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	path := *config
	if path == "" {
		path = getenv("WPSIDECAR_CONFIG")
	}
	if path == "" {
		return errors.New("give --config PATH (or WPSIDECAR_CONFIG)")
	}
	c, err := shadow.LoadConfig(path)
	if err != nil {
		return err
	}
	rt, err := routeTable()
	if err != nil {
		return err
	}
	modes, warnings, err := shadow.CheckConfig(c, rt)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: configuration OK\n", path)
	for _, m := range modes {
		if rest, ok := strings.CutPrefix(m, "* "); ok && !strings.Contains(m, " → ") {
			fmt.Fprintf(stdout, "  default mode: %s\n", rest)
			continue
		}
		fmt.Fprintf(stdout, "  %s\n", m)
	}
	for _, w := range warnings {
		fmt.Fprintf(stdout, "warning: %s\n", w)
	}
	return nil
}
