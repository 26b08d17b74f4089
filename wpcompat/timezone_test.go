package wpcompat

import (
	"strconv"
	"testing"
	"time"
)

// gmt_offset (decimal hours) becomes a fixed zone when timezone_string is empty (OsTimeHelper::get_wp_timezone).
func TestOffsetLocation(t *testing.T) {
	for in, want := range map[string]string{"5.5": "+05:30 19800", "-3": "-03:00 -10800", "": "+00:00 0", "x": "+00:00 0", "12.75": "+12:45 45900", "-9.5": "-09:30 -34200"} {
		name, off := time.Date(2026, 1, 1, 0, 0, 0, 0, OffsetLocation(in)).Zone()
		if got := name + " " + strconv.Itoa(off); got != want {
			t.Errorf("OffsetLocation(%q) = %s, want %s", in, got, want)
		}
	}
}
