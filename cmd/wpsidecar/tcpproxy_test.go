package main

import (
	"bytes"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// tcpProxy forwards loopback TCP connections to the database server; the test cuts and restores it to simulate a
// database outage without disturbing other packages that share the server. cutOn cuts one connection at the
// moment it carries a given statement (the driver sends each query as one COM_QUERY packet with its text, since
// wpcompat.OpenDB interpolates parameters client-side).
type tcpProxy struct {
	addr   string
	target func() (net.Conn, error)
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
	trap   *proxyTrap
}

// proxyTrap is an armed cut: the first client-to-server chunk containing pattern closes that connection (both
// sides), before the chunk reaches the server or, with forward, right after it (the server may then run it).
type proxyTrap struct {
	after   []byte // when set, only a connection that has already sent this is cut
	pattern []byte
	forward bool
	fired   chan struct{}
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
			go func() { p.forwardClient(c, up); up.Close(); c.Close() }()
			go func() { _, _ = copyConn(c, up); up.Close(); c.Close() }()
		}
	}()
}

func copyConn(dst, src net.Conn) (int64, error) {
	buf := make([]byte, 64<<10)
	var n int64
	for {
		k, err := src.Read(buf)
		if k > 0 {
			if _, werr := dst.Write(buf[:k]); werr != nil {
				return n, werr
			}
			n += int64(k)
		}
		if err != nil {
			return n, err
		}
	}
}

// forwardClient copies client-to-server bytes, springing the armed trap on the chunk that carries its pattern.
func (p *tcpProxy) forwardClient(c, up net.Conn) {
	buf := make([]byte, 64<<10)
	var sent [][]byte // the trap preconditions this connection has met
	for {
		k, err := c.Read(buf)
		if k > 0 {
			chunk := buf[:k]
			p.mu.Lock()
			tr := p.trap
			if tr != nil && tr.after != nil && bytes.Contains(chunk, tr.after) {
				sent = append(sent, tr.after)
			}
			if tr != nil && bytes.Contains(chunk, tr.pattern) && (tr.after == nil || metAfter(sent, tr.after)) {
				p.trap = nil
			} else {
				tr = nil
			}
			p.mu.Unlock()
			if tr != nil {
				if tr.forward {
					_, _ = up.Write(chunk)
				}
				close(tr.fired) // before the cut, so that the request cannot finish first
				c.Close()
				up.Close()
				return
			}
			if _, werr := up.Write(chunk); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func metAfter(sent [][]byte, after []byte) bool {
	for _, s := range sent {
		if bytes.Equal(s, after) {
			return true
		}
	}
	return false
}

// cutOn arms a cut of the next connection that sends pattern (after having sent after, when not empty); the
// channel closes when it has happened.
func (p *tcpProxy) cutOn(after, pattern string, forward bool) <-chan struct{} {
	tr := &proxyTrap{pattern: []byte(pattern), forward: forward, fired: make(chan struct{})}
	if after != "" {
		tr.after = []byte(after)
	}
	p.mu.Lock()
	p.trap = tr
	p.mu.Unlock()
	return tr.fired
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
