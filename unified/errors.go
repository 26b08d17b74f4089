package unified

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Error codes of the unified API (README "Unified customer API"; modelled on the Count partner API's envelope).
const (
	codeValidationFailed  = "validation_failed"
	codeContactsReadOnly  = "contacts_read_only"
	codeInvalidJSON       = "invalid_json"
	codeInvalidBody       = "invalid_body"
	codeMissingSignature  = "missing_signature"
	codeInvalidTimestamp  = "invalid_timestamp"
	codeInvalidSignature  = "invalid_signature_format"
	codeUnknownClient     = "unknown_client"
	codeClientRevoked     = "client_revoked"
	codeTimestampExpired  = "timestamp_expired"
	codeBodyHashMismatch  = "body_hash_mismatch"
	codeSignatureMismatch = "signature_mismatch"
	codeSignatureReplayed = "signature_replayed"
	codeUserCredential    = "user_credential_refused"
	codeForbidden         = "forbidden"
	codePrivilegedUser    = "privileged_user"
	codeCustomerNotFound  = "customer_not_found"
	codeEmailTaken        = "email_taken"
	codeRateLimited       = "rate_limit_exceeded"
	codeSigningOff        = "signing_unavailable"
	codeBusy              = "customer_busy"
	codeServerError       = "server_error"
)

// Sentinels of the store; handlers turn them into envelopes.
var (
	errNotFound  = errors.New("unified: not found")
	errDuplicate = errors.New("unified: e-mail taken by another customer")
	errLockWait  = errors.New("unified: timed out waiting for the e-mail lock")
)

// fieldError is one entry of "errors".
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// errorBody is the error envelope: {"status":"error","message","code","details","errors"}.
type errorBody struct {
	Status  string         `json:"status"`
	Message string         `json:"message"`
	Code    string         `json:"code"`
	Details *wpjson.Object `json:"details"`
	Errors  []fieldError   `json:"errors"`
}

// successBody is the success envelope: {"status":"success","message","data"}.
type successBody struct {
	Status  string `json:"status"`
	Message string `json:"message"`
	Data    any    `json:"data"`
}

// apiError is an answer in the error envelope; it implements rest.HTTPError. cause is for the log only.
type apiError struct {
	status  int
	code    string
	message string
	details *wpjson.Object
	errors  []fieldError
	header  http.Header
	cause   error
}

func newAPIError(status int, code, message string) *apiError {
	return &apiError{status: status, code: code, message: message}
}

// detail adds a key to "details" and returns e.
func (e *apiError) detail(key string, v any) *apiError {
	if e.details == nil {
		e.details = wpjson.NewObject()
	}
	e.details.Set(key, v)
	return e
}

func (e *apiError) Error() string {
	if e.cause != nil {
		return e.code + ": " + e.message + ": " + e.cause.Error()
	}
	return e.code + ": " + e.message
}

func (e *apiError) Unwrap() error { return e.cause }

// Response renders the envelope; details is always an object and errors always a list.
func (e *apiError) Response() *rest.Response {
	details := e.details
	if details == nil {
		details = wpjson.NewObject()
	}
	list := e.errors
	if list == nil {
		list = []fieldError{}
	}
	resp := rest.NewResponse(e.status, errorBody{Status: "error", Message: e.message, Code: e.code, Details: details, Errors: list})
	for k, vs := range e.header {
		resp.Header[k] = vs
	}
	return resp
}

func success(status int, message string, data any) *rest.Response {
	return rest.NewResponse(status, successBody{Status: "success", Message: message, Data: data})
}

func validationError(errs []fieldError) *apiError {
	e := newAPIError(http.StatusBadRequest, codeValidationFailed, "Validation failed: "+strconv.Itoa(len(errs))+" invalid field(s).")
	e.errors = errs
	return e
}

func notFound(uuid string) *apiError {
	return newAPIError(http.StatusNotFound, codeCustomerNotFound, "No customer has this uuid.").detail("uuid", uuid)
}

func emailTaken(email string) *apiError {
	e := newAPIError(http.StatusConflict, codeEmailTaken, "The e-mail address is already used by another customer.").detail("email", email)
	e.errors = []fieldError{{Field: "email", Message: "email is already used by another customer"}}
	return e
}

func unauthorized(code, message string) *apiError {
	return newAPIError(http.StatusUnauthorized, code, message)
}

// internal is a 500 in this API's envelope; the cause is logged by the router, never sent.
func internal(cause error) *apiError {
	e := newAPIError(http.StatusInternalServerError, codeServerError, "The request could not be completed.")
	e.cause = cause
	return e
}

// convertWPError is the serve hook that keeps every answer under this API in its own envelope: WordPress errors
// produced before a handler runs (rest_no_route, rest_invalid_json, a refused Authorization credential, the 500
// envelope) are rewritten as {"status":"error",…} with the same HTTP status; data's keys other than "status" go to
// "details".
func convertWPError(_ *rest.Request, resp *rest.Response) {
	obj, ok := resp.Body.(*wpjson.Object)
	if !ok {
		return
	}
	code, hasCode := obj.Get("code")
	msg, hasMsg := obj.Get("message")
	if _, hasStatus := obj.Get("status"); hasStatus || !hasCode || !hasMsg {
		return
	}
	c, _ := code.(string)
	m, _ := msg.(string)
	if c == "rest_invalid_json" {
		c = codeInvalidJSON
	}
	details := wpjson.NewObject()
	if data, ok := obj.Get("data"); ok {
		if d, isObj := data.(*wpjson.Object); isObj {
			for _, k := range d.Keys() {
				if k != "status" {
					v, _ := d.Get(k)
					details.Set(k, v)
				}
			}
		}
	}
	resp.Body = errorBody{Status: "error", Message: m, Code: c, Details: details, Errors: []fieldError{}}
}
