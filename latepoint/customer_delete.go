package latepoint

import (
	"errors"
	"strconv"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// deleteCustomer is DELETE /customers/{id} (spec §6.11): refused with 400 customer_has_bookings (+ booking_count)
// while any booking exists, cancelled ones included; otherwise LatePoint's cascade in one transaction.
func (a *API) deleteCustomer(r *wpcompat.Request) (*wpcompat.Response, error) {
	if err := a.available(r); err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(r.URLParams["id"], 10, 64)
	if err != nil {
		return nil, errCustomerNotFound(0, false)
	}
	clk, err := a.clock(r)
	if err != nil {
		return nil, err
	}
	err = a.store.DeleteCustomer(r.Ctx(), id)
	var hb *hasBookingsError
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, errCustomerNotFound(id, false)
	case errors.As(err, &hb):
		return nil, errHasBookings(hb.Count)
	case errors.Is(err, ErrUnavailable):
		return nil, a.logged(r, errNotAvailable(err))
	case err != nil:
		return nil, a.logged(r, errDeleteFailed(err))
	}
	data := wpcompat.NewObject().Set("deleted_customer_id", id).Set("deleted_at", clk.Stamp)
	return success(200, "Customer deleted successfully", data), nil
}
