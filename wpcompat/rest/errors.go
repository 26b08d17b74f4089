package rest

import (
	"errors"
	"net/http"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Error is a WordPress WP_Error as the REST server renders it (rest_convert_error_to_response):
// {"code":…,"message":…,"data":{"status":…, extra…}}. Cause is internal and never shown to the client.
type Error struct {
	Code    string
	Message string
	Status  int            // 0: no status in data; the HTTP status is then 500 and data is null unless Data is set
	Data    *wpjson.Object // extra data keys, written after "status"
	Cause   error
}

// NewError makes a WordPress error with a status.
func NewError(code, message string, status int) *Error {
	return &Error{Code: code, Message: message, Status: status}
}

// With adds a data key (after status) and returns e.
func (e *Error) With(key string, v any) *Error {
	if e.Data == nil {
		e.Data = wpjson.NewObject()
	}
	e.Data.Set(key, v)
	return e
}

// Wrap records an internal cause (logged, never sent).
func (e *Error) Wrap(cause error) *Error { e.Cause = cause; return e }

func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Code + ": " + e.Message + ": " + e.Cause.Error()
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Cause }

// Response renders the envelope. HTTP status is Status, or 500 when there is none (WordPress's default).
func (e *Error) Response() *Response {
	body := wpjson.NewObject().Set("code", e.Code).Set("message", e.Message)
	status := e.Status
	if status == 0 {
		status = http.StatusInternalServerError
		if e.Data == nil {
			body.Set("data", nil)
		} else {
			body.Set("data", e.Data)
		}
	} else {
		data := wpjson.NewObject().Set("status", e.Status)
		if e.Data != nil {
			for _, k := range e.Data.Keys() {
				v, _ := e.Data.Get(k)
				data.Set(k, v)
			}
		}
		body.Set("data", data)
	}
	return NewResponse(status, body)
}

// HTTPError is an error that knows its own HTTP answer (plugin envelopes that are not WordPress's).
type HTTPError interface {
	error
	Response() *Response
}

// ResponseError wraps a ready response as an error, for plugin handlers whose error bodies are not WP_Error.
type ResponseError struct{ Resp *Response }

func (e *ResponseError) Error() string       { return http.StatusText(e.Resp.Status) }
func (e *ResponseError) Response() *Response { return e.Resp }

// ErrorResponse turns any error into the response a client sees: HTTPError bodies as they are, anything else a
// WordPress 500 envelope (the cause is for the log only).
func ErrorResponse(err error) *Response {
	if reason, ok := DelegateReason(err); ok {
		return delegatedResponse(reason)
	}
	var he HTTPError
	if errors.As(err, &he) {
		return he.Response()
	}
	return InternalError(err).Response()
}

// InternalError is the 500 envelope for an unexpected failure; the cause goes to the log.
func InternalError(cause error) *Error {
	return &Error{Code: "internal_server_error", Message: "There has been a critical error on this website.", Status: 500, Cause: cause}
}

// Messages and codes of WordPress core, rest-api.php and class-wp-rest-server.php (spec §10.3).
const (
	msgNoRoute     = "No route was found matching the URL and request method."
	msgForbidden   = "Sorry, you are not allowed to do that."
	msgInvalidJSON = "Invalid JSON body passed."
)

// NoRoute is rest_no_route (404).
func NoRoute() *Error { return NewError("rest_no_route", msgNoRoute, http.StatusNotFound) }

// Forbidden is rest_forbidden with rest_authorization_required_code(): 401 anonymous, 403 logged in.
func Forbidden(r *Request) *Error {
	status := http.StatusUnauthorized
	if r != nil && r.User != nil {
		status = http.StatusForbidden
	}
	return NewError("rest_forbidden", msgForbidden, status)
}

// IsUnexpected reports whether err would be rendered as an unplanned 500 (not a known envelope).
func IsUnexpected(err error) bool {
	var he HTTPError
	return !errors.As(err, &he)
}
