package wpauth

// Pure parts of WordPress's auth cookies and sessions (spec §1.4, §6.2, §6.3; wp-includes/pluggable.php
// wp_generate_auth_cookie/wp_parse_auth_cookie/wp_validate_auth_cookie, wp-includes/default-constants.php
// wp_cookie_constants, wp-includes/class-wp-session-tokens.php and class-wp-user-meta-session-tokens.php).

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
)

// ErrMalformedCookie is wp_parse_auth_cookie's failure (the auth_cookie_malformed action).
var ErrMalformedCookie = errors.New("auth_cookie_malformed")

// AuthCookie is a parsed auth cookie value: user_login|expiration|token|hmac.
type AuthCookie struct {
	Username   string
	Expiration string // verbatim; it enters the HMAC as written
	Token      string
	HMAC       string
}

// ParseAuthCookie decodes a cookie value as PHP receives it (rawurldecode, so "+" stays "+", then the
// addslashes of wp_magic_quotes) and splits it like wp_parse_auth_cookie: exactly four "|" fields.
func ParseAuthCookie(raw string) (AuthCookie, error) {
	v := php.AddSlashes(rawURLDecode(raw))
	if v == "" || v == "0" { // empty($_COOKIE[...])
		return AuthCookie{}, ErrMalformedCookie
	}
	f := strings.Split(v, "|")
	if len(f) != 4 {
		return AuthCookie{}, ErrMalformedCookie
	}
	return AuthCookie{Username: f[0], Expiration: f[1], Token: f[2], HMAC: f[3]}, nil
}

// ExpiresAt is PHP's (int) cast of the expiration field.
func (c AuthCookie) ExpiresAt() int64 { return php.Intval(c.Expiration) }

// ValidHMAC recomputes the cookie HMAC for the user's stored hash and the scheme's wp_salt, in constant time.
func (c AuthCookie) ValidHMAC(userPass, salt string) bool {
	want := AuthCookieHMAC(c.Username, PassFrag(userPass), c.Expiration, c.Token, salt)
	return hmac.Equal([]byte(want), []byte(c.HMAC))
}

// PassFrag is the 7.1 pass_frag: substr(user_pass, 8, 4) for "$P$" and "$2y$" hashes, else the last 4 bytes.
func PassFrag(userPass string) string {
	if strings.HasPrefix(userPass, "$P$") || strings.HasPrefix(userPass, "$2y$") {
		if len(userPass) <= 8 {
			return ""
		}
		return userPass[8:min(12, len(userPass))]
	}
	return userPass[max(0, len(userPass)-4):]
}

// AuthCookieHMAC is hex(HMAC-SHA256(key = wp_hash(login|frag|exp|token), msg = login|exp|token)).
func AuthCookieHMAC(login, passFrag, expiration, token, salt string) string {
	key := WPHash(login+"|"+passFrag+"|"+expiration+"|"+token, salt)
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(login + "|" + expiration + "|" + token))
	return hex.EncodeToString(m.Sum(nil))
}

// GenerateAuthCookie is wp_generate_auth_cookie's value (not URL-encoded), for tests and fixtures.
func GenerateAuthCookie(login, userPass string, expiration int64, token, salt string) string {
	exp := strconv.FormatInt(expiration, 10)
	return login + "|" + exp + "|" + token + "|" + AuthCookieHMAC(login, PassFrag(userPass), exp, token, salt)
}

// CookieHash is COOKIEHASH: md5 hex of the siteurl, or "" when siteurl is PHP-falsy.
func CookieHash(siteurl string) string {
	if !phpserial.PHPTruthy(siteurl) {
		return ""
	}
	return md5Hex(siteurl)
}

// CookieNames are a site's auth cookie names.
type CookieNames struct {
	Auth       string // wordpress_{hash}, scheme auth (plain HTTP)
	SecureAuth string // wordpress_sec_{hash}, scheme secure_auth (HTTPS)
	LoggedIn   string // wordpress_logged_in_{hash}, scheme logged_in
}

// NewCookieNames is wp_cookie_constants: literal COOKIEHASH/AUTH_COOKIE/SECURE_AUTH_COOKIE/LOGGED_IN_COOKIE
// defines win; WP_SITEURL (trailing slashes removed) overrides the raw siteurl option value.
func NewCookieNames(constants map[string]string, siteurl string) CookieNames {
	if v, ok := constants["WP_SITEURL"]; ok {
		siteurl = strings.TrimRight(v, `/\`)
	}
	hash, ok := constants["COOKIEHASH"]
	if !ok {
		hash = CookieHash(siteurl)
	}
	pick := func(name, def string) string {
		if v, ok := constants[name]; ok {
			return v
		}
		return def
	}
	return CookieNames{
		Auth:       pick("AUTH_COOKIE", "wordpress_"+hash),
		SecureAuth: pick("SECURE_AUTH_COOKIE", "wordpress_sec_"+hash),
		LoggedIn:   pick("LOGGED_IN_COOKIE", "wordpress_logged_in_"+hash),
	}
}

// SessionVerifier is the session_tokens key of a token: hex(sha256(token)).
func SessionVerifier(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// SessionValid is WP_Session_Tokens::verify over an unserialized session_tokens value: the token's entry exists
// and its expiration >= now (legacy bare-int entries are the expiration). Non-array values mean no sessions.
func SessionValid(tokens any, token string, now time.Time) bool {
	arr, ok := tokens.(*phpserial.PHPArray)
	if !ok {
		return false
	}
	v, ok := arr.Get(SessionVerifier(token))
	if !ok {
		return false
	}
	switch s := v.(type) {
	case int64:
		return s >= now.Unix()
	case *phpserial.PHPArray:
		exp, ok := s.Get("expiration")
		return ok && phpGreaterEqualInt(exp, now.Unix())
	}
	return false // null, bool, float: no expiration; a string entry is a fatal error in PHP 8
}

// phpGreaterEqualInt is PHP 8's `$v >= $n` for an int $n.
func phpGreaterEqualInt(v any, n int64) bool {
	switch x := v.(type) {
	case int64:
		return x >= n
	case float64:
		return x >= float64(n)
	case bool:
		return x || n == 0 // both sides compared as bool
	case nil:
		return n == 0
	case *phpserial.PHPArray:
		return true // an array is greater than any scalar
	case string:
		if f, isInt, ok := php.NumericString(x); ok {
			if isInt { // compare exactly; f may have lost precision above 2^53
				i, _ := strconv.ParseInt(strings.Trim(x, php.NumericSpace), 10, 64)
				return i >= n
			}
			return f >= float64(n)
		}
		return strconv.FormatInt(n, 10) <= x // non-numeric: compared as strings
	}
	return false
}

// rawURLDecode is PHP rawurldecode: %XX becomes a byte, anything else (including "+") is kept.
func rawURLDecode(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			hi, ok1 := php.Unhex(s[i+1])
			lo, ok2 := php.Unhex(s[i+2])
			if ok1 && ok2 {
				b = append(b, hi<<4|lo)
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return string(b)
}
