package main

import (
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// newUpstreamProxy passes requests the sidecar does not own to PHP unchanged: streaming both ways, no buffering
// of large uploads, X-Forwarded-For/Host/Proto set.
func newUpstreamProxy(upstream *url.URL, log *slog.Logger) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(upstream)
			pr.Out.Host = pr.In.Host // WordPress builds URLs from the Host it was asked for
			pr.SetXForwarded()
			if proto := pr.In.Header.Get("X-Forwarded-Proto"); proto != "" && pr.In.TLS == nil {
				pr.Out.Header.Set("X-Forwarded-Proto", proto)
			}
		},
		FlushInterval: -1,
		Transport: &http.Transport{
			Proxy:                 nil,
			MaxIdleConnsPerHost:   64,
			IdleConnTimeout:       90 * time.Second,
			ResponseHeaderTimeout: 120 * time.Second,
		},
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if r.Context().Err() != nil { // the client hung up: nobody receives an answer (nginx's 499)
				log.Info("client closed the connection", "path", r.URL.Path, "err", err)
				w.WriteHeader(rest.StatusClientClosed)
				return
			}
			log.Warn("upstream unreachable", "path", r.URL.Path, "err", err)
			w.Header().Set("Content-Type", "application/json; charset=UTF-8")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte(`{"code":"upstream_unavailable","message":"The WordPress site behind the sidecar did not answer.","data":{"status":502}}`))
		},
	}
}

// servableAuth reports whether the sidecar can authenticate a request exactly as PHP would. An Authorization
// scheme it does not implement (e.g. an OAuth plugin's Bearer tokens when the JWT plugin is not active) goes to PHP.
func servableAuth(r *http.Request, jwtActive bool) bool {
	a := strings.TrimSpace(r.Header.Get("Authorization"))
	if a == "" {
		return true
	}
	scheme, rest, _ := strings.Cut(a, " ")
	switch strings.ToLower(scheme) {
	case "basic":
		return true
	case "bearer":
		return jwtActive || strings.HasPrefix(strings.TrimSpace(rest), "lp_")
	}
	return false
}
