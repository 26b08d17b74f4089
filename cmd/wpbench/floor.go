package main

import (
	"crypto/subtle"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// floor is this machine's HTTP floor: a bare net/http handler, in the benchmark's own process, that answers the
// scenario's bytes after the same credential header check the sidecar's request needs (a constant-time compare of
// the header value) and writes one JSON access-log line per request, as the sidecar does. Nothing else: no routing,
// no database. The sidecar's latency next to it shows what the sidecar itself adds.
type floor struct {
	srv  *http.Server
	url  string
	resp atomic.Pointer[floorAnswer]
	logf *os.File
}

// floorAnswer is what the floor answers now (set per scenario from one real answer of the sidecar).
type floorAnswer struct {
	header, value string // credential header and its expected value
	status        int
	contentType   string
	body          []byte
}

func startFloor() (*floor, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	lf, err := os.Create(filepath.Join(os.TempDir(), "wpbench-floor.log"))
	if err != nil {
		l.Close()
		return nil, err
	}
	f := &floor{url: "http://" + l.Addr().String(), logf: lf}
	log := slog.New(slog.NewJSONHandler(lf, nil))
	f.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		a := f.resp.Load()
		status := a.status
		_, _ = io.Copy(io.Discard, r.Body)
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(a.header)), []byte(a.value)) != 1 {
			status = http.StatusUnauthorized
			w.WriteHeader(status)
		} else {
			w.Header().Set("Content-Type", a.contentType)
			w.WriteHeader(status)
			_, _ = w.Write(a.body)
		}
		log.Info("request", "method", r.Method, "path", r.URL.Path, "query", r.URL.RawQuery, "status", status,
			"bytes", len(a.body), "duration_ms", float64(time.Since(start).Microseconds())/1000,
			"remote", r.RemoteAddr, "user_agent", r.UserAgent())
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = f.srv.Serve(l) }()
	return f, nil
}

func (f *floor) set(a floorAnswer) { f.resp.Store(&a) }

func (f *floor) close() {
	_ = f.srv.Close()
	_ = f.logf.Close()
}
