package authn

// "JWT Authentication for WP REST API" (Tmeister/wp-api-jwt-auth 1.3.4, spec §8): Bearer tokens on every REST
// request and the two routes of namespace jwt-auth/v1. Facts from public/class-jwt-auth-public.php
// (determine_current_user, validate_token, generate_token, rest_pre_dispatch) and the bundled firebase/php-jwt
// 6.4.0 src/JWT.php (decode, encode, jsonDecode, urlsafeB64Decode). The newest tag in the readable mirror is 1.3.4.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// JWTPluginBasename is the plugin's entry in active_plugins.
const JWTPluginBasename = "jwt-authentication-for-wp-rest-api/jwt-auth.php"

const (
	msgJWTBadConfig    = "JWT is not configured properly, please contact the admin"
	msgJWTNoHeader     = "Authorization header not found."
	msgJWTBadHeader    = "Authorization header malformed."
	msgJWTUnsupported  = "Algorithm not supported, see https://www.rfc-editor.org/rfc/rfc7518#section-3"
	msgJWTBadIss       = "The iss do not match with this server"
	msgJWTNoUserID     = "User ID not found in the token"
	jwtLifetimeSeconds = 7 * 86400
)

func jwtError(code, msg string) *rest.Error { return rest.NewError(code, msg, http.StatusForbidden) }

// jwtActive reports whether the plugin is active on the site (its hooks run whatever the configuration).
func (a *Auth) jwtActive(ctx context.Context) (bool, error) {
	return a.site.PluginActive(ctx, JWTPluginBasename)
}

// jwtSecret is JWT_AUTH_SECRET_KEY when defined and PHP-truthy.
func (a *Auth) jwtSecret() (string, bool) {
	v, ok := a.site.Config.Value("JWT_AUTH_SECRET_KEY")
	if !ok || !v.Truthy() {
		return "", false
	}
	return v.PHPString(), true
}

// jwtAlgorithm is the jwt_auth_algorithm filter's result (HS256 unless configured); ok is false for a value the
// plugin would refuse (jwt_auth_unsupported_algorithm).
func (a *Auth) jwtAlgorithm() (string, bool) {
	alg := a.opts.JWTAlgorithm
	if alg == "" {
		alg = "HS256"
	}
	switch alg {
	case "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512":
		return alg, true
	}
	return alg, false
}

// jwtClaims is the part of a decoded payload the plugin reads.
type jwtClaims struct {
	iss       any
	issSet    bool
	userID    any // data.user.id when set (isset: present and not null)
	userIDSet bool
}

// bearerUser is the plugin's determine_current_user for a request without a user yet. It returns the user id
// claim when the token is valid (set=true), or the error the plugin stores for rest_pre_dispatch.
func (a *Auth) bearerUser(ctx context.Context, r *rest.Request, st *authState) (id any, set bool, jwtErr *rest.Error) {
	// URIs that mention token/validate are left to that endpoint (strpos > 0).
	if strings.Index(r.HTTP.RequestURI, "token/validate") > 0 {
		return nil, false, nil
	}
	header := sanitizeTextField(r.HTTP.Header.Get("Authorization"))
	if header == "" || !strings.HasPrefix(header, "Bearer") {
		return nil, false, nil // not ours: untouched (1.3.4 matches "Bearer" case-sensitively)
	}
	if ns := routeNamespace(r.Path); a.apiKeyNamespace(ns) && strings.HasPrefix(strings.TrimSpace(header[6:]), "lp_") {
		return nil, false, nil // a LatePoint API key, never a JWT
	}
	claims, e := a.validateJWT(ctx, st, header)
	if e != nil {
		if e.Code == "jwt_auth_no_auth_header" {
			return nil, false, nil
		}
		return nil, false, e
	}
	return claims.userID, true, nil
}

// validateJWT is Jwt_Auth_Public::validate_token with a custom token (the header value).
func (a *Auth) validateJWT(ctx context.Context, st *authState, header string) (*jwtClaims, *rest.Error) {
	if header == "" {
		return nil, jwtError("jwt_auth_no_auth_header", msgJWTNoHeader)
	}
	token, ok := sscanfBearer(header)
	if !ok {
		return nil, jwtError("jwt_auth_bad_auth_header", msgJWTBadHeader)
	}
	secret, ok := a.jwtSecret()
	if !ok {
		return nil, jwtError("jwt_auth_bad_config", msgJWTBadConfig)
	}
	alg, ok := a.jwtAlgorithm()
	if !ok {
		return nil, jwtError("jwt_auth_unsupported_algorithm", msgJWTUnsupported)
	}
	claims, err := decodeJWT(token, secret, alg, a.now())
	if err != nil {
		return nil, jwtError("jwt_auth_invalid_token", err.Error())
	}
	home, herr := a.bloginfoURL(ctx, st)
	if herr != nil {
		return nil, rest.InternalError(herr)
	}
	if s, isStr := claims.iss.(string); !claims.issSet || !isStr || s != home {
		return nil, jwtError("jwt_auth_bad_iss", msgJWTBadIss)
	}
	if !claims.userIDSet {
		return nil, jwtError("jwt_auth_bad_request", msgJWTNoUserID)
	}
	return claims, nil
}

// sscanfBearer is list($token) = sscanf($header, 'Bearer %s'): the literal "Bearer", any whitespace (also
// none), then a run of non-whitespace. A missing or PHP-falsy token ("0") is malformed.
func sscanfBearer(h string) (string, bool) {
	if !strings.HasPrefix(h, "Bearer") {
		return "", false
	}
	rest := strings.TrimLeft(h[6:], " \t\n\v\f\r")
	end := strings.IndexAny(rest, " \t\n\v\f\r")
	if end >= 0 {
		rest = rest[:end]
	}
	return rest, rest != "" && rest != "0"
}

// sanitizeTextField is the part of sanitize_text_field that matters for an Authorization header: invalid UTF-8
// gives "", tags are stripped, runs of whitespace collapse to one space, percent-encoded octets are removed, and
// the result is trimmed.
func sanitizeTextField(s string) string {
	if s == "" {
		return ""
	}
	if !utf8.ValidString(s) {
		return ""
	}
	if strings.Contains(s, "<") {
		s = wpcompat.StripLoginTags(s)
	}
	s = collapseSpaces(s)
	found := false
	for {
		loc := wpcompat.PercentOctet.FindStringIndex(s)
		if loc == nil {
			break
		}
		s = s[:loc[0]] + s[loc[1]:]
		found = true
	}
	if found {
		s = collapseSpaces(s)
	}
	return php.Trim(s)
}

func collapseSpaces(s string) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' || c == '\n' || c == '\t' || c == ' ' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteByte(c)
	}
	return php.Trim(b.String())
}

// bloginfoURL is get_bloginfo('url') = home_url(): the home option (WP_HOME wins, untrailingslashed) with the
// request's scheme when it is HTTPS.
func (a *Auth) bloginfoURL(ctx context.Context, st *authState) (string, error) {
	var home string
	if v, ok := a.site.Config.String("WP_HOME"); ok {
		home = strings.TrimRight(v, `/\`)
	} else {
		v, _, err := a.site.CachedOption(ctx, "home")
		if err != nil {
			return "", err
		}
		home = v
	}
	if st != nil && st.ssl {
		if rest, ok := strings.CutPrefix(home, "http://"); ok {
			home = "https://" + rest
		}
	}
	return home, nil
}

// jwtDecodeError carries php-jwt's exception message.
type jwtDecodeError string

func (e jwtDecodeError) Error() string { return string(e) }

// decodeJWT is firebase/php-jwt 6.4.0 JWT::decode with one Key (no leeway), in its order of checks and with its
// exception messages. The signature is verified with golang-jwt.
func decodeJWT(token, secret, alg string, now time.Time) (*jwtClaims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, jwtDecodeError("Wrong number of segments")
	}
	header, err := phpJSONDecode(urlsafeB64Decode(parts[0]))
	if err != nil {
		return nil, err
	}
	if header == nil {
		return nil, jwtDecodeError("Invalid header encoding")
	}
	payload, err := phpJSONDecode(urlsafeB64Decode(parts[1]))
	if err != nil {
		return nil, err
	}
	if payload == nil {
		return nil, jwtDecodeError("Invalid claims encoding")
	}
	if list, ok := payload.([]any); ok {
		o := wpjson.NewObject()
		for i, v := range list {
			o.Set(strconv.Itoa(i), v)
		}
		payload = o
	}
	claims, ok := payload.(*wpjson.Object)
	if !ok {
		return nil, jwtDecodeError("Payload must be a JSON object")
	}
	sig := urlsafeB64Decode(parts[2])
	var headerAlg any
	if h, ok := header.(*wpjson.Object); ok {
		headerAlg, _ = h.Get("alg")
	}
	if !phpserial.PHPTruthy(jsonScalar(headerAlg)) {
		return nil, jwtDecodeError("Empty algorithm")
	}
	halg, _ := headerAlg.(string)
	switch halg {
	case "ES384", "ES256", "ES256K", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "EdDSA":
	default:
		return nil, jwtDecodeError("Algorithm not supported")
	}
	if !php.HashEquals(alg, halg) {
		return nil, jwtDecodeError("Incorrect key for this algorithm")
	}
	method := jwt.GetSigningMethod(alg)
	if method == nil || !strings.HasPrefix(alg, "HS") {
		return nil, jwtDecodeError("Signature verification failed") // only HMAC keys come from wp-config
	}
	if err := method.Verify(parts[0]+"."+parts[1], []byte(sig), []byte(secret)); err != nil {
		return nil, jwtDecodeError("Signature verification failed")
	}
	ts := float64(now.Unix())
	for _, name := range []string{"nbf", "iat"} {
		if v, set := claimNumber(claims, name); set && v > ts {
			return nil, jwtDecodeError("Cannot handle token prior to " + time.Unix(int64(v), 0).UTC().Format("2006-01-02T15:04:05-0700"))
		}
	}
	if v, set := claimNumber(claims, "exp"); set && ts >= v {
		return nil, jwtDecodeError("Expired token")
	}
	out := &jwtClaims{}
	out.iss, out.issSet = claims.Get("iss")
	if out.iss == nil {
		out.issSet = false
	}
	if data, ok := claims.Get("data"); ok {
		if d, ok := data.(*wpjson.Object); ok {
			if user, ok := d.Get("user"); ok {
				if u, ok := user.(*wpjson.Object); ok {
					out.userID, out.userIDSet = u.Get("id")
					if out.userID == nil {
						out.userIDSet = false
					}
				}
			}
		}
	}
	return out, nil
}

// claimNumber reads a numeric claim as PHP compares it with an int (isset and numeric); non-numeric values are
// not compared (PHP would compare them as strings or fail; tokens come from this plugin, which writes ints).
func claimNumber(o *wpjson.Object, name string) (float64, bool) {
	v, ok := o.Get(name)
	if !ok || v == nil {
		return 0, false
	}
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, _, ok := php.NumericString(x)
		return f, ok
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// jsonScalar turns a decoded JSON scalar into the PHP value empty() would look at.
func jsonScalar(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case *wpjson.Object:
		return phpserial.NewPHPArray().Set("x", x.Len() > 0) // objects are never empty()
	case []any:
		if len(x) == 0 {
			return nil
		}
		return true
	}
	return v
}

// urlsafeB64Decode is php-jwt's urlsafeB64Decode: pad, translate -_ to +/, then PHP's lenient base64_decode.
func urlsafeB64Decode(s string) string {
	return phpBase64Decode(strings.NewReplacer("-", "+", "_", "/").Replace(s))
}

// phpJSONDecode is json_decode($input, false, 512, JSON_BIGINT_AS_STRING) as php-jwt's jsonDecode checks it:
// errors carry PHP's messages; the literal "null" decodes to nil without error.
func phpJSONDecode(s string) (any, error) {
	if !utf8.ValidString(s) {
		return nil, jwtDecodeError("Malformed UTF-8 characters")
	}
	if depth := jsonDepth(s); depth > 512 {
		return nil, jwtDecodeError("Maximum stack depth exceeded")
	}
	v, err := wpjson.DecodeOrdered([]byte(s))
	if err != nil {
		if hasRawControl(s) {
			return nil, jwtDecodeError("Unexpected control character found")
		}
		return nil, jwtDecodeError("Syntax error, malformed JSON")
	}
	return v, nil
}

// jsonDepth is the deepest array/object nesting of a JSON text (strings skipped).
func jsonDepth(s string) int {
	depth, deepest, inStr := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}

func hasRawControl(s string) bool {
	inStr := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case inStr && c < 0x20:
			return true
		}
	}
	return false
}

// encodeJWT is php-jwt's JWT::encode for an HMAC algorithm: header {"typ":"JWT","alg":…}, JSON with unescaped
// slashes (PHP key order kept), base64url without padding.
func encodeJWT(payload *wpjson.Object, secret, alg string) (string, error) {
	method := jwt.GetSigningMethod(alg)
	if method == nil || !strings.HasPrefix(alg, "HS") {
		return "", fmt.Errorf("jwt: algorithm %s needs a key pair, not JWT_AUTH_SECRET_KEY", alg)
	}
	h, err := marshalUnescapedSlashes(wpjson.NewObject().Set("typ", "JWT").Set("alg", alg))
	if err != nil {
		return "", err
	}
	p, err := marshalUnescapedSlashes(payload)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(p)
	sig, err := method.Sign(input, []byte(secret))
	if err != nil {
		return "", err
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// marshalUnescapedSlashes is json_encode($v, JSON_UNESCAPED_SLASHES).
func marshalUnescapedSlashes(v any) ([]byte, error) {
	b, err := wpjson.MarshalJSON(v)
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(b, []byte(`\/`)) {
		return b, nil
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			if b[i+1] == '/' {
				out = append(out, '/')
			} else {
				out = append(out, b[i], b[i+1])
			}
			i++
			continue
		}
		out = append(out, b[i])
	}
	return out, nil
}

// jwtUserID turns a data.user.id claim into what WordPress makes of it (WP_User's constructor): a numeric value
// is an ID, another truthy scalar a login; anything else is nobody.
func (a *Auth) jwtUser(ctx context.Context, id any) (*wpcompat.User, error) {
	var s string
	switch v := id.(type) {
	case json.Number:
		s = v.String()
	case string:
		s = v
	case bool:
		if !v {
			return nil, nil
		}
		s = "1"
		return a.userByLoginWithCaps(ctx, s)
	default:
		return nil, nil // arrays and objects: PHP fails; the sidecar treats them as nobody
	}
	if !phpserial.PHPTruthy(s) {
		return nil, nil
	}
	if f, _, ok := php.NumericString(s); ok {
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, nil
		}
		return a.site.GetUserBy(ctx, wpcompat.UserByID, s)
	}
	return a.userByLoginWithCaps(ctx, s)
}

func (a *Auth) userByLoginWithCaps(ctx context.Context, login string) (*wpcompat.User, error) {
	return a.site.GetUserBy(ctx, wpcompat.UserByLogin, login)
}
