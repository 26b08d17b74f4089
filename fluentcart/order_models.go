package fluentcart

// Orders, order items and subscriptions embedded in the customers answers, serialised by fluentcart/models. The
// rows are loaded the way the ORM eager-loads them (one query per relation whatever the number of parents, keys
// sorted, rows matched back in the order MySQL returns them); whatever the models do not reproduce is handed to
// PHP before anything is written.

import (
	"context"
	"errors"
	"slices"

	"github.com/wpsidecar/wpsidecar/fluentcart/models"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// delegate hands the request to PHP (reason: short, metric-label safe).
func delegate(reason string) error { return rest.Delegate(reason) }

// modelError turns a model's "not reproduced" into a hand-off to PHP.
func modelError(err error) error {
	var u *models.Unsupported
	if errors.As(err, &u) {
		return delegate(u.Reason)
	}
	return err
}

// shop reads the store settings and the clock the models' appended attributes depend on.
func (a *api) shop(ctx context.Context) (*models.Shop, error) {
	raw, found, err := a.site.CachedOption(ctx, "fluent_cart_store_settings")
	if err != nil {
		return nil, err
	}
	pro, err := a.perm.proActive(ctx)
	if err != nil {
		return nil, err
	}
	s, err := models.NewShop(raw, found, pro, a.site.Clock())
	if err != nil {
		return nil, modelError(err)
	}
	return s, nil
}

// sortedKeys is Relation::getKeys: unique keys in ascending order.
func sortedKeys(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// orderItemsByOrder eager-loads order items for orders (Order::order_items / filteredOrderItems: hasMany on
// order_id) and returns them serialised, grouped by order id.
func (a *api) orderItemsByOrder(ctx context.Context, orders []*attrs) (map[int64][]any, error) {
	out := map[int64][]any{}
	if len(orders) == 0 {
		return out, nil
	}
	ids := make([]int64, len(orders))
	for i, o := range orders {
		ids[i] = o.id()
	}
	rows, err := a.store.itemsOfOrders(ctx, sortedKeys(ids))
	if err != nil || len(rows) == 0 {
		return out, err
	}
	shop, err := a.shop(ctx)
	if err != nil {
		return nil, err
	}
	return groupBy(rows, "order_id", func(r *attrs) (any, error) { return shop.OrderItem(r.keys, r.vals) })
}

// groupBy serialises rows with fn and groups them by the integer value of column, in row order.
func groupBy(rows []*attrs, column string, fn func(*attrs) (any, error)) (map[int64][]any, error) {
	out := map[int64][]any{}
	for _, r := range rows {
		v, err := fn(r)
		if err != nil {
			return nil, modelError(err)
		}
		c, _ := r.get(column)
		k := intval(c)
		out[k] = append(out[k], v)
	}
	return out, nil
}

// ordersWithItems serialises orders, each with its items under key (order_items, filtered_order_items).
func (a *api) ordersWithItems(ctx context.Context, orders []*attrs, key string) ([]any, error) {
	items, err := a.orderItemsByOrder(ctx, orders)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(orders))
	for _, o := range orders {
		ov := models.Order(o.keys, o.vals)
		list := items[o.id()]
		if list == nil {
			list = []any{}
		}
		ov.Set(key, list)
		out = append(out, ov)
	}
	return out, nil
}

// subscriptionsOf loads Customer::subscriptions for customers: the rows, their meta rows (the billingInfo append
// reads each subscription's meta; one query for all) and the serialised subscriptions grouped by customer id.
func (a *api) subscriptionsOf(ctx context.Context, customerIDs []int64) (map[int64][]any, error) {
	out := map[int64][]any{}
	rows, err := a.store.subscriptionsOfCustomers(ctx, sortedKeys(customerIDs))
	if err != nil || len(rows) == 0 {
		return out, err
	}
	subIDs := make([]int64, len(rows))
	for i, r := range rows {
		subIDs[i] = r.id()
	}
	metas, err := a.store.subscriptionMetas(ctx, sortedKeys(subIDs))
	if err != nil {
		return nil, err
	}
	shop, err := a.shop(ctx)
	if err != nil {
		return nil, err
	}
	return groupBy(rows, "customer_id", func(r *attrs) (any, error) { return shop.Subscription(r.keys, r.vals, metas[r.id()]) })
}

// successOrderItemsOf loads Customer::success_order_items (hasManyThrough Order, orders in a paid state): items
// with their laravel_through_key, grouped by customer id.
func (a *api) successOrderItemsOf(ctx context.Context, customerIDs []int64) (map[int64][]any, error) {
	out := map[int64][]any{}
	rows, err := a.store.successOrderItems(ctx, sortedKeys(customerIDs))
	if err != nil || len(rows) == 0 {
		return out, err
	}
	shop, err := a.shop(ctx)
	if err != nil {
		return nil, err
	}
	return groupBy(rows, "laravel_through_key", func(r *attrs) (any, error) { return shop.OrderItem(r.keys, r.vals) })
}
