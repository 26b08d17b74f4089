package latepoint

import (
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// listCustomers is GET /customers (spec §6.7): filters, sorting, pagination (per_page over 100 is an error, not
// clamped), include=bookings,stats,custom_fields,notes,avatar with one grouped query per block for the page.
func (a *API) listCustomers(r *rest.Request) (*rest.Response, error) {
	if err := a.available(r); err != nil {
		return nil, err
	}
	q := newQueryParams(r)
	f := listFilter{
		Page:          q.positive(paramPage, 1, 0, ""),
		PerPage:       q.positive(paramPerPage, defaultPerPage, maxPerPage, msgMaxPerPage),
		Search:        q.str(paramSearch),
		CreatedAfter:  q.date(paramCreatedAfter),
		CreatedBefore: q.date(paramCreatedBefore),
		HasBookings:   q.boolean(paramHasBookings),
		FirstName:     q.str("first_name"),
		LastName:      q.str("last_name"),
		Email:         q.str("email"),
		Phone:         q.str("phone"),
		IsGuest:       q.boolean(paramIsGuest),
		OrderBy:       "created_at",
		Desc:          true,
	}
	switch st := strings.ToLower(q.str(paramStatus)); st {
	case "":
	case "active", "inactive", "blocked", "pending_verification":
		f.Status = st
	case "pending":
		f.Status = "pending_verification"
	default:
		q.bad(paramStatus, msgInvalidStatus)
	}
	if s := q.str(paramWPUserID); s != "" {
		if n, ok := parseID(s); ok {
			f.WordPressUserID = &n
		} else {
			q.bad(paramWPUserID, msgInvalidInt)
		}
	}
	for name, dst := range map[string]*string{paramCreatedAt: &f.CreatedAtPrefix, paramUpdatedAt: &f.UpdatedAtPrefix} {
		if s := q.str(name); s != "" {
			if partialDateRE.MatchString(s) {
				*dst = s
			} else {
				q.bad(name, msgInvalidDate)
			}
		}
	}
	if s := strings.ToLower(q.str(paramOrderBy)); s != "" {
		if orderColumns[s] {
			f.OrderBy = s
		} else {
			q.bad(paramOrderBy, msgInvalidSort)
		}
	}
	switch strings.ToLower(q.str(paramOrder)) {
	case "", "desc":
	case "asc":
		f.Desc = false
	default:
		q.bad(paramOrder, msgInvalidDir)
	}
	inc := includes{}
	if v, ok := r.Param(paramInclude); ok {
		inc = parseIncludes(v)
	}
	bq := bookingQuery{Limit: defaultBookingsLimit}
	if inc["bookings"] {
		bq.Limit = q.positive(paramBookingsLimit, defaultBookingsLimit, maxBookingsLimit, msgMaxBookingLimit)
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	clk, err := a.clock(r)
	if err != nil {
		return nil, err
	}
	rows, total, err := a.store.ListCustomers(r.Ctx(), f)
	if err != nil {
		return nil, a.logged(r, storeError(err))
	}
	d, err := a.loadView(r.Ctx(), rows, inc, clk, false, bq, nil)
	if err != nil {
		return nil, a.logged(r, storeError(err))
	}
	items := make([]any, 0, len(rows))
	for i := range rows {
		items = append(items, listItemView(&rows[i], d))
	}
	pages := (total + f.PerPage - 1) / f.PerPage
	body := &successBody{Status: "success", Success: true, Data: items,
		Pagination: &pagination{Page: f.Page, PerPage: f.PerPage, Total: total, TotalPages: pages,
			HasNextPage: f.Page < pages, HasPrevPage: f.Page > 1},
		Meta: &listMeta{Total: total, Page: f.Page, PerPage: f.PerPage, TotalPages: pages},
	}
	return rest.NewResponse(200, body), nil
}
