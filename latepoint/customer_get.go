package latepoint

import (
	"errors"
	"strconv"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// getCustomer is GET /customers/{id} (spec §6.8, seed 004): include=bookings,upcoming_bookings,past_bookings,
// stats,custom_fields,notes,avatar (unknown names ignored), bookings_limit (1–100, default 10, per list),
// bookings_status (confirmed = approved).
func (a *API) getCustomer(r *rest.Request) (*rest.Response, error) {
	if err := a.available(r); err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(r.URLParams["id"], 10, 64)
	if err != nil {
		return nil, errCustomerNotFound(0, true) // beyond int64: no such row
	}
	q := newQueryParams(r)
	inc := includes{}
	if v, ok := r.Param(paramInclude); ok {
		inc = parseIncludes(v)
	}
	bq := bookingQuery{Limit: q.positive(paramBookingsLimit, defaultBookingsLimit, maxBookingsLimit, msgMaxBookingLimit)}
	var extra []string
	if needsExtraStatuses(q.str(paramBookingsStatus)) {
		set, err := a.store.Settings(r.Ctx(), a.store.reader(r.Ctx()), "additional_booking_statuses")
		if err != nil {
			return nil, a.logged(r, storeError(err))
		}
		extra = additionalStatuses(set["additional_booking_statuses"])
	}
	bq.Statuses = q.bookingStatuses(extra)
	if err := q.err(); err != nil {
		return nil, err
	}
	clk, err := a.clock(r)
	if err != nil {
		return nil, err
	}
	c, meta, err := a.store.CustomerWithMeta(r.Ctx(), a.store.reader(r.Ctx()), id)
	if errors.Is(err, ErrNotFound) {
		return nil, errCustomerNotFound(id, true)
	}
	if err != nil {
		return nil, a.logged(r, storeError(err))
	}
	rows := []customerRow{*c}
	d, err := a.loadView(r.Ctx(), rows, inc, clk, true, bq, meta)
	if err != nil {
		return nil, a.logged(r, storeError(err))
	}
	return success(200, "", detailView(&rows[0], d)), nil
}
