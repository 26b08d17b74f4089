package main

import (
	"io"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// accessLineWriter writes the access log's line per request in exactly the bytes slog.JSONHandler writes for the
// same record (TestAccessLineMatchesSlog), without the handler's generic machinery — which, with its json.Marshal
// of the duration, was several percent of a cached GET's CPU. It is used when the process log is JSON at level
// info or below; otherwise the middleware logs through slog.
type accessLineWriter struct {
	w    io.Writer // one Write per line (the lineBuffer)
	pool sync.Pool
}

func newAccessLineWriter(w io.Writer) *accessLineWriter {
	return &accessLineWriter{w: w, pool: sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}}
}

// log writes one "request" record at INFO; ok is false when an attribute has a kind it does not format (nothing
// was written: the caller then logs through slog).
func (a *accessLineWriter) log(t time.Time, attrs []slog.Attr) bool {
	bp := a.pool.Get().(*[]byte)
	defer a.pool.Put(bp)
	b, ok := appendAccessLine((*bp)[:0], t, attrs)
	if ok {
		_, _ = a.w.Write(b)
	}
	*bp = b[:0]
	return ok
}

func appendAccessLine(b []byte, t time.Time, attrs []slog.Attr) ([]byte, bool) {
	if y := t.Year(); y < 0 || y >= 10000 {
		return b, false // slog writes an error value there
	}
	b = append(b, `{"time":"`...)
	b = t.AppendFormat(b, time.RFC3339Nano) // slog's JSON time
	b = append(b, `","level":"INFO","msg":"request"`...)
	for _, at := range attrs {
		b = append(b, ',')
		b = wpjson.AppendStringSlog(b, at.Key)
		b = append(b, ':')
		switch v := at.Value; v.Kind() {
		case slog.KindString:
			b = wpjson.AppendStringSlog(b, v.String())
		case slog.KindInt64:
			b = strconv.AppendInt(b, v.Int64(), 10)
		case slog.KindFloat64:
			f := v.Float64()
			abs := math.Abs(f)
			if f != 0 && (abs < 1e-6 || abs >= 1e21) || math.IsNaN(f) || math.IsInf(f, 0) {
				return b, false // json.Marshal's exponent form and errors: left to slog
			}
			b = strconv.AppendFloat(b, f, 'f', -1, 64) // what json.Marshal writes in this range
		default:
			return b, false
		}
	}
	return append(b, '}', '\n'), true
}
