package shadow

import (
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Redacted replaces every credential the sidecar writes to a log (access log and mismatch log share these rules).
const Redacted = "[REDACTED]"

// sensitiveNames are parameter / JSON key names whose values never reach a log.
var sensitiveNames = map[string]bool{
	"_wpnonce": true, "password": true, "pass": true, "pwd": true, "token": true, "api_key": true, "apikey": true,
	"key": true, "secret": true, "jwt": true, "access_token": true, "refresh_token": true, "signature": true,
	"user_pass": true, "new_password": true, "app_password": true, "api_secret": true, "client_secret": true,
	"authorization": true, "nonce": true,
}

// sensitiveHeaders carry credentials; Authorization keeps its scheme ("Basic [REDACTED]").
var sensitiveHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "Set-Cookie": true, "X-Api-Key": true,
	"X-Wp-Nonce": true, "X-Signature": true, "X-Auth-Token": true,
}

// SensitiveName reports whether a parameter or JSON key of this name holds a credential (PHP bracket suffixes
// such as "password[0]" count as the base name).
func SensitiveName(name string) bool {
	if b, _, ok := strings.Cut(name, "["); ok {
		name = b
	}
	return sensitiveNames[strings.ToLower(name)]
}

// RedactQuery returns a raw query string with the values of sensitive parameters replaced, keeping everything
// else byte for byte.
func RedactQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, hasVal := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if hasVal && SensitiveName(name) {
			parts[i] = k + "=" + Redacted
		}
	}
	return strings.Join(parts, "&")
}

// RedactHeader flattens request or response headers for a log, credentials replaced.
func RedactHeader(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := strings.Join(h.Values(k), ", ")
		ck := http.CanonicalHeaderKey(k)
		if sensitiveHeaders[ck] {
			if ck == "Authorization" || ck == "Proxy-Authorization" {
				scheme, _, _ := strings.Cut(strings.TrimSpace(v), " ")
				v = scheme + " " + Redacted
			} else {
				v = Redacted
			}
		}
		out[ck] = v
	}
	return out
}

// RedactJSON replaces, in place, the values of sensitive keys anywhere in a decoded JSON value (*wpjson.Object,
// []any) and returns it.
func RedactJSON(v any) any {
	switch t := v.(type) {
	case *wpjson.Object:
		for _, k := range t.Keys() {
			val, _ := t.Get(k)
			if SensitiveName(k) {
				t.Set(k, Redacted)
				continue
			}
			t.Set(k, RedactJSON(val))
		}
	case []any:
		for i := range t {
			t[i] = RedactJSON(t[i])
		}
	}
	return v
}

// redactBody is a request or response body as it goes into the mismatch log: JSON decoded (key order kept) with
// sensitive keys replaced, form bodies with sensitive fields replaced, anything else as text.
func redactBody(contentType string, body []byte) any {
	if len(body) == 0 {
		return nil
	}
	if v, err := wpjson.DecodeOrdered(body); err == nil {
		return RedactJSON(v)
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "application/x-www-form-urlencoded" {
		return RedactQuery(string(body))
	}
	if strings.HasPrefix(mt, "multipart/") {
		return "(multipart body, " + itoa(len(body)) + " bytes, not logged)"
	}
	return string(body)
}
