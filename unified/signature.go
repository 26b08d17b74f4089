package unified

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// Request signing (README "Signed requests"):
//
//	x-client-id:  the client id
//	x-timestamp:  Unix seconds; accepted within ±300 s of the server's clock
//	x-signature:  hex(HMAC-SHA256(key = the secret's bytes exactly as printed, METHOD:target:timestamp:bodyHash))
//	x-content-sha256 (optional): hex SHA-256 of the body, so a body altered in transit is told apart from a wrong
//	              secret (body_hash_mismatch instead of signature_mismatch)
//
// METHOD is upper-case, target the request target as sent without scheme and host (path, plus "?" and the raw
// query when there is one), bodyHash the hex SHA-256 of the raw body for POST, PUT and PATCH and empty otherwise.

// StringToSign is the text a request's signature covers.
func StringToSign(method, target string, ts int64, body []byte) string {
	m := strings.ToUpper(method)
	bodyHash := ""
	if hashesBody(m) {
		bodyHash = BodyHash(body)
	}
	return m + ":" + target + ":" + strconv.FormatInt(ts, 10) + ":" + bodyHash
}

// Sign returns the x-signature of a request.
func Sign(secret, method, target string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(StringToSign(method, target, ts, body)))
	return hex.EncodeToString(mac.Sum(nil))
}

// BodyHash is the hex SHA-256 of a body (the x-content-sha256 header and the signed bodyHash).
func BodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// SignedHeaders are the headers of a signed request, x-content-sha256 included for methods with a body.
func SignedHeaders(clientID, secret, method, target string, ts int64, body []byte) map[string]string {
	h := map[string]string{
		"x-client-id": clientID,
		"x-timestamp": strconv.FormatInt(ts, 10),
		"x-signature": Sign(secret, method, target, ts, body),
	}
	if hashesBody(strings.ToUpper(method)) {
		h["x-content-sha256"] = BodyHash(body)
	}
	return h
}

func hashesBody(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch
}

// requestTarget is the request target as the client sent it, without scheme and host.
func requestTarget(r *http.Request) string {
	t := r.RequestURI
	if t == "" {
		return r.URL.RequestURI()
	}
	if i := strings.Index(t, "://"); i >= 0 && !strings.HasPrefix(t, "/") {
		rest := t[i+3:]
		j := strings.IndexAny(rest, "/?")
		switch {
		case j < 0:
			return "/"
		case rest[j] == '?':
			return "/" + rest[j:]
		}
		return rest[j:]
	}
	return t
}
