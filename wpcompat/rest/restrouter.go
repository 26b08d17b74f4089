package rest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Handler is one endpoint of a route, like an entry of register_rest_route's $args.
type Handler struct {
	Methods    string                            // "GET" or "POST, PUT, PATCH"
	Permission func(*Request) error              // nil: allowed; nil error: allowed; error: refused with it
	Callback   func(*Request) (*Response, error) // the endpoint
	// UserMeta lists the current user's usermeta keys the callback reads (Site.CurrentUserMetas): the
	// authentication query loads them with the user, so the callback needs no round trip of its own.
	UserMeta []string
	// Prefetch, when set, names the one statement the callback will read first for this request (nil: none); the
	// authentication query sends it in the same round trip when it can (wpcompat/prefetch.go), and the callback
	// takes the rows with Prefetch.Take or reads on its own.
	Prefetch func(*Request) *wpcompat.Prefetch
	Args     *wpjson.Object // argument description for OPTIONS (optional)
	// Validate, when set, answers what Callback would refuse without doing anything: the error it would return
	// (status, code) or nil when it would accept. Shadow mode compares this verdict with PHP's answer to a write
	// instead of executing the write (see Router.Verdict).
	Validate func(*Request) error
}

type route struct {
	namespace string
	pattern   string // full pattern, "/ns/path"
	re        *regexp.Regexp
	handlers  []Handler
	methods   [][]string // parsed methods per handler
}

// Authenticator decides the current user before dispatch (WordPress determine_current_user plus
// rest_authentication_errors). It sets r.User and may add r.ExtraHeader; a returned error stops the request.
type Authenticator interface {
	Authenticate(r *Request) error
}

// ServeHook runs on every response whose REST path starts with its prefix, before encoding
// (WordPress rest_pre_serve_request / rest_post_dispatch filters of a plugin).
type ServeHook func(r *Request, resp *Response)

// Router is WordPress's REST server: per-route regex matched case-insensitively in registration order,
// /wp-json/…, /index.php/wp-json/… and ?rest_route=/… forms, trailing slash ignored (spec §10.1).
type Router struct {
	Site         *wpcompat.Site
	Auth         Authenticator
	Log          *slog.Logger
	MaxBodyBytes int64
	// Observe, when set, is called after each REST request with the matched route pattern ("" if none).
	Observe func(r *Request, status int, elapsed time.Duration)
	// Delegate, when set, hands a request a handler could not answer exactly (see Delegate) to PHP and
	// reports true; false means there is no PHP to hand it to, and the sidecar answers 501
	// wpsidecar_not_implemented itself. hr carries the original method, headers and body. It is never called for
	// a dry run (shadow mode): PHP is answering that request already.
	Delegate func(w http.ResponseWriter, hr *http.Request, route, reason string) bool
	// DBTimeout bounds each request's database work, waiting for a pool connection included (0: unbounded);
	// past it the request answers 503 (faultanswer.go).
	DBTimeout time.Duration
	// AfterWrite, when set (serve --cache), runs after a handler of a method other than GET/HEAD returned and before
	// its answer is written: it waits until the read cache has applied the binlog up to now, so the request's own
	// writes are invalidated first (read-your-writes), or drops the cache.
	AfterWrite func(ctx context.Context)

	routes     []*route
	byPattern  map[string]*route
	namespaces []string
	hooks      []serveHook
	faultEnv   []faultEnvelope
	basePaths  wpcompat.DecodeMemo[string] // the path of each home URL seen (url.Parse once per value)
}

type serveHook struct {
	prefix string
	fn     ServeHook
}

// NewRouter makes an empty REST router for a site.
func NewRouter(site *wpcompat.Site, auth Authenticator) *Router {
	log := slog.Default()
	if site != nil && site.Log != nil {
		log = site.Log
	}
	return &Router{Site: site, Auth: auth, Log: log, MaxBodyBytes: 10 << 20, byPattern: map[string]*route{}}
}

// Register adds handlers for namespace + route. Registering an identical pattern again appends its handlers
// (register_rest_route with override=false).
func (rt *Router) Register(namespace, path string, handlers ...Handler) {
	namespace = strings.Trim(namespace, "/")
	pattern := "/" + namespace
	if p := strings.TrimRight(path, "/"); p != "" {
		pattern += "/" + strings.TrimLeft(p, "/")
	}
	r, ok := rt.byPattern[pattern]
	if !ok {
		r = &route{namespace: namespace, pattern: pattern, re: regexp.MustCompile(`(?i)^` + pattern + `$`)}
		rt.byPattern[pattern] = r
		rt.routes = append(rt.routes, r)
		known := false
		for _, ns := range rt.namespaces {
			known = known || ns == namespace
		}
		if !known {
			rt.namespaces = append(rt.namespaces, namespace)
		}
	}
	for _, h := range handlers {
		r.handlers = append(r.handlers, h)
		r.methods = append(r.methods, splitMethods(h.Methods))
	}
}

// Hook registers a ServeHook for responses under a REST path prefix (e.g. "/fluent-cart").
func (rt *Router) Hook(prefix string, fn ServeHook) {
	rt.hooks = append(rt.hooks, serveHook{prefix: strings.ToLower(prefix), fn: fn})
}

func splitMethods(s string) []string {
	var out []string
	for _, m := range strings.Split(s, ",") {
		if m = strings.ToUpper(strings.TrimSpace(m)); m != "" {
			out = append(out, m)
		}
	}
	return out
}

// RESTPath extracts the REST route from a URL: /wp-json/…, /index.php/wp-json/…, or the rest_route query var.
// ok is false when the URL is not a REST request. A rest_route given as an array is an error (400).
func RESTPath(u *url.URL, basePath string) (path string, ok bool, err *Error) {
	p := u.Path
	if basePath != "" && strings.HasPrefix(p, basePath+"/") {
		p = p[len(basePath):]
	}
	for _, prefix := range []string{"/wp-json", "/index.php/wp-json"} {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return normalizeRoute(p[len(prefix):]), true, nil
		}
	}
	if strings.Contains(u.RawQuery, "rest_route") {
		q := ParsePHPQuery(u.RawQuery)
		if v, found := q.Get("rest_route"); found {
			s, isStr := v.(string)
			if !isStr {
				return "", true, NewError("rest_path_invalid_type", "The REST route parameter must be a string.", http.StatusBadRequest)
			}
			return normalizeRoute(s), true, nil
		}
	}
	return "", false, nil
}

func normalizeRoute(s string) string {
	s = strings.TrimRight(s, "/\\")
	if s == "" {
		return "/"
	}
	return s
}

// Match finds the route and handler WordPress would dispatch method+path to (match_request_to_handler).
func (rt *Router) Match(method, path string) (r *route, h int, params map[string]string, found bool) {
	candidates := rt.routes
	trail := strings.ToLower(strings.TrimLeft(path, "/")) + "/"
	var withNS []*route
	for _, ns := range rt.namespaces {
		if strings.HasPrefix(trail, strings.ToLower(ns)) {
			for _, r := range rt.routes {
				if r.namespace == ns {
					withNS = append(withNS, r)
				}
			}
		}
	}
	if withNS != nil {
		candidates = withNS
	}
	var firstMatch *route
	var firstParams map[string]string
	for _, r := range candidates {
		m := r.re.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		params := map[string]string{}
		for i, name := range r.re.SubexpNames() {
			if name != "" && i < len(m) {
				params[name] = m[i]
			}
		}
		if firstMatch == nil {
			firstMatch, firstParams = r, params
		}
		if method == "" {
			return r, -1, params, true
		}
		for i, ms := range r.methods {
			for _, hm := range ms {
				if hm == method || (method == http.MethodHead && hm == http.MethodGet && !hasMethod(ms, http.MethodHead)) {
					return r, i, params, true
				}
			}
		}
	}
	if firstMatch != nil {
		return firstMatch, -1, firstParams, false
	}
	return nil, -1, nil, false
}

func hasMethod(ms []string, m string) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// Owns reports whether a request would be dispatched to one of the registered handlers (front-proxy mode sends
// everything else to PHP).
func (rt *Router) Owns(req *http.Request) bool {
	path, ok, perr := RESTPath(req.URL, rt.basePath(req))
	if !ok || perr != nil {
		return false
	}
	method := overrideMethod(req)
	if method == http.MethodOptions {
		_, _, _, found := rt.Match("", path)
		return found
	}
	_, h, _, found := rt.Match(method, path)
	return found && h >= 0
}

func (rt *Router) basePath(req *http.Request) string {
	if rt.Site == nil {
		return ""
	}
	home, err := rt.Site.HomeURL(req.Context())
	if err != nil {
		return ""
	}
	return rt.basePaths.Get(home, homePath)
}

// homePath is the path of a home URL without its trailing slash ("" when it does not parse).
func homePath(home string) string {
	u, err := url.Parse(home)
	if err != nil {
		return ""
	}
	return strings.TrimRight(u.Path, "/")
}

// overrideMethod applies _method (query string, any method) then X-HTTP-Method-Override (spec §10.5).
func overrideMethod(req *http.Request) string {
	if req.URL.RawQuery != "" && strings.Contains(req.URL.RawQuery, "_method") {
		if v, ok := ParsePHPQuery(req.URL.RawQuery).Get("_method"); ok {
			if s, isStr := v.(string); isStr {
				return strings.ToUpper(s)
			}
		}
	}
	if v := req.Header.Get("X-HTTP-Method-Override"); v != "" {
		return strings.ToUpper(v)
	}
	return req.Method
}

// ServeHTTP answers one REST request the way WP_REST_Server::serve_request does.
func (rt *Router) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	start := time.Now()
	parent := hr.Context()
	ctx, watch, cancel := rt.dbContext(parent)
	defer cancel()
	ctx, setPrefetch := wpcompat.WithPrefetchSlot(ctx)
	r := &Request{HTTP: hr.WithContext(ctx), Site: rt.Site, Method: hr.Method, ExtraHeader: http.Header{}, Values: map[string]any{},
		setPrefetch: setPrefetch}
	resp := rt.faultAnswer(r, rt.serve(r), parent, watch)
	if resp.delegated != "" && rt.Delegate != nil && !DryRun(parent) {
		if r.Body != nil { // the body was read for the handler: hand PHP the same bytes
			hr.Body = io.NopCloser(bytes.NewReader(r.Body))
			hr.ContentLength = int64(len(r.Body))
			hr.TransferEncoding = nil
		}
		if rt.Delegate(w, hr, r.Route, resp.delegated) {
			if rt.Observe != nil {
				rt.Observe(r, 0, time.Since(start))
			}
			return
		}
	}
	rt.write(w, r, resp)
	if rt.Observe != nil {
		rt.Observe(r, resp.Status, time.Since(start))
	}
}

func (rt *Router) serve(r *Request) (resp *Response) {
	hr := r.HTTP
	path, ok, perr := RESTPath(hr.URL, rt.basePath(hr))
	if perr != nil {
		return perr.Response()
	}
	if !ok {
		return NoRoute().Response()
	}
	r.Path = path
	r.Query = hr.URL.Query()
	if !strings.HasPrefix(path, "/") {
		return NoRoute().Response()
	}
	if r.Query.Has("_jsonp") {
		// JSONP is disabled (rest_jsonp_enabled false, a legitimate WordPress setting): answered before anything else.
		return NewResponse(http.StatusBadRequest, wpjson.NewObject().Set("code", "rest_callback_disabled").Set("message", "JSONP support is disabled on this site."))
	}
	if hr.Body != nil && hr.Body != http.NoBody {
		limit := rt.MaxBodyBytes
		if limit <= 0 {
			limit = 10 << 20
		}
		if hr.ContentLength > limit { // declared too large: refused without reading a byte
			return NewError("rest_request_too_large", "The request body is too large.", http.StatusRequestEntityTooLarge).Response()
		}
		body, err := io.ReadAll(io.LimitReader(hr.Body, limit+1))
		if err != nil {
			return NewError("rest_invalid_body", "The request body could not be read.", http.StatusBadRequest).Wrap(err).Response()
		}
		if int64(len(body)) > limit {
			return NewError("rest_request_too_large", "The request body is too large.", http.StatusRequestEntityTooLarge).Response()
		}
		r.Body = body
	}
	r.Method = overrideMethod(hr)

	// The route is matched before authentication so the authentication query can load the usermeta the handler
	// reads; a request without a route still gets its authentication errors first, as in WordPress.
	var (
		rte    *route
		hi     int
		params map[string]string
		found  bool
	)
	if r.Method != http.MethodOptions {
		rte, hi, params, found = rt.Match(r.Method, path)
		if found && hi >= 0 {
			r.userMeta = rte.handlers[hi].UserMeta
			if pf := rte.handlers[hi].Prefetch; pf != nil && r.setPrefetch != nil {
				r.URLParams = params
				r.setPrefetch(pf(r))
			}
		}
	}
	if rt.Auth != nil {
		if err := rt.Auth.Authenticate(r); err != nil {
			rt.logErr(r, err)
			return ErrorResponse(err)
		}
	}

	// OPTIONS: route description without running callbacks (rest_handle_options_request).
	if r.Method == http.MethodOptions {
		rte, _, params, found := rt.Match("", path)
		if !found {
			return OK([]any{})
		}
		r.Route, r.URLParams = rte.pattern, params
		desc := describe(rte)
		// get_data_for_route: a route without variables links to itself.
		if !strings.Contains(rte.pattern, "(?P<") && rt.Site != nil {
			if href, err := rt.Site.RESTURL(r.HTTP.Context(), rte.pattern); err == nil {
				desc.Set("_links", wpjson.NewObject().Set("self", []any{wpjson.NewObject().Set("href", href)}))
			}
		}
		resp = OK(desc)
		rt.allow(r, rte, resp)
		return resp
	}

	if !found || hi < 0 {
		return NoRoute().Response()
	}
	r.Route, r.URLParams = rte.pattern, params
	h := rte.handlers[hi]
	defer func() { rt.allow(r, rte, resp) }()

	// Validation before permission (spec §10.2 step 7): an unparsable JSON body is a 400 for anyone.
	if r.JSONError() != nil {
		return InvalidJSONError().Response()
	}
	if err := rt.permit(r, rte, hi); err != nil {
		rt.logErr(r, err)
		return ErrorResponse(err)
	}
	if r.verdict != nil {
		return r.verdict.run(h, r)
	}
	res, err := h.Callback(r)
	if rt.AfterWrite != nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
		// Whatever the callback wrote is out of the read cache before anyone sees this answer.
		rt.AfterWrite(r.Ctx())
	}
	if reason, ok := DelegateReason(err); ok {
		return delegatedResponse(reason)
	}
	if err != nil {
		rt.logErr(r, err)
		return ErrorResponse(err)
	}
	if res == nil {
		res = OK(nil)
	}
	if res.Header == nil {
		res.Header = http.Header{}
	}
	return res
}

// permit runs a handler's permission callback once per request.
func (rt *Router) permit(r *Request, rte *route, hi int) error {
	h := rte.handlers[hi]
	if h.Permission == nil {
		return nil
	}
	key := "perm:" + rte.pattern + ":" + strconv.Itoa(hi)
	if v, ok := r.Values[key]; ok {
		if v == nil {
			return nil
		}
		return v.(error)
	}
	err := h.Permission(r)
	if err == nil {
		r.Values[key] = nil
	} else {
		r.Values[key] = err
	}
	return err
}

// allow sets the Allow header: every method of the matched route whose permission passes for this user
// (rest_send_allow_header); none → no header.
func (rt *Router) allow(r *Request, rte *route, resp *Response) {
	if resp == nil {
		return
	}
	var order []string
	allowed := map[string]bool{}
	for i, ms := range rte.methods {
		ok := rt.permit(r, rte, i) == nil
		for _, m := range ms {
			if _, seen := allowed[m]; !seen {
				order = append(order, m)
			}
			allowed[m] = ok
		}
	}
	var list []string
	for _, m := range order {
		if allowed[m] {
			list = append(list, m)
		}
	}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	if len(list) > 0 {
		resp.Header.Set("Allow", strings.Join(list, ", "))
	}
}

// describe is the OPTIONS body for a route (get_data_for_route in the 'help' context, without schema). The
// route's methods are every handler's methods in order, repeats included (array_merge), as WordPress lists them
// when several registrations share a pattern.
func describe(rte *route) *wpjson.Object {
	var methods []any
	var endpoints []any
	for i, ms := range rte.methods {
		em := []any{}
		for _, m := range ms {
			em = append(em, m)
			methods = append(methods, m)
		}
		args := rte.handlers[i].Args
		var argv any = []any{}
		if args != nil {
			argv = args
		}
		endpoints = append(endpoints, wpjson.NewObject().Set("methods", em).Set("args", argv))
	}
	if methods == nil {
		methods = []any{}
	}
	return wpjson.NewObject().Set("namespace", rte.namespace).Set("methods", methods).Set("endpoints", endpoints)
}

func (rt *Router) logErr(r *Request, err error) {
	r.Values[failureKey] = err
	if wpcompat.IsDBFault(err) {
		return // classified and logged once by faultAnswer
	}
	var we *Error
	if errors.As(err, &we) && we.Cause == nil {
		return
	}
	if IsUnexpected(err) || (we != nil && we.Cause != nil) {
		rt.Log.Error("rest request failed", "method", r.Method, "route", r.Route, "path", r.Path, "err", err)
	}
}

var envelopeHeaderOrder = []string{"X-WP-Total", "X-WP-TotalPages", "Link", "Location"}

// write applies WordPress's post-dispatch conventions and writes the response.
func (rt *Router) write(w http.ResponseWriter, r *Request, resp *Response) {
	for _, hk := range rt.hooks {
		if strings.HasPrefix(strings.ToLower(r.Path), hk.prefix) {
			hk.fn(r, resp)
		}
	}
	hdr := w.Header()
	ctx := r.HTTP.Context()
	root := "/wp-json/"
	if rt.Site != nil {
		if u, err := rt.Site.RESTURL(ctx, ""); err == nil {
			root = u
		}
	}
	hdr.Set("Content-Type", "application/json; charset=UTF-8")
	hdr.Set("X-Robots-Tag", "noindex")
	hdr.Set("Link", "<"+root+">; rel=\"https://api.w.org/\"")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link")
	hdr.Set("Access-Control-Allow-Headers", "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type")
	for k, vs := range r.ExtraHeader {
		hdr[k] = vs
	}

	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	body := resp.Body
	query := r.QueryParams()

	// _fields applies to successful responses only (rest_filter_response_fields).
	if v, ok := query.Get("_fields"); ok && status < 400 {
		if filtered, err := filterFields(body, fieldList(v)); err == nil {
			body = filtered
		}
	}
	if _, ok := query.Get("_envelope"); ok {
		headers := wpjson.NewObject()
		for _, k := range envelopeHeaderOrder {
			if v := resp.Header.Get(k); v != "" {
				headers.Set(k, v)
			}
		}
		var rest []string
		for k := range resp.Header {
			if k != "Allow" && !contains(envelopeHeaderOrder, k) {
				rest = append(rest, k)
			}
		}
		sort.Strings(rest)
		for _, k := range rest {
			headers.Set(k, resp.Header.Get(k))
		}
		if v := resp.Header.Get("Allow"); v != "" {
			headers.Set("Allow", v)
		}
		body = wpjson.NewObject().Set("body", body).Set("status", status).Set("headers", headers)
		status = http.StatusOK
	} else {
		for k, vs := range resp.Header {
			hdr[k] = vs
		}
	}

	// No-cache when logged in, or when a method-override request ended in 4xx (the Authenticator adds them itself
	// after a failed nonce check).
	if r.User != nil || (r.Method != r.HTTP.Method && status >= 400 && status < 500) {
		hdr.Set("Expires", "Wed, 11 Jan 1984 05:00:00 GMT")
		hdr.Set("Cache-Control", "no-cache, must-revalidate, max-age=0, no-store, private")
		hdr.Del("Last-Modified")
	}
	if origin := r.HTTP.Header.Get("Origin"); origin != "" {
		hdr.Set("Access-Control-Allow-Origin", origin)
		hdr.Set("Access-Control-Allow-Methods", "OPTIONS, GET, POST, PUT, PATCH, DELETE")
		hdr.Set("Access-Control-Allow-Credentials", "true")
		hdr.Add("Vary", "Origin")
	} else if r.HTTP.Method == http.MethodGet && r.User == nil {
		hdr.Add("Vary", "Origin")
	}

	var out []byte
	var err error
	if _, pretty := query.Get("_pretty"); pretty {
		out, err = wpjson.MarshalJSONPretty(body)
	} else {
		out, err = wpjson.MarshalJSON(body)
	}
	if err != nil {
		rt.Log.Error("encode response", "route", r.Route, "err", err)
		status = http.StatusInternalServerError
		out, _ = wpjson.MarshalJSON(wpjson.NewObject().Set("code", "rest_encode_error").Set("message", err.Error()).Set("data", wpjson.NewObject().Set("status", 500)))
	}
	if r.HTTP.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	hdr.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fieldList reads _fields: a comma list or an array of names.
func fieldList(v any) []string {
	var raw []string
	switch t := v.(type) {
	case string:
		raw = strings.Split(t, ",")
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				raw = append(raw, strings.Split(s, ",")...)
			}
		}
	case *wpjson.Object:
		for _, k := range t.Keys() {
			x, _ := t.Get(k)
			if s, ok := x.(string); ok {
				raw = append(raw, strings.Split(s, ",")...)
			}
		}
	}
	var out []string
	for _, f := range raw {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// filterFields keeps only the named (dot-notation) fields of an object, or of each item of a list
// (rest_filter_response_fields). Order follows the data, not the request.
func filterFields(body any, fields []string) (any, error) {
	if len(fields) == 0 {
		return body, nil
	}
	b, err := wpjson.MarshalJSON(body)
	if err != nil {
		return nil, err
	}
	v, err := wpjson.DecodeOrdered(b)
	if err != nil {
		return nil, err
	}
	tree := map[string]any{}
	for _, f := range fields {
		node := tree
		parts := strings.Split(f, ".")
		for i, p := range parts {
			child, ok := node[p].(map[string]any)
			if i == len(parts)-1 {
				node[p] = true
				break
			}
			if v, done := node[p].(bool); done && v {
				break
			}
			if !ok {
				child = map[string]any{}
				node[p] = child
			}
			node = child
		}
	}
	switch t := v.(type) {
	case []any:
		for i, item := range t {
			if o, ok := item.(*wpjson.Object); ok {
				t[i] = pick(o, tree)
			}
		}
		return t, nil
	case *wpjson.Object:
		return pick(t, tree), nil
	}
	return v, nil
}

func pick(o *wpjson.Object, tree map[string]any) *wpjson.Object {
	out := wpjson.NewObject()
	for _, k := range o.Keys() {
		spec, ok := tree[k]
		if !ok {
			continue
		}
		v, _ := o.Get(k)
		if sub, isMap := spec.(map[string]any); isMap {
			if vo, isObj := v.(*wpjson.Object); isObj {
				out.Set(k, pick(vo, sub))
				continue
			}
		}
		out.Set(k, v)
	}
	return out
}
