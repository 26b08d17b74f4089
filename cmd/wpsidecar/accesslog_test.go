package main

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"
)

// The hand-written access line is byte for byte what slog.JSONHandler writes for the same record.
func FuzzAccessLineMatchesSlog(f *testing.F) {
	for _, s := range []string{"/wp-json/fluent-cart/v2/customers/1", "a\"b\\c\x00\x1f\b\f\n\r\t", "\u2028\u2029é😀", "\xff bad", "<&>'"} {
		f.Add(s, int64(200), 1.234, int64(1700000000123456789))
	}
	f.Add("", int64(-1), 0.0, int64(0))
	f.Add("x", int64(499), 123456.789, int64(1))
	f.Add("x", int64(0), 1e-9, int64(5))
	f.Fuzz(func(t *testing.T, s string, n int64, d float64, ns int64) {
		when := time.Unix(0, ns).UTC()
		attrs := []slog.Attr{slog.String("request_id", s), slog.String(s, "v"), slog.Int64("bytes", n),
			slog.Int("status", int(n)), slog.Float64("duration_ms", d)}
		got, ok := appendAccessLine(nil, when, attrs)
		var want bytes.Buffer
		rec := slog.NewRecord(when, slog.LevelInfo, "request", 0)
		rec.AddAttrs(attrs...)
		if err := slog.NewJSONHandler(&want, nil).Handle(context.Background(), rec); err != nil {
			if ok {
				t.Fatalf("slog failed (%v) where the fast line did not", err)
			}
			return
		}
		if ok && !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("fast line:\n%s\nslog:\n%s", got, want.Bytes())
		}
	})
}
