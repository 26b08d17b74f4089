package latepoint

import (
	"errors"
	"strconv"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// deleteCustomer is DELETE /customers/{id} (spec §6.11): refused with 400 customer_has_bookings (+ booking_count)
// while any booking exists, cancelled ones included; otherwise LatePoint's cascade in one transaction.
func (a *API) deleteCustomer(r *rest.Request) (*rest.Response, error) {
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
	if err := a.store.DeleteCustomer(r.Ctx(), id); err != nil {
		return nil, a.deleteError(r, id, err)
	}
	data := wpjson.NewObject().Set("deleted_customer_id", id).Set("deleted_at", clk.Stamp)
	return success(200, "Customer deleted successfully", data), nil
}

func (a *API) deleteError(r *rest.Request, id int64, err error) error {
	var hb *hasBookingsError
	switch {
	case errors.Is(err, ErrNotFound):
		return errCustomerNotFound(id, false)
	case errors.As(err, &hb):
		return errHasBookings(hb.Count)
	case errors.Is(err, ErrUnavailable):
		return a.logged(r, errNotAvailable(err))
	}
	return a.logged(r, errDeleteFailed(err))
}

// validateDelete is deleteCustomer's verdict without the delete (shadow mode).
func (a *API) validateDelete(r *rest.Request) error {
	if err := a.available(r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.URLParams["id"], 10, 64)
	if err != nil {
		return errCustomerNotFound(0, false)
	}
	if err := a.store.DryRunDelete(r.Ctx(), id); err != nil {
		return a.deleteError(r, id, err)
	}
	return nil
}
