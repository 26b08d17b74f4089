package rest

import (
	"bytes"
	"io"
	"net/http"
)

// parseMultipart parses a buffered multipart body into req.MultipartForm (fields only, 32 MiB in memory).
func parseMultipart(req *http.Request, body []byte) error {
	req.Body = io.NopCloser(bytes.NewReader(body))
	return req.ParseMultipartForm(32 << 20)
}
