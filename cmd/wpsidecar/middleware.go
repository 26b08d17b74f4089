package main

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/wpsidecar/wpsidecar/shadow"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// reqInfo travels in the request context so the REST router can tell the access log which route answered.
type reqInfo struct {
	id      string
	route   string
	handled string // who answered: "go", "php" (a route the sidecar does not own or serve), "php-delegated"
	reason  string // php-delegated: why the sidecar handed the request to PHP
	class   string // answer class (rest.AnswerClass); "" → by status
}

type reqInfoKey struct{}

func infoFrom(ctx context.Context) *reqInfo {
	if v, ok := ctx.Value(reqInfoKey{}).(*reqInfo); ok {
		return v
	}
	return nil
}

// statusWriter records status and size for logs and metrics; it keeps http.Flusher working for streaming proxies.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// newRequestID is 24 hex digits from the runtime's per-thread ChaCha8 generator: unique enough to find a request
// in the logs, and — unlike crypto/rand — no system call per request (ids are not secrets).
func newRequestID() string {
	var b [12]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint32(b[8:], rand.Uint32())
	return hex.EncodeToString(b[:])
}

// validRequestID accepts a client-supplied X-Request-Id only when it is short and plain.
func validRequestID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// redactedQuery returns the raw query with the values of sensitive parameters replaced (the rules live in
// package shadow, shared with the mismatch log).
func redactedQuery(raw string) string { return shadow.RedactQuery(raw) }

// middleware wraps h with request ids, panic recovery and a JSON access log (credentials redacted).
func middleware(log *slog.Logger, m *metrics, h http.Handler) http.Handler {
	return middlewareWith(log, nil, m, h)
}

// middlewareWith is middleware whose access lines go to fast when it is set (the process log is JSON at info:
// accessLineWriter writes what slog would, for less).
func middlewareWith(log *slog.Logger, fast *accessLineWriter, m *metrics, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		// the route packages (audit log) see the same id as the access log (canonical key set directly: no
		// canonicalising per request)
		r.Header["X-Request-Id"] = []string{id}
		info := &reqInfo{id: id, handled: "go"}
		r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, info))
		w.Header()["X-Request-Id"] = []string{id}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("panic serving request", "request_id", id, "method", r.Method, "path", r.URL.Path,
					"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if sw.status == 0 {
					resp := rest.InternalError(nil).Response()
					body, _ := wpjson.MarshalJSON(resp.Body)
					sw.Header().Set("Content-Type", "application/json; charset=UTF-8")
					sw.WriteHeader(resp.Status)
					_, _ = sw.Write(body)
				}
			}
			elapsed := time.Since(start)
			route := info.route
			if route == "" {
				route = "-"
			}
			class := info.class
			if class == "" {
				class = rest.ClassOf(sw.status)
			}
			if m != nil {
				m.observe(info.handled, route, r.Method, sw.status, elapsed)
				m.answers.WithLabelValues(info.handled, route, class).Inc()
			}
			attrs := make([]slog.Attr, 0, 14)
			attrs = append(attrs,
				slog.String("request_id", id),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("query", redactedQuery(r.URL.RawQuery)),
				slog.String("route", route),
				slog.String("answered_by", info.handled),
				slog.Int("status", sw.status),
				slog.String("class", class),
				slog.Int64("bytes", sw.bytes),
				slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
				slog.String("remote", r.RemoteAddr),
				slog.String("user_agent", r.UserAgent()),
				slog.String("auth", authKind(r)),
			)
			if info.reason != "" {
				attrs = append(attrs, slog.String("delegated_reason", info.reason))
			}
			if fast == nil || !fast.log(time.Now(), attrs) {
				log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
			}
		}()
		h.ServeHTTP(sw, r)
	})
}

// authKind names the credential a request carries without revealing it.
func authKind(r *http.Request) string {
	var kinds []string
	if a := r.Header.Get("Authorization"); a != "" {
		scheme, _, _ := strings.Cut(strings.TrimSpace(a), " ")
		kinds = append(kinds, "authorization:"+strings.ToLower(scheme)+"=[REDACTED]")
	}
	if r.Header.Get("X-API-Key") != "" {
		kinds = append(kinds, "x-api-key=[REDACTED]")
	}
	if r.Header.Get("Cookie") != "" {
		kinds = append(kinds, "cookie=[REDACTED]")
	}
	if r.Header.Get("X-WP-Nonce") != "" {
		kinds = append(kinds, "x-wp-nonce=[REDACTED]")
	}
	if r.Header.Get("X-Signature") != "" {
		kinds = append(kinds, "x-signature=[REDACTED]")
	}
	return strings.Join(kinds, ",")
}

// readYourWrites sends a client's reads to the primary for a short window after its own write, when reads
// normally go to a replica. A client is identified by its credential (hashed) or, without one, its address.
type readYourWrites struct {
	window time.Duration
	mu     sync.Mutex
	last   map[string]time.Time
}

func newReadYourWrites(window time.Duration) *readYourWrites {
	return &readYourWrites{window: window, last: map[string]time.Time{}}
}

func clientKey(r *http.Request) string {
	for _, h := range []string{"Authorization", "X-API-Key", "X-Client-Id", "Cookie"} {
		if v := r.Header.Get(h); v != "" {
			return h + ":" + hashString(v)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + host
}

func (rw *readYourWrites) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := clientKey(r)
		now := time.Now()
		write := r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
		rw.mu.Lock()
		recent := now.Sub(rw.last[key]) < rw.window
		if write {
			rw.last[key] = now
		}
		if len(rw.last) > 100000 { // bound memory: forget expired entries
			for k, t := range rw.last {
				if now.Sub(t) >= rw.window {
					delete(rw.last, k)
				}
			}
		}
		rw.mu.Unlock()
		if write || recent {
			r = r.WithContext(wpcompat.WithPrimary(r.Context()))
		}
		h.ServeHTTP(w, r)
	})
}
