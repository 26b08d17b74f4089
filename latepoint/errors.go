package latepoint

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Error codes of the LatePoint API Extension (latepoint-customers.md §6.3). Codes the documentation leaves open
// (403, 409, 429) follow the spec's [REC] names.
const (
	codeInvalidParameters     = "invalid_parameters"
	codeValidationFailed      = "validation_failed"
	codeEmailExists           = "email_exists"
	codeCustomerNotFound      = "customer_not_found"
	codeCustomerUpdateFailed  = "customer_update_failed"
	codeCustomerHasBookings   = "customer_has_bookings"
	codeCustomerDeleteFailed  = "customer_delete_failed"
	codeUnauthorized          = "unauthorized"
	codeInsufficientPerms     = "insufficient_permissions"
	codeIPNotAllowed          = "ip_not_allowed"
	codeRateLimitExceeded     = "rate_limit_exceeded"
	codeLatePointNotAvailable = "latepoint_not_available"
	codeServerError           = "server_error"
)

// Sentinels the store returns; handlers map them to envelopes in one place (apiErrorFor).
var (
	ErrNotFound    = errors.New("latepoint: not found")
	ErrDuplicate   = errors.New("latepoint: duplicate e-mail")
	ErrUnavailable = errors.New("latepoint: LatePoint tables or database unavailable")
)

// apiError is one error answer in the superset envelope (spec §6.2 [REC]), readable by clients written against
// any of the documented shapes:
//
//	{"status":"error","success":false,"code":C,"message":M,"error":{"code":C,"message":M,"details":D},
//	 "data":{"status":HTTP,…extra}}
//
// Cause is internal: logged, never rendered.
type apiError struct {
	Status  int
	Code    string
	Message string
	Details *wpjson.Object // field → message; rendered as {} when empty
	Extra   *wpjson.Object // keys after data.status (e.g. booking_count)
	Header  http.Header    // e.g. Retry-After
	Cause   error
}

func (e *apiError) Error() string {
	if e.Cause != nil {
		return e.Code + ": " + e.Message + ": " + e.Cause.Error()
	}
	return e.Code + ": " + e.Message
}

func (e *apiError) Unwrap() error { return e.Cause }

// errorBody is the rendered envelope; a struct keeps the key order fixed and lets the audit hook read the code.
type errorBody struct {
	Status  string         `json:"status"`
	Success bool           `json:"success"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Error   errorInner     `json:"error"`
	Data    *wpjson.Object `json:"data"`
}

type errorInner struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details *wpjson.Object `json:"details"`
}

// Response renders the envelope (rest.HTTPError).
func (e *apiError) Response() *rest.Response {
	details := e.Details
	if details == nil {
		details = wpjson.NewObject()
	}
	data := wpjson.NewObject().Set("status", e.Status)
	for _, k := range e.Extra.Keys() {
		v, _ := e.Extra.Get(k)
		data.Set(k, v)
	}
	resp := rest.NewResponse(e.Status, &errorBody{
		Status: "error", Code: e.Code, Message: e.Message,
		Error: errorInner{Code: e.Code, Message: e.Message, Details: details},
		Data:  data,
	})
	for k, vs := range e.Header {
		resp.Header[k] = vs
	}
	return resp
}

func newAPIError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

func errUnauthorized() *apiError {
	return newAPIError(http.StatusUnauthorized, codeUnauthorized, "Invalid or missing API key")
}

func errInsufficientPermissions(perm string) *apiError {
	e := newAPIError(http.StatusForbidden, codeInsufficientPerms, "Your API key does not have permission to perform this action")
	e.Details = wpjson.NewObject().Set("required_permission", perm)
	return e
}

func errIPNotAllowed() *apiError {
	return newAPIError(http.StatusForbidden, codeIPNotAllowed, "Requests from this IP address are not allowed for this API key")
}

func errRateLimited(retryAfter int64, window string, limit int64) *apiError {
	e := newAPIError(http.StatusTooManyRequests, codeRateLimitExceeded, "Rate limit exceeded. Please try again later.")
	e.Details = wpjson.NewObject().Set("window", window).Set("limit", limit).Set("retry_after", retryAfter)
	e.Header = http.Header{"Retry-After": []string{strconv.FormatInt(retryAfter, 10)}}
	return e
}

func errNotAvailable(cause error) *apiError {
	e := newAPIError(http.StatusServiceUnavailable, codeLatePointNotAvailable, "LatePoint is not available")
	e.Cause = cause
	return e
}

func errServer(cause error) *apiError {
	e := newAPIError(http.StatusInternalServerError, codeServerError, "An unexpected error occurred")
	e.Cause = cause
	return e
}

func errInvalidParameters(details *wpjson.Object) *apiError {
	e := newAPIError(http.StatusBadRequest, codeInvalidParameters, "Invalid query parameters")
	e.Details = details
	return e
}

func errValidationFailed(details *wpjson.Object) *apiError {
	e := newAPIError(http.StatusUnprocessableEntity, codeValidationFailed, "The provided data is not valid")
	e.Details = details
	return e
}

func errEmailExists() *apiError {
	e := newAPIError(http.StatusConflict, codeEmailExists, "A customer with this email already exists")
	e.Details = wpjson.NewObject().Set("email", msgEmailTaken)
	return e
}

// errCustomerNotFound: the get page words it with the id, the update and delete pages without (§6.3).
func errCustomerNotFound(id int64, withID bool) *apiError {
	msg := "Customer not found"
	if withID {
		msg = "Customer with ID " + strconv.FormatInt(id, 10) + " was not found"
	}
	return newAPIError(http.StatusNotFound, codeCustomerNotFound, msg)
}

func errUpdateFailed(details *wpjson.Object) *apiError {
	e := newAPIError(http.StatusBadRequest, codeCustomerUpdateFailed, "Error updating customer")
	e.Details = details
	return e
}

func errHasBookings(n int64) *apiError {
	e := newAPIError(http.StatusBadRequest, codeCustomerHasBookings, "Cannot delete customer with existing bookings")
	e.Details = wpjson.NewObject().Set("booking_count", n)
	e.Extra = wpjson.NewObject().Set("booking_count", n)
	return e
}

func errDeleteFailed(cause error) *apiError {
	e := newAPIError(http.StatusInternalServerError, codeCustomerDeleteFailed, "Error deleting customer")
	e.Cause = cause
	return e
}

// faultEnvelope renders the router's database-fault answers in this API's envelope: a stall or an unreachable
// database is the extension's own 503 latepoint_not_available; an unknown outcome and a closed client keep the
// sidecar's codes.
func faultEnvelope(_ *rest.Request, f rest.Fault) *rest.Response {
	if f.Status == http.StatusServiceUnavailable {
		return errNotAvailable(nil).Response()
	}
	return newAPIError(f.Status, f.Code, f.Message).Response()
}

// storeError maps a store error to its envelope: unavailable → 503, anything unplanned → 500 (cause logged by the
// caller through logCause). Envelopes pass through.
func storeError(err error) error {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	if errors.Is(err, ErrUnavailable) {
		return errNotAvailable(err)
	}
	return errServer(err)
}
