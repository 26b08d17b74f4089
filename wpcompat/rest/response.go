package rest

import "net/http"

// Response is what a REST handler returns: status, headers and a body encoded the way wp_json_encode does.
type Response struct {
	Status int
	Header http.Header
	Body   any
	// Planned marks a 5xx that copies the plugin's own failure answer for the same request (FluentCart's
	// plugin_exception): counted apart from the sidecar's real failures (AnswerClass).
	Planned bool

	delegated string // set when a handler asked for the request to be handed to PHP (see Delegate)
}

// NewResponse makes a response with a body.
func NewResponse(status int, body any) *Response {
	return &Response{Status: status, Header: http.Header{}, Body: body}
}

// OK is a 200 response.
func OK(body any) *Response { return NewResponse(http.StatusOK, body) }

// SetHeader sets a header and returns r.
func (r *Response) SetHeader(name, value string) *Response {
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Header.Set(name, value)
	return r
}

// SetTotals sets WordPress's collection headers X-WP-Total and X-WP-TotalPages.
func (r *Response) SetTotals(total, pages int64) *Response {
	r.SetHeader("X-WP-Total", itoa(total))
	return r.SetHeader("X-WP-TotalPages", itoa(pages))
}
