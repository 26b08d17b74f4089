package latepoint

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Query parameter names (spec §6.7, §6.8).
const (
	paramPage           = "page"
	paramPerPage        = "per_page"
	paramSearch         = "search"
	paramStatus         = "status"
	paramCreatedAfter   = "created_after"
	paramCreatedBefore  = "created_before"
	paramHasBookings    = "has_bookings"
	paramIsGuest        = "is_guest"
	paramWPUserID       = "wordpress_user_id"
	paramCreatedAt      = "created_at"
	paramUpdatedAt      = "updated_at"
	paramOrderBy        = "order_by"
	paramOrder          = "order"
	paramInclude        = "include"
	paramBookingsLimit  = "bookings_limit"
	paramBookingsStatus = "bookings_status"

	defaultPerPage       = 20
	maxPerPage           = 100
	defaultBookingsLimit = 10
	maxBookingsLimit     = 100
)

// Messages of invalid_parameters details; the two documented ones are verbatim from the list page (§6.2).
const (
	msgMaxPerPage      = "Maximum allowed value is 100"
	msgInvalidSort     = "Invalid sorting field"
	msgPositiveInt     = "Must be a positive integer"
	msgMinValue1       = "Minimum allowed value is 1"
	msgInvalidDir      = "Invalid sort direction"
	msgInvalidStatus   = "Invalid status value"
	msgInvalidDate     = "Invalid date format. Use YYYY-MM-DD"
	msgInvalidBool     = "Must be a boolean"
	msgInvalidInt      = "Must be an integer"
	msgInvalidBStatus  = "Invalid booking status"
	msgMaxBookingLimit = "Maximum allowed value is 100"
)

var (
	partialDateRE = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2}( \d{2}(:\d{2}(:\d{2})?)?)?)?)?$`)
	// orderColumns is the order_by allow-list (documented id, created_at; [REC] the rest).
	orderColumns = map[string]bool{"id": true, "created_at": true, "updated_at": true, "first_name": true, "last_name": true, "email": true}
)

// queryParams reads parameters the way get_param does and collects invalid ones in order.
type queryParams struct {
	r       *rest.Request
	details *wpjson.Object
}

func newQueryParams(r *rest.Request) *queryParams {
	return &queryParams{r: r, details: wpjson.NewObject()}
}

func (q *queryParams) bad(name, msg string) {
	if _, ok := q.details.Get(name); !ok {
		q.details.Set(name, msg)
	}
}

func (q *queryParams) err() error {
	if q.details.Len() == 0 {
		return nil
	}
	return errInvalidParameters(q.details)
}

// str returns a scalar parameter trimmed; "" when absent, empty or an array.
func (q *queryParams) str(name string) string {
	v, ok := q.r.Param(name)
	if !ok {
		return ""
	}
	s, _ := rest.PHPString(v)
	return strings.TrimSpace(s)
}

// positive reads an integer ≥ 1 with a default and an optional maximum.
func (q *queryParams) positive(name string, def, max int64, maxMsg string) int64 {
	s := q.str(name)
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil:
		q.bad(name, msgPositiveInt)
		return def
	case n < 1:
		q.bad(name, msgMinValue1)
		return def
	case max > 0 && n > max:
		q.bad(name, maxMsg)
		return def
	}
	return n
}

func (q *queryParams) boolean(name string) *bool {
	s := q.str(name)
	if s == "" {
		return nil
	}
	b, ok := parseBool(s)
	if !ok {
		q.bad(name, msgInvalidBool)
		return nil
	}
	return &b
}

func (q *queryParams) date(name string) string {
	s := q.str(name)
	if s == "" {
		return ""
	}
	if _, err := time.Parse(dayLayout, s); err != nil || !dateRE.MatchString(s) {
		q.bad(name, msgInvalidDate)
		return ""
	}
	return s
}

// bookingStatuses parses bookings_status: LatePoint's built-in codes (§2.12.7), the documented alias confirmed →
// approved, payment_pending, and the site's additional statuses; a comma list is accepted.
func (q *queryParams) bookingStatuses(extra []string) []string {
	s := q.str(paramBookingsStatus)
	if s == "" {
		return nil
	}
	known := map[string]bool{"approved": true, "pending": true, "cancelled": true, "no_show": true, "completed": true, "payment_pending": true}
	for _, e := range extra {
		known[e] = true
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "confirmed" {
			p = "approved"
		}
		if p == "" {
			continue
		}
		if !known[p] {
			q.bad(paramBookingsStatus, msgInvalidBStatus)
			return nil
		}
		out = append(out, p)
	}
	return out
}

// additionalStatuses turns the additional_booking_statuses setting (comma-separated labels) into codes: lower
// case, spaces to underscores (OsBookingHelper::get_statuses_list).
func additionalStatuses(setting string) []string {
	var out []string
	for _, l := range strings.Split(setting, ",") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, strings.ReplaceAll(strings.ToLower(l), " ", "_"))
		}
	}
	return out
}

var builtinBookingStatuses = map[string]bool{"approved": true, "pending": true, "cancelled": true, "no_show": true,
	"completed": true, "payment_pending": true, "confirmed": true}

// needsExtraStatuses reports whether bookings_status names something beyond the built-in codes (then the
// site's additional statuses must be read).
func needsExtraStatuses(s string) bool {
	for _, p := range strings.Split(s, ",") {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" && !builtinBookingStatuses[p] {
			return true
		}
	}
	return false
}
