package fluentcart

// The `with` parameter: eager loading of Customer's relations (app/Models/Customer.php) the way the ORM does it
// (Builder::eagerLoadRelations — one query per relation whatever the number of parents, results matched back to
// each parent in the order MySQL returns them). PHP resolves any method name given here; the sidecar only runs the
// real relations and answers other names with the ORM's RelationNotFoundException message (DEVIATIONS.md).

import (
	"context"
	"fmt"
	"strings"

	"github.com/wpsidecar/wpsidecar/fluentcart/models"
)

const customerClass = `FluentCart\App\Models\Customer`

// relationKinds maps a Customer relation method (lower-cased: PHP method names are case-insensitive) to its kind.
var relationKinds = map[string]string{
	"labels":                   "labels",
	"billing_address":          "billing_address",
	"shipping_address":         "shipping_address",
	"primary_billing_address":  "primary_billing_address",
	"primary_shipping_address": "primary_shipping_address",
	"wpuser":                   "wpUser",
	"orders":                   "orders",
	"subscriptions":            "subscriptions",
	"success_order_items":      "success_order_items",
}

// relationNotFound is RelationNotFoundException::make's message.
func relationNotFound(name, class string) error {
	return pluginException(fmt.Sprintf("Call to undefined relationship [%s] on model [%s].", name, class))
}

// withNames reads a `with` value (string or array) into relation names in order, without duplicates.
func withNames(v any) []string {
	var raw []any
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		raw = []any{t}
	default:
		if l, ok := list(v); ok {
			raw = l
		} else if s, ok := scalarString(v); ok {
			raw = []any{s}
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, x := range raw {
		s, ok := scalarString(x)
		if !ok || s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// checkRelations fails like Builder::getRelation for a name that is not a relation of Customer (only the first
// segment of a nested name is checked up front).
func checkRelations(names []string) error {
	for _, n := range names {
		first, _, _ := strings.Cut(n, ".")
		if _, ok := relationKinds[strings.ToLower(first)]; !ok {
			return relationNotFound(first, customerClass)
		}
	}
	return nil
}

// loadRelations eager-loads names for parents and returns, per parent, the relations in load order.
func (a *api) loadRelations(ctx context.Context, parents []*attrs, names []string) ([][]keyedValue, error) {
	out := make([][]keyedValue, len(parents))
	if len(names) == 0 || len(parents) == 0 {
		return out, nil
	}
	if err := checkRelations(names); err != nil {
		return nil, err
	}
	ids := make([]int64, len(parents))
	for i, p := range parents {
		ids[i] = p.id()
	}
	for _, name := range names {
		first, _, isNested := strings.Cut(name, ".")
		kind := relationKinds[strings.ToLower(first)]
		key := snakeCase(first)
		vals, err := a.loadRelation(ctx, kind, parents, ids)
		if err != nil {
			return nil, err
		}
		if isNested && anyLoaded(vals) {
			// PHP loads the nested relation of the related model (or fails on an unknown name): PHP answers.
			return nil, delegate("nested_relation")
		}
		for i := range parents {
			out[i] = append(out[i], keyedValue{key, vals[i]})
		}
	}
	return out, nil
}

func anyLoaded(vals []any) bool {
	for _, v := range vals {
		switch t := v.(type) {
		case nil:
		case []any:
			if len(t) > 0 {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// loadRelation runs one relation query and matches the rows to the parents.
func (a *api) loadRelation(ctx context.Context, kind string, parents []*attrs, ids []int64) ([]any, error) {
	out := make([]any, len(parents))
	byParent := func(rows []*attrs, col string, one bool, conv func(*attrs) any) {
		groups := map[int64][]any{}
		for _, row := range rows {
			v, _ := row.get(col)
			k := intval(v)
			groups[k] = append(groups[k], conv(row))
		}
		for i, id := range ids {
			g := groups[id]
			switch {
			case one && len(g) > 0:
				out[i] = g[0]
			case one:
				out[i] = nil
			case g == nil:
				out[i] = []any{}
			default:
				out[i] = g
			}
		}
	}
	addr := func(a *attrs) any { return address(a) }
	switch kind {
	case "labels":
		rows, err := a.store.labelRelations(ctx, a.site.ReadDB, ids)
		if err != nil {
			return nil, err
		}
		byParent(rows, "labelable_id", false, func(r *attrs) any { return labelRelation(r) })
	case "billing_address", "shipping_address":
		rows, err := a.store.addressRelation(ctx, strings.TrimSuffix(kind, "_address"), false, ids)
		if err != nil {
			return nil, err
		}
		byParent(rows, "customer_id", false, addr)
	case "primary_billing_address", "primary_shipping_address":
		typ := strings.TrimSuffix(strings.TrimPrefix(kind, "primary_"), "_address")
		rows, err := a.store.addressRelation(ctx, typ, true, ids)
		if err != nil {
			return nil, err
		}
		byParent(rows, "customer_id", true, addr)
	case "wpUser":
		var uids []int64
		seen := map[int64]bool{}
		for _, p := range parents {
			v, _ := p.get("user_id")
			if v == nil {
				continue
			}
			if u := intval(v); !seen[u] {
				seen[u] = true
				uids = append(uids, u)
			}
		}
		rows, err := a.store.usersByID(ctx, uids)
		if err != nil {
			return nil, err
		}
		users := map[int64]any{}
		for _, row := range rows {
			v, _ := row.get("ID")
			users[intval(v)] = wpUser(row)
		}
		for i, p := range parents {
			v, _ := p.get("user_id")
			if u, ok := users[intval(v)]; ok && v != nil {
				out[i] = u
			} else {
				out[i] = nil
			}
		}
	case "orders":
		rows, err := a.store.ordersOf(ctx, ids)
		if err != nil {
			return nil, err
		}
		byParent(rows, "customer_id", false, func(r *attrs) any { return models.Order(r.keys, r.vals) })
	case "subscriptions", "success_order_items":
		load := a.subscriptionsOf
		if kind == "success_order_items" {
			load = a.successOrderItemsOf
		}
		groups, err := load(ctx, ids)
		if err != nil {
			return nil, err
		}
		for i, id := range ids {
			if g := groups[id]; g != nil {
				out[i] = g
			} else {
				out[i] = []any{}
			}
		}
	}
	return out, nil
}
