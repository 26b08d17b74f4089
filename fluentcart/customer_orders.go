package fluentcart

// The customer's orders (spec §5.7):
//
//	GET /customers/{customerId}/order (digits)  CustomerResource::findOrder: {"data":{"data": orders|null}}, each
//	                                             order with filtered_order_items
//	GET /customers/{customerId}/orders          OrderFilter::fromRequest($request) restricted to the customer,
//	                                             {"orders": paginator}
//
// Order items are not serialised by the sidecar: an order that has items answers 501 (DEVIATIONS.md).

import (
	"context"
	"errors"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

func (a *api) customerOrder(r *wpcompat.Request) (*wpcompat.Response, error) {
	ctx := r.Ctx()
	c, err := a.store.findCustomer(ctx, a.site.ReadDB, r.URLParams["customerId"])
	if errors.Is(err, ErrNotFound) {
		return wpcompat.OK(wpcompat.NewObject().Set("data", wpcompat.NewObject().Set("data", nil))), nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := a.store.ordersOf(ctx, []int64{c.id()})
	if err != nil {
		return nil, err
	}
	if err := a.noOrderItems(ctx, rows); err != nil {
		return nil, err
	}
	out := []any{}
	for _, o := range rows {
		ov := order(o)
		ov.Set("filtered_order_items", []any{})
		out = append(out, ov)
	}
	return wpcompat.OK(wpcompat.NewObject().Set("data", wpcompat.NewObject().Set("data", model(out)))), nil
}

// noOrderItems answers 501 when any of the orders has items (their serialisation is not reproduced).
func (a *api) noOrderItems(ctx context.Context, orders []*attrs) error {
	if len(orders) == 0 {
		return nil
	}
	ids := make([]int64, len(orders))
	for i, o := range orders {
		ids[i] = o.id()
	}
	n, err := a.store.countOrderItems(ctx, ids)
	if err != nil {
		return err
	}
	if n > 0 {
		return errUnsupported("order items")
	}
	return nil
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

func (a *api) customerOrders(r *wpcompat.Request) (*wpcompat.Response, error) {
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
	for _, k := range []string{"payment_statuses", "order_statuses", "shipping_statuses"} {
		if v, ok := in.get(k); ok && !phpEmpty(v) {
			return nil, errUnsupported("the " + k + " filter")
		}
	}
	if len(la.with) > 0 || len(la.scopes) > 0 || len(la.includeIDs) > 0 || la.selectCols != nil {
		return nil, errUnsupported("with/scopes/include_ids/select on customer orders")
	}
	// The controller's where('customer_id', …) is added before paginate() builds the filter layer.
	ws := []whereClause{{"AND", "`customer_id` = ?", []any{r.URLParams["customerId"]}}}
	if la.filterType == "simple" {
		if v, ok := in.get("active_view"); ok {
			if s, isStr := v.(string); isStr {
				if col, tab := orderTabs[s]; tab {
					switch s {
					case "upgraded_to", "upgraded_from":
						ws = append(ws, whereClause{"AND", "JSON_EXTRACT(config, '$." + s + "') IS NOT NULL", nil},
							whereClause{"AND", "JSON_EXTRACT(config, '$." + s + "') != 0", nil})
					default:
						ws = append(ws, whereClause{"AND", "`" + col + "` = ?", []any{s}})
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
			s := phpTrim(search)
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
		rows, err := a.store.pageOrders(ctx, ws, la.sortBy, strings.ToUpper(la.sortType), la.perPage, max(0, (qpage-1)*la.perPage))
		if err != nil {
			return nil, err
		}
		for _, o := range rows {
			items = append(items, order(o))
		}
	}
	return wpcompat.OK(wpcompat.NewObject().Set("orders", model(paginator(requestURL(r, a.site), items, total, la.perPage, page)))), nil
}
