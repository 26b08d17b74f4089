package shadow

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// teeWriter passes PHP's answer to the client unchanged and unbuffered (Flush and Unwrap keep streaming working)
// while keeping the status, the headers and the first max bytes of the body for the comparison.
type teeWriter struct {
	http.ResponseWriter
	max       int
	status    int
	header    http.Header
	body      bytes.Buffer
	written   int64
	truncated bool
}

func (t *teeWriter) WriteHeader(code int) {
	if t.status == 0 && code >= 200 { // 1xx (103 Early Hints) are not the answer
		t.status = code
		t.header = t.ResponseWriter.Header().Clone()
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *teeWriter) Write(b []byte) (int, error) {
	if t.status == 0 {
		t.WriteHeader(http.StatusOK)
	}
	if room := t.max - t.body.Len(); room > 0 {
		t.body.Write(b[:min(len(b), room)])
	}
	if t.written+int64(len(b)) > int64(t.max) {
		t.truncated = true
	}
	n, err := t.ResponseWriter.Write(b)
	t.written += int64(n)
	return n, err
}

func (t *teeWriter) Flush() {
	if f, ok := t.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (t *teeWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// complete reports whether the whole body announced by Content-Length went out.
func (t *teeWriter) complete(head bool) bool {
	if t.header == nil {
		return false
	}
	if cl := t.header.Get("Content-Length"); cl != "" {
		n, err := strconv.ParseInt(cl, 10, 64)
		return err == nil && (n == t.written || head && t.written == 0)
	}
	return true
}

func (t *teeWriter) answer() Answer {
	h := t.header
	if h == nil {
		h = http.Header{}
	}
	return Answer{Status: t.status, Header: h, Body: t.body.Bytes()}
}

// recorder captures the sidecar's own answer in the worker (at most max body bytes).
type recorder struct {
	header    http.Header
	status    int
	body      bytes.Buffer
	max       int
	truncated bool
}

func newRecorder(max int) *recorder { return &recorder{header: http.Header{}, max: max} }

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	room := r.max - r.body.Len()
	if len(b) > room {
		r.truncated = true
		b = b[:max(room, 0)]
	}
	r.body.Write(b)
	return len(b), nil
}

func (r *recorder) answer() Answer {
	s := r.status
	if s == 0 {
		s = http.StatusOK
	}
	return Answer{Status: s, Header: r.header, Body: r.body.Bytes()}
}

var errEncoding = errors.New("unsupported Content-Encoding")
var errTooLarge = errors.New("body larger than log.max_body")

// decodeBody undoes a Content-Encoding the comparison can read (gzip), bounded by max.
func decodeBody(h http.Header, body []byte, max int) ([]byte, error) {
	switch enc := strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding"))); enc {
	case "", "identity":
		return body, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		out, err := io.ReadAll(io.LimitReader(zr, int64(max)+1))
		if err != nil {
			return nil, err
		}
		if len(out) > max {
			return nil, errTooLarge
		}
		return out, nil
	default:
		return nil, errEncoding
	}
}
