package latepoint

import (
	"errors"
	"net/http"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// createCustomer is POST /customers (spec §6.9, seed 001): every failing field in one 422 validation_failed;
// an e-mail another customer has → 409 email_exists (serialised per e-mail across instances); 201 with the
// customer as GET shows it, plus customer_code (null: LatePoint has none) and welcome_email_sent (false: no
// LatePoint notifications run for API-created customers). No WordPress user is ever created.
func (a *API) createCustomer(r *rest.Request) (*rest.Response, error) {
	in, v, clk, err := a.parseCreate(r)
	if err != nil {
		return nil, err
	}
	id, err := a.store.CreateCustomer(r.Ctx(), in, v, clk)
	if err != nil {
		return nil, a.createError(r, err)
	}
	ctx := wpcompat.WithPrimary(r.Ctx()) // read our own write even when reads go to a replica
	c, meta, err := a.store.CustomerWithMeta(ctx, a.site.DB, id)
	if err != nil {
		return nil, a.logged(r, storeError(err))
	}
	rows := []customerRow{*c}
	d, err := a.loadView(ctx, rows, includes{"custom_fields": true, "notes": true}, clk, true, bookingQuery{}, meta)
	if err != nil {
		return nil, a.logged(r, storeError(err))
	}
	o := detailView(&rows[0], d)
	o.Set("customer_code", nil).Set("welcome_email_sent", false)
	return success(http.StatusCreated, "Customer created successfully", o), nil
}

// parseCreate is everything before the database: availability, clock, the body's validation (422).
func (a *API) parseCreate(r *rest.Request) (*customerInput, *validator, localClock, error) {
	if err := a.available(r); err != nil {
		return nil, nil, localClock{}, err
	}
	clk, err := a.clock(r)
	if err != nil {
		return nil, nil, localClock{}, err
	}
	in, v := validateCustomer(bodyParams(r), false, clk.todayDate(), a.rules())
	if len(v.errs) > 0 {
		return nil, nil, localClock{}, errValidationFailed(v.details())
	}
	return in, v, clk, nil
}

func (a *API) createError(r *rest.Request, err error) error {
	var fe *fieldErrors
	if errors.As(err, &fe) {
		if fe.DuplicateEmail {
			return errEmailExists()
		}
		return errValidationFailed(fe.v.details())
	}
	return a.logged(r, storeError(err))
}

// validateCreate is createCustomer's verdict without the write (rest.Handler.Validate, shadow mode).
func (a *API) validateCreate(r *rest.Request) error {
	in, v, _, err := a.parseCreate(r)
	if err != nil {
		return err
	}
	if err := a.store.DryRunCreate(r.Ctx(), in, v); err != nil {
		return a.createError(r, err)
	}
	return nil
}

// bodyParams are the request's parameters in WordPress's precedence (JSON body > form body > query), without
// the URL's {id}.
func bodyParams(r *rest.Request) map[string]any {
	out := map[string]any{}
	for k, v := range r.Params() {
		if _, fromURL := r.URLParams[k]; fromURL {
			continue
		}
		out[k] = v
	}
	return out
}

func (a *API) rules() validationRules {
	return validationRules{MinAge: a.opts.MinAge, RequireEmail: a.opts.RequireEmail}
}
