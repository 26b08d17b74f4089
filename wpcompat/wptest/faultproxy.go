package wptest

import (
	"bytes"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// FaultProxy forwards loopback TCP connections to the test database server and injects faults without touching
// the server other packages share: Pause holds every byte both ways as a frozen (SIGSTOPped) server would — on
// Resume the held bytes are delivered, so a statement sent during the stall still runs, as it would when a frozen
// server wakes —, HoldOn pauses the moment the client sends a given statement, Cut closes every connection, CutOn
// closes one connection the moment it sends a given statement.
type FaultProxy struct {
	Addr   string
	mu     sync.Mutex
	cond   *sync.Cond
	paused bool
	hold   []byte
	trap   *cutTrap
	// where the server is, for Start after Stop
	network, target string
	ln              net.Listener
	conns           map[net.Conn]bool
}

// NewFaultProxy starts a proxy to the server of dsn; DSN returns dsn pointed at the proxy.
func NewFaultProxy(t testing.TB, dsn string) (*FaultProxy, string) {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	p := &FaultProxy{conns: map[net.Conn]bool{}}
	p.cond = sync.NewCond(&p.mu)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.Addr = ln.Addr().String()
	p.network, p.target = cfg.Net, cfg.Addr
	p.serve(ln, cfg.Net, cfg.Addr)
	t.Cleanup(func() { p.Resume(); p.Cut() })
	cfg.Net, cfg.Addr = "tcp", p.Addr
	return p, cfg.FormatDSN()
}

func (p *FaultProxy) serve(ln net.Listener, network, addr string) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.DialTimeout(network, addr, 2*time.Second)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[up] = true, true
			p.mu.Unlock()
			go p.pipe(up, c, true)
			go p.pipe(c, up, false)
		}
	}()
}

func (p *FaultProxy) pipe(dst, src net.Conn, fromClient bool) {
	defer func() { dst.Close(); src.Close() }()
	buf := make([]byte, 32<<10)
	var met *cutTrap // the armed trap whose precondition this connection has sent
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			if fromClient && p.hold != nil && bytes.Contains(buf[:n], p.hold) {
				p.paused, p.hold = true, nil
			}
			if tr := p.trap; fromClient && tr != nil {
				if tr.after != nil && bytes.Contains(buf[:n], tr.after) {
					met = tr
				}
				if bytes.Contains(buf[:n], tr.stmt) && (tr.after == nil || met == tr) {
					p.trap = nil
					p.mu.Unlock()
					if tr.forward {
						_, _ = dst.Write(buf[:n])
					}
					close(tr.fired) // before the cut, so that the request cannot finish first
					return          // the deferred Close cuts this connection, both ways
				}
			}
			for p.paused {
				p.cond.Wait()
			}
			p.mu.Unlock()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				return
			}
			// Deliver the end of the stream after any held bytes (a frozen server sees the client's FIN on waking).
			if tc, ok := dst.(*net.TCPConn); ok {
				_ = tc.CloseWrite()
				_, _ = io.Copy(io.Discard, dst)
			}
			return
		}
	}
}

// Pause stops forwarding in both directions (a frozen server).
func (p *FaultProxy) Pause() {
	p.mu.Lock()
	p.paused = true
	p.mu.Unlock()
}

// HoldOn pauses the proxy as soon as the client sends bytes containing stmt (that chunk is held too).
func (p *FaultProxy) HoldOn(stmt string) {
	p.mu.Lock()
	p.hold = []byte(stmt)
	p.mu.Unlock()
}

// Paused reports whether the proxy is holding traffic.
func (p *FaultProxy) Paused() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.paused
}

// Resume delivers the held bytes and forwards again.
func (p *FaultProxy) Resume() {
	p.mu.Lock()
	p.paused, p.hold = false, nil
	p.cond.Broadcast()
	p.mu.Unlock()
}

type cutTrap struct {
	after, stmt []byte
	forward     bool
	fired       chan struct{}
}

// CutOn closes the next connection whose client sends bytes containing stmt (after having sent after, when not
// empty): with forward the chunk reaches the server first (which may then run it), else it is dropped. The channel
// is closed when the cut happened. Other connections are untouched and new ones are accepted.
func (p *FaultProxy) CutOn(after, stmt string, forward bool) <-chan struct{} {
	tr := &cutTrap{stmt: []byte(stmt), forward: forward, fired: make(chan struct{})}
	if after != "" {
		tr.after = []byte(after)
	}
	p.mu.Lock()
	p.trap = tr
	p.mu.Unlock()
	return tr.fired
}

// Cut closes every open connection (held bytes are dropped); new connections are still accepted.
func (p *FaultProxy) Cut() {
	p.mu.Lock()
	conns := p.conns
	p.conns = map[net.Conn]bool{}
	p.mu.Unlock()
	for c := range conns {
		c.Close()
	}
}

// Stop closes the listener and every connection: new connections are refused (a server that is down).
func (p *FaultProxy) Stop() {
	p.mu.Lock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	p.mu.Unlock()
	p.Cut()
}

// Start listens again on the same address after Stop.
func (p *FaultProxy) Start(t testing.TB) {
	t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", p.Addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	p.serve(ln, p.network, p.target)
}
