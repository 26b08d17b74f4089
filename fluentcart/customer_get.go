package fluentcart

// GET /customers/{customerId} (digits) — CustomerController::find (spec §5.2).

import (
	"errors"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

func (a *api) getCustomer(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	in := newInput(r)
	withV, _ := in.get("with")
	names := withNames(withV)
	// Customer::with($with)->find($id): an unknown relation fails only once a row is found to load it for.
	// Without `with` (the admin screen's request) the customer and the labels it renders come in one round trip.
	var c *attrs
	var preLabels []*attrs
	var photos map[int64]string // the linked user's photo meta, when the read brought it
	var err error
	if len(names) == 0 {
		var cr *customerRead
		if cr, err = a.store.findCustomerWithLabels(ctx, a.site.ReadDB, r.URLParams["customerId"]); err == nil {
			c, preLabels = cr.customer, cr.labels
			if uv, _ := c.get("user_id"); intval(uv) > 0 {
				photos = map[int64]string{intval(uv): cr.photo}
			}
		}
	} else {
		c, err = a.store.findCustomer(ctx, a.site.ReadDB, r.URLParams["customerId"])
	}
	if errors.Is(err, ErrNotFound) {
		return nil, entityNotFound("Customer not found", "Back to Customer List", "/customers")
	}
	if err != nil {
		return nil, err
	}
	rels, err := a.loadRelations(ctx, []*attrs{c}, names)
	if err != nil {
		return nil, err
	}
	own := rels[0]
	// $customer['labels'] lazily loads the relation when `with` did not (placed after the eager ones).
	var labels any
	for _, kv := range own {
		if kv.key == "labels" {
			labels = kv.val
		}
	}
	if labels == nil && len(names) == 0 {
		l := []any{}
		for _, row := range preLabels {
			l = append(l, labelRelation(row))
		}
		labels = l
		own = append(own, keyedValue{"labels", l})
	}
	if labels == nil {
		lazy, err := a.loadRelations(ctx, []*attrs{c}, []string{"labels"})
		if err != nil {
			return nil, err
		}
		labels = lazy[0][0].val
		own = append(own, lazy[0][0])
	}
	vc, err := a.viewForPhotos(ctx, r, []*attrs{c}, photos)
	if err != nil {
		return nil, err
	}
	var extra []keyedValue
	if only, _ := in.get("params.customer_only"); only != "yes" {
		ids := []any{}
		if l, ok := labels.([]any); ok {
			for _, x := range l {
				if o, ok := x.(*wpjson.Object); ok {
					id, _ := o.Get("label_id")
					ids = append(ids, id)
				}
			}
		}
		extra = []keyedValue{{"selected_labels", ids}}
	}
	return rest.OK(wpjson.NewObject().Set("customer", model(vc.customer(c, extra, own)))), nil
}
