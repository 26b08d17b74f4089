package latepoint

import (
	"errors"
	"strconv"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// updateCustomer is PUT/PATCH /customers/{id} (spec §6.10, seed 000): partial — omitted fields stay; every
// validation failure, a duplicate e-mail included, is 400 customer_update_failed with details per field; custom
// fields merge (null or "" removes a key); the linked WordPress user (not an administrator) receives the new
// names/e-mail in the same transaction (§4.3).
func (a *API) updateCustomer(r *rest.Request) (*rest.Response, error) {
	id, in, v, clk, err := a.parseUpdate(r)
	if err != nil {
		return nil, err
	}
	if err := a.store.UpdateCustomer(r.Ctx(), id, in, v, clk); err != nil {
		return nil, a.updateError(r, id, err)
	}
	c, err := a.store.Customer(wpcompat.WithPrimary(r.Ctx()), a.site.DB, id, false)
	if err != nil {
		return nil, a.logged(r, storeError(err))
	}
	// The update page's documented data: id, names, e-mail, phone, status, updated_at in database format.
	data := customerHead(c).Set("updated_at", dbTime(c.UpdatedAt))
	return success(200, "Customer updated successfully", data), nil
}

// parseUpdate is everything before the database. Validation errors are not answered here: the store first checks
// that the customer exists (404 wins), then reports them with its own checks in one 400.
func (a *API) parseUpdate(r *rest.Request) (int64, *customerInput, *validator, localClock, error) {
	if err := a.available(r); err != nil {
		return 0, nil, nil, localClock{}, err
	}
	id, err := strconv.ParseInt(r.URLParams["id"], 10, 64)
	if err != nil {
		return 0, nil, nil, localClock{}, errCustomerNotFound(0, false)
	}
	clk, err := a.clock(r)
	if err != nil {
		return 0, nil, nil, localClock{}, err
	}
	in, v := validateCustomer(bodyParams(r), true, clk.todayDate(), a.rules())
	if len(in.Present) == 0 {
		v.add("fields", msgNoFields)
	}
	return id, in, v, clk, nil
}

func (a *API) updateError(r *rest.Request, id int64, err error) error {
	var fe *fieldErrors
	switch {
	case errors.Is(err, ErrNotFound):
		return errCustomerNotFound(id, false)
	case errors.As(err, &fe):
		return errUpdateFailed(fe.v.details())
	}
	return a.logged(r, storeError(err))
}

// validateUpdate is updateCustomer's verdict without the write (shadow mode).
func (a *API) validateUpdate(r *rest.Request) error {
	id, in, v, _, err := a.parseUpdate(r)
	if err != nil {
		return err
	}
	if err := a.store.DryRunUpdate(r.Ctx(), id, in, v); err != nil {
		return a.updateError(r, id, err)
	}
	return nil
}
