package latepoint

import (
	"fmt"
	"strings"
	"time"
)

const (
	dbLayout  = "2006-01-02 15:04:05"
	isoLayout = "2006-01-02T15:04:05Z"
	dayLayout = "2006-01-02"
)

// localClock is "now" in the site zone as LatePoint's own future/past rules see it (§2.3): a date and the minutes
// since local midnight.
type localClock struct {
	Now     time.Time // UTC instant
	Loc     *time.Location
	Today   string // YYYY-MM-DD, site-local
	Minutes int    // minutes after local midnight
	Stamp   string // "YYYY-MM-DD HH:MM:SS" site-local: what LatePoint writes into created_at/updated_at
}

func newLocalClock(now time.Time, loc *time.Location) localClock {
	l := now.In(loc)
	return localClock{Now: now.UTC(), Loc: loc, Today: l.Format(dayLayout), Minutes: l.Hour()*60 + l.Minute(), Stamp: l.Format(dbLayout)}
}

// todayDate is the site-local date as a UTC midnight (for date arithmetic such as ages).
func (c localClock) todayDate() time.Time {
	d, _ := time.Parse(dayLayout, c.Today)
	return d
}

// localToISO converts a site-local DATETIME string to ISO 8601 UTC ("2023-06-15T10:30:00Z", §6.12.2); zero or
// unparsable values give nil.
func localToISO(v string, loc *time.Location) any {
	if v == "" || strings.HasPrefix(v, "0000-00-00") {
		return nil
	}
	t, err := time.ParseInLocation(dbLayout, v, loc)
	if err != nil {
		return nil
	}
	return t.UTC().Format(isoLayout)
}

// bookingInstant is a booking's start as UTC: start_datetime_utc when stored, else recomputed from the local date
// and minutes (LatePoint leaves the UTC columns NULL for midnight starts and pre-5.0 bookings, §2.3).
func bookingInstant(date string, minutes int64, utc string, loc *time.Location) (time.Time, bool) {
	if utc != "" && !strings.HasPrefix(utc, "0000-00-00") {
		if t, err := time.ParseInLocation(dbLayout, utc, time.UTC); err == nil {
			return t, true
		}
	}
	d, err := time.ParseInLocation(dayLayout, date, loc)
	if err != nil {
		return time.Time{}, false
	}
	// Midnight + minutes as wall clock (AddDate/Add across DST is what LatePoint's DateTime math does too).
	return time.Date(d.Year(), d.Month(), d.Day(), int(minutes/60), int(minutes%60), 0, 0, loc).UTC(), true
}

// minutesToHHMM renders the minute columns as 24-hour time; 1440 (a booking ending at midnight) is "24:00".
func minutesToHHMM(v int64) string {
	if v < 0 {
		v = 0
	}
	return fmt.Sprintf("%02d:%02d", v/60, v%60)
}
