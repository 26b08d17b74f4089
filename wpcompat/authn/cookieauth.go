package authn

// Logged-in cookies and the REST nonce (spec §6, §7; wp-includes/pluggable.php wp_parse_auth_cookie /
// wp_validate_auth_cookie / wp_validate_logged_in_cookie / wp_get_session_token, wp-includes/rest-api.php
// rest_cookie_check_errors, PHP's main/php_variables.c php_default_treat_data + php_register_variable_ex for
// the Cookie header).

import (
	"context"
	"net/http"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpauth"
)

// maxInputVars is PHP's default max_input_vars: cookies after the 1000th are not registered.
const maxInputVars = 1000

// PHPCookies is $_COOKIE as PHP builds it from a Cookie header: pairs split on ";", leading whitespace of names
// skipped, " " and "." in names turned into "_", the first cookie of a name wins, values kept raw (PHP
// rawurldecodes them; ParseAuthCookie does that). Names with a "[…]" subscript become PHP arrays, recorded in
// Arrays (their value is unusable as a string).
type PHPCookies struct {
	Values map[string]string
	Arrays map[string]bool
}

// ParseCookieHeader parses one (joined) Cookie header the way PHP does.
func ParseCookieHeader(h string) PHPCookies {
	c := PHPCookies{}
	if i := strings.IndexByte(h, 0); i >= 0 {
		h = h[:i] // PHP treats the header as a C string
	}
	count := 0
	for _, part := range strings.Split(h, ";") {
		if part == "" {
			continue // strtok skips empty tokens
		}
		part = strings.TrimLeft(part, " \t\n\v\f\r")
		name, value, hasValue := strings.Cut(part, "=")
		if name == "" {
			continue // "=value" or only blanks
		}
		if count++; count > maxInputVars {
			break
		}
		if !hasValue {
			value = ""
		}
		name, isArray := phpVarName(name)
		if name == "" {
			continue
		}
		if _, seen := c.Values[name]; seen || c.Arrays[name] {
			continue // the first cookie of a name wins (php_register_variable_ex)
		}
		if isArray {
			if c.Arrays == nil {
				c.Arrays = map[string]bool{}
			}
			c.Arrays[name] = true
			continue
		}
		if c.Values == nil {
			c.Values = map[string]string{}
		}
		c.Values[name] = value
	}
	return c
}

// phpVarName is the name mangling of php_register_variable_ex (PHP 8): leading spaces dropped, " " and "." become
// "_" up to the first "["; a name starting with "[" is dropped (""); "name[…" with a "]" later is the array
// "name"; without one, that "[" and every later " ", "." and "[" become "_".
func phpVarName(name string) (string, bool) {
	name = strings.TrimLeft(name, " ")
	b := []byte(name)
	for i, c := range b {
		switch c {
		case ' ', '.':
			b[i] = '_'
		case '[':
			if i == 0 {
				return "", false
			}
			if strings.IndexByte(name[i+1:], ']') >= 0 {
				return string(b[:i]), true
			}
			for j := i; j < len(b); j++ {
				if b[j] == ' ' || b[j] == '.' || b[j] == '[' {
					b[j] = '_'
				}
			}
			return string(b), false
		}
	}
	return string(b), false
}

// get is empty($_COOKIE[name]) inverted: present and PHP-truthy.
func (c PHPCookies) get(name string) (string, bool) {
	if c.Arrays[name] {
		return "", true // an array is non-empty; it then fails to parse as a cookie
	}
	v, ok := c.Values[name]
	return v, ok && v != "" && v != "0"
}

// cookieOutcome is what wp_validate_auth_cookie decided.
type cookieOutcome int

const (
	cookieAbsent cookieOutcome = iota
	cookieMalformed
	cookieExpired
	cookieBadUsername
	cookieBadHash
	cookieBadSession
	cookieValid
)

func (o cookieOutcome) String() string {
	return [...]string{"absent", "auth_cookie_malformed", "auth_cookie_expired", "auth_cookie_bad_username",
		"auth_cookie_bad_hash", "auth_cookie_bad_session_token", "auth_cookie_valid"}[o]
}

// cookieNames are this site's cookie names (wp_cookie_constants): literal defines win, else from COOKIEHASH of
// the raw siteurl option (WP_SITEURL wins).
func (a *Auth) cookieNames(ctx context.Context) (wpauth.CookieNames, error) {
	siteurl, _, err := a.site.CachedOption(ctx, "siteurl")
	if err != nil {
		return wpauth.CookieNames{}, err
	}
	return a.cookieMemo.Get(siteurl, func(siteurl string) wpauth.CookieNames {
		return wpauth.NewCookieNames(a.constants, siteurl)
	}), nil
}

// validateAuthCookie is wp_validate_auth_cookie(value, scheme) for a cookie that is present.
func (a *Auth) validateAuthCookie(ctx context.Context, r *rest.Request, st *authState, raw string, isArray bool, scheme string) (*wpcompat.User, cookieOutcome, error) {
	if isArray {
		return nil, cookieMalformed, nil
	}
	c, err := wpauth.ParseAuthCookie(raw)
	if err != nil {
		return nil, cookieMalformed, nil
	}
	now := a.now()
	expired := c.ExpiresAt()
	// A POST (the real method, $_SERVER['REQUEST_METHOD']) gets an hour of grace; admin-ajax never reaches here.
	if r.HTTP.Method == http.MethodPost {
		expired += 3600
	}
	if expired < now.Unix() {
		return nil, cookieExpired, nil
	}
	keys := authMetaKeys(r, "session_tokens", a.site.Tables.CapabilitiesKey())
	rec, err := a.site.FindUser(ctx, wpcompat.UserByLogin, c.Username, keys...)
	if err != nil {
		return nil, 0, err
	}
	if rec == nil {
		return nil, cookieBadUsername, nil
	}
	salt, err := a.salt(ctx, scheme)
	if err != nil {
		a.site.Log.Error("cannot validate auth cookies: salt unavailable", "scheme", scheme, "err", err)
		return nil, cookieBadHash, nil
	}
	if !c.ValidHMAC(rec.User.Pass, salt) {
		return nil, cookieBadHash, nil
	}
	tokens, _ := phpserial.MaybeUnserialize(rec.Meta["session_tokens"])
	if !wpauth.SessionValid(tokens, c.Token, now) {
		return nil, cookieBadSession, nil
	}
	if err := a.site.ResolveCaps(ctx, rec); err != nil {
		return nil, 0, err
	}
	rec.AttachMeta(keys)
	rec.User.Via = "cookie"
	return rec.User, cookieValid, nil
}

// salt is wp_salt(scheme) from wp-config constants and the salt options; never generated (spec §1.3, §12.2).
func (a *Auth) salt(ctx context.Context, scheme string) (string, error) {
	src := wpauth.SaltSource{
		Constants:    a.constants,
		Placeholders: a.opts.SaltPlaceholders,
		Option: func(name string) (string, bool, error) {
			return a.site.CachedOption(ctx, name)
		},
	}
	return src.Salt(scheme)
}

// sessionToken is wp_get_session_token(): the token field of the raw logged-in cookie, parsed but not
// validated; "" without one.
func (st *authState) sessionToken() string {
	raw, ok := st.cookies.get(st.names.LoggedIn)
	if !ok || st.cookies.Arrays[st.names.LoggedIn] {
		return ""
	}
	c, err := wpauth.ParseAuthCookie(raw)
	if err != nil {
		return ""
	}
	return c.Token
}

// requestNonce finds the REST nonce as rest_cookie_check_errors does: $_REQUEST['_wpnonce'] (the POST form
// value wins over the query string; not a JSON body), else the X-WP-Nonce header (present even when empty).
func requestNonce(r *rest.Request) (string, bool) {
	if r.HTTP.Method == http.MethodPost {
		if v, ok := r.BodyParams().Get("_wpnonce"); ok {
			return nonceString(v), true
		}
	}
	if v, ok := r.QueryParams().Get("_wpnonce"); ok {
		return nonceString(v), true
	}
	if vs, ok := r.HTTP.Header["X-Wp-Nonce"]; ok && len(vs) > 0 {
		return vs[0], true
	}
	return "", false
}

// nonceString is wp_verify_nonce's (string) cast: an array is "Array".
func nonceString(v any) string {
	if s, ok := rest.PHPString(v); ok {
		return s
	}
	return "Array"
}

// checkNonce is the nonce half of rest_cookie_check_errors for a request whose user came from a valid cookie or
// that is anonymous: no nonce → anonymous; a bad nonce → 403 rest_cookie_invalid_nonce with no-cache headers;
// a good one → a fresh X-WP-Nonce header.
func (a *Auth) checkNonce(ctx context.Context, r *rest.Request, st *authState, user *wpcompat.User) (*wpcompat.User, error) {
	nonce, present := requestNonce(r)
	if !present {
		return nil, nil // wp_set_current_user( 0 )
	}
	var uid int64
	if user != nil {
		uid = user.ID
	}
	token := st.sessionToken()
	salt, err := a.salt(ctx, "nonce")
	now := a.now()
	if err != nil {
		a.site.Log.Error("cannot verify REST nonces: salt unavailable", "err", err)
	}
	if err != nil || wpauth.VerifyNonce(nonce, "wp_rest", uid, token, salt, now) == 0 {
		r.ExtraHeader.Set("Expires", "Wed, 11 Jan 1984 05:00:00 GMT")
		r.ExtraHeader.Set("Cache-Control", "no-cache, must-revalidate, max-age=0, no-store, private")
		r.User = user
		return user, rest.NewError("rest_cookie_invalid_nonce", "Cookie check failed", http.StatusForbidden)
	}
	r.ExtraHeader.Set("X-WP-Nonce", wpauth.CreateNonce("wp_rest", uid, token, salt, now))
	return user, nil
}
