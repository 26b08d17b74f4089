package fluentcart

// POST /customers/do-bulk-action — CustomerController::handleBulkActions -> CustomerResource::manageCustomer
// (spec §5.9): delete_customers (their orders, then the customers) or change_customer_status.

import (
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

func (a *api) bulkAction(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	in := newInput(r)
	action, _ := in.str("action")
	rawIDs, hasIDs := in.get("customer_ids")
	var idList []any
	if hasIDs {
		l, ok := list(rawIDs)
		if !ok {
			return nil, pluginException("array_map(): Argument #2 ($array) must be of type array, " + phpTypeName(rawIDs) + " given")
		}
		idList = l
	}
	var ids []int64
	for _, v := range idList {
		if n := intval(v); n != 0 {
			ids = append(ids, n)
		}
	}
	if len(ids) == 0 {
		return nil, resourceError(403, "Customers selection is required")
	}
	st := a.store
	switch action {
	case "delete_customers":
		tx, err := a.site.DB.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		defer tx.Rollback()
		idArgs := make([]any, len(ids))
		for i, id := range ids {
			idArgs[i] = id
		}
		rows, err := st.customersIn(ctx, tx, idArgs)
		if err != nil {
			return nil, err
		}
		for _, c := range rows {
			if err := st.deleteCustomer(ctx, tx, c.id()); err != nil {
				return nil, err
			}
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return nil, resourceError(400, "Customer update failed.")
		}
		return rest.OK(wpjson.NewObject().Set("message", "Selected Customers has been deleted permanently").Set("data", "")), nil
	case "change_customer_status":
		sv, _ := in.get("new_status")
		if phpEmpty(sv) {
			return nil, resourceError(403, "Please select status")
		}
		status, _ := scalarString(sv)
		if status != "active" && status != "inactive" { // Status::getEditableCustomerStatuses()
			return nil, resourceError(403, "Provided customer status is not valid")
		}
		// whereIn('id', $params['customer_ids']): the raw values, not the integers checked above.
		tx, err := a.site.DB.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		defer tx.Rollback()
		rows, err := st.customersIn(ctx, tx, idList)
		if err != nil {
			return nil, err
		}
		for _, c := range rows {
			// Customer::updateCustomerStatus: nothing when $new == $old (loose); the status hooks have no
			// listener in the free plugin.
			if old, _ := c.get("status"); old != nil && old.(string) == status {
				continue
			}
			if err := st.updateByID(ctx, tx, st.customers, c.id(), []string{"status", "updated_at"}, []any{status, a.now()}); err != nil {
				return nil, err
			}
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
		return rest.OK(wpjson.NewObject().Set("message", "Customer Status has been changed").Set("data", "")), nil
	}
	return nil, resourceError(400, "Selected action is invalid")
}
