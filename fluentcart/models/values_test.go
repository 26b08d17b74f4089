package models

import (
	"fmt"
	"testing"
)

// The fast paths of PHPDate (plainDateTime) and ISODate (no fmt) agree with the scanner and Sprintf they stand in for.
func TestDateFastPaths(t *testing.T) {
	for _, s := range []string{"2024-01-05 12:03:09", "0000-00-00 00:00:00", "2024-13-40 25:61:61", "9999-12-31 23:59:59",
		"2024-02-30 00:00:00", "2024-1-05 12:03:099", "2024-01-05 12:03:0x", "2024-01-05", "+024-01-05 12:03:09",
		"2024-01-05 12:03: 9", "-001-01-05 12:03:09", "2024-01-05T12:03:09", "abc"} {
		fast, fastOK := plainDateTime(s)
		slow, slowOK := scanDateTime(s)
		if fastOK && (!slowOK || !fast.Equal(slow)) {
			t.Errorf("plainDateTime(%q) = %v; the scanner gives %v, %v", s, fast, slow, slowOK)
		}
		tm, ok := PHPDate(s)
		var want any = s
		if ok {
			want = fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d+00:00", tm.Year(), int(tm.Month()), tm.Day(), tm.Hour(), tm.Minute(), tm.Second())
		}
		if got := ISODate(s); got != want {
			t.Errorf("ISODate(%q) = %v, want %v", s, got, want)
		}
	}
}

func BenchmarkISODate(b *testing.B) {
	for b.Loop() {
		ISODate("2024-01-05 12:03:09")
	}
}
