package fluentcart

// PUT /customers/{customerId} — CustomerController::update -> CustomerResource::update (spec §5.4):
//
//	validate (CustomerRequest; the duplicate check excludes the input's `id`, not the path) -> find by path id
//	(missing: resource error 400) -> resolve names -> linked user: e-mail kept, WordPress user updated
//	(failure: resource error 423) -> assign every sanitize() key that is fillable (absent ones as null, written
//	'' — unless Options.KeepOmittedFields) -> write changed columns + updated_at -> re-read ->
//	{"message":"Customer updated successfully!","data": <row>}.

import (
	"errors"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// updateColumns are the sanitize() keys that are fillable on Customer, in attribute (table) order.
var updateColumns = []string{"user_id", "email", "first_name", "last_name", "status", "aov", "notes", "country",
	"city", "state", "postcode"}

func (a *api) updateCustomer(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	in := newInput(r)
	sent := map[string]bool{}
	for _, k := range updateColumns {
		sent[k] = in.has(k)
	}
	fullMode, err := a.fullNameMode(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.validateCustomer(ctx, a.site.DB, in, fullMode); err != nil {
		return nil, err
	}
	data := getSafe(in, customerSanitizeKeys, customerSanitizers)
	tx, err := a.site.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := a.store.findCustomer(ctx, tx, r.URLParams["customerId"])
	if errors.Is(err, ErrNotFound) {
		return nil, resourceError(400, "Customer not found, please reload the page and try again!")
	}
	if err != nil {
		return nil, err
	}
	resolveCustomerName(data, fullMode)
	if fullMode {
		sent["first_name"], sent["last_name"] = true, true
	}
	uv, _ := c.get("user_id")
	if linked := intval(uv); linked != 0 { // $customer->user_id != 0
		data["email"], _ = c.get("email")
		s := func(k string) string { v, _ := scalarString(data[k]); return v }
		err := a.updateLinkedUser(ctx, tx, r.User, linked, linkedUserUpdate{
			firstName: s("first_name"), lastName: s("last_name"), email: s("email"), userURL: s("user_url")})
		if errors.Is(err, errUserUpdateFailed) {
			return nil, resourceError(423, "Failed to update user.")
		}
		if err != nil {
			return nil, err
		}
	}
	var cols []string
	var args []any
	for _, k := range updateColumns {
		if a.opts.KeepOmittedFields && !sent[k] {
			continue
		}
		if changed(data[k], c, k) {
			cols = append(cols, k)
			args = append(args, sqlValue(data[k]))
		}
	}
	if len(cols) > 0 {
		if err := a.store.updateByID(ctx, tx, a.store.customers, c.id(), append(cols, "updated_at"), append(args, a.now())); err != nil {
			return nil, err
		}
	}
	fresh, err := a.store.findCustomer(ctx, tx, itoa(c.id()))
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	vc, err := a.viewFor(ctx, r, []*attrs{fresh})
	if err != nil {
		return nil, err
	}
	return rest.OK(wpjson.NewObject().Set("message", "Customer updated successfully!").
		Set("data", model(vc.customer(fresh, nil, nil)))), nil
}

// changed is HasAttributes::originalIsEquivalent negated for a value assigned over a column read from MySQL:
// null vs NULL is unchanged, null vs anything is a change, otherwise the PHP string forms are compared.
func changed(v any, row *attrs, col string) bool {
	orig, _ := row.get(col)
	if v == nil || orig == nil {
		return (v == nil) != (orig == nil)
	}
	s, _ := scalarString(v)
	o, _ := orig.(string)
	return s != o
}
