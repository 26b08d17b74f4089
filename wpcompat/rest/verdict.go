package rest

import (
	"context"
	"net/http"
)

// RouteInfo is one registered endpoint: the methods of one Handler and its route's full pattern, as a
// configuration file names it ("GET /fluent-cart/v2/customers/(?P<customerId>[0-9]+)").
type RouteInfo struct {
	Methods   []string
	Pattern   string
	Validates bool // the handler has a Validate hook (shadow mode can judge its writes)
}

// Patterns lists every registered endpoint in registration order.
func (rt *Router) Patterns() []RouteInfo {
	var out []RouteInfo
	for _, r := range rt.routes {
		for i, ms := range r.methods {
			out = append(out, RouteInfo{Methods: append([]string(nil), ms...), Pattern: r.pattern, Validates: r.handlers[i].Validate != nil})
		}
	}
	return out
}

// MatchPattern is the route pattern WordPress would dispatch method+path (a REST route path such as
// "/fluent-cart/v2/customers/12") to; ok is false when no handler takes it.
func (rt *Router) MatchPattern(method, path string) (pattern string, ok bool) {
	r, h, _, found := rt.Match(method, path)
	if !found || h < 0 {
		return "", false
	}
	return r.pattern, true
}

// RouteOf is Owns with the answer: the effective method (after _method / X-HTTP-Method-Override) and the
// pattern of the handler an HTTP request would be dispatched to.
func (rt *Router) RouteOf(req *http.Request) (method, pattern string, ok bool) {
	path, isREST, perr := RESTPath(req.URL, rt.basePath(req))
	if !isREST || perr != nil {
		return "", "", false
	}
	method = overrideMethod(req)
	if method == http.MethodOptions {
		r, _, _, found := rt.Match("", path)
		if !found {
			return "", "", false
		}
		return method, r.pattern, true
	}
	if pattern, ok = rt.MatchPattern(method, path); !ok {
		return "", "", false
	}
	return method, pattern, true
}

// Verdict is what the sidecar would answer to a request without executing it: refused (Response holds the
// error answer, whose status and code can be compared with PHP's) or accepted. Authentication, an unparsable
// JSON body and the permission check are always judged; past them only a handler with a Validate hook can
// judge, otherwise Verifiable is false.
type Verdict struct {
	Verifiable bool
	Accepted   bool
	Response   *Response // the refusal (nil when accepted or unverifiable)
	Pattern    string    // matched route pattern ("" when none)
	Delegated  string    // the handler would hand the request to PHP, for this reason (Verifiable is false)

	reached bool // the handler's Validate step was reached
}

// run replaces the callback while judging: Validate's error or acceptance, nothing executed.
func (v *Verdict) run(h Handler, r *Request) *Response {
	v.reached = true
	v.Pattern = r.Route
	if h.Validate == nil {
		return nil
	}
	err := h.Validate(r)
	if reason, ok := DelegateReason(err); ok {
		v.Delegated = reason
		return delegatedResponse(reason)
	}
	v.Verifiable = true
	if err != nil {
		return ErrorResponse(err)
	}
	v.Accepted = true
	return nil
}

// Verdict judges hr the way ServeHTTP would answer it, stopping before the handler's callback: nothing is
// written, no response is sent. The request's context should be marked WithDryRun so the authenticator and
// rate limits record nothing either.
func (rt *Router) Verdict(hr *http.Request) Verdict {
	r := &Request{HTTP: hr, Site: rt.Site, Method: hr.Method, ExtraHeader: http.Header{}, Values: map[string]any{}, verdict: &Verdict{}}
	resp := rt.serve(r)
	v := *r.verdict
	if v.reached {
		if v.Verifiable && !v.Accepted {
			v.Response = resp
		}
		return v
	}
	// Refused before the handler: authentication, route, JSON body or permission.
	v.Verifiable = true
	v.Pattern = r.Route
	if resp != nil && resp.Status != 0 && resp.Status < 400 {
		v.Accepted = true // OPTIONS and other answers that never reach a callback
		return v
	}
	v.Response = resp
	return v
}

type dryRunKey struct{}

// WithDryRun marks ctx as a re-execution of a request PHP is answering (shadow mode): code that records side
// effects of a request — rate-limit hits, Application Password last-used, audit rows — must skip them.
func WithDryRun(ctx context.Context) context.Context {
	return context.WithValue(ctx, dryRunKey{}, true)
}

// DryRun reports whether ctx was marked WithDryRun.
func DryRun(ctx context.Context) bool { v, _ := ctx.Value(dryRunKey{}).(bool); return v }
