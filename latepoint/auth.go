package latepoint

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// Per-request state shared between the permission callbacks of a route (the router may run several of them for
// its Allow header) and the audit hook.
const (
	valAuth  = "latepoint:auth"
	valStart = "latepoint:start"
)

type authState struct {
	key      *Key
	prefix   string // for the audit log
	ip       string
	err      error // the answer when authentication, IP or rate limit refused
	decision *Decision
}

// presentedKey reads X-API-Key, then Authorization: Bearer (spec §6.1 [REC]). On this namespace a Bearer value
// starting with "lp_" is an API key even where the JWT plugin is active (the WordPress authenticator skips JWT for
// it, AuthOptions.APIKeyNamespaces); any other Bearer value is no API key at all.
func presentedKey(h http.Header) string {
	if v := strings.TrimSpace(h.Get("X-API-Key")); v != "" {
		return v
	}
	auth := strings.TrimSpace(h.Get("Authorization"))
	if len(auth) > 7 && strings.EqualFold(auth[:7], "Bearer ") {
		if v := strings.TrimSpace(auth[7:]); strings.HasPrefix(v, "lp_") {
			return v
		}
	}
	return ""
}

// clientIP is the peer address, or — when the peer is a trusted proxy — the right-most X-Forwarded-For entry that
// is not itself a trusted proxy.
func (a *API) clientIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	peer = peer.Unmap()
	if !a.trusted(peer) {
		return peer
	}
	xff := r.Header.Values("X-Forwarded-For")
	var hops []string
	for _, v := range xff {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return peer
		}
		ip = ip.Unmap()
		if !a.trusted(ip) {
			return ip
		}
	}
	return peer
}

func (a *API) trusted(ip netip.Addr) bool {
	for _, p := range a.opts.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// authenticate identifies the key, checks its state, the IP allow-list and the rate limit, once per request.
// Order (spec §8.1): key present → known hash → active → not expired → environment allowed → IP (403) → rate
// limit (429). Permission (403) is per handler, in require. Rate limiting comes before the permission check so that
// refused requests of a valid key count too.
func (a *API) authenticate(r *rest.Request) *authState {
	if v, ok := r.Values[valAuth].(*authState); ok {
		return v
	}
	st := &authState{}
	r.Values[valAuth] = st
	ip := a.clientIP(r.HTTP)
	if ip.IsValid() {
		st.ip = ip.String()
	}
	plain := presentedKey(r.HTTP.Header)
	if plain == "" {
		st.err = errUnauthorized()
		a.site.AuthFailed("latepoint_api_key_missing")
		return st
	}
	if strings.HasPrefix(plain, "lp_live_") || strings.HasPrefix(plain, "lp_test_") {
		st.prefix = plain[:8]
	}
	if len(plain) > maxKeyLen || !strings.HasPrefix(plain, "lp_") {
		st.err = errUnauthorized()
		a.site.AuthFailed("latepoint_api_key_invalid")
		return st
	}
	key, err := a.keys.Lookup(r.Ctx(), plain)
	if errors.Is(err, ErrNotFound) {
		st.err = errUnauthorized()
		a.site.AuthFailed("latepoint_api_key_unknown")
		return st
	}
	if err != nil {
		st.err = a.logged(r, storeError(classify(err)))
		return st
	}
	st.prefix = key.Prefix
	now := a.site.Clock()
	if reason := key.usable(now); reason != "" {
		st.err = errUnauthorized()
		a.site.AuthFailed("latepoint_" + reason)
		return st
	}
	if key.Environment == EnvTest && a.opts.RejectTestKeys {
		st.err = errUnauthorized()
		a.site.AuthFailed("latepoint_test_key_refused")
		return st
	}
	st.key = key
	if !ip.IsValid() || !key.ipAllowed(ip) {
		st.err = errIPNotAllowed()
		a.site.AuthFailed("latepoint_ip_not_allowed")
		return st
	}
	if rest.DryRun(r.Ctx()) {
		return st // shadow mode: PHP answered the request; spend no budget, record no use
	}
	d, err := a.limiter.Allow(r.Ctx(), "apikey:"+strconv.FormatInt(key.ID, 10), a.limitsFor(key))
	if err != nil {
		st.err = a.logged(r, storeError(err))
		return st
	}
	st.decision = &d
	for k, v := range d.headers() {
		r.ExtraHeader.Set(k, v)
	}
	if !d.Allowed {
		st.err = errRateLimited(d.RetryAfter, d.Window, d.Limit)
		a.site.RateLimitHit("latepoint_api_key")
		return st
	}
	a.markUsed(key.ID, now, st.ip)
	return st
}

// limitsFor is a key's budget: its own overrides, else its environment's defaults.
func (a *API) limitsFor(k *Key) Limits {
	l := a.opts.LiveLimits
	if k.Environment == EnvTest {
		l = a.opts.TestLimits
	}
	if k.LimitPerMinute > 0 {
		l.PerMinute = k.LimitPerMinute
	}
	if k.LimitPerHour > 0 {
		l.PerHour = k.LimitPerHour
	}
	return l
}

// require is the permission callback for a handler: a usable key holding perm ("customers:read"). An empty perm
// accepts any usable key (GET /status).
func (a *API) require(perm string) func(*rest.Request) error {
	return func(r *rest.Request) error {
		if _, ok := r.Values[valStart]; !ok {
			r.Values[valStart] = time.Now()
		}
		st := a.authenticate(r)
		if st.err != nil {
			return st.err
		}
		if perm != "" && !st.key.Can(perm) {
			return errInsufficientPermissions(perm)
		}
		return nil
	}
}

// markUsed records last use at most once a minute per key (written by the background loop).
func (a *API) markUsed(id int64, at time.Time, ip string) {
	a.usedMu.Lock()
	defer a.usedMu.Unlock()
	u := a.used[id]
	if u.written.IsZero() || at.Sub(u.written) >= time.Minute {
		a.used[id] = lastUse{at: at, ip: ip, written: u.written, dirty: true}
	}
}

type lastUse struct {
	at, written time.Time
	ip          string
	dirty       bool
}
