package latepoint

import (
	"errors"
	"strconv"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// updateCustomer is PUT/PATCH /customers/{id} (spec §6.10, seed 000): partial — omitted fields stay; every
// validation failure, a duplicate e-mail included, is 400 customer_update_failed with details per field; custom
// fields merge (null or "" removes a key); the linked WordPress user (not an administrator) receives the new
// names/e-mail in the same transaction (§4.3).
func (a *API) updateCustomer(r *wpcompat.Request) (*wpcompat.Response, error) {
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
	in, v := validateCustomer(bodyParams(r), true, clk.todayDate(), a.rules())
	if len(in.Present) == 0 {
		v.add("fields", msgNoFields)
	}
	err = a.store.UpdateCustomer(r.Ctx(), id, in, v, clk)
	var fe *fieldErrors
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, errCustomerNotFound(id, false)
	case errors.As(err, &fe):
		return nil, errUpdateFailed(fe.v.details())
	case err != nil:
		return nil, a.logged(r, storeError(err))
	}
	c, err := a.store.Customer(wpcompat.WithPrimary(r.Ctx()), a.site.DB, id, false)
	if err != nil {
		return nil, a.logged(r, storeError(err))
	}
	// The update page's documented data: id, names, e-mail, phone, status, updated_at in database format.
	data := wpcompat.NewObject().
		Set("id", c.ID).
		Set("first_name", nullStr(c.FirstName)).
		Set("last_name", nullStr(c.LastName)).
		Set("email", c.Email).
		Set("phone", nullStr(c.Phone)).
		Set("status", c.Status).
		Set("updated_at", dbTime(c.UpdatedAt))
	return success(200, "Customer updated successfully", data), nil
}
