package rest

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Request is one REST request as WordPress's WP_REST_Request sees it.
type Request struct {
	HTTP      *http.Request
	Site      *wpcompat.Site
	Method    string            // after _method / X-HTTP-Method-Override
	Path      string            // REST route as requested, e.g. "/fluent-cart/v2/customers/12"
	Route     string            // matched route pattern, with namespace; "" before matching
	URLParams map[string]string // named groups of the route regex
	Query     url.Values        // raw query string values
	Body      []byte            // raw body
	User      *wpcompat.User    // nil when anonymous
	// ExtraHeader holds headers WordPress sends directly with header() (fresh X-WP-Nonce, no-cache after a failed
	// nonce check); they survive whatever the route answers and are not part of an _envelope.
	ExtraHeader http.Header
	// Values lets middleware and handlers share per-request state (auth kind, API key, permission verdicts).
	Values map[string]any

	queryParams *wpjson.Object
	bodyParams  *wpjson.Object
	jsonParams  *wpjson.Object
	jsonErr     error
	parsed      bool
	merged      map[string]any
	verdict     *Verdict                 // set by Router.Verdict: stop before the callback
	userMeta    []string                 // usermeta keys of the matched handler (Handler.UserMeta), loaded with the user
	setPrefetch func(*wpcompat.Prefetch) // fills the request context's prefetch slot (Handler.Prefetch)
}

// UserMetaKeys is the usermeta the matched handler reads (Handler.UserMeta): an authenticator loads them with the
// user row. Nil before matching.
func (r *Request) UserMetaKeys() []string { return r.userMeta }

// Ctx is the request's context.
func (r *Request) Ctx() context.Context { return r.HTTP.Context() }

// IsJSONContentType reports whether the request's Content-Type is JSON (application/json or any +json type), the
// condition under which WordPress parses the body as JSON (WP_REST_Request::is_json_content_type).
func (r *Request) IsJSONContentType() bool {
	ct := r.HTTP.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func (r *Request) parse() {
	if r.parsed {
		return
	}
	r.parsed = true
	r.queryParams = ParsePHPQuery(r.HTTP.URL.RawQuery)
	ct := r.HTTP.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if len(r.Body) > 0 && r.IsJSONContentType() {
		v, err := wpjson.DecodeOrdered(r.Body)
		if err != nil {
			r.jsonErr = err
		} else if o, ok := v.(*wpjson.Object); ok {
			r.jsonParams = o
		} else if arr, ok := v.([]any); ok {
			// A JSON list decodes to a PHP list: its items become params "0", "1", …
			o := wpjson.NewObject()
			for i, item := range arr {
				o.Set(strconv.Itoa(i), item)
			}
			r.jsonParams = o
		}
	}
	// Body params: $_POST for POST (form-urlencoded / multipart); other methods parse_str the body when the
	// content type is form-urlencoded or absent (WP_REST_Server::serve_request, WP_REST_Request::parse_body_params).
	switch {
	case mt == "application/x-www-form-urlencoded" || (ct == "" && r.HTTP.Method != http.MethodPost):
		r.bodyParams = ParsePHPQuery(string(r.Body))
	case strings.HasPrefix(mt, "multipart/form-data") && r.HTTP.Method == http.MethodPost:
		// multipart bodies are parsed by net/http; only plain fields are kept.
		req := r.HTTP.Clone(r.HTTP.Context())
		req.Body = http.NoBody
		r.bodyParams = wpjson.NewObject()
		if err := parseMultipart(req, r.Body); err == nil && req.MultipartForm != nil {
			var q strings.Builder
			for k, vs := range req.MultipartForm.Value {
				for _, v := range vs {
					if q.Len() > 0 {
						q.WriteByte('&')
					}
					q.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
				}
			}
			r.bodyParams = ParsePHPQuery(q.String())
		}
	}
}

// JSONError is the body's JSON syntax error, if the body is JSON and does not parse (rest_invalid_json).
func (r *Request) JSONError() error { r.parse(); return r.jsonErr }

// InvalidJSONError is WordPress's rest_invalid_json answer for this request's body.
func InvalidJSONError() *Error {
	return NewError("rest_invalid_json", msgInvalidJSON, http.StatusBadRequest).
		With("json_error_code", 4).With("json_error_message", "Syntax error")
}

// Params returns all parameters merged in WordPress's order: JSON body > form body > query > URL.
func (r *Request) Params() map[string]any {
	if r.merged != nil {
		return r.merged
	}
	r.parse()
	m := map[string]any{}
	for k, v := range r.URLParams {
		m[k] = v
	}
	for _, o := range []*wpjson.Object{r.queryParams, r.bodyParams, r.jsonParams} {
		for _, k := range o.Keys() {
			v, _ := o.Get(k)
			m[k] = v
		}
	}
	r.merged = m
	return m
}

// Param is get_param(name): the first source in WordPress's order that has it.
func (r *Request) Param(name string) (any, bool) {
	v, ok := r.Params()[name]
	return v, ok
}

// JSONParams, BodyParams and QueryParams are the individual sources (ordered), each possibly empty.
func (r *Request) JSONParams() *wpjson.Object  { r.parse(); return r.jsonParams }
func (r *Request) BodyParams() *wpjson.Object  { r.parse(); return r.bodyParams }
func (r *Request) QueryParams() *wpjson.Object { r.parse(); return r.queryParams }

// ParamString returns a parameter converted the way PHP's (string) cast does for scalars; arrays give "", false.
func (r *Request) ParamString(name string) (string, bool) {
	v, ok := r.Param(name)
	if !ok {
		return "", false
	}
	return PHPString(v)
}

// PHPString converts a scalar param value to its PHP string form (true → "1", false/null → "", numbers as written).
func PHPString(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case bool:
		if t {
			return "1", true
		}
		return "", true
	case nil:
		return "", true
	case int:
		return strconv.Itoa(t), true
	case int64:
		return strconv.FormatInt(t, 10), true
	case float64:
		return wpjson.FormatPHPFloat(t), true
	}
	return "", false
}

// ParsePHPQuery parses a query string the way PHP's parse_str fills $_GET: bracket keys build nested arrays
// ("a[]=1&a[]=2", "a[x][y]=1"), "." and " " in the top-level name become "_", later duplicates win. PHP arrays
// whose keys are 0..n-1 in order come back as []any, others as *Object.
func ParsePHPQuery(raw string) *wpjson.Object {
	root := wpjson.NewObject()
	if raw == "" {
		return root
	}
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			val = v
		}
		key = strings.TrimLeft(key, " ")
		if key == "" {
			continue
		}
		base, subs := splitPHPKey(key)
		if base == "" {
			continue
		}
		setPHPPath(root, base, subs, val)
	}
	for _, k := range root.Keys() {
		v, _ := root.Get(k)
		root.Set(k, listify(v)) // k exists: Set keeps its position
	}
	return root
}

// splitPHPKey splits "a.b[x][]" into base "a_b" and subkeys ["x", ""]; an unmatched "[" ends the subkeys and
// (as in PHP) makes the first "[" of the base an "_".
func splitPHPKey(key string) (string, []string) {
	i := strings.IndexByte(key, '[')
	if i < 0 {
		return mangleBase(key), nil
	}
	base := key[:i]
	rest := key[i:]
	var subs []string
	for strings.HasPrefix(rest, "[") {
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			if len(subs) == 0 {
				return mangleBase(base) + "_" + rest[1:], nil
			}
			break
		}
		subs = append(subs, rest[1:j])
		rest = rest[j+1:]
	}
	if len(subs) == 0 {
		return mangleBase(key), nil
	}
	return mangleBase(base), subs
}

func mangleBase(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == ' ' {
			return '_'
		}
		return r
	}, s)
}

func setPHPPath(o *wpjson.Object, key string, subs []string, val string) {
	if len(subs) == 0 {
		o.Set(key, val)
		return
	}
	child, ok := o.Get(key)
	co, isObj := child.(*wpjson.Object)
	if !ok || !isObj {
		co = wpjson.NewObject()
		o.Set(key, co)
	}
	next := subs[0]
	if next == "" {
		next = strconv.Itoa(nextIndex(co))
	}
	setPHPPath(co, next, subs[1:], val)
}

// nextIndex is PHP's next free integer key (max int key + 1, or 0).
func nextIndex(o *wpjson.Object) int {
	n := 0
	for _, k := range o.Keys() {
		if i, err := strconv.Atoi(k); err == nil && i >= n {
			n = i + 1
		}
	}
	return n
}

func listify(v any) any {
	o, ok := v.(*wpjson.Object)
	if !ok {
		return v
	}
	isList := o.Len() > 0
	for i, k := range o.Keys() {
		val, _ := o.Get(k)
		o.Set(k, listify(val)) // k exists: Set keeps its position
		if k != strconv.Itoa(i) {
			isList = false
		}
	}
	if !isList {
		return o
	}
	arr := make([]any, 0, o.Len())
	for _, k := range o.Keys() {
		val, _ := o.Get(k)
		arr = append(arr, val)
	}
	return arr
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
