package unified

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
)

// errPrivileged: the update would change a WordPress user who can manage users or the site, and the request does
// not act as a WordPress user allowed to edit them.
var errPrivileged = errors.New("unified: the linked WordPress user is privileged")

// privilegedCaps are the capabilities that make a WordPress account too powerful for a partner to re-address
// (changing its e-mail hands over its password resets).
var privilegedCaps = []string{"edit_users", "promote_users", "delete_users", "manage_options"}

// updateEnv is what an update needs besides the patch.
type updateEnv struct {
	loc             *time.Location // site zone, for LatePoint's updated_at
	fcOn, lpOn      bool
	allowPrivileged bool
	lockWait        time.Duration
}

// setList collects the SET clause of one partial UPDATE: the columns (names the writers below choose) whose value
// really changes.
type setList struct {
	cols []string
	vals []any
}

func (l *setList) add(col string, v any) {
	l.cols = append(l.cols, col)
	l.vals = append(l.vals, v)
}

func (l *setList) empty() bool { return len(l.cols) == 0 }

// exec runs UPDATE table SET … WHERE where; table is quoted, where a constant condition with placeholders.
func (l *setList) exec(ctx context.Context, tx *sql.Tx, table, where string, whereArgs ...any) error {
	u := sq.Update(table)
	for i, c := range l.cols {
		u = u.Set(wpcompat.Ident(c), l.vals[i])
	}
	query, args, err := toSQL(u.Where(where, whereArgs...))
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("update %s: %w", table, err)
	}
	return nil
}

// sameText compares a nullable column with a wanted text, NULL and the empty string being the same (no value).
func sameText(n sql.NullString, want string) bool { return n.String == want }

// update applies a patch to one person in ONE transaction: every table or none. Only columns whose value really
// differs are written; a row written gets its own updated_at (FluentCart UTC, LatePoint site-local), and the link's
// changed_at is set when anything was written. With an e-mail in the patch, a server-wide lock on that address is
// held from before the uniqueness check until after the commit, so concurrent moves to one address are serialised
// (one wins, the others see it taken). The person's link row is locked FOR UPDATE, serialising updates of one
// person. The connection holding the lock runs every query of the update (no second pool connection is needed).
func (s *store) update(ctx context.Context, uuid string, p *patch, env updateEnv) (changed bool, err error) {
	conn, err := s.db().Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if p.email != nil {
		release, err := s.lockEmail(ctx, conn, *p.email, env.lockWait)
		if err != nil {
			return false, err
		}
		defer release()
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return false, err
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()

	l, err := s.linkByUUID(ctx, tx, uuid, true)
	if err != nil {
		return false, err
	}
	if l == nil {
		return false, errNotFound
	}
	m, err := s.loadMembers(ctx, tx, l, env.fcOn, env.lpOn, true)
	if err != nil {
		return false, err
	}
	per, err := s.assemble(ctx, tx, l, m)
	if err != nil {
		return false, err
	}
	now := s.now()
	w := &writer{s: s, ctx: ctx, tx: tx, p: p, per: per, env: env, utc: now.Format(dbLayout), local: now.In(env.loc).Format(dbLayout)}

	if p.email != nil && emailDiffers(per, *p.email) {
		used, err := s.emailUsedByOthers(ctx, tx, per, *p.email, env.fcOn, env.lpOn)
		if err != nil {
			return false, err
		}
		if used {
			return false, errDuplicate
		}
	}
	for _, step := range []func() error{w.user, w.fluentCart, w.latePoint, w.link} {
		if err := step(); err != nil {
			return false, err
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("commit customer update: %w", err)
	}
	committed = true
	return w.changed, nil
}

func emailDiffers(per *person, email string) bool {
	return (per.User != nil && per.User.Email != email) || (per.FC != nil && per.FC.Email != email) ||
		(per.LP != nil && per.LP.Email != email)
}

// writer carries one update's state through its steps.
type writer struct {
	s       *store
	ctx     context.Context
	tx      *sql.Tx
	p       *patch
	per     *person
	env     updateEnv
	utc     string // now, UTC wall clock (FluentCart, the sidecar's tables)
	local   string // now, site wall clock (LatePoint)
	changed bool

	billing         *fcAddressRow // the primary billing address after the address changes
	billingInserted bool
}

// user writes users (display_name, user_email, user_url) and usermeta (first_name, last_name).
func (w *writer) user() error {
	u, p := w.per.User, w.p
	if u == nil {
		if err := w.s.fail("users"); err != nil {
			return err
		}
		return w.s.fail("usermeta")
	}
	var sets setList
	if p.name != nil && u.DisplayName != *p.name {
		sets.add("display_name", *p.name)
	}
	if p.email != nil && u.Email != *p.email {
		sets.add("user_email", *p.email)
	}
	if p.website.set && u.URL != p.website.val {
		sets.add("user_url", p.website.val)
	}
	type metaWrite struct {
		key, val string
		exists   bool
	}
	var metas []metaWrite
	if p.name != nil {
		for _, kv := range [][2]string{{"first_name", p.first}, {"last_name", p.last}} {
			cur, found, err := w.s.userMeta(w.ctx, w.tx, u.ID, kv[0])
			if err != nil {
				return err
			}
			if cur != kv[1] { // a missing row reads as '' (get_user_meta)
				metas = append(metas, metaWrite{kv[0], kv[1], found})
			}
		}
	}
	if (!sets.empty() || len(metas) > 0) && !w.env.allowPrivileged {
		priv, err := w.s.privileged(w.ctx, w.tx, u.ID)
		if err != nil {
			return err
		}
		if priv {
			return errPrivileged
		}
	}
	if !sets.empty() {
		if err := sets.exec(w.ctx, w.tx, w.s.users(), "ID = ?", u.ID); err != nil {
			return err
		}
		w.changed = true
	}
	if err := w.s.fail("users"); err != nil {
		return err
	}
	for _, mw := range metas {
		var err error
		if mw.exists {
			// update_user_meta updates every row of the key (update_metadata).
			_, err = w.tx.ExecContext(w.ctx, "UPDATE "+w.s.usermeta()+" SET meta_value = ? WHERE user_id = ? AND meta_key = ?", mw.val, u.ID, mw.key)
		} else {
			_, err = w.tx.ExecContext(w.ctx, "INSERT INTO "+w.s.usermeta()+" (user_id, meta_key, meta_value) VALUES (?, ?, ?)", u.ID, mw.key, mw.val)
		}
		if err != nil {
			return fmt.Errorf("write usermeta %s: %w", mw.key, err)
		}
		w.changed = true
	}
	return w.s.fail("usermeta")
}

// fluentCart writes fct_customers (first_name, last_name, email, status) and the primary billing/shipping rows of
// fct_customer_addresses (the address, and the billing row's phone).
func (w *writer) fluentCart() error {
	c, p := w.per.FC, w.p
	w.billing = w.per.Billing
	if c == nil {
		if err := w.s.fail("fct_customers"); err != nil {
			return err
		}
		return w.s.fail("fct_customer_addresses")
	}
	var sets setList
	if p.name != nil {
		if c.FirstName != p.first {
			sets.add("first_name", p.first)
		}
		if c.LastName != p.last {
			sets.add("last_name", p.last)
		}
	}
	if p.email != nil && c.Email != *p.email {
		sets.add("email", *p.email)
	}
	if p.status != nil && statusWord(fcInactive(c.Status)) != *p.status {
		sets.add("status", *p.status)
	}
	if !sets.empty() {
		sets.add("updated_at", w.utc) // app/Models/Model.php freshTimestamp: UTC
		if err := sets.exec(w.ctx, w.tx, w.s.fct(), "id = ?", c.ID); err != nil {
			return err
		}
		w.changed = true
	}
	if err := w.s.fail("fct_customers"); err != nil {
		return err
	}

	for _, a := range []struct {
		typ string
		opt optAddress
		cur *fcAddressRow
	}{{"billing", p.billing, w.per.Billing}, {"shipping", p.shipping, w.per.Shipping}} {
		if !a.opt.set {
			continue
		}
		if err := w.address(c, a.typ, a.opt.val, a.cur); err != nil {
			return err
		}
	}
	if p.phone.set && w.billing != nil && !w.billingInserted && !sameText(w.billing.Phone, p.phone.val) {
		if _, err := w.tx.ExecContext(w.ctx, "UPDATE "+w.s.fctAddr()+" SET phone = ?, updated_at = ? WHERE id = ?", p.phone.val, w.utc, w.billing.ID); err != nil {
			return fmt.Errorf("update address phone: %w", err)
		}
		w.changed = true
	}
	return w.s.fail("fct_customer_addresses")
}

// address replaces (or removes, v == nil) a customer's primary address of one type. A value the body leaves out is
// written as an empty string — what FluentCart stores for a PHP null (fluentcart-customers.md §7.1).
func (w *writer) address(c *fcCustomerRow, typ string, v *addressView, cur *fcAddressRow) error {
	val := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	if v == nil {
		if cur == nil {
			return nil
		}
		if _, err := w.tx.ExecContext(w.ctx, "DELETE FROM "+w.s.fctAddr()+" WHERE id = ?", cur.ID); err != nil {
			return fmt.Errorf("delete %s address: %w", typ, err)
		}
		if typ == "billing" {
			w.billing = nil
		}
		w.changed = true
		return nil
	}
	if cur != nil {
		var sets setList
		for _, f := range []struct {
			col  string
			have sql.NullString
			want string
		}{{"address_1", cur.Address1, val(v.Street)}, {"address_2", cur.Address2, val(v.Street2)}, {"city", cur.City, val(v.City)},
			{"state", cur.State, val(v.State)}, {"postcode", cur.Postcode, val(v.PostalCode)}, {"country", cur.Country, val(v.Country)}} {
			if !sameText(f.have, f.want) {
				sets.add(f.col, f.want)
			}
		}
		if sets.empty() {
			return nil
		}
		sets.add("updated_at", w.utc)
		if err := sets.exec(w.ctx, w.tx, w.s.fctAddr(), "id = ?", cur.ID); err != nil {
			return err
		}
		w.changed = true
		return nil
	}
	// A new primary row: named and addressed like the customer; the billing row carries the person's phone.
	name, email := fullName(c.FirstName, c.LastName), c.Email
	if w.p.name != nil {
		name = *w.p.name
	}
	if w.p.email != nil {
		email = *w.p.email
	}
	phone := ""
	if typ == "billing" {
		if w.p.phone.set {
			phone = w.p.phone.val
		} else if ph := personPhone(w.per); ph != nil {
			phone = *ph
		}
	}
	res, err := w.tx.ExecContext(w.ctx, "INSERT INTO "+w.s.fctAddr()+" (customer_id, is_primary, type, status, label, name, address_1, address_2, city, state,"+
		" phone, email, postcode, country, meta, created_at, updated_at) VALUES (?, 1, ?, 'active', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",
		c.ID, typ, name, val(v.Street), val(v.Street2), val(v.City), val(v.State), phone, email, val(v.PostalCode), val(v.Country), w.utc, w.utc)
	if err != nil {
		return fmt.Errorf("insert %s address: %w", typ, err)
	}
	if typ == "billing" {
		id, _ := res.LastInsertId()
		w.billing = &fcAddressRow{ID: id, Phone: sql.NullString{String: phone, Valid: true}}
		w.billingInserted = true
	}
	w.changed = true
	return nil
}

// latePoint writes latepoint_customers (first_name, last_name, email, phone normalised as LatePoint does, status).
func (w *writer) latePoint() error {
	c, p := w.per.LP, w.p
	if c == nil {
		return w.s.fail("latepoint_customers")
	}
	var sets setList
	if p.name != nil {
		if !sameText(c.FirstName, p.first) {
			sets.add("first_name", p.first)
		}
		if !sameText(c.LastName, p.last) {
			sets.add("last_name", p.last)
		}
	}
	if p.email != nil && c.Email != *p.email {
		sets.add("email", *p.email)
	}
	if p.phone.set {
		if want := sanitizePhone(p.phone.val); !sameText(c.Phone, want) {
			sets.add("phone", want)
		}
	}
	if p.status != nil && statusWord(lpInactive(c.Status)) != *p.status {
		sets.add("status", *p.status)
	}
	if !sets.empty() {
		sets.add("updated_at", w.local) // LatePoint writes site-local wall clock (latepoint-customers.md §1)
		if err := sets.exec(w.ctx, w.tx, w.s.lp(), "id = ?", c.ID); err != nil {
			return err
		}
		w.changed = true
	}
	return w.s.fail("latepoint_customers")
}

// link writes the fallbacks (a value with no natural home is kept on the link; one that has a home clears it) and
// changed_at when anything changed.
func (w *writer) link() error {
	l, p, per := w.per.Link, w.p, w.per
	var sets setList
	want := func(col string, have sql.NullString, v string, homeless bool) {
		var n sql.NullString
		if homeless && v != "" {
			n = sql.NullString{String: v, Valid: true}
		}
		if have != n {
			sets.add(col, n)
		}
	}
	if p.phone.set {
		want("phone", l.Phone, p.phone.val, w.billing == nil && per.LP == nil)
	} else if w.billingInserted && l.Phone.Valid {
		sets.add("phone", nil) // moved onto the new billing row
	}
	if p.website.set {
		want("website", l.Website, p.website.val, per.User == nil)
	}
	if p.status != nil {
		want("status", l.Status, *p.status, per.FC == nil && per.LP == nil)
	}
	for _, a := range []struct {
		col  string
		have sql.NullString
		opt  optAddress
	}{{"billing_address", l.Billing, p.billing}, {"shipping_address", l.Shipping, p.shipping}} {
		if !a.opt.set {
			continue
		}
		j, _ := addressJSON(a.opt.val).(string)
		want(a.col, a.have, j, per.FC == nil)
	}
	if !sets.empty() {
		w.changed = true
	}
	if w.changed {
		sets.add("changed_at", w.utc)
		if err := sets.exec(w.ctx, w.tx, w.s.links(), "uuid = ?", l.UUID); err != nil {
			return err
		}
	}
	return w.s.fail("links")
}

// privileged reports whether a user holds one of privilegedCaps ({prefix}capabilities against {prefix}user_roles,
// as WP_User resolves them).
func (s *store) privileged(ctx context.Context, q queryer, userID int64) (bool, error) {
	caps, _, err := s.userMeta(ctx, q, userID, s.site.Tables.CapabilitiesKey())
	if err != nil {
		return false, err
	}
	var roles string
	err = q.QueryRowContext(ctx, "SELECT option_value FROM "+s.site.Tables.OptionsTable()+" WHERE option_name = ? LIMIT 1",
		s.site.Tables.UserRolesOption()).Scan(&roles)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("read roles: %w", err)
	}
	uc, _ := phpserial.MaybeUnserialize(caps)
	rd, _ := phpserial.MaybeUnserialize(roles)
	_, all := wpcompat.AllCaps(uc, rd)
	for _, c := range privilegedCaps {
		if wpcompat.HasCap(all, c, userID) {
			return true, nil
		}
	}
	return false, nil
}

// sanitizePhone is LatePoint's OsUtilHelper::sanitize_phone_number (latepoint-customers.md §3.3): everything from
// the first x/X on is dropped, then every non-digit; a leading + is kept.
func sanitizePhone(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	plus := strings.HasPrefix(s, "+")
	if i := strings.IndexAny(s, "xX"); i >= 0 {
		s = s[:i]
	}
	var b strings.Builder
	if plus {
		b.WriteByte('+')
	}
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
