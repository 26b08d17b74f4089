package fluentcart

// The customer's orders (spec §5.7):
//
//	GET /customers/{customerId}/order (digits)  CustomerResource::findOrder: {"data":{"data": orders|null}}, each
//	                                             order with filtered_order_items
//	GET /customers/{customerId}/orders          OrderFilter::fromRequest($request) restricted to the customer,
//	                                             {"orders": paginator}
//
// Orders and their items are serialised by fluentcart/models; what the models do not reproduce, and the list's
// parameters beyond the admin app's (other relations, scopes, include_ids, select, status filters), are handed to
// PHP (DEVIATIONS.md).

import (
	"errors"
	"strings"

	sq "github.com/Masterminds/squirrel"

	"github.com/wpsidecar/wpsidecar/fluentcart/models"
	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

func (a *api) customerOrder(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	c, err := a.store.findCustomer(ctx, a.site.ReadDB, r.URLParams["customerId"])
	if errors.Is(err, ErrNotFound) {
		return rest.OK(wpjson.NewObject().Set("data", wpjson.NewObject().Set("data", nil))), nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := a.store.ordersOf(ctx, []int64{c.id()})
	if err != nil {
		return nil, err
	}
	out, err := a.ordersWithItems(ctx, rows, "filtered_order_items")
	if err != nil {
		return nil, err
	}
	return rest.OK(wpjson.NewObject().Set("data", wpjson.NewObject().Set("data", model(out)))), nil
}

// orderTabs is OrderFilter::tabsMap (active_view -> column).
var orderTabs = map[string]string{"on-hold": "status", "paid": "payment_status", "completed": "status",
	"processing": "status", "renewal": "type", "subscription": "type", "onetime": "type",
	"refunded": "payment_status", "partially_refunded": "payment_status", "upgraded_to": "", "upgraded_from": ""}

// orderSearchColumns is OrderFilter::getSearchableFields (key -> column; "customer" is a callback).
var orderSearchColumns = map[string]string{"id": "id", "status": "status", "invoice": "status",
	"payment": "payment_status", "payment_by": "payment_method"}

var orderFillable = []string{"status", "parent_id", "invoice_no", "receipt_number", "fulfillment_type", "type",
	"customer_id", "payment_method", "payment_method_title", "payment_status", "currency", "subtotal",
	"discount_tax", "manual_discount_total", "coupon_discount_total", "shipping_tax", "shipping_total",
	"fee_total", "tax_total", "total_amount", "rate", "note", "ip_address", "completed_at", "refunded_at", "uuid",
	"mode", "tax_behavior", "total_paid", "total_refund", "shipping_status", "config"}

func (a *api) customerOrders(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	in := newInput(r)
	la, err := parseListArgs(in)
	if err != nil {
		return nil, err
	}
	// parseSortBy against Order's fillable columns.
	la.sortBy = "id"
	if v, ok := in.get("sort_by"); ok {
		if s, isStr := v.(string); isStr {
			for _, c := range orderFillable {
				if c == s {
					la.sortBy = s
				}
			}
		}
	}
	if la.filterType == "simple" {
		for _, k := range []string{"payment_statuses", "order_statuses", "shipping_statuses"} {
			if v, ok := in.get(k); ok && !phpEmpty(v) {
				// whereIn on a column named after the filter: PHP's SQL error, not reproduced.
				return nil, delegate("order_status_filter")
			}
		}
	}
	withItems := false
	for _, w := range la.with {
		if w != "order_items" {
			return nil, delegate("order_relation")
		}
		withItems = true
	}
	switch {
	case len(la.scopes) > 0:
		return nil, delegate("order_scopes")
	case len(la.includeIDs) > 0:
		return nil, delegate("order_include_ids")
	case la.selectCols != nil:
		return nil, delegate("order_select")
	}
	// The controller's where('customer_id', …) is added before paginate() builds the filter layer.
	ws := []whereClause{andWhere(sq.Eq{ident("customer_id"): r.URLParams["customerId"]})}
	if la.filterType == "simple" {
		if v, ok := in.get("active_view"); ok {
			if s, isStr := v.(string); isStr {
				if col, tab := orderTabs[s]; tab {
					switch s {
					case "upgraded_to":
						ws = append(ws, andWhere(sq.Expr("JSON_EXTRACT(config, '$.upgraded_to') IS NOT NULL")),
							andWhere(sq.Expr("JSON_EXTRACT(config, '$.upgraded_to') != 0")))
					case "upgraded_from":
						ws = append(ws, andWhere(sq.Expr("JSON_EXTRACT(config, '$.upgraded_from') IS NOT NULL")),
							andWhere(sq.Expr("JSON_EXTRACT(config, '$.upgraded_from') != 0")))
					default:
						ws = append(ws, andWhere(sq.Eq{ident(col): s}))
					}
				}
			}
		}
		st := a.store
		if w, ok := operatorSearch(la.search, orderSearchColumns, func(key, value string) ([]whereClause, bool) {
			if key == "customer" {
				return []whereClause{st.orderCustomerMatch(value)}, true
			}
			return nil, false
		}); ok {
			ws = append(ws, w...)
		} else if search := la.search; search != "" && search != "0" {
			s := php.Trim(search)
			ws = append(ws, st.orderSearch(s))
		}
	}
	total, err := a.store.countOrders(ctx, ws)
	if err != nil {
		return nil, err
	}
	qpage, page := la.currentPage()
	items := []any{}
	if total > 0 {
		rows, err := a.store.pageOrders(ctx, ws, la.sortBy, strings.ToUpper(la.sortType), uint64(la.perPage), uint64(max(0, (qpage-1)*la.perPage)))
		if err != nil {
			return nil, err
		}
		if withItems {
			if items, err = a.ordersWithItems(ctx, rows, "order_items"); err != nil {
				return nil, err
			}
		} else {
			for _, o := range rows {
				items = append(items, models.Order(o.keys, o.vals))
			}
		}
	}
	return rest.OK(wpjson.NewObject().Set("orders", model(paginator(requestURL(r, a.site), items, total, la.perPage, page)))), nil
}
