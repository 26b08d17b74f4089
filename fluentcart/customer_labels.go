package fluentcart

// PUT /customers/{customerId}/additional-info — CustomerController::updateAdditionalInfo ->
// CustomerResource::updateAdditionalInfo -> LabelResource::addLabelToLabelRelationships (spec §5.5).

import (
	"errors"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

func (a *api) updateLabels(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	in := newInput(r)
	pathID := r.URLParams["customerId"]
	tx, err := a.site.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := a.store.findCustomer(ctx, tx, pathID)
	if errors.Is(err, ErrNotFound) {
		return nil, resourceError(404, "Customer not found, please reload the page and try again!")
	}
	if err != nil {
		return nil, err
	}
	existingRows, err := a.store.labelRelations(ctx, tx, []int64{c.id()})
	if err != nil {
		return nil, err
	}
	var newIDs []any
	if lv, ok := in.get("labels"); ok {
		l, isList := list(lv)
		if !isList {
			return nil, pluginException("count(): Argument #1 ($value) must be of type Countable|array, " + phpTypeName(lv) + " given")
		}
		newIDs = l
	}
	var existing []string
	for _, row := range existingRows {
		s, _ := row.str("label_id")
		existing = append(existing, s)
	}
	if len(newIDs) == 0 && len(existing) == 0 {
		return nil, resourceError(400, "Customer does not have any changes to update.")
	}
	st := a.store
	// Collection::diff compares string forms.
	newSet := map[string]bool{}
	for _, v := range newIDs {
		s, ok := scalarString(v)
		if !ok {
			s = "Array"
		}
		newSet[s] = true
	}
	for _, e := range existing {
		if len(newIDs) > 0 && newSet[e] {
			continue
		}
		if err := st.removeLabel(ctx, tx, e, pathID); err != nil {
			return nil, err
		}
	}
	for _, v := range newIDs {
		exists, err := st.hasLabel(ctx, tx, v, pathID)
		if err != nil {
			return nil, err
		}
		if exists {
			continue
		}
		if err := st.addLabel(ctx, tx, v, c.id(), a.now()); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return rest.OK(wpjson.NewObject().Set("message", "Customer updated successfully!").Set("data", true)), nil
}
