package rest

import (
	"errors"
	"net/http"
)

// DelegateError is returned by a handler (callback or Validate hook) that cannot answer a request exactly as the
// PHP plugin would. The REST server then hands the request to PHP — behind nginx through the delegate location
// (X-Accel-Redirect), in front-proxy mode through the upstream — with its method and body intact, instead of
// sending an answer of its own. A handler must decide this before it writes anything; a read may find out only
// after querying, and then discards what it read.
type DelegateError struct {
	Reason string // short, stable, metric-label safe: "order_items_relation", "linked_user_email_change", …
}

func (e *DelegateError) Error() string { return "handed to PHP: " + e.Reason }

// Delegate is the error a handler returns to hand its request to PHP.
func Delegate(reason string) error { return &DelegateError{Reason: reason} }

// DelegateReason reports whether err asks for a hand-off to PHP, and why.
func DelegateReason(err error) (string, bool) {
	var d *DelegateError
	if errors.As(err, &d) {
		return d.Reason, true
	}
	return "", false
}

// DelegatedHeader marks the answer of a request the sidecar wanted to hand to PHP but had no PHP to hand it to
// (a standalone sidecar, or a shadow-mode re-execution): its 501 body says why, and shadow mode counts it as
// delegated rather than as a sidecar error.
const DelegatedHeader = "X-Wpsidecar-Delegated"

// NotImplemented is the answer of a standalone sidecar (no nginx delegate location, no --upstream) to a request
// it would have handed to PHP.
func NotImplemented(reason string) *Error {
	return NewError("wpsidecar_not_implemented",
		"The sidecar cannot answer this request exactly as WordPress would ("+reason+"); send it to WordPress.",
		http.StatusNotImplemented)
}

// delegatedResponse is the 501 answer that stands for a hand-off until the server finds a PHP to hand it to.
func delegatedResponse(reason string) *Response {
	resp := NotImplemented(reason).Response()
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	resp.Header.Set(DelegatedHeader, reason)
	resp.delegated = reason
	return resp
}
