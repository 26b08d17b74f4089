package unified

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/go-sql-driver/mysql"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

const dbLayout = "2006-01-02 15:04:05"

// queryer is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// store runs every query of the unified API. Table names come only from the prefix helper, quoted
// (wpcompat.Ident); every value goes through a placeholder; a statement whose shape depends on the request (the
// matching rules' optional conditions, the columns of a partial update) is built with squirrel. It reads and writes the primary (s.site.DB): resolving a person may write its link.
type store struct {
	site *wpcompat.Site

	// failpoint (tests only) is called between the write steps of an update; an error aborts the transaction.
	failpoint func(step string) error

	mu        sync.Mutex
	present   map[string]bool
	presentAt time.Time
}

// tbl and the helpers below are quoted table names, for statement text.
func (s *store) tbl(base string) string { return s.site.Tables.Table(base) }
func (s *store) users() string          { return s.site.Tables.UsersTable() }
func (s *store) usermeta() string       { return s.site.Tables.UsermetaTable() }
func (s *store) links() string          { return s.tbl("wpsidecar_customer_links") }
func (s *store) fct() string            { return s.tbl("fct_customers") }
func (s *store) fctAddr() string        { return s.tbl("fct_customer_addresses") }
func (s *store) lp() string             { return s.tbl("latepoint_customers") }

func (s *store) db() *sql.DB { return s.site.DB }

func (s *store) now() time.Time { return s.site.Clock().UTC() }

func (s *store) fail(step string) error {
	if s.failpoint != nil {
		return s.failpoint(step)
	}
	return nil
}

// plugins reports which plugins' customer tables exist (a site may run only one of them). Schema facts, not rows,
// so they are cached for a minute.
func (s *store) plugins(ctx context.Context) (fc, lp bool, err error) {
	s.mu.Lock()
	if s.present != nil && time.Since(s.presentAt) < time.Minute {
		fc, lp = s.present["fc"], s.present["lp"]
		s.mu.Unlock()
		return fc, lp, nil
	}
	s.mu.Unlock()
	t := s.site.Tables
	if fc, err = s.tableExists(ctx, t.Name("fct_customers"), t.Name("fct_customer_addresses")); err != nil {
		return false, false, err
	}
	if lp, err = s.tableExists(ctx, t.Name("latepoint_customers")); err != nil {
		return false, false, err
	}
	s.mu.Lock()
	s.present, s.presentAt = map[string]bool{"fc": fc, "lp": lp}, time.Now()
	s.mu.Unlock()
	return fc, lp, nil
}

func (s *store) tableExists(ctx context.Context, names ...string) (bool, error) {
	for _, n := range names {
		ok, err := s.site.TableExists(ctx, n)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func isDuplicate(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == 1062
}

func isDeadlock(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1213 || me.Number == 1205)
}

func forUpdate(lock bool) string {
	if lock {
		return " FOR UPDATE"
	}
	return ""
}

// ---- member rows -------------------------------------------------------------------------------------------

func (s *store) user(ctx context.Context, q queryer, id int64, lock bool) (*userRow, error) {
	var u userRow
	err := q.QueryRowContext(ctx, "SELECT ID, user_email, user_url, user_registered, display_name FROM "+s.users()+
		" WHERE ID = ?"+forUpdate(lock), id).Scan(&u.ID, &u.Email, &u.URL, &u.Registered, &u.DisplayName)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read user %d: %w", id, err)
	}
	return &u, nil
}

func (s *store) fcCustomer(ctx context.Context, q queryer, id int64, lock bool) (*fcCustomerRow, error) {
	var c fcCustomerRow
	err := q.QueryRowContext(ctx, "SELECT id, user_id, email, first_name, last_name, status, uuid, created_at, updated_at FROM "+
		s.fct()+" WHERE id = ?"+forUpdate(lock), id).Scan(&c.ID, &c.UserID, &c.Email, &c.FirstName, &c.LastName, &c.Status,
		&c.UUID, &c.CreatedAt, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read FluentCart customer %d: %w", id, err)
	}
	return &c, nil
}

// fcPrimaryAddress is the customer's primary address of a type (the primary_billing_address /
// primary_shipping_address relations of app/Models/Customer.php: is_primary = 1), lowest id first.
func (s *store) fcPrimaryAddress(ctx context.Context, q queryer, customerID int64, typ string) (*fcAddressRow, error) {
	var a fcAddressRow
	err := q.QueryRowContext(ctx, "SELECT id, address_1, address_2, city, state, postcode, country, phone FROM "+s.fctAddr()+
		" WHERE customer_id = ? AND type = ? AND is_primary = 1 ORDER BY id LIMIT 1", customerID, typ).
		Scan(&a.ID, &a.Address1, &a.Address2, &a.City, &a.State, &a.Postcode, &a.Country, &a.Phone)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read FluentCart %s address of customer %d: %w", typ, customerID, err)
	}
	return &a, nil
}

func (s *store) lpCustomer(ctx context.Context, q queryer, id int64, lock bool) (*lpCustomerRow, error) {
	var c lpCustomerRow
	err := q.QueryRowContext(ctx, "SELECT id, first_name, last_name, email, phone, status, wordpress_user_id, created_at, updated_at FROM "+
		s.lp()+" WHERE id = ?"+forUpdate(lock), id).Scan(&c.ID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.Status,
		&c.WordPressUserID, &c.CreatedAt, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read LatePoint customer %d: %w", id, err)
	}
	return &c, nil
}

// userMeta is get_user_meta($id, $key, true) for a string value: the row with the lowest umeta_id
// (wordpress-auth-and-rest.md §2.4); found is false when the user has no such row.
func (s *store) userMeta(ctx context.Context, q queryer, userID int64, key string) (string, bool, error) {
	var v sql.NullString
	err := q.QueryRowContext(ctx, "SELECT meta_value FROM "+s.usermeta()+" WHERE user_id = ? AND meta_key = ? ORDER BY umeta_id LIMIT 1",
		userID, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read usermeta %s of user %d: %w", key, userID, err)
	}
	return v.String, true, nil
}

// ---- links -------------------------------------------------------------------------------------------------

const linkColumns = "uuid, user_id, fct_customer_id, latepoint_customer_id, phone, website, status, billing_address, shipping_address, created_at, changed_at"

func scanLink(row *sql.Row) (*linkRow, error) {
	var l linkRow
	err := row.Scan(&l.UUID, &l.UserID, &l.FCID, &l.LPID, &l.Phone, &l.Website, &l.Status, &l.Billing, &l.Shipping, &l.CreatedAt, &l.ChangedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read customer link: %w", err)
	}
	return &l, nil
}

func (s *store) linkByUUID(ctx context.Context, q queryer, uuid string, lock bool) (*linkRow, error) {
	return scanLink(q.QueryRowContext(ctx, "SELECT "+linkColumns+" FROM "+s.links()+" WHERE uuid = ?"+forUpdate(lock), uuid))
}

// memberColumn is the link column holding a member kind.
func memberColumn(k memberKind) string {
	switch k {
	case memberUser:
		return "user_id"
	case memberFC:
		return "fct_customer_id"
	default:
		return "latepoint_customer_id"
	}
}

func (s *store) linkByMember(ctx context.Context, q queryer, k memberKind, id int64) (*linkRow, error) {
	query, args, err := toSQL(sq.Select(linkColumns).From(s.links()).Where(sq.Eq{wpcompat.Ident(memberColumn(k)): id}))
	if err != nil {
		return nil, err
	}
	return scanLink(q.QueryRowContext(ctx, query, args...))
}

func (s *store) insertLink(ctx context.Context, l *linkRow) error {
	_, err := s.db().ExecContext(ctx, "INSERT INTO "+s.links()+" (uuid, user_id, fct_customer_id, latepoint_customer_id, created_at) VALUES (?, ?, ?, ?, ?)",
		l.UUID, l.UserID, l.FCID, l.LPID, l.CreatedAt)
	return err
}

// setLinkMembers re-points a link's members (refresh); a unique-key clash means another request linked one of them
// first, reported as errDuplicate.
func (s *store) setLinkMembers(ctx context.Context, l *linkRow) error {
	_, err := s.db().ExecContext(ctx, "UPDATE "+s.links()+" SET user_id = ?, fct_customer_id = ?, latepoint_customer_id = ? WHERE uuid = ?",
		l.UserID, l.FCID, l.LPID, l.UUID)
	if isDuplicate(err) {
		return errDuplicate
	}
	return err
}

// fcIDByUUID finds a FluentCart customer by its uuid column.
func (s *store) fcIDByUUID(ctx context.Context, uuid string) (int64, error) {
	var id int64
	err := s.db().QueryRowContext(ctx, "SELECT id FROM "+s.fct()+" WHERE uuid = ? ORDER BY id LIMIT 1", uuid).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// ---- matching (README "Linking rules") ------------------------------------------------------------------------

// firstID runs a query returning one id column; 0 when there is no row.
func firstID(ctx context.Context, q queryer, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, query, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// firstIDOf is firstID for a built statement.
func firstIDOf(ctx context.Context, q queryer, stmt sq.Sqlizer) (int64, error) {
	query, args, err := toSQL(stmt)
	if err != nil {
		return 0, err
	}
	var id int64
	err = q.QueryRowContext(ctx, query, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// unlinkedUser returns id when that user exists and belongs to no person yet.
func (s *store) unlinkedUser(ctx context.Context, id int64) (int64, error) {
	return firstID(ctx, s.db(), "SELECT u.ID FROM "+s.users()+" u WHERE u.ID = ? AND NOT EXISTS (SELECT 1 FROM "+s.links()+
		" l WHERE l.user_id = u.ID)", id)
}

// userByEmail: the lowest-ID unlinked user with this e-mail (the collation decides equality, as in WordPress),
// skipping a user that another customer of a plugin the person already has a customer in (fcID, lpID > 0) names by
// id: that customer is the user's person.
func (s *store) userByEmail(ctx context.Context, email string, fcOn, lpOn bool, fcID, lpID int64) (int64, error) {
	q := sq.Select("u.ID").From(s.users()+" u").Where("u.user_email = ?", email).
		Where(notExists(sq.Select("1").From(s.links() + " l").Where("l.user_id = u.ID")))
	if fcOn && fcID > 0 {
		q = q.Where(notExists(sq.Select("1").From(s.fct()+" c").Where("c.user_id = u.ID AND c.id <> ?", fcID)))
	}
	if lpOn && lpID > 0 {
		q = q.Where(notExists(sq.Select("1").From(s.lp()+" c").Where("c.wordpress_user_id = u.ID AND c.id <> ?", lpID)))
	}
	return firstIDOf(ctx, s.db(), q.OrderBy("u.ID").Limit(1))
}

// pluginCustomerFor finds a free customer in a plugin table: the lowest-id one naming the user by id, else the
// lowest-id one with one of the e-mails whose user column names no existing user. table is quoted; userCol and
// linkCol are column names fcFor/lpFor choose.
func (s *store) pluginCustomerFor(ctx context.Context, table, userCol, linkCol string, userID int64, emails []string) (int64, error) {
	user := wpcompat.Ident("c." + userCol)
	notLinked := notExists(sq.Select("1").From(s.links() + " l").Where(wpcompat.Ident("l."+linkCol) + " = c.id"))
	free := sq.Select("c.id").From(table + " c")
	if userID > 0 {
		id, err := firstIDOf(ctx, s.db(), free.Where(sq.Eq{user: userID}).Where(notLinked).OrderBy("c.id").Limit(1))
		if err != nil || id > 0 {
			return id, err
		}
	}
	orphan := sq.Or{sq.Eq{user: nil}, sq.Eq{user: 0}, notExists(sq.Select("1").From(s.users() + " u").Where("u.ID = " + user))}
	for _, e := range emails {
		id, err := firstIDOf(ctx, s.db(), free.Where(sq.Eq{"c.email": e}).Where(orphan).Where(notLinked).OrderBy("c.id").Limit(1))
		if err != nil || id > 0 {
			return id, err
		}
	}
	return 0, nil
}

// notExists is NOT EXISTS (sub).
func notExists(sub sq.SelectBuilder) sq.Sqlizer { return sq.Expr("NOT EXISTS (?)", sub) }

// toSQL renders a squirrel statement with `?` placeholders.
func toSQL(b sq.Sqlizer) (string, []any, error) {
	q, args, err := b.ToSql()
	if err != nil {
		return "", nil, fmt.Errorf("unified: build statement: %w", err)
	}
	return q, args, nil
}

func (s *store) fcFor(ctx context.Context, userID int64, emails []string) (int64, error) {
	return s.pluginCustomerFor(ctx, s.fct(), "user_id", "fct_customer_id", userID, emails)
}

func (s *store) lpFor(ctx context.Context, userID int64, emails []string) (int64, error) {
	return s.pluginCustomerFor(ctx, s.lp(), "wordpress_user_id", "latepoint_customer_id", userID, emails)
}

// anchorByEmail finds the record find-by-email starts from: a user with the e-mail, else a FluentCart customer,
// else a LatePoint customer (lowest id each).
func (s *store) anchorByEmail(ctx context.Context, email string, fc, lp bool) (anchor, error) {
	id, err := firstID(ctx, s.db(), "SELECT ID FROM "+s.users()+" WHERE user_email = ? ORDER BY ID LIMIT 1", email)
	if err != nil || id > 0 {
		return anchor{memberUser, id}, err
	}
	if fc {
		if id, err = firstID(ctx, s.db(), "SELECT id FROM "+s.fct()+" WHERE email = ? ORDER BY id LIMIT 1", email); err != nil || id > 0 {
			return anchor{memberFC, id}, err
		}
	}
	if lp {
		if id, err = firstID(ctx, s.db(), "SELECT id FROM "+s.lp()+" WHERE email = ? ORDER BY id LIMIT 1", email); err != nil || id > 0 {
			return anchor{memberLP, id}, err
		}
	}
	return anchor{}, nil
}

// ---- e-mail uniqueness under a lock --------------------------------------------------------------------------

// lockEmail takes a server-wide named lock for a normalised e-mail on conn (MySQL/MariaDB GET_LOCK), so that two
// requests moving people to the same address are serialised across every sidecar instance. The name hashes the
// database, the table prefix and the address (lock names are server-wide and at most 64 characters).
func (s *store) lockEmail(ctx context.Context, conn *sql.Conn, email string, wait time.Duration) (release func(), err error) {
	name := "wpsidecar:" + s.site.Tables.Prefix + ":" + normalizeEmail(email)
	var got sql.NullInt64
	err = conn.QueryRowContext(ctx, "SELECT GET_LOCK(CONCAT('wpsc:', LEFT(SHA2(CONCAT(DATABASE(), ?), 256), 48)), ?)",
		name, int(wait/time.Second)).Scan(&got)
	if err != nil {
		return nil, fmt.Errorf("e-mail lock: %w", err)
	}
	if !got.Valid || got.Int64 != 1 {
		return nil, errLockWait
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK(CONCAT('wpsc:', LEFT(SHA2(CONCAT(DATABASE(), ?), 256), 48)))", name)
	}, nil
}

// emailUsedByOthers reports whether any row of the three tables outside this person holds the e-mail (SQL
// equality under each column's collation, like WordPress's and LatePoint's own checks).
func (s *store) emailUsedByOthers(ctx context.Context, q queryer, p *person, email string, fc, lp bool) (bool, error) {
	var uid, fid, lid int64
	if p.User != nil {
		uid = p.User.ID
	}
	if p.FC != nil {
		fid = p.FC.ID
	}
	if p.LP != nil {
		lid = p.LP.ID
	}
	checks := []struct {
		q  string
		id int64
	}{{"SELECT ID FROM " + s.users() + " WHERE user_email = ? AND ID <> ? LIMIT 1", uid}}
	if fc {
		checks = append(checks, struct {
			q  string
			id int64
		}{"SELECT id FROM " + s.fct() + " WHERE email = ? AND id <> ? LIMIT 1", fid})
	}
	if lp {
		checks = append(checks, struct {
			q  string
			id int64
		}{"SELECT id FROM " + s.lp() + " WHERE email = ? AND id <> ? LIMIT 1", lid})
	}
	for _, c := range checks {
		id, err := firstID(ctx, q, c.q, email, c.id)
		if err != nil {
			return false, fmt.Errorf("e-mail uniqueness: %w", err)
		}
		if id > 0 {
			return true, nil
		}
	}
	return false, nil
}
