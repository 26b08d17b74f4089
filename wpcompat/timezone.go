package wpcompat

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the site's IANA zone must resolve even where the host has no zoneinfo
)

// Location is the site's time zone as wp_timezone() builds it (wp-includes/functions.php, wp_timezone_string):
// the timezone_string option when it names a zone, else gmt_offset (decimal hours) as a fixed offset "+05:30".
// Plugins that write local wall-clock times (LatePoint) use the same zone.
func (s *Site) Location(ctx context.Context) (*time.Location, error) {
	tz, _, err := s.CachedOption(ctx, "timezone_string")
	if err != nil {
		return nil, fmt.Errorf("read timezone_string: %w", err)
	}
	if tz = strings.TrimSpace(tz); tz != "" {
		if loc := zoneLocations.Get(tz, loadZone); loc != nil {
			return loc, nil
		}
	}
	off, _, err := s.CachedOption(ctx, "gmt_offset")
	if err != nil {
		return nil, fmt.Errorf("read gmt_offset: %w", err)
	}
	return offsetLocations.Get(off, OffsetLocation), nil
}

// Locations are immutable: each zone name and offset is resolved once per process (time.LoadLocation reads the
// zoneinfo file from disk every time — it was 8 % of a LatePoint GET's CPU).
var zoneLocations, offsetLocations DecodeMemo[*time.Location]

// loadZone is time.LoadLocation, nil when the name is no zone.
func loadZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// OffsetLocation turns gmt_offset (decimal hours such as "-3", "5.5"; "" or garbage = 0) into a fixed zone named
// like "+05:30".
func OffsetLocation(v string) *time.Location {
	h, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(h) || math.IsInf(h, 0) {
		h = 0
	}
	secs := int(math.Round(h * 3600))
	sign, abs := '+', secs
	if secs < 0 {
		sign, abs = '-', -secs
	}
	return time.FixedZone(fmt.Sprintf("%c%02d:%02d", sign, abs/3600, abs%3600/60), secs)
}
