package fluentcart

// The address routes of CustomerController (spec §5.11; api/Resource/CustomerAddressResource.php):
//
//	GET    /customers/{id}/address               getAddress       {"addresses":[…]}
//	POST   /customers/{id}/address               createAddress    in-memory model
//	PUT    /customers/{id}/address               updateAddress    re-read row (address chosen by body id)
//	DELETE /customers/{id}/address               removeAddress    body address.id
//	POST   /customers/{id}/address/make-primary  setAddressPrimary
//
// Deviation (DEVIATIONS.md): update and delete only touch an address of the path's customer; PHP picks any
// address by the body's id.

import (
	"context"
	"database/sql"
	"errors"
	"net/http"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// addressNotOwned answers an update/delete whose address belongs to another customer.
// ownedAddress loads the address the body names (id) inside tx, as PHP does, but only when it belongs to the path's
// customer (DEVIATIONS.md: PHP takes any customer's address); missing is PHP's resource-error message.
func (a *api) ownedAddress(ctx context.Context, tx *sql.Tx, r *rest.Request, idv any, missing string) (*attrs, error) {
	idStr, _ := scalarString(idv)
	addr, err := a.store.findAddress(ctx, tx, idStr)
	if errors.Is(err, ErrNotFound) {
		return nil, resourceError(404, missing)
	}
	if err != nil {
		return nil, err
	}
	if !ownedBy(addr, r.URLParams["customerId"]) {
		return nil, addressNotOwned()
	}
	return addr, nil
}

func addressNotOwned() error {
	return rest.NewError("wpsidecar_address_not_found", "Address not found for this customer.", http.StatusNotFound)
}

func (a *api) listAddresses(r *rest.Request) (*rest.Response, error) {
	in := newInput(r)
	// $request->type is falsy for "", "0" and absent (Request::__get), and CanSearch skips a null value: no
	// type filter then.
	var typ *string
	if tv, ok := in.get("type"); ok && !phpEmpty(tv) {
		if l, isList := list(tv); isList { // an array value: the flattened bindings put its first item there
			tv = l[0]
		}
		s, _ := scalarString(tv)
		typ = &s
	}
	rows, err := a.store.addressesOf(r.Ctx(), r.URLParams["customerId"], typ)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, row := range rows {
		out = append(out, address(row))
	}
	return rest.OK(wpjson.NewObject().Set("addresses", out)), nil
}

func addressMessage(typ any, verb string) string {
	if typ == "billing" {
		return "Billing address " + verb + " successfully!"
	}
	return "Shipping address " + verb + " successfully!"
}

func (a *api) createAddress(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	in := newInput(r)
	if err := a.addressValidationSideEffect(ctx, r, in); err != nil {
		return nil, err
	}
	if err := validateAddress(in); err != nil {
		return nil, err
	}
	data := getSafe(in, addressSanitizeKeys, addressSanitizers)
	ov, _ := in.get("order_id")
	orderID := intval(ov)
	customerID := r.URLParams["customerId"]
	tx, err := a.site.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	typ := data["type"]
	primaries, err := a.store.countPrimaryAddresses(ctx, tx, customerID, typ)
	if err != nil {
		return nil, err
	}
	if primaries == 0 {
		data["is_primary"] = "1"
	}
	// CustomerAddresses::create($data): fillable keys in $data order; company_name's mutator stores meta.
	m := &attrs{}
	for _, k := range addressSanitizeKeys {
		if k == "company_name" {
			if c := data[k]; !phpEmpty(c) {
				m.set("meta", `{"other_data":{"company_name":`+jsonString(c)+`}}`)
			}
			continue
		}
		m.set(k, data[k])
	}
	m.set("customer_id", customerID)
	now := a.now()
	m.set("updated_at", now)
	m.set("created_at", now)
	id, err := a.store.insertAttrs(ctx, tx, a.store.addresses, m)
	if err != nil {
		return nil, err
	}
	m.set("id", id)
	if isPrimary, _ := scalarString(data["is_primary"]); orderID != 0 && isPrimary == "1" {
		data["customer_id"] = customerID
		if err := a.syncOrderAddress(ctx, tx, data, orderID, true); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return rest.OK(wpjson.NewObject().Set("message", addressMessage(typ, "created")).Set("data", model(address(m)))), nil
}

func (a *api) updateAddress(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	in := newInput(r)
	sent := map[string]bool{}
	for _, k := range addressSanitizeKeys {
		sent[k] = in.has(k)
	}
	if err := a.addressValidationSideEffect(ctx, r, in); err != nil {
		return nil, err
	}
	if err := validateAddress(in); err != nil {
		return nil, err
	}
	data := getSafe(in, addressSanitizeKeys, addressSanitizers)
	idv, _ := in.get("id")
	ov, _ := in.get("order_id")
	orderID := intval(ov)
	if phpEmpty(idv) {
		return nil, resourceError(403, "Please edit a valid address!")
	}
	tx, err := a.site.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	addr, err := a.ownedAddress(ctx, tx, r, idv, "Address not found, please reload the page and try again!")
	if err != nil {
		return nil, err
	}
	prevType, _ := addr.get("type")
	var cols []string
	var vals []any
	for _, k := range addressSanitizeKeys {
		if k == "company_name" {
			if c := data[k]; !phpEmpty(c) && (!a.opts.KeepOmittedFields || sent[k]) {
				if meta := addressMetaWithCompany(addr, c); changed(meta, addr, "meta") {
					cols = append(cols, "meta")
					vals = append(vals, meta)
				}
			}
			continue
		}
		if a.opts.KeepOmittedFields && !sent[k] {
			continue
		}
		if changed(data[k], addr, k) {
			cols = append(cols, k)
			vals = append(vals, sqlValue(data[k]))
		}
	}
	if len(cols) > 0 {
		cols = append(cols, "updated_at")
		vals = append(vals, a.now())
		if err := a.store.updateByID(ctx, tx, a.store.addresses, addr.id(), cols, vals); err != nil {
			return nil, err
		}
	}
	fresh, err := a.store.findAddress(ctx, tx, itoa(addr.id()))
	if err != nil {
		return nil, err
	}
	if orderID != 0 {
		if err := a.syncOrderAddress(ctx, tx, data, orderID, false); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return rest.OK(wpjson.NewObject().Set("message", addressMessage(prevType, "updated")).Set("data", model(address(fresh)))), nil
}

// addressMetaWithCompany is setCompanyNameAttribute over a stored address: the decoded meta (an array, else
// []) with other_data.company_name set, re-encoded by json_encode.
func addressMetaWithCompany(addr *attrs, company any) string {
	meta := addressMeta(addr)
	o, ok := meta.(*wpjson.Object)
	if !ok {
		o = wpjson.NewObject()
		if l, isList := meta.([]any); isList {
			for i, x := range l {
				o.Set(itoa(int64(i)), x)
			}
		}
	}
	od, _ := o.Get("other_data")
	odo, ok := od.(*wpjson.Object)
	if !ok {
		odo = wpjson.NewObject()
	}
	odo.Set("company_name", company)
	o.Set("other_data", odo)
	b, _ := wpjson.MarshalJSON(phpArrayValue(o))
	return string(b)
}

func jsonString(v any) string {
	b, _ := wpjson.MarshalJSON(v)
	return string(b)
}

func (a *api) deleteAddress(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	in := newInput(r)
	// $request->address (falsy -> no file -> null), then Arr::get(…, 'id', false).
	var idv any = false
	if av, ok := in.get("address"); ok && !phpEmpty(av) {
		if o, isObj := av.(*wpjson.Object); isObj {
			if x, has := o.Get("id"); has {
				idv = x
			}
		}
	}
	if phpEmpty(idv) {
		return nil, resourceError(403, "Please use a valid address ID!")
	}
	tx, err := a.site.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	addr, err := a.ownedAddress(ctx, tx, r, idv, "Address not found in database, failed to remove.")
	if err != nil {
		return nil, err
	}
	if p, _ := addr.get("is_primary"); truthy(p) {
		return nil, resourceError(403, "Primary address cannot be deleted!")
	}
	cid, _ := addr.get("customer_id")
	n, err := a.store.countAddresses(ctx, tx, cid)
	if err != nil {
		return nil, err
	}
	if n <= 1 {
		return nil, resourceError(403, "At least one address must remain. Address deletion failed!")
	}
	if err := a.store.deleteAddress(ctx, tx, addr.id()); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return rest.OK(wpjson.NewObject().Set("message", "Address successfully deleted.").Set("data", "")), nil
}

func (a *api) makePrimary(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	in := newInput(r)
	customerID := r.URLParams["customerId"]
	var addressID, typ any
	if v, ok := in.get("addressId"); ok && v != nil {
		addressID = intval(v)
	}
	if v, ok := in.get("type"); ok && v != nil {
		typ = textField(v)
	}
	tx, err := a.site.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// Both statements go through the model's query builder, which adds updated_at.
	n, err := a.store.makePrimary(ctx, tx, customerID, addressID, typ, a.now())
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, resourceError(400, "Address set as primary failed.")
	}
	return rest.OK(wpjson.NewObject().Set("message", "Address successfully set as the primary").Set("data", "")), nil
}
