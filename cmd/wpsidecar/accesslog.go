package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
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
		b = append(b, ',', '"')
		b = appendSlogString(b, at.Key)
		b = append(b, '"', ':')
		switch v := at.Value; v.Kind() {
		case slog.KindString:
			b = append(b, '"')
			b = appendSlogString(b, v.String())
			b = append(b, '"')
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

// appendSlogString is slog's JSON string escaping (no HTML escaping; only \n \r \t get short escapes).
func appendSlogString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

var _ = json.Marshal // the float range above is json.Marshal's 'f' range (encoding/json floatEncoder)
