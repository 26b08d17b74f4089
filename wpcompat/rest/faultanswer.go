package rest

import (
	"context"
	"errors"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"net/http"
	"strconv"
	"strings"
)

// The sidecar's own codes for answers about the database rather than the request (README "Faults").
const (
	CodeDBTimeout      = "wpsidecar_db_timeout"      // 503: the database did not answer within --db-timeout
	CodeDBUnavailable  = "wpsidecar_db_unavailable"  // 503: the database could not be reached
	CodeOutcomeUnknown = "wpsidecar_outcome_unknown" // 500: a change was sent and its result never came back
	CodeClientClosed   = "wpsidecar_client_closed"   // 499: the client hung up (never received)
)

// StatusClientClosed is nginx's 499: the client closed the connection before the answer.
const StatusClientClosed = 499

// RetryAfterSeconds is the Retry-After of a 503 fault answer.
const RetryAfterSeconds = 5

// Answer classes (AnswerClass), the label of wpsidecar_http_answers_total: "5xx from the sidecar" is
// server_error alone.
const (
	ClassOK             = "ok"              // 1xx–3xx
	ClassClientError    = "client_error"    // 4xx about the request
	ClassPlanned        = "planned_error"   // a 5xx copying the plugin's own failure (Response.Planned)
	ClassServerError    = "server_error"    // the sidecar failed
	ClassDBTimeout      = "db_timeout"      // 503 past --db-timeout
	ClassDBUnavailable  = "db_unavailable"  // 503 database unreachable
	ClassOutcomeUnknown = "outcome_unknown" // 500 wpsidecar_outcome_unknown
	ClassClientClosed   = "client_closed"   // 499
	ClassDelegated      = "delegated"       // handed to PHP (Delegate); standalone, the 501 wpsidecar_not_implemented
)

// Fault is a fault answer before it is put in a route's envelope.
type Fault struct {
	Class   string // one of the Class… constants
	Status  int
	Code    string
	Message string
}

// Messages of the fault answers.
const (
	MsgDBTimeout      = "The database did not answer in time; the request was not carried out. Try again later."
	MsgDBUnavailable  = "The database is unavailable; the request was not carried out. Try again later."
	MsgOutcomeUnknown = "The change may or may not have been applied; read it back before retrying."
	MsgClientClosed   = "The client closed the connection before the answer."
)

type faultEnvelope struct {
	prefix string
	fn     func(r *Request, f Fault) *Response
}

// FaultEnvelope makes fault answers under a REST path prefix in a plugin's own envelope (e.g. LatePoint's, with its
// own code for "not available"). Without one they are WordPress errors ({"code","message","data":{"status"}}),
// which serve hooks may still rewrite.
func (rt *Router) FaultEnvelope(prefix string, fn func(r *Request, f Fault) *Response) {
	rt.faultEnv = append(rt.faultEnv, faultEnvelope{prefix: strings.ToLower(prefix), fn: fn})
}

const (
	failureKey = "wpcompat:failure"
	classKey   = "wpcompat:class"
)

// AnswerClass is the class of the answer the router gave r ("" before it answered).
func AnswerClass(r *Request) string { c, _ := r.Values[classKey].(string); return c }

// ClassOf classifies an answer by its status alone (for answers that did not go through the router).
func ClassOf(status int) string {
	switch {
	case status == StatusClientClosed:
		return ClassClientClosed
	case status >= 500:
		return ClassServerError
	case status >= 400:
		return ClassClientError
	}
	return ClassOK
}

// dbContext is the request's context bounded by DBTimeout and carrying a DBWatch.
func (rt *Router) dbContext(parent context.Context) (context.Context, *wpcompat.DBWatch, context.CancelFunc) {
	ctx, cancel := parent, context.CancelFunc(func() {})
	if rt.DBTimeout > 0 {
		ctx, cancel = context.WithTimeout(parent, rt.DBTimeout)
	}
	ctx, w := wpcompat.WatchDB(ctx)
	return ctx, w, cancel
}

func isWriteMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// faultAnswer is the one place where a failed answer is classified: when the database did not answer (deadline,
// lost or refused connection) the handler's own error answer is replaced by 503 with Retry-After (nothing was
// committed), 500 wpsidecar_outcome_unknown (a change was sent and never answered), or 499 when the client hung up.
// Successful answers and ordinary errors pass unchanged.
func (rt *Router) faultAnswer(r *Request, resp *Response, parent context.Context, w *wpcompat.DBWatch) *Response {
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	ctx := r.HTTP.Context()
	failure, _ := r.Values[failureKey].(error)
	fault := w.Fault()
	if fault == nil && wpcompat.IsDBFault(failure) {
		fault = failure
	}
	if fault == nil && ctx.Err() != nil && status >= 500 {
		fault = ctx.Err()
	}
	if status < 400 || fault == nil {
		class := ClassOf(status)
		if class == ClassServerError && resp.Planned {
			class = ClassPlanned
		}
		if resp.delegated != "" {
			class = ClassDelegated // PHP answers it: neither the sidecar's success nor its failure
		}
		r.Values[classKey] = class
		return resp
	}
	if r.Route == "" && r.Path != "" { // met before dispatch (authentication): count it under the route it asked for
		if rte, _, params, found := rt.Match(r.Method, r.Path); rte != nil && found {
			r.Route, r.URLParams = rte.pattern, params
		}
	}
	var f Fault
	switch {
	case parent.Err() != nil:
		f = Fault{Class: ClassClientClosed, Status: StatusClientClosed, Code: CodeClientClosed, Message: MsgClientClosed}
	case (w.OutcomeUnknown() || w.Changed()) && isWriteMethod(r.Method):
		// A change sent without an answer, or committed before a later step failed: not "not done".
		f = Fault{Class: ClassOutcomeUnknown, Status: http.StatusInternalServerError, Code: CodeOutcomeUnknown, Message: MsgOutcomeUnknown}
	case errors.Is(fault, context.DeadlineExceeded) || ctx.Err() != nil:
		f = Fault{Class: ClassDBTimeout, Status: http.StatusServiceUnavailable, Code: CodeDBTimeout, Message: MsgDBTimeout}
	default:
		f = Fault{Class: ClassDBUnavailable, Status: http.StatusServiceUnavailable, Code: CodeDBUnavailable, Message: MsgDBUnavailable}
	}
	r.Values[classKey] = f.Class
	if f.Class == ClassClientClosed {
		rt.Log.Info("client closed the connection", "method", r.Method, "route", r.Route, "path", r.Path, "err", fault)
	} else {
		rt.Log.Warn("database fault", "class", f.Class, "method", r.Method, "route", r.Route, "path", r.Path,
			"handler_status", status, "err", fault)
	}
	var out *Response
	lp := strings.ToLower(r.Path)
	for _, fe := range rt.faultEnv {
		if strings.HasPrefix(lp, fe.prefix) {
			out = fe.fn(r, f)
			break
		}
	}
	if out == nil {
		out = NewError(f.Code, f.Message, f.Status).Response()
	}
	if out.Header == nil {
		out.Header = http.Header{}
	}
	if f.Status == http.StatusServiceUnavailable {
		out.Header.Set("Retry-After", strconv.Itoa(RetryAfterSeconds))
	} else {
		out.Header.Del("Retry-After")
	}
	return out
}
