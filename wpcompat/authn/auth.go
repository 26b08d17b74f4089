package authn

// Deciding the current user of a REST request exactly as stock WordPress 7.1 does (spec §5.9, §6, §7.3, §8.3):
//
//	determine_current_user: wp_validate_auth_cookie (10, auth/secure_auth cookie by is_ssl), the JWT plugin (10,
//	  when active), wp_validate_logged_in_cookie (20), wp_validate_application_password (20) — the first user wins;
//	rest_authentication_errors: rest_application_password_check_errors (90; in stock WordPress it sees nothing,
//	  so Application Password failures leave the request anonymous), rest_cookie_check_errors (100: the nonce);
//	rest_pre_dispatch: the JWT plugin's stored error (403 on every route).

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpauth"
)

// AuthOptions configures how the sidecar decides the current user.
type AuthOptions struct {
	// TrustedProxies are the peers whose X-Forwarded-Proto / X-Forwarded-For are believed (is_ssl and REMOTE_ADDR
	// behind a proxy). Empty: only a TLS connection to the sidecar itself is HTTPS, and the peer is the client.
	TrustedProxies []netip.Prefix
	// APIKeyNamespaces are REST namespaces where a Bearer value starting with "lp_" is an API key, never a JWT.
	APIKeyNamespaces []string
	// AppPasswordErrors answers a failed Application Password with its WordPress error (401 incorrect_password,
	// invalid_username, invalid_email) as sites whose plugins determine the user early do. Off: stock WordPress,
	// the request continues anonymous and the route gives its own 401 (spec §5.9).
	AppPasswordErrors bool
	// SkipUsageRecording turns off the last_used/last_ip write of Application Passwords.
	SkipUsageRecording bool
	// VerdictTTL is how long a verified credential is remembered, keyed by its stored hash (default 5 minutes;
	// negative disables the cache). VerdictMax bounds the cache (default 10000 entries).
	VerdictTTL time.Duration
	VerdictMax int
	// JWTAlgorithm is the JWT plugin's jwt_auth_algorithm (default HS256).
	JWTAlgorithm string
	// SaltPlaceholders are translations of "put your unique phrase here" for the site's locale (wp_salt treats
	// them as unset).
	SaltPlaceholders []string
	// BruteForce is the optional guard (off by default; see DEVIATIONS.md).
	BruteForce BruteForceOptions
}

// Auth is the WordPress authenticator: logged-in cookie + nonce, Application Passwords, JWT (spec §5–§8).
type Auth struct {
	site      *wpcompat.Site
	opts      AuthOptions
	constants map[string]string // wp-config constants wp_salt and the cookie names read
	guard     *bruteForce
	verdicts  *verdictCache
	// cookieMemo holds the cookie names per siteurl (they depend on nothing else that changes).
	cookieMemo wpcompat.DecodeMemo[wpauth.CookieNames]

	usageMu   sync.Mutex
	usageBusy map[string]bool
	usageWG   sync.WaitGroup
}

// configConstantNames are the wp-config constants auth reads as strings.
var configConstantNames = [...]string{
	"AUTH_KEY", "AUTH_SALT", "SECURE_AUTH_KEY", "SECURE_AUTH_SALT", "LOGGED_IN_KEY", "LOGGED_IN_SALT",
	"NONCE_KEY", "NONCE_SALT", "SECRET_KEY", "SECRET_SALT",
	"WP_SITEURL", "COOKIEHASH", "AUTH_COOKIE", "SECURE_AUTH_COOKIE", "LOGGED_IN_COOKIE",
}

// NewAuthenticator makes the authenticator for a site.
func NewAuthenticator(site *wpcompat.Site, opts AuthOptions) *Auth {
	if opts.VerdictTTL == 0 {
		opts.VerdictTTL = 5 * time.Minute
	}
	if opts.VerdictMax <= 0 {
		opts.VerdictMax = 10000
	}
	consts := map[string]string{}
	for _, name := range configConstantNames {
		if v, ok := site.Config.String(name); ok {
			consts[name] = v
		}
	}
	return &Auth{
		site:      site,
		opts:      opts,
		constants: consts,
		guard:     newBruteForce(opts.BruteForce),
		verdicts:  newVerdictCache(opts.VerdictTTL, opts.VerdictMax),
		usageBusy: map[string]bool{},
	}
}

func (a *Auth) now() time.Time { return a.site.Clock() }

// valueIsSSL is the Request.Values key holding is_ssl() as decided by the authenticator (bool).
const valueIsSSL = "wpcompat.is_ssl"

// authState is what one request's authentication looks at.
type authState struct {
	ssl       bool
	clientIP  string
	cookies   PHPCookies
	names     wpauth.CookieNames
	lockedFor time.Duration
}

// Authenticate decides r.User. A returned error (rendered by the router) stops the request: 403
// rest_cookie_invalid_nonce, the JWT plugin's 403 jwt_auth_*, the opt-in Application Password 401s, the brute-force
// guard's 429, or a database failure.
func (a *Auth) Authenticate(r *rest.Request) error {
	ctx := r.Ctx()
	st, err := a.state(ctx, r)
	if err != nil {
		return err
	}
	var (
		user        *wpcompat.User
		determined  bool // a determine_current_user callback returned a truthy id (even of a user that is gone)
		cookieValid bool // $wp_rest_auth_cookie === true
		jwtErr      *rest.Error
		apRes       *appPasswordResult
	)

	// Priority 10: wp_validate_auth_cookie('', '') — the auth or secure_auth cookie, chosen by is_ssl().
	scheme, name := "auth", st.names.Auth
	if st.ssl {
		scheme, name = "secure_auth", st.names.SecureAuth
	}
	if raw, ok := st.cookies.get(name); ok {
		u, outcome, err := a.validateAuthCookie(ctx, r, st, raw, st.cookies.Arrays[name], scheme)
		if err != nil {
			return err
		}
		a.noteCookie(st, outcome)
		if u != nil {
			user, determined, cookieValid = u, true, true
		}
	}

	// Priority 10, after core: the JWT plugin, when active.
	if !determined {
		active, err := a.jwtActive(ctx)
		if err != nil {
			return err
		}
		if active {
			id, set, e := a.bearerUser(ctx, r, st)
			if e != nil && e.Status == http.StatusInternalServerError {
				return e
			}
			jwtErr = e
			if set && phpserial.PHPTruthy(jwtIDTruthy(id)) {
				determined = true
				u, err := a.jwtUser(ctx, id)
				if err != nil {
					return err
				}
				if u != nil {
					u.Via = "jwt"
					user = u
				}
			}
		}
	}

	// Priority 20: wp_validate_logged_in_cookie.
	if !determined {
		if raw, ok := st.cookies.get(st.names.LoggedIn); ok {
			u, outcome, err := a.validateAuthCookie(ctx, r, st, raw, st.cookies.Arrays[st.names.LoggedIn], "logged_in")
			if err != nil {
				return err
			}
			a.noteCookie(st, outcome)
			if u != nil {
				user, determined, cookieValid = u, true, true
			}
		}
	}

	// Priority 20: wp_validate_application_password (it really runs inside rest_cookie_check_errors, §5.9).
	if !determined {
		apRes, err = a.validateAppPassword(ctx, r, st)
		if err != nil {
			return err
		}
		if apRes != nil {
			if apRes.user != nil {
				user = apRes.user
				a.guard.succeed(apRes.username)
			} else {
				a.site.AuthFailed(apRes.err.Code)
				a.guard.fail(st.clientIP, apRes.username, a.now())
				a.site.Log.Info("application password refused", "reason", apRes.err.Code,
					"username", apRes.username, "ip", st.clientIP)
			}
		}
	}

	// Priority 90 (plugin variant, opt-in): the Application Password error reaches the client.
	if a.opts.AppPasswordErrors && apRes != nil && apRes.err != nil {
		return appPasswordError(apRes.err)
	}

	// Priority 100: rest_cookie_check_errors. A user from anything but a valid cookie needs no nonce.
	if cookieValid || user == nil {
		user, err = a.checkNonce(ctx, r, st, user)
		if err != nil {
			return err
		}
	}
	r.User = user

	// rest_pre_dispatch: the JWT plugin's stored error, on every route.
	if jwtErr != nil {
		a.site.AuthFailed(jwtErr.Code)
		return jwtErr
	}
	return nil
}

// jwtIDTruthy maps a decoded claim to the value determine_current_user's caller tests with !$user_id.
func jwtIDTruthy(id any) any { return jsonScalar(id) }

// noteCookie logs and counts a cookie that was presented and refused.
func (a *Auth) noteCookie(st *authState, o cookieOutcome) {
	switch o {
	case cookieValid, cookieAbsent:
		return
	case cookieBadHash, cookieBadUsername:
		a.guard.fail(st.clientIP, "", a.now())
	}
	a.site.AuthFailed(o.String())
	a.site.Log.Debug("auth cookie refused", "reason", o.String(), "ip", st.clientIP)
}

// state gathers is_ssl(), REMOTE_ADDR, $_COOKIE and the cookie names.
func (a *Auth) state(ctx context.Context, r *rest.Request) (*authState, error) {
	peer := peerAddr(r.HTTP.RemoteAddr)
	trusted := a.trusted(peer)
	st := &authState{clientIP: peer.String()}
	if !peer.IsValid() {
		st.clientIP = r.HTTP.RemoteAddr
	}
	st.ssl = r.HTTP.TLS != nil || (a.site.Config != nil && a.site.Config.ForcesHTTPSAlways)
	if trusted {
		proto, _, _ := strings.Cut(r.HTTP.Header.Get("X-Forwarded-Proto"), ",")
		if strings.EqualFold(strings.TrimSpace(proto), "https") {
			st.ssl = true
		}
		if ip, ok := a.forwardedFor(r.HTTP.Header.Values("X-Forwarded-For")); ok {
			st.clientIP = ip
		}
	}
	st.cookies = ParseCookieHeader(strings.Join(r.HTTP.Header.Values("Cookie"), "; "))
	names, err := a.cookieNames(ctx)
	if err != nil {
		return nil, err
	}
	st.names = names
	r.Values[valueIsSSL] = st.ssl
	return st, nil
}

func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return ip.Unmap()
}

func (a *Auth) trusted(ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	for _, p := range a.opts.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// forwardedFor is the client address behind trusted proxies: the right-most X-Forwarded-For entry that is not
// itself a trusted proxy.
func (a *Auth) forwardedFor(values []string) (string, bool) {
	var hops []string
	for _, v := range values {
		for _, h := range strings.Split(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hops = append(hops, h)
			}
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(hops[i])
		if err != nil {
			return "", false
		}
		ip = ip.Unmap()
		if !a.trusted(ip) || i == 0 {
			return ip.String(), true
		}
	}
	return "", false
}

// apiKeyNamespace reports whether ns takes "lp_" Bearer API keys.
func (a *Auth) apiKeyNamespace(ns string) bool {
	for _, n := range a.opts.APIKeyNamespaces {
		if strings.EqualFold(strings.Trim(n, "/"), ns) {
			return true
		}
	}
	return false
}

// routeNamespace guesses the namespace of a REST path before routing: its first two segments ("/latepoint-api/v1/…").
func routeNamespace(path string) string {
	parts := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 3)
	if len(parts) < 2 {
		return strings.Join(parts, "/")
	}
	return parts[0] + "/" + parts[1]
}

// authMetaKeys is the usermeta an authentication query loads: what the check itself needs (fixed) and what the
// matched handler reads (Handler.UserMeta).
func authMetaKeys(r *rest.Request, fixed ...string) []string {
	if r == nil || len(r.UserMetaKeys()) == 0 {
		return fixed
	}
	return append(fixed, r.UserMetaKeys()...)
}
