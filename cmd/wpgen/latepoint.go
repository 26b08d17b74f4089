package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// LatePoint rows as LatePoint 5.0.15 writes them (spec latepoint-customers.md §1-2): created_at/updated_at are
// site-local wall clock, a booking stores its local date and minutes after midnight plus the same instants in UTC,
// money is decimal(20,4), price and payment state live in orders/order_items/transactions.

const lpTimeFormat = "2006-01-02 15:04:05"

// lpCodeAlphabet: booking and confirmation codes are 7 distinct characters of this set (OsUtilHelper::random_text).
const lpCodeAlphabet = "2345679ACDEFHJKLMNPRSTUVWXYZ"

// lpPasswords: customer password hashes (wp_hash_password of random text on insert; nobody knows the plaintext).
// Fixed strings keep the output deterministic and avoid hashing 100,000 times.
var lpPasswords = []string{
	"$wp$2y$10$PuS1bXcxpdjROLnO2pW36eRztZQmVlyCEL7Y9QsZsFiZf9tDhRrai",
	"$wp$2y$10$QaoXk33n4eDoSPK3NHPB/uvQU7qJhWGmy5cV18QHmrjawdgeTsq2G",
	"$wp$2y$10$2jgBNwk.rz31ti0UJRbkruHKgLGPWbw.9mCE388DWALwFoUJr2Y0G",
	"$wp$2y$10$jgRH508vI7FM.fVoNIOr1.Vd5QFjlP8l67lphwTCBb9JVc4OHSlQG",
	"$P$BEQPli3ewvVQol0Gk8Xr1d/ueIgF1K1",
	"$P$BT/wsriJjo.dHeQ/OJ1Wa.z9HKLo3p.",
}

type lpService struct {
	id             int64
	name           string
	duration       int
	price, deposit int64 // cents
	bb, ba         int
}

type lpGen struct {
	r         *rand.Rand
	loc       *time.Location
	now       time.Time // site-local
	services  []lpService
	agents    []int64
	locations []int64

	nextCustomer, nextMeta, nextBooking, nextOrder, nextItem, nextTx int64

	customers, meta, bookings, orders, items, txs *batch
}

type lpBooking struct {
	day     time.Time // local midnight
	start   int       // minutes after midnight
	svc     lpService
	agent   int64
	loc     any
	status  string
	pay     string
	created time.Time
	order   int // index into the customer's orders
}

type lpOrder struct {
	id       int64
	created  time.Time
	bookings []int
	pay      string
}

func fillLatePoint(ctx context.Context, conn *sql.Conn, cfg config, log *slog.Logger, sum *summary) error {
	t := cfg.Tables
	g := &lpGen{r: rand.New(rand.NewPCG(cfg.Seed, 0x1A7E))}
	var err error
	if g.loc, err = siteLocation(ctx, conn, cfg); err != nil {
		return err
	}
	g.now = time.Date(cfg.Now.Year(), cfg.Now.Month(), cfg.Now.Day(), 12, 0, 0, 0, g.loc)
	if err := g.loadCatalog(ctx, conn, cfg); err != nil {
		return err
	}
	for _, x := range []struct {
		dst   *int64
		table string
	}{
		{&g.nextCustomer, "latepoint_customers"}, {&g.nextMeta, "latepoint_customer_meta"},
		{&g.nextBooking, "latepoint_bookings"}, {&g.nextOrder, "latepoint_orders"},
		{&g.nextItem, "latepoint_order_items"}, {&g.nextTx, "latepoint_transactions"},
	} {
		if *x.dst, err = maxID(ctx, conn, t.Name(x.table), "id"); err != nil {
			return err
		}
	}
	// customers.id and bookings.order_item_id are mediumint(9): stay below 8,388,607.
	if g.nextCustomer+int64(cfg.Customers) > 8_000_000 || g.nextItem+int64(cfg.Customers)*4 > 8_000_000 {
		return fmt.Errorf("--customers %d would overflow LatePoint's mediumint ids", cfg.Customers)
	}
	g.customers = newBatch(cfg, sum, "latepoint_customers", "id", "first_name", "last_name", "email", "phone",
		"avatar_image_id", "status", "password", "activation_key", "account_nonse", "google_user_id",
		"facebook_user_id", "wordpress_user_id", "is_guest", "notes", "admin_notes", "created_at", "updated_at")
	g.meta = newBatch(cfg, sum, "latepoint_customer_meta", "id", "object_id", "meta_key", "meta_value", "created_at",
		"updated_at")
	g.bookings = newBatch(cfg, sum, "latepoint_bookings", "id", "booking_code", "start_date", "end_date", "start_time",
		"end_time", "start_datetime_utc", "end_datetime_utc", "buffer_before", "buffer_after", "duration", "status",
		"customer_id", "service_id", "agent_id", "location_id", "order_item_id", "total_attendees", "created_at",
		"updated_at")
	g.orders = newBatch(cfg, sum, "latepoint_orders", "id", "subtotal", "total", "status", "fulfillment_status",
		"payment_status", "source_id", "source_url", "ip_address", "customer_id", "customer_comment",
		"confirmation_code", "price_breakdown", "coupon_code", "coupon_discount", "tax_total", "created_at", "updated_at")
	g.items = newBatch(cfg, sum, "latepoint_order_items", "id", "order_id", "variant", "item_data", "subtotal", "total",
		"coupon_code", "coupon_discount", "tax_total", "created_at", "updated_at")
	g.txs = newBatch(cfg, sum, "latepoint_transactions", "id", "token", "invoice_id", "order_id", "customer_id",
		"processor", "payment_method", "payment_portion", "kind", "status", "amount", "notes", "created_at", "updated_at")
	batches := []*batch{g.customers, g.meta, g.orders, g.items, g.bookings, g.txs}
	start := time.Now()
	return inChunks(ctx, conn, cfg.Customers, cfg.Chunk, batches,
		func(tx *sql.Tx, _ int) error { return g.customer(ctx, tx) },
		func(done int) { progress(log, done, cfg.Customers, start) })
}

// siteLocation is the WordPress time zone LatePoint uses (OsTimeHelper::get_wp_timezone): timezone_string, else
// gmt_offset as a fixed offset, else UTC.
func siteLocation(ctx context.Context, conn *sql.Conn, cfg config) (*time.Location, error) {
	opts := map[string]string{}
	rows, err := conn.QueryContext(ctx, "SELECT option_name, option_value FROM "+wpcompat.Ident(cfg.Tables.Options())+
		" WHERE option_name IN ('timezone_string', 'gmt_offset')")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		opts[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if tz := opts["timezone_string"]; tz != "" {
		if loc, err := time.LoadLocation(tz); err == nil {
			return loc, nil
		}
	}
	if off, err := strconv.ParseFloat(opts["gmt_offset"], 64); err == nil && off != 0 {
		return time.FixedZone("", int(math.Round(off*3600))), nil
	}
	return time.UTC, nil
}

// loadCatalog reads the active services, agents and locations, creating a small default catalog where none exists.
func (g *lpGen) loadCatalog(ctx context.Context, conn *sql.Conn, cfg config) error {
	t := cfg.Tables
	now := g.now.Format(lpTimeFormat)
	activeIDs := func(table string) ([]int64, error) {
		return readIDs(ctx, conn, "SELECT id FROM "+wpcompat.Ident(t.Name(table))+" WHERE status = 'active' ORDER BY id")
	}
	readServices := func() error {
		rows, err := conn.QueryContext(ctx, "SELECT id, name, duration, COALESCE(charge_amount, 0), COALESCE(deposit_amount, 0), "+
			"COALESCE(buffer_before, 0), COALESCE(buffer_after, 0) FROM "+wpcompat.Ident(t.Name("latepoint_services"))+
			" WHERE status = 'active' ORDER BY id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s lpService
			var price, deposit string
			if err := rows.Scan(&s.id, &s.name, &s.duration, &price, &deposit, &s.bb, &s.ba); err != nil {
				return err
			}
			s.price, s.deposit = cents(price), cents(deposit)
			g.services = append(g.services, s)
		}
		return rows.Err()
	}
	if err := readServices(); err != nil {
		return err
	}
	if len(g.services) == 0 {
		for i, s := range []lpService{{0, "Haircut & Style", 45, 4500, 0, 0, 15}, {0, "Deep Tissue Massage", 90, 12000, 3000, 10, 10}, {0, "Free Consultation", 30, 0, 0, 0, 0}} {
			if _, err := conn.ExecContext(ctx, "INSERT INTO "+wpcompat.Ident(t.Name("latepoint_services"))+
				" (name, charge_amount, price_min, price_max, deposit_amount, is_deposit_required, duration, buffer_before, buffer_after, order_number, status, visibility, created_at, updated_at)"+
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', 'visible', ?, ?)",
				s.name, money(s.price), money(s.price), money(s.price), money(s.deposit), boolInt(s.deposit > 0), s.duration, s.bb, s.ba, i+1, now, now); err != nil {
				return err
			}
		}
		if err := readServices(); err != nil {
			return err
		}
	}
	var err error
	if g.agents, err = activeIDs("latepoint_agents"); err != nil {
		return err
	}
	if len(g.agents) == 0 {
		for _, a := range [][2]string{{"Ava", "Thompson"}, {"Noah", "Patel"}, {"Liam", "García"}} {
			if _, err := conn.ExecContext(ctx, "INSERT INTO "+wpcompat.Ident(t.Name("latepoint_agents"))+
				" (first_name, last_name, email, status, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?)",
				a[0], a[1], strings.ToLower(a[0])+".agent@example.com", now, now); err != nil {
				return err
			}
		}
		if g.agents, err = activeIDs("latepoint_agents"); err != nil {
			return err
		}
	}
	if g.locations, err = activeIDs("latepoint_locations"); err != nil {
		return err
	}
	if len(g.locations) == 0 {
		for i, l := range []string{"Downtown Studio", "Brooklyn Loft"} {
			if _, err := conn.ExecContext(ctx, "INSERT INTO "+wpcompat.Ident(t.Name("latepoint_locations"))+
				" (name, status, order_number, created_at, updated_at) VALUES (?, 'active', ?, ?, ?)", l, i+1, now, now); err != nil {
				return err
			}
		}
		if g.locations, err = activeIDs("latepoint_locations"); err != nil {
			return err
		}
	}
	return nil
}

func (g *lpGen) customer(ctx context.Context, tx *sql.Tx) error {
	r := g.r
	g.nextCustomer++
	id := g.nextCustomer
	first, last := pick(r, firstNames), pick(r, lastNames)

	books := g.planBookings()
	var orders []lpOrder
	for i := range books {
		b := &books[i]
		if i > 0 && r.IntN(10) == 0 {
			// booked together with the previous booking: one cart, one order
			b.order = books[i-1].order
			b.created = orders[b.order].created
			orders[b.order].bookings = append(orders[b.order].bookings, i)
			if orders[b.order].pay == "none" {
				orders[b.order].pay = b.pay
			}
			continue
		}
		g.nextOrder++
		b.order = len(orders)
		orders = append(orders, lpOrder{id: g.nextOrder, created: b.created, bookings: []int{i}, pay: b.pay})
	}
	// The booking form creates the customer just before its first order.
	created := g.now.Add(-time.Duration(r.Int64N(int64(2 * 365 * 24 * time.Hour)))).Truncate(time.Second)
	for i, o := range orders {
		if c := o.created.Add(-3 * time.Minute); i == 0 || c.Before(created) {
			created = c
		}
	}
	updated := created
	if r.IntN(4) == 0 {
		if u := created.Add(time.Duration(1+r.IntN(240)) * time.Hour); u.Before(g.now) {
			updated = u
		}
	}

	email := fmt.Sprintf("%s.%s.%d@example.net", first.slug, last.slug, id)
	var phone, avatar, wpUser, isGuest, notes any
	if r.IntN(10) > 0 {
		phone = fmt.Sprintf("+1%03d555%04d", 200+r.IntN(700), r.IntN(10000))
	}
	if r.IntN(20) == 0 {
		avatar = 0 // "no image" stored as 0 rather than NULL
	}
	switch weighted(r, 80, 15, 5) {
	case 0:
		isGuest = 1
	case 1:
		isGuest = 0
	}
	if r.IntN(25) == 0 {
		wpUser = 0
	}
	if r.IntN(8) == 0 {
		notes = "Prefers morning appointments."
	}
	status := []string{"pending_verification", "active", "inactive", "blocked"}[weighted(r, 90, 5, 3, 2)]
	act := hexOf(r, 20)
	cr, up := created.Format(lpTimeFormat), updated.Format(lpTimeFormat)
	if err := g.customers.add(ctx, tx, id, first.text, last.text, email, phone, avatar, status, pick(r, lpPasswords),
		act, hexOf(r, 20), nil, nil, wpUser, isGuest, notes, nil, cr, up); err != nil {
		return err
	}
	if r.IntN(10) < 3 {
		g.nextMeta++
		if err := g.meta.add(ctx, tx, g.nextMeta, id, "timezone_name", g.loc.String(), cr, cr); err != nil {
			return err
		}
	}
	if r.IntN(10) == 0 {
		g.nextMeta++
		if err := g.meta.add(ctx, tx, g.nextMeta, id, "stripe_connect_customer_id", "cus_"+hexOf(r, 7), cr, cr); err != nil {
			return err
		}
	}

	for _, o := range orders {
		if err := g.writeOrder(ctx, tx, id, o, books); err != nil {
			return err
		}
	}
	return nil
}

// planBookings draws ~3 bookings: past, upcoming and a few years ahead, with statuses that fit their time.
func (g *lpGen) planBookings() []lpBooking {
	r := g.r
	n := []int{0, 1, 2, 3, 4, 5, 6, 8}[weighted(r, 8, 15, 20, 20, 15, 10, 7, 5)]
	out := make([]lpBooking, 0, n)
	today := time.Date(g.now.Year(), g.now.Month(), g.now.Day(), 0, 0, 0, 0, g.loc)
	for k := 0; k < n; k++ {
		b := lpBooking{svc: pick(r, g.services), agent: pick(r, g.agents), start: 8*60 + 15*r.IntN(48)}
		if r.IntN(20) > 0 {
			b.loc = pick(r, g.locations)
		}
		var days int
		past := false
		switch weighted(r, 55, 35, 10) {
		case 0:
			days, past = -(1 + r.IntN(720)), true
		case 1:
			days = 1 + r.IntN(365)
		default:
			days = 365 + r.IntN(3*365)
		}
		b.day = today.AddDate(0, 0, days)
		if past {
			b.status = []string{"completed", "no_show", "cancelled", "approved"}[weighted(r, 55, 10, 15, 20)]
		} else {
			b.status = []string{"approved", "pending", "payment_pending", "cancelled"}[weighted(r, 60, 15, 10, 15)]
		}
		switch b.status {
		case "completed":
			b.pay = "paid"
		case "approved":
			b.pay = []string{"paid", "deposit", "none"}[weighted(r, 50, 20, 30)]
		case "cancelled":
			b.pay = []string{"none", "refund"}[weighted(r, 70, 30)]
		case "payment_pending":
			b.pay = []string{"none", "processing", "failed"}[weighted(r, 60, 25, 15)]
		case "no_show":
			b.pay = []string{"none", "deposit"}[weighted(r, 70, 30)]
		default:
			b.pay = "none"
		}
		if b.svc.price == 0 {
			b.pay = "none"
		} else if b.pay == "deposit" && b.svc.deposit == 0 {
			b.pay = "paid"
		}
		// Booked 1-40 days ahead, during the day; far-future bookings were made some time before "now".
		b.created = b.day.AddDate(0, 0, -(1 + r.IntN(40))).Add(time.Duration(8*3600+r.IntN(12*3600)) * time.Second)
		if b.created.After(g.now) {
			b.created = g.now.Add(-time.Duration(1+r.IntN(200*24*3600)) * time.Second)
		}
		out = append(out, b)
	}
	return out
}

func (g *lpGen) writeOrder(ctx context.Context, tx *sql.Tx, customer int64, o lpOrder, books []lpBooking) error {
	r := g.r
	var subtotal int64
	allCancelled, allCompleted := true, true
	var breakdown []string
	cr := o.created.Format(lpTimeFormat)
	for _, bi := range o.bookings {
		b := books[bi]
		subtotal += b.svc.price
		allCancelled = allCancelled && b.status == "cancelled"
		allCompleted = allCompleted && b.status == "completed"
		breakdown = append(breakdown, `{"heading":"Service","items":[{"label":`+phpString(b.svc.name)+
			`,"raw_value":"`+money(b.svc.price)+`","value":"$`+dollars(b.svc.price)+`"}]}`)
	}
	status, fulfil := "open", "not_fulfilled"
	switch {
	case allCancelled:
		status = "cancelled"
	case allCompleted:
		status, fulfil = "completed", "fulfilled"
	}
	payStatus := "not_paid"
	paidAt := o.created.Add(40 * time.Second)
	if paidAt.After(g.now) {
		paidAt = g.now
	}
	addTx := func(portion, kind, st string, amount int64, at time.Time) error {
		g.nextTx++
		token := "pi_3" + hexOf(r, 12)
		if kind == "refund" {
			token = "re_3" + hexOf(r, 12)
		}
		ts := at.Format(lpTimeFormat)
		return g.txs.add(ctx, tx, g.nextTx, token, nil, o.id, customer, "stripe", "card", portion, kind, st, money(amount), "", ts, ts)
	}
	var err error
	switch o.pay {
	case "paid":
		payStatus = "fully_paid"
		err = addTx("full", "capture", "succeeded", subtotal, paidAt)
	case "deposit":
		payStatus = "partially_paid"
		var deposit int64
		for _, bi := range o.bookings {
			if deposit == 0 {
				deposit = books[bi].svc.deposit
			}
		}
		err = addTx("deposit", "capture", "succeeded", deposit, paidAt)
	case "refund":
		payStatus = "refunded"
		if err = addTx("full", "capture", "succeeded", subtotal, paidAt); err == nil {
			refundAt := paidAt.Add(72 * time.Hour)
			if refundAt.After(g.now) {
				refundAt = g.now
			}
			err = addTx("full", "refund", "succeeded", subtotal, refundAt)
		}
	case "processing":
		payStatus = "processing"
		err = addTx("full", "capture", "processing", subtotal, paidAt)
	case "failed":
		err = addTx("full", "capture", "failed", subtotal, paidAt)
	}
	if err != nil {
		return err
	}
	bd := `{"before_subtotal":[` + strings.Join(breakdown, ",") + `],"subtotal":[],"after_subtotal":[],"total":[],"balance":[]}`
	if err := g.orders.add(ctx, tx, o.id, money(subtotal), money(subtotal), status, fulfil, payStatus, nil,
		"http://127.0.0.1:8080/book/", nil, customer, nil, g.code(), bd, nil, "0.0000", "0.0000", cr,
		o.created.Add(41*time.Second).Format(lpTimeFormat)); err != nil {
		return err
	}
	for _, bi := range o.bookings {
		b := books[bi]
		g.nextItem++
		endMin := b.start + b.svc.duration
		endDay, endTime := b.day, endMin
		if endMin >= 1440 { // LatePoint moves the end date at >= 1440 but wraps the time only above 1440
			endDay = b.day.AddDate(0, 0, 1)
		}
		if endMin > 1440 {
			endTime = endMin - 1440
		}
		locStr := ""
		if b.loc != nil {
			locStr = strconv.FormatInt(b.loc.(int64), 10)
		}
		sd, ed := b.day.Format("2006-01-02"), endDay.Format("2006-01-02")
		itemData := fmt.Sprintf(`{"id":"","customer_id":"%d","agent_id":"%d","location_id":"%s","service_id":"%d","start_date":"%s","start_time":"%d","end_date":"%s","end_time":"%d","status":"%s","buffer_before":"%d","buffer_after":"%d","duration":"%d"}`,
			customer, b.agent, locStr, b.svc.id, sd, b.start, ed, endTime, b.status, b.svc.bb, b.svc.ba, b.svc.duration)
		if err := g.items.add(ctx, tx, g.nextItem, o.id, "booking", itemData, money(b.svc.price), money(b.svc.price),
			nil, "0.0000", "0.0000", cr, cr); err != nil {
			return err
		}
		startLocal := time.Date(b.day.Year(), b.day.Month(), b.day.Day(), b.start/60, b.start%60, 0, 0, g.loc)
		endLocal := time.Date(endDay.Year(), endDay.Month(), endDay.Day(), endTime/60, endTime%60, 0, 0, g.loc)
		if endTime == 1440 {
			endLocal = time.Date(endDay.Year(), endDay.Month(), endDay.Day(), 0, 0, 0, 0, g.loc)
		}
		updated := b.created
		if b.status == "completed" || b.status == "no_show" || (b.status == "cancelled" && !startLocal.After(g.now)) {
			if u := startLocal.Add(2 * time.Hour); u.Before(g.now) {
				updated = u
			}
		}
		g.nextBooking++
		if err := g.bookings.add(ctx, tx, g.nextBooking, g.code(), sd, ed, b.start, endTime,
			startLocal.UTC().Format(lpTimeFormat), endLocal.UTC().Format(lpTimeFormat), b.svc.bb, b.svc.ba,
			b.svc.duration, b.status, customer, b.svc.id, b.agent, b.loc, g.nextItem, 1, b.created.Format(lpTimeFormat),
			updated.Format(lpTimeFormat)); err != nil {
			return err
		}
	}
	return nil
}

// code returns 7 distinct characters of lpCodeAlphabet.
func (g *lpGen) code() string {
	a := []byte(lpCodeAlphabet)
	for i := 0; i < 7; i++ {
		j := i + g.r.IntN(len(a)-i)
		a[i], a[j] = a[j], a[i]
	}
	return string(a[:7])
}

// cents parses a decimal string such as "45.0000" into cents.
func cents(s string) int64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return int64(math.Round(f * 100))
}

// money formats cents the way LatePoint stores decimal(20,4): "45.0000".
func money(c int64) string { return fmt.Sprintf("%d.%02d00", c/100, c%100) }

func dollars(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// phpString encodes s as a JSON string the way wp_json_encode does: "/" as "\/", non-ASCII as \uXXXX.
func phpString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	js := strings.TrimSuffix(buf.String(), "\n")
	var b strings.Builder
	for _, ch := range strings.ReplaceAll(js, "/", `\/`) {
		switch {
		case ch < 0x80:
			b.WriteRune(ch)
		case ch > 0xFFFF:
			ch -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xD800+(ch>>10), 0xDC00+(ch&0x3FF))
		default:
			fmt.Fprintf(&b, `\u%04x`, ch)
		}
	}
	return b.String()
}
