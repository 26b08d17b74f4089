package latepoint

import (
	"strings"
	"testing"
)

// The conversions follow the site's zone: with timezone_string empty and gmt_offset 5.5, a site-local
// created_at of 15:26:20 is 09:56:20Z; an unknown timezone_string falls back to gmt_offset too. Booking start
// instants recomputed from local columns follow the zone as well.
func TestTimesFollowSiteZone(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	for _, tz := range []string{"", "Not/AZone"} {
		f.db.Exec(t, "UPDATE {prefix}options SET option_value = ? WHERE option_name = 'timezone_string'", tz)
		f.db.Exec(t, "UPDATE {prefix}options SET option_value = '5.5' WHERE option_name = 'gmt_offset'")
		rec := f.do("GET", apiBase+"/customers/21?include=bookings", f.hdr("reader"), "")
		body := rec.Body.String()
		// created_at 2026-05-16 10:54:20 local; booking 114 starts 2026-12-31 00:00 local with NULL UTC columns.
		for _, want := range []string{`"created_at":"2026-05-16T05:24:20Z"`, `"start_datetime_utc":"2026-12-30T18:30:00Z"`} {
			if !strings.Contains(body, want) {
				t.Errorf("timezone_string %q: %s missing in %s", tz, want, body)
			}
		}
	}
}
