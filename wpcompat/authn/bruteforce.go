package authn

// Brute-force guard: a deliberate deviation from WordPress, off by default (DEVIATIONS.md, "WordPress
// compatibility"). Stock WordPress answers every failed Application Password with the route's own 401 and never
// slows anyone down; with the guard on, an IP address or a username that collected MaxFailures failed
// authentications within Window is locked for Lockout: new credentials from it are answered 429 with Retry-After
// without being checked. A credential that already succeeded (its positive verdict is cached, keyed by the stored
// hash) keeps working during a lockout, so a locked-out username does not lock out its own running integrations.

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// BruteForceOptions configures the guard. The zero value is disabled.
type BruteForceOptions struct {
	Enabled        bool
	MaxFailuresIP  int           // failures per client IP within Window before a lockout (default 20)
	MaxFailuresUsr int           // failures per username within Window before a lockout (default 10)
	Window         time.Duration // counting window (default 15 minutes)
	Lockout        time.Duration // lockout length (default 15 minutes)
	MaxEntries     int           // memory bound for tracked IPs and usernames each (default 100000)
}

func (o BruteForceOptions) withDefaults() BruteForceOptions {
	if o.MaxFailuresIP <= 0 {
		o.MaxFailuresIP = 20
	}
	if o.MaxFailuresUsr <= 0 {
		o.MaxFailuresUsr = 10
	}
	if o.Window <= 0 {
		o.Window = 15 * time.Minute
	}
	if o.Lockout <= 0 {
		o.Lockout = 15 * time.Minute
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = 100000
	}
	return o
}

type bfEntry struct {
	count       int
	windowStart time.Time
	lockedUntil time.Time
}

// bruteForce counts failures per IP and per (lower-cased) username.
type bruteForce struct {
	opts  BruteForceOptions
	mu    sync.Mutex
	ips   map[string]*bfEntry
	users map[string]*bfEntry
}

func newBruteForce(o BruteForceOptions) *bruteForce {
	if !o.Enabled {
		return nil
	}
	return &bruteForce{opts: o.withDefaults(), ips: map[string]*bfEntry{}, users: map[string]*bfEntry{}}
}

func bfUserKey(name string) string { return strings.ToLower(php.Trim(name)) }

// locked reports how long ip or username stays locked (0: not locked). A nil guard never locks.
func (g *bruteForce) locked(ip, username string, now time.Time) time.Duration {
	if g == nil {
		return 0
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	var wait time.Duration
	for _, e := range []*bfEntry{g.ips[ip], g.users[bfUserKey(username)]} {
		if e != nil && now.Before(e.lockedUntil) {
			wait = max(wait, e.lockedUntil.Sub(now))
		}
	}
	return wait
}

// fail records one failed authentication.
func (g *bruteForce) fail(ip, username string, now time.Time) {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.bump(g.ips, ip, g.opts.MaxFailuresIP, now)
	if username != "" {
		g.bump(g.users, bfUserKey(username), g.opts.MaxFailuresUsr, now)
	}
}

func (g *bruteForce) bump(m map[string]*bfEntry, key string, limit int, now time.Time) {
	e := m[key]
	if e == nil {
		if len(m) >= g.opts.MaxEntries {
			g.prune(m, now)
		}
		e = &bfEntry{windowStart: now}
		m[key] = e
	}
	if now.Sub(e.windowStart) > g.opts.Window {
		e.count, e.windowStart = 0, now
	}
	e.count++
	if e.count >= limit {
		e.lockedUntil = now.Add(g.opts.Lockout)
		e.count, e.windowStart = 0, now
	}
}

// prune drops idle entries; if none is idle the map is cleared (bounded memory beats perfect counting).
func (g *bruteForce) prune(m map[string]*bfEntry, now time.Time) {
	for k, e := range m {
		if now.After(e.lockedUntil) && now.Sub(e.windowStart) > g.opts.Window {
			delete(m, k)
		}
	}
	if len(m) >= g.opts.MaxEntries {
		clear(m)
	}
}

// succeed clears the username's failure count (the IP's count stays: one good account must not launder an
// IP's guesses at others).
func (g *bruteForce) succeed(username string) {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if e := g.users[bfUserKey(username)]; e != nil && e.lockedUntil.IsZero() {
		delete(g.users, bfUserKey(username))
	}
}

// tooManyAttempts is the guard's answer: 429 with Retry-After in whole seconds (rounded up).
func tooManyAttempts(r *rest.Request, wait time.Duration) error {
	secs := int64((wait + time.Second - 1) / time.Second)
	r.ExtraHeader.Set("Retry-After", strconv.FormatInt(secs, 10))
	return rest.NewError("wpsidecar_too_many_attempts", "Too many failed authentication attempts. Try again later.", http.StatusTooManyRequests)
}
