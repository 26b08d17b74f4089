package fluentcart

// POST /customers/{customerId}/recalculate-ltv (digits) — CustomerController::recalculateLtv ->
// Customer::recountStat (spec §5.10). The answer is the in-memory model: purchase_count and ltv as integers,
// aov an integer or float, the purchase dates PHP DateTime objects.

import (
	"errors"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

func (a *api) recalculateLTV(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	st := a.store
	tx, err := a.site.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := st.findCustomer(ctx, tx, r.URLParams["customerId"])
	if errors.Is(err, ErrNotFound) {
		return nil, messageError("Customer not found.")
	}
	if err != nil {
		return nil, err
	}
	orders, err := st.paidOrders(ctx, tx, c.id())
	if err != nil {
		return nil, err
	}
	var ltv int64
	var first, last *time.Time
	for _, o := range orders {
		paid, _ := o.str("total_paid")
		refund, _ := o.str("total_refund")
		if net := stringToInt(paid) - stringToInt(refund); net > 0 {
			ltv += net
		}
		if s, ok := o.str("created_at"); ok {
			if t, ok := phpDate(s); ok {
				if first == nil || t.Before(*first) {
					first = &t
				}
				if last == nil || t.After(*last) {
					last = &t
				}
			}
		}
	}
	count := int64(len(orders))
	var aov any = int64(0)
	if count > 0 {
		if ltv%count == 0 {
			aov = ltv / count
		} else {
			aov = wpjson.PHPFloat(float64(ltv) / float64(count))
		}
	}
	dateVal := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return phpDateTimeObject{*t}
	}
	dateSQL := func(t *time.Time) any {
		if t == nil {
			return ""
		}
		return t.Format("2006-01-02 15:04:05")
	}
	newVals := []struct {
		col   string
		val   any // in-memory value
		sql   any // bound value
		dirty bool
	}{
		{"purchase_count", count, itoa(count), changed(count, c, "purchase_count")},
		{"first_purchase_date", dateVal(first), dateSQL(first), first != nil || isSet(c, "first_purchase_date")},
		{"last_purchase_date", dateVal(last), dateSQL(last), last != nil || isSet(c, "last_purchase_date")},
		{"ltv", ltv, itoa(ltv), changed(ltv, c, "ltv")},
		{"aov", aov, sqlValue(aov), changed(aov, c, "aov")},
	}
	var cols []string
	var args []any
	for _, nv := range newVals {
		c.set(nv.col, nv.val)
		if nv.dirty {
			cols = append(cols, nv.col)
			args = append(args, nv.sql)
		}
	}
	if len(cols) > 0 {
		now := a.now()
		if err := st.updateByID(ctx, tx, st.customers, c.id(), append(cols, "updated_at"), append(args, now)); err != nil {
			return nil, err
		}
		c.set("updated_at", now)
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	vc, err := a.viewFor(ctx, r, []*attrs{c})
	if err != nil {
		return nil, err
	}
	return rest.OK(wpjson.NewObject().Set("message", "Lifetime value recalculated successfully").
		Set("customer", model(vc.customer(c, nil, nil)))), nil
}

// isSet reports a non-NULL column: a DateTime (or null) assigned over it counts as a change unless both are null.
func isSet(c *attrs, col string) bool {
	v, _ := c.get(col)
	return v != nil
}
