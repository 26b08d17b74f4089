package authn_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpauth"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

const (
	meURL       = "/wp-json/wp/v2/users/me"
	notLoggedIn = `{"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}}`
	badNonce    = `{"code":"rest_cookie_invalid_nonce","message":"Cookie check failed","data":{"status":403}}`
	noCache     = "no-cache, must-revalidate, max-age=0, no-store, private"
	vecNonceKey = "test-nonce-keytest-nonce-salt"
)

// wantUser checks a 200 answer of /users/me for user id.
func wantUser(id int) func(*testing.T, *httptest.ResponseRecorder) {
	return func(t *testing.T, rec *httptest.ResponseRecorder) {
		t.Helper()
		var body struct {
			ID int `json:"id"`
		}
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.ID != id {
			t.Errorf("want user %d, got %d %s", id, rec.Code, rec.Body.String())
		}
	}
}

func h(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// §5.9 (a)–(e), §5.3–§5.6, §12.1 items 11–15: Application Passwords over Basic auth, stock outcome.
func TestAppPasswordBasicAuth(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{})
	auth := func(u, p string) map[string]string { return h("Authorization", basic(u, p)) }
	wptest.Run(t, s.rt, []wptest.Scenario{
		{Name: "login", URL: meURL, Header: auth("admin", vecAPPlain), Check: wantUser(uAdmin),
			WantHeader: map[string]string{"Cache-Control": noCache, "X-WP-Nonce": ""}},
		{Name: "chunked display form", URL: meURL, Header: auth("admin", "abcd ABCD 1234 efgh EFGH 5678"), Check: wantUser(uAdmin)},
		{Name: "dashes", URL: meURL, Header: auth("admin", "abcd-ABCD-1234-efgh-EFGH-5678"), Check: wantUser(uAdmin)},
		{Name: "login case-insensitive (collation)", URL: meURL, Header: auth("ADMIN", vecAPPlain), Check: wantUser(uAdmin)},
		{Name: "login trimmed", URL: meURL, Header: auth(" admin ", vecAPPlain), Check: wantUser(uAdmin)},
		{Name: "email", URL: meURL, Header: auth("admin@example.com", vecAPPlain), Check: wantUser(uAdmin)},
		{Name: "email case-insensitive", URL: meURL, Header: auth("admin@EXAMPLE.com", vecAPPlain), Check: wantUser(uAdmin)},
		{Name: "second item matches", URL: meURL, Header: auth("editor1", vecAP2Plain), Check: wantUser(uEditor)},
		{Name: "legacy phpass item", URL: meURL, Header: auth("legacy", vecAPPlain), Check: wantUser(uLegacy)},
		{Name: "user without role", URL: meURL, Header: auth("norole", vecAP2Plain), Check: wantUser(uNoRole)},
		{Name: "login that looks like an email is a login first", URL: meURL, Header: auth("mail@example.org", vecAP2Plain), Check: wantUser(uMailLogin)},
		{Name: "same user by its email", URL: meURL, Header: auth("other@example.com", vecAP2Plain), Check: wantUser(uMailLogin)},
		{Name: "login of quote user", URL: meURL, Header: auth("obrien", vecAP2Plain), Check: wantUser(uQuote)},
		{Name: "email with quote fails (magic quotes)", URL: meURL, Header: auth("o'brien@example.com", vecAP2Plain), Status: 401, WantBody: notLoggedIn},
		{Name: "lower-case scheme", URL: meURL, Header: h("Authorization", "basic "+b64("admin:"+vecAPPlain)), Check: wantUser(uAdmin)},
		{Name: "two spaces", URL: meURL, Header: h("Authorization", "Basic  "+b64("admin:"+vecAPPlain)), Check: wantUser(uAdmin)},
		{Name: "base64 without padding and with junk", URL: meURL, Header: h("Authorization", "Basic "+base64.RawStdEncoding.EncodeToString([]byte("admin:"+vecAPPlain))+"*"), Check: wantUser(uAdmin)},
		{Name: "password cut at NUL like PHP", URL: meURL, Header: auth("admin", vecAPPlain+"\x00tail"), Check: wantUser(uAdmin)},
		{Name: "(a) wrong application password", URL: meURL, Header: auth("admin", "ABCDABCD1234EFGHEFGH5678"), Status: 401, WantBody: notLoggedIn,
			WantHeader: map[string]string{"Cache-Control": "", "Vary": "Origin"}},
		{Name: "(b) unknown user", URL: meURL, Header: auth("nobody", vecAPPlain), Status: 401, WantBody: notLoggedIn},
		{Name: "(b) unknown email", URL: meURL, Header: auth("nobody@example.com", vecAPPlain), Status: 401, WantBody: notLoggedIn},
		{Name: "(c) login password is not an application password", URL: meURL, Header: auth("admin", "correct horse battery staple"), Status: 401, WantBody: notLoggedIn},
		{Name: "(d) not base64", URL: meURL, Header: h("Authorization", "Basic !!!"), Status: 401, WantBody: notLoggedIn},
		{Name: "(d) no colon", URL: meURL, Header: h("Authorization", "Basic YWRtaW4="), Status: 401, WantBody: notLoggedIn},
		{Name: "(d) Bearer without the JWT plugin", URL: meURL, Header: h("Authorization", "Bearer "+vecJWT), Status: 401, WantBody: notLoggedIn},
		{Name: "(e) no credentials", URL: meURL, Status: 401, WantBody: notLoggedIn},
		{Name: "revoked password refused at once (cached verdict keyed by hash)", URL: meURL, Header: auth("admin", vecAPPlain), Status: 401, WantBody: notLoggedIn,
			Setup: func(t *testing.T) {
				s.db.Exec(t, "UPDATE {prefix}usermeta SET meta_value = 'a:0:{}' WHERE user_id = ? AND meta_key = '_application_passwords'", uAdmin)
			}},
	})
}

// Availability gate (§5.5): https (only through a trusted proxy) or a local environment, and
// using_application_passwords truthy; otherwise Basic credentials are silently ignored.
func TestAppPasswordAvailability(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{extraConfig: "define( 'WP_ENVIRONMENT_TYPE', 'production' );",
		auth: authn.AuthOptions{TrustedProxies: mustPrefixes("127.0.0.0/8")}})
	untrusted := newAuthSite(t, authSiteOptions{extraConfig: "define( 'WP_ENVIRONMENT_TYPE', 'production' );"})
	cred := basic("admin", vecAPPlain)
	wptest.Run(t, s.rt, []wptest.Scenario{
		{Name: "production over http", URL: meURL, Header: h("Authorization", cred), Status: 401, WantBody: notLoggedIn},
		{Name: "production, https from a trusted proxy", URL: meURL, Header: h("Authorization", cred, "X-Forwarded-Proto", "https"), Check: wantUser(uAdmin)},
		{Name: "not in use", URL: meURL, Header: h("Authorization", cred, "X-Forwarded-Proto", "https"), Status: 401, WantBody: notLoggedIn,
			Setup: func(t *testing.T) {
				s.db.Exec(t, "UPDATE {prefix}options SET option_value = '' WHERE option_name = 'using_application_passwords'")
			}},
	})
	wptest.Run(t, untrusted.rt, []wptest.Scenario{
		{Name: "https claimed by an untrusted peer", URL: meURL, Header: h("Authorization", cred, "X-Forwarded-Proto", "https"), Status: 401, WantBody: notLoggedIn},
	})
}

// The opt-in plugin variant of §5.9: the Application Password error reaches the client with 401.
func TestAppPasswordErrorsOptIn(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{auth: authn.AuthOptions{AppPasswordErrors: true}})
	wptest.Run(t, s.rt, []wptest.Scenario{
		{Name: "incorrect_password", URL: meURL, Header: h("Authorization", basic("admin", "nope")), Status: 401,
			WantBody:   `{"code":"incorrect_password","message":"The provided password is an invalid application password.","data":{"status":401}}`,
			WantHeader: map[string]string{"Allow": ""}},
		{Name: "invalid_username", URL: meURL, Header: h("Authorization", basic("nobody", "x")), Status: 401,
			WantBody: `{"code":"invalid_username","message":"<strong>Error:<\/strong> Unknown username. Check again or try your email address.","data":{"status":401}}`},
		{Name: "invalid_email", URL: meURL, Header: h("Authorization", basic("nobody@example.com", "x")), Status: 401,
			WantBody: `{"code":"invalid_email","message":"<strong>Error:<\/strong> Unknown email address. Check again or try your username.","data":{"status":401}}`},
		{Name: "success unaffected", URL: meURL, Header: h("Authorization", basic("admin", vecAPPlain)), Check: wantUser(uAdmin)},
		{Name: "no credentials unaffected", URL: meURL, Status: 401, WantBody: notLoggedIn},
	})
}

func nonceFor(uid int64, token string, at int64) string {
	return wpauth.CreateNonce("wp_rest", uid, token, vecNonceKey, time.Unix(at, 0))
}

// §6 + §7.3 (§12.1 items 17–20): logged-in cookies from Appendix A.4 and the REST nonce rule.
func TestCookieAndNonce(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{auth: authn.AuthOptions{TrustedProxies: mustPrefixes("127.0.0.1/32")}})
	wpCookie := vecCookie("vec_wp", hmacVecWP)
	setNow := func(ts int64) func(*testing.T) { return func(*testing.T) { *s.now = time.Unix(ts, 0) } }
	tampered := vecCookie("vec_wp", "0"+hmacVecWP[1:])
	wptest.Run(t, s.rt, []wptest.Scenario{
		{Name: "$wp$ user, X-WP-Nonce (A.4 + A.6)", URL: meURL, Header: h("Cookie", wpCookie, "X-WP-Nonce", nonceUID6T0), Check: wantUser(uVecWP),
			WantHeader: map[string]string{"X-WP-Nonce": nonceUID6T0, "Cache-Control": noCache, "Vary": ""}},
		{Name: "$P$ user", URL: meURL, Header: h("Cookie", vecCookie("vec_phpass", hmacVecPhpass), "X-WP-Nonce", nonceFor(uVecPhpass, vecToken, vecNow)), Check: wantUser(uVecPhpass)},
		{Name: "$2y$ user", URL: meURL, Header: h("Cookie", vecCookie("vec_bcrypt", hmacVecBcrypt), "X-WP-Nonce", nonceFor(uVecBcrypt, vecToken, vecNow)), Check: wantUser(uVecBcrypt)},
		{Name: "MD5 user (7.1 pass_frag)", URL: meURL, Header: h("Cookie", vecCookie("vec_md5", hmacVecMD5), "X-WP-Nonce", nonceFor(uVecMD5, vecToken, vecNow)), Check: wantUser(uVecMD5)},
		{Name: "_wpnonce in the query string", URL: meURL + "?_wpnonce=" + nonceUID6T0, Header: h("Cookie", wpCookie), Check: wantUser(uVecWP)},
		{Name: "_wpnonce wins over X-WP-Nonce", URL: meURL + "?_wpnonce=bad", Header: h("Cookie", wpCookie, "X-WP-Nonce", nonceUID6T0), Status: 403, WantBody: badNonce},
		{Name: "cookie without nonce is anonymous", URL: meURL, Header: h("Cookie", wpCookie), Status: 401, WantBody: notLoggedIn,
			WantHeader: map[string]string{"X-WP-Nonce": "", "Cache-Control": ""}},
		{Name: "bad nonce", URL: meURL, Header: h("Cookie", wpCookie, "X-WP-Nonce", "0123456789"), Status: 403, WantBody: badNonce,
			WantHeader: map[string]string{"Cache-Control": noCache, "Expires": "Wed, 11 Jan 1984 05:00:00 GMT", "Allow": ""}},
		{Name: "empty nonce header", URL: meURL, Header: h("Cookie", wpCookie, "X-WP-Nonce", ""), Status: 403, WantBody: badNonce},
		{Name: "tampered cookie + nonce", URL: meURL, Header: h("Cookie", tampered, "X-WP-Nonce", nonceUID6T0), Status: 403, WantBody: badNonce},
		{Name: "tampered cookie without nonce", URL: meURL, Header: h("Cookie", tampered), Status: 401, WantBody: notLoggedIn},
		{Name: "anonymous with the logged-out nonce", URL: meURL, Header: h("X-WP-Nonce", nonceUID0T0), Status: 401, WantBody: notLoggedIn,
			WantHeader: map[string]string{"X-WP-Nonce": nonceUID0T0}},
		{Name: "anonymous with a wrong nonce (403 even on public routes)", URL: meURL, Header: h("X-WP-Nonce", "abc"), Status: 403, WantBody: badNonce},
		// The nonce's session token comes from the logged-in cookie only (wp_get_session_token), so "" here.
		{Name: "auth-scheme cookie sent to REST", URL: meURL, Header: h("Cookie", "wordpress_473c880099f4ebba446c4a65430d8811=vec_wp%7C2000000000%7C"+vecToken+"%7C"+hmacVecWPAuth, "X-WP-Nonce", nonceFor(uVecWP, "", vecNow)), Check: wantUser(uVecWP)},
		{Name: "secure_auth cookie ignored over http", URL: meURL, Header: h("Cookie", "wordpress_sec_473c880099f4ebba446c4a65430d8811=vec_wp%7C2000000000%7C"+vecToken+"%7C"+hmacVecWPSecure, "X-WP-Nonce", nonceUID6T0), Status: 403, WantBody: badNonce},
		{Name: "secure_auth cookie over https (trusted proxy)", URL: meURL, Header: h("Cookie", "wordpress_sec_473c880099f4ebba446c4a65430d8811=vec_wp%7C2000000000%7C"+vecToken+"%7C"+hmacVecWPSecure, "X-WP-Nonce", nonceFor(uVecWP, "", vecNow), "X-Forwarded-Proto", "https"), Check: wantUser(uVecWP)},
		{Name: "first of duplicate cookies wins (garbage first)", URL: meURL, Header: h("Cookie", vecCookieName+"=garbage; "+wpCookie, "X-WP-Nonce", nonceUID6T0), Status: 403, WantBody: badNonce},
		{Name: "first of duplicate cookies wins (valid first)", URL: meURL, Header: h("Cookie", wpCookie+"; "+vecCookieName+"=garbage", "X-WP-Nonce", nonceUID6T0), Check: wantUser(uVecWP)},
		{Name: "cookie beats Basic; without nonce anonymous", URL: meURL, Header: h("Cookie", wpCookie, "Authorization", basic("admin", vecAPPlain)), Status: 401, WantBody: notLoggedIn},
		{Name: "cookie beats Basic; with nonce the cookie user", URL: meURL, Header: h("Cookie", wpCookie, "X-WP-Nonce", nonceUID6T0, "Authorization", basic("admin", vecAPPlain)), Check: wantUser(uVecWP)},
		{Name: "tampered cookie + valid Basic", URL: meURL, Header: h("Cookie", tampered, "Authorization", basic("admin", vecAPPlain)), Check: wantUser(uAdmin)},
		{Name: "Basic + garbage nonce: nonce ignored", URL: meURL, Header: h("Authorization", basic("admin", vecAPPlain), "X-WP-Nonce", "garbage"), Check: wantUser(uAdmin)},
		{Name: "previous tick still valid, fresh nonce for the current tick", URL: meURL, Header: h("Cookie", wpCookie, "X-WP-Nonce", nonceUID6T0), Setup: setNow(1800021600),
			Check: wantUser(uVecWP), WantHeader: map[string]string{"X-WP-Nonce": nonceUID6T1}},
		{Name: "two ticks old", URL: meURL, Header: h("Cookie", wpCookie, "X-WP-Nonce", nonceUID6T0), Setup: setNow(1800000000 + 86400 + 1), Status: 403, WantBody: badNonce},
		{Name: "expired cookie", URL: meURL, Header: h("Cookie", wpCookie, "X-WP-Nonce", nonceFor(0, vecToken, 2000000001)), Setup: setNow(2000000001), Status: 401, WantBody: notLoggedIn},
		{Name: "logged out: session gone", URL: meURL, Header: h("Cookie", wpCookie, "X-WP-Nonce", nonceUID6T0), Status: 403, WantBody: badNonce,
			Setup: func(t *testing.T) {
				*s.now = time.Unix(vecNow, 0)
				s.db.Exec(t, "DELETE FROM {prefix}usermeta WHERE user_id = ? AND meta_key = 'session_tokens'", uVecWP)
			}},
		{Name: "password changed", URL: meURL, Header: h("Cookie", vecCookie("vec_phpass", hmacVecPhpass), "X-WP-Nonce", nonceFor(uVecPhpass, vecToken, vecNow)), Status: 403, WantBody: badNonce,
			Setup: func(t *testing.T) {
				s.db.Exec(t, "UPDATE {prefix}users SET user_pass = ? WHERE ID = ?", "$P$BXXXXXXXX8V2Z2SVO7ujn5wUtglfRD.", uVecPhpass)
			}},
	})
}

// A POST gets an hour of grace on the cookie's own expiration (the session must still be valid).
func TestCookiePOSTGrace(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{})
	exp := int64(vecNow - 600)
	cookie := wpauth.GenerateAuthCookie("vec_bcrypt", "$2y$10$ZF4WJb4EoG/ssKT9vqMBGerUrK2uLmLJmLPE.Wi82iOSjJE5FtS7C", exp, vecToken, "test-logged-in-keytest-logged-in-salt")
	s.db.Exec(t, "UPDATE {prefix}usermeta SET meta_value = ? WHERE user_id = ? AND meta_key = 'session_tokens'",
		`a:1:{s:64:"46a2199782c8827f0ac56f503be9d39efee97f40a736b92cc7d7c5f825cfd851";a:1:{s:10:"expiration";i:`+strconv.Itoa(vecNow+3600)+`;}}`, uVecBcrypt)
	hdr := h("Cookie", vecCookieName+"="+cookie, "X-WP-Nonce", nonceFor(uVecBcrypt, vecToken, vecNow))
	wptest.Run(t, s.rt, []wptest.Scenario{
		{Name: "POST within the grace hour", Method: "POST", URL: meURL + "?_method=GET", Header: hdr, Check: wantUser(uVecBcrypt)},
		{Name: "GET has no grace", URL: meURL, Header: hdr, Status: 403, WantBody: badNonce},
	})
}

// hs256 signs a JWT by hand (independent of the code under test).
func hs256(header, payload, secret string) string {
	in := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(in))
	return in + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

const jwtHeader = `{"typ":"JWT","alg":"HS256"}`

func jwtErr(code, msg string) string {
	b, _ := wpjson.MarshalJSON(wpjson.NewObject().Set("code", code).Set("message", msg).Set("data", wpjson.NewObject().Set("status", 403)))
	return string(b)
}

// §8 (§12.1 item 21): Bearer tokens of the Tmeister plugin, with the A.7 vector.
func TestJWTBearer(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{jwt: true, auth: authn.AuthOptions{APIKeyNamespaces: []string{"latepoint-api/v1"}}})
	bearer := func(tok string) map[string]string { return h("Authorization", "Bearer "+tok) }
	payload := func(iss string, id string) string {
		return `{"iss":"` + iss + `","iat":1800000000,"nbf":1800000000,"exp":1800604800,"data":{"user":{"id":` + id + `}}}`
	}
	setNow := func(ts int64) func(*testing.T) { return func(*testing.T) { *s.now = time.Unix(ts, 0) } }
	wptest.Run(t, s.rt, []wptest.Scenario{
		{Name: "A.7 token", URL: meURL, Header: bearer(vecJWT), Check: wantUser(uAdmin), WantHeader: map[string]string{"X-WP-Nonce": ""}},
		{Name: "numeric id", URL: meURL, Header: bearer(hs256(jwtHeader, payload(vecSiteURL, "2"), vecJWTSecret)), Check: wantUser(uEditor)},
		{Name: "JWT beats cookie and needs no nonce", URL: meURL, Header: h("Authorization", "Bearer "+vecJWT, "Cookie", vecCookie("vec_wp", hmacVecWP)), Check: wantUser(uAdmin)},
		{Name: "JWT with a garbage nonce", URL: meURL, Header: h("Authorization", "Bearer "+vecJWT, "X-WP-Nonce", "zzz"), Check: wantUser(uAdmin)},
		{Name: "user gone: anonymous", URL: meURL, Header: bearer(hs256(jwtHeader, payload(vecSiteURL, `"999"`), vecJWTSecret)), Status: 401, WantBody: notLoggedIn},
		{Name: "lower-case bearer ignored", URL: meURL, Header: h("Authorization", "bearer "+vecJWT), Status: 401, WantBody: notLoggedIn},
		{Name: "segments", URL: meURL, Header: bearer("abc"), Status: 403, WantBody: jwtErr("jwt_auth_invalid_token", "Wrong number of segments")},
		{Name: "on every route, even unknown ones", URL: "/wp-json/nope/v1/thing", Header: bearer("abc"), Status: 403, WantBody: jwtErr("jwt_auth_invalid_token", "Wrong number of segments")},
		{Name: "malformed header", URL: meURL, Header: h("Authorization", "Bearer "), Status: 403, WantBody: jwtErr("jwt_auth_bad_auth_header", "Authorization header malformed.")},
		{Name: "signature", URL: meURL, Header: bearer(hs256(jwtHeader, payload(vecSiteURL, `"1"`), "other")), Status: 403, WantBody: jwtErr("jwt_auth_invalid_token", "Signature verification failed")},
		{Name: "header json", URL: meURL, Header: bearer(hs256(`{"typ"`, payload(vecSiteURL, `"1"`), vecJWTSecret)), Status: 403, WantBody: jwtErr("jwt_auth_invalid_token", "Syntax error, malformed JSON")},
		{Name: "alg none", URL: meURL, Header: bearer(hs256(`{"typ":"JWT","alg":"none"}`, payload(vecSiteURL, `"1"`), vecJWTSecret)), Status: 403, WantBody: jwtErr("jwt_auth_invalid_token", "Algorithm not supported")},
		{Name: "alg HS512", URL: meURL, Header: bearer(hs256(`{"typ":"JWT","alg":"HS512"}`, payload(vecSiteURL, `"1"`), vecJWTSecret)), Status: 403, WantBody: jwtErr("jwt_auth_invalid_token", "Incorrect key for this algorithm")},
		{Name: "empty alg", URL: meURL, Header: bearer(hs256(`{"typ":"JWT"}`, payload(vecSiteURL, `"1"`), vecJWTSecret)), Status: 403, WantBody: jwtErr("jwt_auth_invalid_token", "Empty algorithm")},
		{Name: "iss with trailing slash", URL: meURL, Header: bearer(hs256(jwtHeader, payload(vecSiteURL+"/", `"1"`), vecJWTSecret)), Status: 403, WantBody: jwtErr("jwt_auth_bad_iss", "The iss do not match with this server")},
		{Name: "no user id", URL: meURL, Header: bearer(hs256(jwtHeader, `{"iss":"`+vecSiteURL+`","data":{}}`, vecJWTSecret)), Status: 403, WantBody: jwtErr("jwt_auth_bad_request", "User ID not found in the token")},
		{Name: "LatePoint API key is not a JWT", URL: "/wp-json/latepoint-api/v1/customers", Header: bearer("lp_abc"), Status: 404},
		{Name: "not yet valid", URL: meURL, Header: bearer(vecJWT), Setup: setNow(1799999999), Status: 403, WantBody: jwtErr("jwt_auth_invalid_token", "Cannot handle token prior to 2027-01-15T08:00:00+0000")},
		{Name: "expired", URL: meURL, Header: bearer(vecJWT), Setup: setNow(1800604800), Status: 403, WantBody: jwtErr("jwt_auth_invalid_token", "Expired token")},
		{Name: "cookie nonce error wins over the JWT error", URL: meURL, Header: h("Authorization", "Bearer abc", "Cookie", vecCookie("vec_wp", hmacVecWP), "X-WP-Nonce", "bad"), Setup: setNow(vecNow), Status: 403, WantBody: badNonce},
	})
}

// §8.2: the token and validate routes.
func TestJWTRoutes(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{jwt: true})
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	wptest.Run(t, s.rt, []wptest.Scenario{
		{Name: "token reproduces A.7 byte for byte", Method: "POST", URL: "/wp-json/jwt-auth/v1/token", Header: form,
			Body: "username=admin&password=correct+horse+battery+staple", Status: 200,
			WantBody: `{"token":"` + vecJWT + `","user_email":"admin@example.com","user_nicename":"admin","user_display_name":"admin"}`},
		{Name: "token with an application password", Method: "POST", URL: "/wp-json/jwt-auth/v1/token", Header: map[string]string{"Content-Type": "application/json"},
			Body: `{"username":"admin@example.com","password":"` + vecAPPlain + `"}`, Status: 200},
		{Name: "wrong password (application passwords in use)", Method: "POST", URL: "/wp-json/jwt-auth/v1/token", Header: form,
			Body: "username=admin&password=nope", Status: 403,
			WantBody: `{"code":"[jwt_auth] incorrect_password","message":"The provided password is an invalid application password.","data":{"status":403}}`},
		{Name: "unknown user", Method: "POST", URL: "/wp-json/jwt-auth/v1/token?username=ghost&password=x", Status: 403,
			WantBody: `{"code":"[jwt_auth] invalid_username","message":"<strong>Error:<\/strong> Unknown username. Check again or try your email address.","data":{"status":403}}`},
		{Name: "empty request", Method: "POST", URL: "/wp-json/jwt-auth/v1/token", Status: 403,
			WantBody: `{"code":"[jwt_auth] invalid_username","message":"<strong>Error:<\/strong> Unknown username. Check again or try your email address.","data":{"status":403}}`},
		{Name: "validate", Method: "POST", URL: "/wp-json/jwt-auth/v1/token/validate", Header: h("Authorization", "Bearer "+vecJWT), Status: 200,
			WantBody: `{"code":"jwt_auth_valid_token","data":{"status":200}}`},
		{Name: "validate without header", Method: "POST", URL: "/wp-json/jwt-auth/v1/token/validate", Status: 403,
			WantBody: jwtErr("jwt_auth_no_auth_header", "Authorization header not found.")},
		{Name: "validate Basic header", Method: "POST", URL: "/wp-json/jwt-auth/v1/token/validate", Header: h("Authorization", basic("admin", "x")), Status: 403,
			WantBody: jwtErr("jwt_auth_bad_auth_header", "Authorization header malformed.")},
		{Name: "core login messages when application passwords are not in use", Method: "POST", URL: "/wp-json/jwt-auth/v1/token", Header: form,
			Body: "username=admin&password=nope", Status: 403,
			Setup: func(t *testing.T) {
				s.db.Exec(t, "UPDATE {prefix}options SET option_value = '0' WHERE option_name = 'using_application_passwords'")
			},
			WantBody: `{"code":"[jwt_auth] incorrect_password","message":"<strong>Error:<\/strong> The password you entered for the username <strong>admin<\/strong> is incorrect. <a href=\"http:\/\/127.0.0.1:8071\/wp-login.php?action=lostpassword\">Lost your password?<\/a>","data":{"status":403}}`},
		{Name: "core unknown user message", Method: "POST", URL: "/wp-json/jwt-auth/v1/token", Header: form, Body: "username=ghost&password=x", Status: 403,
			WantBody: `{"code":"[jwt_auth] invalid_username","message":"<strong>Error:<\/strong> The username <strong>ghost<\/strong> is not registered on this site. If you are unsure of your username, try your email address instead.","data":{"status":403}}`},
		{Name: "core unknown email message", Method: "POST", URL: "/wp-json/jwt-auth/v1/token", Header: form, Body: "username=ghost%40example.com&password=x", Status: 403,
			WantBody: `{"code":"[jwt_auth] invalid_email","message":"Unknown email address. Check again or try your username.","data":{"status":403}}`},
		{Name: "core empty fields", Method: "POST", URL: "/wp-json/jwt-auth/v1/token", Status: 403,
			WantBody: `{"code":"[jwt_auth] empty_username","message":"<strong>Error:<\/strong> The username field is empty.","data":{"status":403}}`},
		{Name: "plugin inactive: no route, Bearer ignored", Method: "POST", URL: "/wp-json/jwt-auth/v1/token", Status: 404,
			Setup: func(t *testing.T) {
				s.db.Exec(t, "UPDATE {prefix}options SET option_value = 'a:0:{}' WHERE option_name = 'active_plugins'")
			},
			WantBody: `{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`},
	})
}

// §5.9's second column: a permission_callback checking manage_options answers rest_forbidden 401 for every
// failed credential (stock: anonymous) and 403 for a logged-in user without the capability.
func TestPermissionCallbackWithRealAuth(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{})
	s.rt.Register("test/v1", "/admin-only", rest.Handler{Methods: "GET",
		Permission: func(r *rest.Request) error {
			if r.User.Can("manage_options") {
				return nil
			}
			return rest.Forbidden(r)
		},
		Callback: func(r *rest.Request) (*rest.Response, error) {
			return rest.OK(wpjson.NewObject().Set("user", r.User.ID)), nil
		}})
	url := "/wp-json/test/v1/admin-only"
	forbidden := func(status int) string {
		return `{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":` + strconv.Itoa(status) + `}}`
	}
	wptest.Run(t, s.rt, []wptest.Scenario{
		{Name: "administrator", URL: url, Header: h("Authorization", basic("admin", vecAPPlain)), Status: 200, WantBody: `{"user":1}`},
		{Name: "editor: 403", URL: url, Header: h("Authorization", basic("editor1", vecAP2Plain)), Status: 403, WantBody: forbidden(403), WantHeader: map[string]string{"Allow": ""}},
		{Name: "(a) wrong password: 401", URL: url, Header: h("Authorization", basic("admin", "wrong")), Status: 401, WantBody: forbidden(401)},
		{Name: "(b) unknown user: 401", URL: url, Header: h("Authorization", basic("ghost", "x")), Status: 401, WantBody: forbidden(401)},
		{Name: "(c) login password: 401", URL: url, Header: h("Authorization", basic("admin", "correct horse battery staple")), Status: 401, WantBody: forbidden(401)},
		{Name: "(e) anonymous: 401", URL: url, Status: 401, WantBody: forbidden(401)},
	})
}
