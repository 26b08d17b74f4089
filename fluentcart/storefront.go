package fluentcart

// GET /customers/{x} with x not all digits reaches the storefront handler registered on the same pattern by
// app/Http/Routes/frontend_routes.php: FrontendControllers\CustomerController::getDetails (spec §1.1).

import (
	"context"
	"errors"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

func (a *api) storefrontDetails(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	cur, err := a.currentCustomer(ctx, r)
	if err != nil {
		return nil, err
	}
	x := r.URLParams["customerId"]
	if cur == nil || !looseEqualsInt(cur.id(), x) {
		return nil, messageError("You are not authorized to view this customer")
	}
	// FrontendResource\CustomerResource::find: with($with)->findOrFail($id) -> {"customer": …}.
	in := newInput(r)
	withV, _ := in.get("with")
	c, err := a.store.findCustomer(ctx, a.site.ReadDB, x)
	if errors.Is(err, ErrNotFound) {
		return nil, &rest.ResponseError{Resp: rest.NewResponse(404, wpjson.NewObject().
			Set("message", "No query results for model [FluentCart\\App\\Models\\Customer] "+x))}
	}
	if err != nil {
		return nil, err
	}
	rels, err := a.loadRelations(ctx, []*attrs{c}, withNames(withV))
	if err != nil {
		return nil, err
	}
	vc, err := a.viewFor(ctx, r, []*attrs{c})
	if err != nil {
		return nil, err
	}
	return rest.OK(wpjson.NewObject().Set("customer", model(vc.customer(c, nil, rels[0])))), nil
}

// currentCustomer is api/Resource/CustomerResource::getCurrentCustomer(false): the customer whose user_id is the
// caller's id or whose e-mail is the caller's e-mail (first row); a match found by e-mail gets its user_id
// rewritten to the caller's id, as PHP does.
func (a *api) currentCustomer(ctx context.Context, r *rest.Request) (*attrs, error) {
	if r.User == nil || r.User.ID < 1 {
		return nil, nil
	}
	c, err := a.store.customerOfUser(ctx, a.site.DB, r.User.ID)
	if err != nil || c == nil {
		return nil, err
	}
	uv, _ := c.get("user_id")
	if s, _ := scalarString(uv); !looseEqualsInt(r.User.ID, s) || uv == nil {
		if err := a.store.updateByID(ctx, a.site.DB, a.store.customers, c.id(), []string{"user_id", "updated_at"}, []any{r.User.ID, a.now()}); err != nil {
			return nil, err
		}
		c.set("user_id", r.User.ID)
	}
	return c, nil
}
