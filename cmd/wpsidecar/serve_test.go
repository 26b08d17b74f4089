package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// tcpProxy forwards loopback TCP connections to the database server; the test cuts and restores it to simulate a
// database outage without disturbing other packages that share the server.
type tcpProxy struct {
	addr   string
	target func() (net.Conn, error)
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func newTCPProxy(t *testing.T, target func() (net.Conn, error)) *tcpProxy {
	p := &tcpProxy{target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := p.target()
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[up] = true, true
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close(); c.Close() }()
			go func() { _, _ = io.Copy(c, up); up.Close(); c.Close() }()
		}
	}()
}

// cut closes the listener and every open connection.
func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// restore listens again on the same address.
func (p *tcpProxy) restore(t *testing.T) {
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	p.serve(ln)
}

func dialerFor(t *testing.T, dsn string) func() (net.Conn, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return func() (net.Conn, error) { return net.DialTimeout(cfg.Net, cfg.Addr, 2*time.Second) }
}

func TestReadyzFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wpt_"})
	proxy := newTCPProxy(t, dialerFor(t, tdb.DSN))
	cfg, _ := mysql.ParseDSN(tdb.DSN)
	cfg.Net, cfg.Addr = "tcp", proxy.addr
	cfg.Timeout = time.Second
	cfg.ReadTimeout = 2 * time.Second
	ctx := context.Background()
	db, err := wpcompat.OpenDB(ctx, cfg.FormatDSN(), wpcompat.DBOptions{MaxOpen: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	site := wpcompat.NewSite(db, db, wpcompat.Tables{Prefix: "wpt_"}, nil, nil)
	if err := ensureOwnTables(ctx, db, "wpt_"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newApp(site, site.Log).handler())
	defer srv.Close()

	get := func() (int, string) {
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	waitFor := func(want int) string {
		deadline := time.Now().Add(15 * time.Second)
		for {
			code, body := get()
			if code == want {
				return body
			}
			if time.Now().After(deadline) {
				t.Fatalf("readyz stayed %d (%s), want %d", code, body, want)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	if body := waitFor(200); !strings.Contains(body, `"ready"`) {
		t.Fatalf("body %s", body)
	}
	proxy.cut()
	if body := waitFor(503); !strings.Contains(body, `"unavailable"`) {
		t.Fatalf("body %s", body)
	}
	proxy.restore(t)
	waitFor(200)

	// /healthz answers whatever the database does.
	proxy.cut()
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestReadyzReportsMissingTables(t *testing.T) {
	t.Parallel()
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Schemas: []string{"wordpress"}})
	site := wpcompat.NewSite(tdb.DB, tdb.DB, wpcompat.Tables{Prefix: "wpt_"}, nil, nil)
	h := newApp(site, site.Log).handler()
	rec := wptest.Do(h, "GET", "/readyz", nil, "")
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "wpt_wpsidecar_api_keys") {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	if err := ensureOwnTables(context.Background(), tdb.DB, "wpt_"); err != nil {
		t.Fatal(err)
	}
	// A second run is a no-op (IF NOT EXISTS).
	if err := ensureOwnTables(context.Background(), tdb.DB, "wpt_"); err != nil {
		t.Fatal(err)
	}
	if rec := wptest.Do(h, "GET", "/readyz", nil, ""); rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	// REST requests go to the WordPress-style router.
	if rec := wptest.Do(h, "GET", "/wp-json/nothing/here", nil, ""); rec.Code != 404 || !strings.Contains(rec.Body.String(), "rest_no_route") {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
}
