package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// FluentCart rows as FluentCart 1.3.25 writes them (spec fluentcart-customers.md §7-8): timestamps are UTC wall
// clock "YYYY-MM-DD HH:MM:SS", money is BIGINT cents, customer uuid = md5(email + "_" + uuid4), stats follow
// Customer::recountStat (orders with payment_status paid/partially_paid/partially_refunded).

const fcTimeFormat = "2006-01-02 15:04:05"

const fcCustomerType = `FluentCart\App\Models\Customer`

var fcDefaultLabels = []string{"VIP", "Wholesale", "Newsletter", "Late Payer", "Café Regulars"}

type fcGen struct {
	r      *rand.Rand
	now    time.Time // end of the order history (UTC)
	labels []int64

	nextCustomer, nextAddress, nextOrder, nextOrderAddress, nextLabelRel, nextReceipt int64

	customers, addresses, labelRels, orders, orderAddresses *batch
}

type fcOrder struct {
	id                  int64
	created             time.Time
	payStatus, status   string
	total, paid, refund int64
	currency, method    string
	physical            bool
}

func fillFluentCart(ctx context.Context, conn *sql.Conn, cfg config, log *slog.Logger, sum *summary) error {
	t := cfg.Tables
	g := &fcGen{r: rand.New(rand.NewPCG(cfg.Seed, 0xFC)), now: cfg.Now.UTC().Add(-time.Hour)}
	var err error
	for _, x := range []struct {
		dst        *int64
		table, col string
	}{
		{&g.nextCustomer, "fct_customers", "id"}, {&g.nextAddress, "fct_customer_addresses", "id"},
		{&g.nextOrder, "fct_orders", "id"}, {&g.nextOrderAddress, "fct_order_addresses", "id"},
		{&g.nextLabelRel, "fct_label_relationships", "id"}, {&g.nextReceipt, "fct_orders", "receipt_number"},
	} {
		if *x.dst, err = maxID(ctx, conn, t.Name(x.table), x.col); err != nil {
			return err
		}
	}
	if g.labels, err = fcEnsureLabels(ctx, conn, cfg, g.now); err != nil {
		return err
	}
	g.customers = newBatch(cfg, sum, "fct_customers", "id", "user_id", "contact_id", "email", "first_name", "last_name",
		"status", "purchase_value", "purchase_count", "ltv", "first_purchase_date", "last_purchase_date", "aov", "notes",
		"uuid", "country", "city", "state", "postcode", "created_at", "updated_at")
	g.addresses = newBatch(cfg, sum, "fct_customer_addresses", "id", "customer_id", "is_primary", "type", "status",
		"label", "name", "address_1", "address_2", "city", "state", "phone", "email", "postcode", "country", "meta",
		"created_at", "updated_at")
	g.labelRels = newBatch(cfg, sum, "fct_label_relationships", "id", "label_id", "labelable_id", "labelable_type",
		"created_at", "updated_at")
	g.orders = newBatch(cfg, sum, "fct_orders", "id", "status", "receipt_number", "invoice_no", "fulfillment_type",
		"type", "mode", "shipping_status", "customer_id", "payment_method", "payment_status", "payment_method_title",
		"currency", "subtotal", "shipping_total", "total_amount", "total_paid", "total_refund", "rate", "note",
		"ip_address", "completed_at", "refunded_at", "uuid", "config", "created_at", "updated_at")
	g.orderAddresses = newBatch(cfg, sum, "fct_order_addresses", "id", "order_id", "type", "name", "address_1",
		"address_2", "city", "state", "postcode", "country", "meta", "created_at", "updated_at")
	batches := []*batch{g.customers, g.addresses, g.labelRels, g.orders, g.orderAddresses}
	start := time.Now()
	return inChunks(ctx, conn, cfg.Customers, cfg.Chunk, batches,
		func(tx *sql.Tx, _ int) error { return g.customer(ctx, tx) },
		func(done int) { progress(log, done, cfg.Customers, start) })
}

// fcEnsureLabels returns the ids of the existing labels, creating the default set when there is none.
func fcEnsureLabels(ctx context.Context, conn *sql.Conn, cfg config, now time.Time) ([]int64, error) {
	table := wpcompat.Ident(cfg.Tables.Name("fct_label"))
	read := func() ([]int64, error) { return readIDs(ctx, conn, "SELECT id FROM "+table+" ORDER BY id") }
	ids, err := read()
	if err != nil || len(ids) > 0 {
		return ids, err
	}
	ts := now.Format(fcTimeFormat)
	for _, v := range fcDefaultLabels {
		if _, err := conn.ExecContext(ctx, "INSERT INTO "+table+" (value, created_at, updated_at) VALUES (?, ?, ?)", v, ts, ts); err != nil {
			return nil, err
		}
	}
	return read()
}

func (g *fcGen) customer(ctx context.Context, tx *sql.Tx) error {
	r := g.r
	g.nextCustomer++
	id := g.nextCustomer
	first, last := pick(r, firstNames), pick(r, lastNames)
	p := pick(r, places)
	email := fmt.Sprintf("%s.%s.%d@example.com", first.slug, last.slug, id)
	created := g.now.Add(-time.Duration(r.Int64N(int64(3 * 365 * 24 * time.Hour)))).Truncate(time.Second)

	// Orders first: the customer row carries their stats.
	var orders []fcOrder
	n := []int{0, 1, 2, 3}[weighted(r, 60, 30, 5, 5)]
	at := created.Add(30 * time.Second)
	for k := 0; k < n; k++ {
		if k > 0 {
			at = at.Add(time.Duration(1+r.IntN(120)) * 24 * time.Hour).Add(time.Duration(r.IntN(86400)) * time.Second)
		}
		if at.After(g.now) {
			break
		}
		orders = append(orders, g.newOrder(at, p))
	}
	var count, ltv int64
	var firstBuy, lastBuy any
	var aov any
	values := map[string]int64{}
	for _, o := range orders {
		switch o.payStatus {
		case "paid", "partially_paid", "partially_refunded":
			if net := o.paid - o.refund; net > 0 {
				ltv += net
			}
			count++
			values[o.currency] += o.paid
			if firstBuy == nil {
				firstBuy = o.created.Format(fcTimeFormat)
			}
			lastBuy = o.created.Format(fcTimeFormat)
		}
	}
	if count > 0 {
		aov = fmt.Sprintf("%.2f", float64(ltv)/float64(count))
	}
	// purchase_value: NULL for checkout-created customers, a currency map once stats were computed, '[]' when the
	// customer was created through the admin API.
	var pv any
	switch weighted(r, 50, 35, 15) {
	case 1:
		if len(values) > 0 {
			js, _ := json.Marshal(values)
			pv = string(js)
		}
	case 2:
		pv = "[]"
	}
	status := []any{"active", "inactive", "archived", "", nil}[weighted(r, 85, 8, 3, 3, 1)]
	var userID any
	if r.IntN(20) == 0 {
		userID = 0 // detached: the API writes 0, not NULL
	}
	updated := created
	if len(orders) > 0 {
		updated = orders[len(orders)-1].created.Add(2 * time.Second)
	}
	uuid := md5Hex(email + "_" + hexOf(r, 16))
	cr, up := created.Format(fcTimeFormat), updated.Format(fcTimeFormat)
	if err := g.customers.add(ctx, tx, id, userID, 0, email, first.text, last.text, status, pv, count, ltv,
		firstBuy, lastBuy, aov, "", uuid, p.country, p.city, p.state, p.postcode, cr, up); err != nil {
		return err
	}

	// Addresses: 0-3, ~1.5 on average; the first of each type is primary.
	fullName := strings.TrimSpace(first.text + " " + last.text)
	nAddr := []int{0, 1, 2, 3}[weighted(r, 15, 35, 35, 15)]
	for k := 0; k < nAddr; k++ {
		typ, primary, a2 := "billing", 1, any(nil)
		switch k {
		case 1:
			typ = "shipping"
		case 2:
			primary, a2 = 0, fmt.Sprintf("Suite %d", 100+r.IntN(900))
		}
		var phone, meta any
		if r.IntN(3) == 0 {
			phone = fmt.Sprintf("+1 %03d 555 %04d", 200+r.IntN(700), r.IntN(10000))
		}
		if r.IntN(10) == 0 {
			meta = `{"other_data":{"company_name":"` + last.slug + ` & Co"}}`
		}
		g.nextAddress++
		if err := g.addresses.add(ctx, tx, g.nextAddress, id, primary, typ, "active", "", fullName, p.street, a2,
			p.city, p.state, phone, email, p.postcode, p.country, meta, cr, cr); err != nil {
			return err
		}
	}

	// Labels: ~30% of customers carry one or two.
	if len(g.labels) > 0 && r.IntN(10) < 3 {
		nl := 1 + r.IntN(2)
		seen := map[int64]bool{}
		for k := 0; k < nl; k++ {
			l := pick(r, g.labels)
			if seen[l] {
				continue
			}
			seen[l] = true
			g.nextLabelRel++
			if err := g.labelRels.add(ctx, tx, g.nextLabelRel, l, id, fcCustomerType, up, up); err != nil {
				return err
			}
		}
	}

	for _, o := range orders {
		if err := g.writeOrder(ctx, tx, id, fullName, p, o); err != nil {
			return err
		}
	}
	return nil
}

func (g *fcGen) newOrder(at time.Time, p place) fcOrder {
	r := g.r
	g.nextOrder++
	o := fcOrder{id: g.nextOrder, created: at, currency: p.currency, physical: r.IntN(2) == 0}
	o.total = int64(500 + r.IntN(30000))
	if o.physical {
		o.total += 500 // flat shipping
	}
	o.method = []string{"stripe", "paypal", "offline_payment"}[weighted(r, 70, 20, 10)]
	switch weighted(r, 80, 5, 5, 5, 5) {
	case 0:
		o.payStatus, o.status, o.paid = "paid", "completed", o.total
	case 1:
		o.payStatus, o.status, o.paid = "partially_refunded", "completed", o.total
		o.refund = o.total / 4
	case 2:
		o.payStatus, o.status, o.paid, o.refund = "refunded", "canceled", o.total, o.total
	case 3:
		o.payStatus, o.status, o.method = "pending", "on-hold", "offline_payment"
	case 4:
		o.payStatus, o.status = "failed", "failed"
	}
	return o
}

var fcMethodTitle = map[string]string{"stripe": "Stripe", "paypal": "PayPal", "offline_payment": "Cash on Delivery"}

func (g *fcGen) writeOrder(ctx context.Context, tx *sql.Tx, customer int64, fullName string, p place, o fcOrder) error {
	r := g.r
	var receipt any
	invoice := ""
	if o.payStatus != "pending" && o.payStatus != "failed" {
		g.nextReceipt++
		receipt = g.nextReceipt
		invoice = fmt.Sprintf("INV-%d", g.nextReceipt)
	}
	fulfil, ship, shipping := "digital", "", int64(0)
	if o.physical {
		fulfil, ship = "physical", "unshipped"
		shipping = 500
		if o.status == "completed" {
			ship = "delivered"
		}
	}
	cr := o.created.Format(fcTimeFormat)
	var completed, refunded any
	if o.status == "completed" {
		completed = o.created.Add(90 * time.Second).Format(fcTimeFormat)
	}
	updated := o.created.Add(90 * time.Second)
	if o.refund > 0 {
		t := o.created.Add(72 * time.Hour)
		refunded, updated = t.Format(fcTimeFormat), t
	}
	uuid := md5Hex(fmt.Sprint(o.created.Unix()) + hexOf(r, 16))
	ip := fmt.Sprintf("198.51.100.%d", 1+r.IntN(254))
	if err := g.orders.add(ctx, tx, o.id, o.status, receipt, invoice, fulfil, "payment", "live", ship, customer,
		o.method, o.payStatus, fcMethodTitle[o.method], o.currency, o.total-shipping, shipping, o.total, o.paid,
		o.refund, "1.0000", "", ip, completed, refunded, uuid, nil, cr, updated.Format(fcTimeFormat)); err != nil {
		return err
	}
	types := []string{"billing"}
	if o.physical {
		types = append(types, "shipping")
	}
	for _, typ := range types {
		g.nextOrderAddress++
		if err := g.orderAddresses.add(ctx, tx, g.nextOrderAddress, o.id, typ, fullName, p.street, nil, p.city,
			p.state, p.postcode, p.country, nil, cr, cr); err != nil {
			return err
		}
	}
	return nil
}
