package latepoint

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
	"golang.org/x/crypto/bcrypt"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// fieldErrors is a validation failure found by the database checks inside a write transaction (e-mail taken,
// WordPress user missing or linked, avatar not an image, custom field option). DuplicateEmail alone makes a create
// answer 409; everything else is 422 on create and 400 on update.
type fieldErrors struct {
	v              *validator
	DuplicateEmail bool
}

func (e *fieldErrors) Error() string { return "latepoint: field validation failed" }

// lockTimeout is how long a write waits for the per-e-mail / per-user lock before giving up.
const lockTimeout = 10

// withLocks runs fn on a dedicated connection holding the named locks: first in-process (so concurrent requests of
// one process do not each hold a connection while waiting), then MySQL user locks (GET_LOCK), which serialise
// sidecar instances sharing the database. LatePoint has no unique index on e-mail and none may be added (§1, §9.18),
// so this lock is what makes "check, then insert" safe.
func (s *Store) withLocks(ctx context.Context, names []string, fn func(conn *sql.Conn) error) error {
	if s.noLocks {
		names = nil
	}
	unlock := s.locks.lock(names)
	defer unlock()
	conn, err := s.site.DB.Conn(ctx)
	if err != nil {
		return classify(err)
	}
	defer conn.Close()
	var held []string
	defer func() {
		if len(held) == 0 {
			return
		}
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, n := range held {
			if _, err := conn.ExecContext(rctx, "DO RELEASE_LOCK("+lockNameSQL+")", s.site.Tables.Prefix, n); err != nil {
				// A connection still holding a lock must not go back to the pool.
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
				return
			}
		}
	}()
	sorted := append([]string(nil), names...)
	sortUnique(&sorted)
	for _, n := range sorted {
		var got sql.NullInt64
		if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK("+lockNameSQL+", ?)", s.site.Tables.Prefix, n, lockTimeout).Scan(&got); err != nil {
			return classify(err)
		}
		if !got.Valid || got.Int64 != 1 {
			return fmt.Errorf("latepoint: could not acquire lock %q", n)
		}
		held = append(held, n)
	}
	return fn(conn)
}

// lockNameSQL makes a server-wide lock name unique per database and table prefix, within MySQL's 64 characters.
const lockNameSQL = "CONCAT('lpapi:', LEFT(SHA2(CONCAT(DATABASE(), ':', ?, ':', ?), 256), 48))"

func sortUnique(s *[]string) {
	v := *s
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
	out := v[:0]
	for i, x := range v {
		if i == 0 || v[i-1] != x {
			out = append(out, x)
		}
	}
	*s = out
}

func (s *Store) lockNames(in *customerInput) []string {
	var names []string
	if in.Present["email"] && in.Email != "" {
		names = append(names, "email:"+in.Email)
	}
	if in.Present["wordpress_user_id"] && in.WordPressUserID > 0 {
		names = append(names, fmt.Sprintf("wpuser:%d", in.WordPressUserID))
	}
	return names
}

// inTx runs fn in a transaction on conn, committing when fn returns nil.
func inTx(ctx context.Context, conn *sql.Conn, fn func(tx *sql.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return classify(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return classify(tx.Commit())
}

// checkRefs runs the database validations shared by create and update; self is the customer being updated (0 on
// create). It returns whether the only problem is a duplicate e-mail.
func (s *Store) checkRefs(ctx context.Context, tx *sql.Tx, in *customerInput, self int64, v *validator) error {
	customers := s.tbl("latepoint_customers")
	if in.Present["email"] && in.Email != "" && !v.has("email") {
		// Equality decided by the column's collation, as LatePoint's own check (§3.1); empty e-mails never clash.
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM "+customers+" WHERE email = ? AND email <> '' AND id <> ? LIMIT 1", in.Email, self).Scan(&id)
		if err == nil {
			v.add("email", msgEmailTaken)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return classify(err)
		}
	}
	if in.Present["wordpress_user_id"] && in.WordPressUserID > 0 && !v.has("wordpress_user_id") {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+s.site.Tables.UsersTable()+" WHERE ID = ?", in.WordPressUserID).Scan(&n); err != nil {
			return classify(err)
		}
		if n == 0 {
			v.add("wordpress_user_id", msgWPUserMissing)
		} else {
			var other int64
			err := tx.QueryRowContext(ctx, "SELECT id FROM "+customers+" WHERE wordpress_user_id = ? AND id <> ? LIMIT 1", in.WordPressUserID, self).Scan(&other)
			if err == nil {
				v.add("wordpress_user_id", msgWPUserLinked)
			} else if !errors.Is(err, sql.ErrNoRows) {
				return classify(err)
			}
		}
	}
	if in.Present["avatar_image_id"] && in.AvatarImageID > 0 && !v.has("avatar_image_id") {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+s.tbl("posts")+" WHERE ID = ? AND post_type = 'attachment' AND post_mime_type LIKE 'image/%'",
			in.AvatarImageID).Scan(&n); err != nil {
			return classify(err)
		}
		if n == 0 {
			v.add("avatar_image_id", msgAvatarInvalid)
		}
	}
	if len(in.CustomFields) > 0 {
		set, err := s.Settings(ctx, tx, "custom_fields_for_customer")
		if err != nil {
			return err
		}
		checkCustomFields(in.CustomFields, parseCustomFieldDefs(set["custom_fields_for_customer"]), v)
	}
	return nil
}

// wpSync is the linked WordPress user update LatePoint performs on every customer save (§4.1), done here with
// direct SQL in the same transaction (§4.3).
type wpSync struct {
	userID                     int64
	email, firstName, lastName string // "" = leave
}

var adminCapRE = regexp.MustCompile(`s:13:"administrator";(?:b:1|i:1|s:1:"1");`)

// planWPSync decides what of the customer's names and e-mail goes to the linked WordPress user. Administrators are
// skipped (LatePoint skips super admins, i.e. users with delete_users on a single site). A new e-mail another
// WordPress user already has is a field error: stricter than LatePoint, which diverges silently (§4.3).
func (s *Store) planWPSync(ctx context.Context, tx *sql.Tx, userID int64, first, last, email string, v *validator, lock bool) (*wpSync, error) {
	if userID <= 0 {
		return nil, nil
	}
	var curEmail string
	q := "SELECT user_email FROM " + s.site.Tables.UsersTable() + " WHERE ID = ?"
	if lock {
		q += " FOR UPDATE"
	}
	err := tx.QueryRowContext(ctx, q, userID).Scan(&curEmail)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil // dangling link: LatePoint checks the user exists and does nothing
	}
	if err != nil {
		return nil, classify(err)
	}
	var caps sql.NullString
	err = tx.QueryRowContext(ctx, "SELECT meta_value FROM "+s.site.Tables.UsermetaTable()+" WHERE user_id = ? AND meta_key = ? ORDER BY umeta_id LIMIT 1",
		userID, s.site.Tables.CapabilitiesKey()).Scan(&caps)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, classify(err)
	}
	if adminCapRE.MatchString(caps.String) {
		return nil, nil
	}
	plan := &wpSync{userID: userID, firstName: first, lastName: last}
	if email != "" && !strings.EqualFold(email, curEmail) {
		var other int64
		err := tx.QueryRowContext(ctx, "SELECT ID FROM "+s.site.Tables.UsersTable()+" WHERE user_email = ? AND ID <> ? LIMIT 1", email, userID).Scan(&other)
		if err == nil {
			v.add("email", msgEmailWPTaken)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, classify(err)
		}
		plan.email = email
	}
	return plan, nil
}

// applyWPSync writes the planned WordPress user changes: user_email, and usermeta first_name/last_name when
// non-empty and different (LatePoint::save_connected_wordpress_user).
func (s *Store) applyWPSync(ctx context.Context, tx *sql.Tx, p *wpSync) error {
	if p == nil {
		return nil
	}
	if p.email != "" {
		if _, err := tx.ExecContext(ctx, "UPDATE "+s.site.Tables.UsersTable()+" SET user_email = ? WHERE ID = ?", p.email, p.userID); err != nil {
			return classify(err)
		}
		if err := s.fail("wp_user:email"); err != nil {
			return err
		}
	}
	um := s.site.Tables.UsermetaTable()
	for _, kv := range [][2]string{{"first_name", p.firstName}, {"last_name", p.lastName}} {
		if kv[1] == "" {
			continue
		}
		var id int64
		var cur sql.NullString
		err := tx.QueryRowContext(ctx, "SELECT umeta_id, meta_value FROM "+um+" WHERE user_id = ? AND meta_key = ? ORDER BY umeta_id LIMIT 1", p.userID, kv[0]).Scan(&id, &cur)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, "INSERT INTO "+um+" (user_id, meta_key, meta_value) VALUES (?, ?, ?)", p.userID, kv[0], kv[1])
		case err == nil && cur.String != kv[1]:
			_, err = tx.ExecContext(ctx, "UPDATE "+um+" SET meta_value = ? WHERE umeta_id = ?", kv[1], id)
		}
		if err != nil {
			return classify(err)
		}
	}
	return nil
}

// applyMeta writes meta changes: the first row of a key is updated (duplicates removed), missing keys inserted,
// deleted keys removed entirely (OsMetaModel::save_by_key / delete_by_key semantics, §2.2).
func (s *Store) applyMeta(ctx context.Context, tx *sql.Tx, customerID int64, changes []metaChange, stamp string) error {
	if len(changes) == 0 {
		return nil
	}
	meta := s.tbl("latepoint_customer_meta")
	keys := make([]string, 0, len(changes))
	for _, c := range changes {
		keys = append(keys, c.Key)
	}
	rows, err := s.query(ctx, tx, sq.Select("id", "meta_key").From(meta).
		Where("object_id = ?", customerID).Where(sq.Eq{"meta_key": keys}).OrderBy("id"))
	if err != nil {
		return err
	}
	first := map[string]int64{}
	var dupes []int64
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			rows.Close()
			return err
		}
		if _, seen := first[k]; seen {
			dupes = append(dupes, id)
		} else {
			first[k] = id
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return classify(err)
	}
	var delKeys []string
	inserts := sq.Insert(meta).Columns("object_id", "meta_key", "meta_value", "created_at", "updated_at")
	inserting := false
	for _, c := range changes {
		switch {
		case c.Delete:
			delKeys = append(delKeys, c.Key)
		case first[c.Key] != 0:
			if _, err := tx.ExecContext(ctx, "UPDATE "+meta+" SET meta_value = ?, updated_at = ? WHERE id = ?", c.Value, stamp, first[c.Key]); err != nil {
				return classify(err)
			}
		default:
			inserts = inserts.Values(customerID, c.Key, c.Value, stamp, stamp)
			inserting = true
		}
	}
	var stmts []sq.Sqlizer
	if inserting {
		stmts = append(stmts, inserts)
	}
	if len(delKeys) > 0 {
		stmts = append(stmts, sq.Delete(meta).Where("object_id = ?", customerID).Where(sq.Eq{"meta_key": delKeys}))
	}
	// Duplicates of keys that were just set (the first row holds the value now).
	if len(dupes) > 0 {
		stmts = append(stmts, sq.Delete(meta).Where(sq.Eq{"id": dupes}))
	}
	return s.exec(ctx, tx, stmts...)
}

// randomHex is n random bytes as hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// CreateCustomer inserts a customer with LatePoint's insert defaults (§3.2) and its meta rows, in one transaction,
// under the per-e-mail lock. v holds no errors on entry; database checks may add some (→ *fieldErrors).
func (s *Store) CreateCustomer(ctx context.Context, in *customerInput, v *validator, clk localClock) (int64, error) {
	// The password is never known to anyone (LatePoint: hash of 16 random hex characters, §3.2). Its bcrypt cost
	// protects nothing, so the cheapest cost keeps creates fast; PHP's password_verify reads it like any bcrypt.
	hash, err := bcrypt.GenerateFromPassword([]byte(randomHex(16)), s.passwordCost())
	if err != nil {
		return 0, err
	}
	password := "$2y$" + strings.TrimPrefix(string(hash), "$2a$")
	var id int64
	err = s.withLocks(ctx, s.lockNames(in), func(conn *sql.Conn) error {
		return inTx(ctx, conn, func(tx *sql.Tx) error {
			sync, err := s.prepareCreate(ctx, tx, in, v, true)
			if err != nil {
				return err
			}
			isGuest := in.IsGuest
			if in.WordPressUserID > 0 && !in.Present["is_guest"] {
				isGuest = false // linked customers are not guests (§4.3)
			}
			res, err := tx.ExecContext(ctx, "INSERT INTO "+s.tbl("latepoint_customers")+
				" (first_name, last_name, email, phone, avatar_image_id, status, password, activation_key, account_nonse,"+
				" wordpress_user_id, is_guest, notes, admin_notes, created_at, updated_at)"+
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				in.FirstName, in.LastName, in.Email, optional(in, "phone", in.Phone), nullID(in.AvatarImageID), in.Status, password,
				randomHex(20), randomHex(20), nullID(in.WordPressUserID), isGuest, optional(in, "notes", in.Notes),
				optional(in, "admin_notes", in.AdminNotes), clk.Stamp, clk.Stamp)
			if err != nil {
				return classify(err)
			}
			if id, err = res.LastInsertId(); err != nil {
				return err
			}
			if err := s.fail("create:customer"); err != nil {
				return err
			}
			if err := s.applyMeta(ctx, tx, id, append(append([]metaChange(nil), in.Meta...), in.CustomFields...), clk.Stamp); err != nil {
				return err
			}
			if err := s.fail("create:meta"); err != nil {
				return err
			}
			return s.applyWPSync(ctx, tx, sync)
		})
	})
	return id, err
}

// optional is NULL for a column the request did not carry (what LatePoint leaves in columns nobody set).
func optional(in *customerInput, field, v string) any {
	if !in.Present[field] {
		return nil
	}
	return v
}

// prepareCreate runs the database checks of a create and plans the WordPress user sync; *fieldErrors when a
// check fails. lock=false for a dry run (shadow mode verdicts).
func (s *Store) prepareCreate(ctx context.Context, tx *sql.Tx, in *customerInput, v *validator, lock bool) (*wpSync, error) {
	if err := s.checkRefs(ctx, tx, in, 0, v); err != nil {
		return nil, err
	}
	var sync *wpSync
	if in.WordPressUserID > 0 && !v.has("wordpress_user_id") {
		p, err := s.planWPSync(ctx, tx, in.WordPressUserID, in.FirstName, in.LastName, in.Email, v, lock)
		if err != nil {
			return nil, err
		}
		sync = p
	}
	if len(v.errs) > 0 {
		return nil, &fieldErrors{v: v, DuplicateEmail: len(v.errs) == 1 && v.errs["email"] == msgEmailTaken}
	}
	return sync, nil
}

func nullID(id int64) any {
	if id <= 0 {
		return nil
	}
	return id
}

func (s *Store) passwordCost() int { return bcrypt.MinCost }

// UpdateCustomer applies a partial update (only present fields) in one transaction with its meta changes and the
// linked WordPress user's sync (§4.3), under the lock of a new e-mail / newly linked user.
func (s *Store) UpdateCustomer(ctx context.Context, id int64, in *customerInput, v *validator, clk localClock) error {
	return s.withLocks(ctx, s.lockNames(in), func(conn *sql.Conn) error {
		return inTx(ctx, conn, func(tx *sql.Tx) error {
			sync, newLink, err := s.prepareUpdate(ctx, tx, id, in, v, true)
			if err != nil {
				return err
			}
			// Only the fields the request carried; column names are the constants below.
			upd := sq.Update(s.tbl("latepoint_customers"))
			col := func(name string, val any) { upd = upd.Set(wpcompat.Ident(name), val) }
			if in.Present["first_name"] {
				col("first_name", in.FirstName)
			}
			if in.Present["last_name"] {
				col("last_name", in.LastName)
			}
			if in.Present["email"] {
				col("email", in.Email)
			}
			if in.Present["phone"] {
				col("phone", in.Phone)
			}
			if in.Present["status"] {
				col("status", in.Status)
			}
			if in.Present["notes"] {
				col("notes", in.Notes)
			}
			if in.Present["admin_notes"] {
				col("admin_notes", in.AdminNotes)
			}
			if in.Present["is_guest"] {
				col("is_guest", in.IsGuest)
			} else if newLink {
				col("is_guest", false)
			}
			if in.Present["wordpress_user_id"] {
				col("wordpress_user_id", nullID(in.WordPressUserID))
			}
			if in.Present["avatar_image_id"] {
				col("avatar_image_id", nullID(in.AvatarImageID))
			}
			col("updated_at", clk.Stamp)
			if err := s.exec(ctx, tx, upd.Where("id = ?", id)); err != nil {
				return err
			}
			if err := s.fail("update:customer"); err != nil {
				return err
			}
			if err := s.applyMeta(ctx, tx, id, append(append([]metaChange(nil), in.Meta...), in.CustomFields...), clk.Stamp); err != nil {
				return err
			}
			if err := s.fail("update:meta"); err != nil {
				return err
			}
			if err := s.applyWPSync(ctx, tx, sync); err != nil {
				return err
			}
			return s.fail("update:wp_user")
		})
	})
}

// prepareUpdate loads the customer (404 first), runs the database checks and plans the WordPress user sync;
// *fieldErrors when a check fails. lock=false for a dry run.
func (s *Store) prepareUpdate(ctx context.Context, tx *sql.Tx, id int64, in *customerInput, v *validator, lock bool) (sync *wpSync, newLink bool, err error) {
	cur, err := s.Customer(ctx, tx, id, lock)
	if err != nil {
		return nil, false, err
	}
	if err := s.checkRefs(ctx, tx, in, id, v); err != nil {
		return nil, false, err
	}
	// Linked user after this update; names/e-mail go to it when the request touched them, all three when the link
	// is new.
	userID := cur.linkedUserID()
	if in.Present["wordpress_user_id"] {
		newLink = in.WordPressUserID > 0 && in.WordPressUserID != userID
		userID = in.WordPressUserID
	}
	if userID > 0 && (newLink || in.Present["first_name"] || in.Present["last_name"] || in.Present["email"]) {
		first, last, email := "", "", ""
		if newLink || in.Present["first_name"] {
			first = pick(in.Present["first_name"], in.FirstName, cur.FirstName.String)
		}
		if newLink || in.Present["last_name"] {
			last = pick(in.Present["last_name"], in.LastName, cur.LastName.String)
		}
		if newLink || in.Present["email"] {
			email = pick(in.Present["email"], in.Email, cur.Email)
		}
		if sync, err = s.planWPSync(ctx, tx, userID, first, last, email, v, lock); err != nil {
			return nil, false, err
		}
	}
	if len(v.errs) > 0 {
		return nil, false, &fieldErrors{v: v}
	}
	return sync, newLink, nil
}

// DryRunCreate / DryRunUpdate / DryRunDelete answer what the write would refuse, inside a transaction that is
// rolled back and takes no locks (shadow mode's verdicts; rest.Handler.Validate).
func (s *Store) DryRunCreate(ctx context.Context, in *customerInput, v *validator) error {
	return s.dryRun(ctx, func(tx *sql.Tx) error { _, err := s.prepareCreate(ctx, tx, in, v, false); return err })
}

func (s *Store) DryRunUpdate(ctx context.Context, id int64, in *customerInput, v *validator) error {
	return s.dryRun(ctx, func(tx *sql.Tx) error { _, _, err := s.prepareUpdate(ctx, tx, id, in, v, false); return err })
}

func (s *Store) DryRunDelete(ctx context.Context, id int64) error {
	return s.dryRun(ctx, func(tx *sql.Tx) error {
		if _, err := s.Customer(ctx, tx, id, false); err != nil {
			return err
		}
		var n int64
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+s.tbl("latepoint_bookings")+" WHERE customer_id = ?", id).Scan(&n); err != nil {
			return classify(err)
		}
		if n > 0 {
			return &hasBookingsError{Count: n}
		}
		return nil
	})
}

func (s *Store) dryRun(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.site.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return classify(err)
	}
	defer func() { _ = tx.Rollback() }()
	return fn(tx)
}

func pick(present bool, v, cur string) string {
	if present {
		return v
	}
	return cur
}

// hasBookingsError is returned by DeleteCustomer when bookings exist.
type hasBookingsError struct{ Count int64 }

func (e *hasBookingsError) Error() string {
	return fmt.Sprintf("latepoint: customer has %d bookings", e.Count)
}

// DeleteCustomer deletes a customer without bookings, with LatePoint's cascade (OsCustomerModel::delete,
// OsOrderModel::delete, OsBookingModel::delete; spec §5.1, §6.11) in one transaction. Activities, invoices and the
// WordPress user stay, as in LatePoint.
func (s *Store) DeleteCustomer(ctx context.Context, id int64) error {
	tx, err := s.site.DB.BeginTx(ctx, nil)
	if err != nil {
		return classify(err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := s.Customer(ctx, tx, id, true); err != nil {
		return err
	}
	// FOR UPDATE takes next-key locks on customer_id_index: no booking can be added for this customer until commit.
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+s.tbl("latepoint_bookings")+" WHERE customer_id = ? FOR UPDATE", id).Scan(&n); err != nil {
		return classify(err)
	}
	if n > 0 {
		return &hasBookingsError{Count: n}
	}
	orders, err := s.ids(ctx, tx, sq.Select("id").From(s.tbl("latepoint_orders")).Where("customer_id = ?", id).Suffix("FOR UPDATE"))
	if err != nil {
		return err
	}
	if len(orders) > 0 {
		items, err := s.ids(ctx, tx, sq.Select("id").From(s.tbl("latepoint_order_items")).Where(sq.Eq{"order_id": orders}))
		if err != nil {
			return err
		}
		if len(items) > 0 {
			// Bookings attached to the orders' items (possibly of another customer) go with the order, as in PHP.
			bookings, err := s.ids(ctx, tx, sq.Select("id").From(s.tbl("latepoint_bookings")).Where(sq.Eq{"order_item_id": items}))
			if err != nil {
				return err
			}
			if len(bookings) > 0 {
				if err := s.exec(ctx, tx,
					sq.Delete(s.tbl("latepoint_booking_meta")).Where(sq.Eq{"object_id": bookings}),
					sq.Delete(s.tbl("latepoint_process_jobs")).Where("object_model_type = 'booking'").Where(sq.Eq{"object_id": bookings}),
					sq.Delete(s.tbl("latepoint_bookings")).Where(sq.Eq{"id": bookings})); err != nil {
					return err
				}
			}
		}
		if err := s.exec(ctx, tx,
			sq.Delete(s.tbl("latepoint_transactions")).Where(sq.Eq{"order_id": orders}),
			sq.Delete(s.tbl("latepoint_order_items")).Where(sq.Eq{"order_id": orders}),
			sq.Delete(s.tbl("latepoint_order_meta")).Where(sq.Eq{"object_id": orders}),
			sq.Delete(s.tbl("latepoint_process_jobs")).Where("object_model_type = 'order'").Where(sq.Eq{"object_id": orders}),
			sq.Delete(s.tbl("latepoint_orders")).Where(sq.Eq{"id": orders})); err != nil {
			return err
		}
	}
	if err := s.fail("delete:orders"); err != nil {
		return err
	}
	if err := s.exec(ctx, tx,
		sq.Delete(s.tbl("latepoint_transactions")).Where("customer_id = ?", id),
		sq.Delete(s.tbl("latepoint_customer_meta")).Where("object_id = ?", id),
		sq.Delete(s.tbl("latepoint_customers")).Where("id = ?", id)); err != nil {
		return err
	}
	return classify(tx.Commit())
}

// ids runs a query of one id column.
func (s *Store) ids(ctx context.Context, q queryer, stmt sq.Sqlizer) ([]int64, error) {
	rows, err := s.query(ctx, q, stmt)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, classify(rows.Err())
}

// exec runs statements in order.
func (s *Store) exec(ctx context.Context, q queryer, stmts ...sq.Sqlizer) error {
	for _, st := range stmts {
		query, args, err := toSQL(st)
		if err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, query, args...); err != nil {
			return classify(err)
		}
	}
	return nil
}
