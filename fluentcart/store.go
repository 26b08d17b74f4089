package fluentcart

// Every query of the customers routes. Statements mirror the ones FluentCart's query builder sends (same WHERE
// shape, no ORDER BY where PHP has none) so MySQL returns rows in the order PHP sees them. Values always go
// through placeholders; identifiers come from fixed lists; table names from site.Tables.

import (
	"context"
	"crypto/md5"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	sq "github.com/Masterminds/squirrel"

	"github.com/wpsidecar/wpsidecar/bincache"
	"github.com/wpsidecar/wpsidecar/fluentcart/models"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpformat"
)

// ErrNotFound is returned when a row asked for by key does not exist.
var ErrNotFound = errors.New("fluentcart: not found")

// ErrDuplicate is returned when a customer with the e-mail exists (checked under the per-e-mail lock).
var ErrDuplicate = errors.New("fluentcart: duplicate customer e-mail")

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// store runs the plugin's queries against one site.
type store struct {
	site *wpcompat.Site
	// table names, resolved once
	customers, addresses, labelRels, orders, orderAddrs, meta, users, usermeta, subscriptions, orderItems, subscriptionMeta string
	// customerWithLabelsSQL is customerWithLabels' statement, built once (squirrel) for the table names above.
	customerWithLabelsSQL string
}

func newStore(site *wpcompat.Site) *store {
	t := site.Tables
	s := &store{site: site,
		customers: t.Name("fct_customers"), addresses: t.Name("fct_customer_addresses"),
		labelRels: t.Name("fct_label_relationships"), orders: t.Name("fct_orders"),
		orderAddrs: t.Name("fct_order_addresses"), meta: t.Name("fct_meta"), users: t.Users(),
		usermeta: t.Usermeta(), subscriptions: t.Name("fct_subscriptions"), orderItems: t.Name("fct_order_items"), subscriptionMeta: t.Name("fct_subscription_meta"),
	}
	// The linked user's photo meta (viewFor's photoMetas: get_user_meta single, the lowest umeta_id) comes as a
	// first column of its own, so that GET one needs no round trip for it.
	query, _, err := sq.Select().Column(sq.Expr("(SELECT pm.`meta_value` FROM "+ident(s.usermeta)+
		" pm WHERE pm.`user_id` = c.`user_id` AND pm.`meta_key` = ? ORDER BY pm.`umeta_id` LIMIT 1) AS `"+photoColumn+"`", photoMetaKey)).
		Columns("c.*", "lr.*").From(ident(s.customers)+" c").
		LeftJoin(ident(s.labelRels)+" lr ON lr.`labelable_id` = c.`id` AND lr.`labelable_type` = ?", customerMorphType).
		Where(sq.Expr("c.`id` = ?", "")).PlaceholderFormat(sq.Question).ToSql()
	if err != nil {
		panic("fluentcart: customer query: " + err.Error()) // constant shape: cannot fail
	}
	s.customerWithLabelsSQL = query
	return s
}

func (s *store) read() *sql.DB { return s.site.ReadDB }

func (s *store) queryAttrs(ctx context.Context, q querier, query string, args ...any) ([]*attrs, error) {
	rows, err := s.query(ctx, q, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return scanAttrs(rows)
}

// customerSelect is the ORM's SELECT *: PHP serialises the columns in the live table's order.
func (s *store) customerSelect() string { return "SELECT * FROM " + ident(s.customers) }

// findCustomer is Customer::find($id): `where id = ? limit 1` with the id bound as the string it came as
// (MySQL compares numerically: "12abc" finds 12).
func (s *store) findCustomer(ctx context.Context, q querier, id string) (*attrs, error) {
	list, err := s.queryAttrs(ctx, q, s.customerSelect()+" WHERE `id` = ? LIMIT 1", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	return list[0], nil
}

// findCustomerWithLabels is Customer::find($id) followed by the lazy load of its labels relation in one round
// trip: the customer LEFT JOIN its label relationships. The customer's columns come first, in the live table's order
// as SELECT * gives them, then the relationship's; the relationship rows come in id order, the order the
// labelable_id index gives PHP's separate `where labelable_id in (…) and labelable_type = ?`.
//
// With the read cache on (serve --cache) the result is read from the primary and kept until the binlog changes the
// customer's row or its label relationships; callers get their own copies.
func (s *store) findCustomerWithLabels(ctx context.Context, q querier, id string) (*customerRead, error) {
	rc := s.site.ReadCache
	if !rc.Healthy() {
		// The route declared this read (customerPrefetch): the authentication query may have brought the rows.
		// Not in the cache path below: an entry must be read after its cache token is taken.
		if v, ok := s.site.Prefetched(ctx, q, s.customerWithLabelsSQL, photoMetaKey, customerMorphType, id); ok {
			return splitCustomerLabels(v.([]*attrs))
		}
		return s.customerWithLabels(ctx, q, id)
	}
	key := "fccust\x00" + s.customers + "\x00" + id
	if v, ok := rc.Get(key); ok {
		e := v.(*cachedCustomer)
		return e.copy()
	}
	tok := rc.Begin()
	cr, err := s.customerWithLabels(ctx, s.site.DB, id)
	if err != nil {
		return nil, err
	}
	c, labels := cr.customer, cr.labels
	e := &cachedCustomer{customerRead: *cr}
	size := int64(256)
	for _, a := range append([]*attrs{c}, labels...) {
		for _, v := range a.vals {
			if str, ok := v.(string); ok {
				size += int64(len(str)) + 16
			}
		}
	}
	row := itoa(c.id())
	deps := []bincache.Dep{{Table: s.customers, Row: row}, {Table: s.labelRels, Row: row}}
	if uv, _ := c.get("user_id"); intval(uv) > 0 { // the photo meta
		uid := intval(uv)
		deps = append(deps, bincache.Dep{Table: s.usermeta, Row: itoa(uid)})
	}
	rc.Put(tok, key, e, size, deps...)
	return e.copy()
}

// customerRead is findCustomerWithLabels' answer: the customer, its label relationships and its linked user's
// photo meta ("" when none).
type customerRead struct {
	customer *attrs
	labels   []*attrs
	photo    string
}

// cachedCustomer is a read-cache entry of findCustomerWithLabels (read-only once stored).
type cachedCustomer struct{ customerRead }

func (e *cachedCustomer) copy() (*customerRead, error) {
	cp := func(a *attrs) *attrs { return &attrs{keys: a.keys, vals: append([]any(nil), a.vals...)} }
	labels := make([]*attrs, len(e.labels))
	for i, l := range e.labels {
		labels[i] = cp(l)
	}
	return &customerRead{customer: cp(e.customer), labels: labels, photo: e.photo}, nil
}

func (s *store) customerWithLabels(ctx context.Context, q querier, id string) (*customerRead, error) {
	list, err := s.queryAttrs(ctx, q, s.customerWithLabelsSQL, photoMetaKey, customerMorphType, id)
	if err != nil {
		return nil, err
	}
	return splitCustomerLabels(list)
}

// customerPrefetch declares customerWithLabels' statement for customer id to the authentication query
// (rest.Handler.Prefetch).
func (s *store) customerPrefetch(id string) *wpcompat.Prefetch {
	return &wpcompat.Prefetch{Query: s.customerWithLabelsSQL, Args: []any{photoMetaKey, customerMorphType, id},
		Scan: func(rows *sql.Rows) (any, error) { return scanAttrs(rows) }}
}

// splitCustomerLabels splits customerWithLabels' joined rows into the customer and its label relationships.
func splitCustomerLabels(list []*attrs) (*customerRead, error) {
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	var photo string
	if len(list[0].keys) > 0 && list[0].keys[0] == photoColumn {
		photo, _ = list[0].vals[0].(string)
		for _, row := range list {
			row.keys, row.vals = row.keys[1:], row.vals[1:]
		}
	}
	keys := list[0].keys
	split := len(keys)
	for i := 1; i < len(keys); i++ {
		if keys[i] == "id" { // the relationship's first column
			split = i
			break
		}
	}
	c := &attrs{keys: keys[:split:split], vals: list[0].vals[:split:split]}
	var labels []*attrs
	for _, row := range list {
		if split < len(keys) && row.vals[split] != nil {
			labels = append(labels, &attrs{keys: keys[split:], vals: row.vals[split:]})
		}
	}
	if len(labels) > 1 {
		sort.SliceStable(labels, func(i, j int) bool {
			a, _ := strconv.ParseInt(fmt.Sprint(labels[i].vals[0]), 10, 64)
			b, _ := strconv.ParseInt(fmt.Sprint(labels[j].vals[0]), 10, 64)
			return a < b
		})
	}
	return &customerRead{customer: c, labels: labels, photo: photo}, nil
}

const (
	photoMetaKey = "fc_customer_photo_url"
	photoColumn  = "__wpsidecar_photo" // not a column of fct_customers
)

// whereClause is one entry of a query builder's wheres: its boolean (AND unless or) and its condition.
type whereClause struct {
	or   bool
	cond sq.Sqlizer
}

// andWhere / orWhere are where() and orWhere() of the query builder.
func andWhere(c sq.Sqlizer) whereClause { return whereClause{cond: c} }
func orWhere(c sq.Sqlizer) whereClause  { return whereClause{or: true, cond: c} }

// whereList joins clauses the way the grammar does: the first boolean is dropped and nothing is grouped
// ("a AND b OR c", as PHP sends it).
type whereList []whereClause

func (ws whereList) ToSql() (string, []any, error) {
	var b strings.Builder
	var args []any
	for i, w := range ws {
		part, a, err := w.cond.ToSql()
		if err != nil {
			return "", nil, err
		}
		if i > 0 {
			if w.or {
				b.WriteString(" OR ")
			} else {
				b.WriteString(" AND ")
			}
		}
		b.WriteString(part)
		args = append(args, a...)
	}
	return b.String(), args, nil
}

// withWheres adds the clauses to a statement (none: no WHERE).
func withWheres(b sq.SelectBuilder, ws []whereClause) sq.SelectBuilder {
	if len(ws) == 0 {
		return b
	}
	return b.Where(whereList(ws))
}

// listQuery is a compiled customer list: the WHERE clauses, count columns, order and page window.
type listQuery struct {
	wheres  []whereClause
	columns []string // explicit select list (validated column names); nil means all columns
	counts  []countColumn
	sortBy  string // a fillable column
	sortDir string // ASC or DESC
	limit   uint64
	offset  uint64
}

// countColumn is a withCount() column: a correlated COUNT(*) and its alias.
type countColumn struct {
	alias string
	expr  sq.Sqlizer
}

// countRows runs the paginator's `select count(*) as aggregate` over table with the clauses.
func (s *store) countRows(ctx context.Context, table string, ws []whereClause) (int64, error) {
	query, args, err := withWheres(sq.Select("COUNT(*) AS aggregate").From(ident(table)), ws).ToSql()
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.queryRow(ctx, s.read(), query, args...).Scan(&n)
	return n, err
}

// countCustomers is the customers paginator's count with the list's WHERE.
func (s *store) countCustomers(ctx context.Context, lq *listQuery) (int64, error) {
	return s.countRows(ctx, s.customers, lq.wheres)
}

// pageCustomers is the page select: columns (and relation counts), WHERE, ORDER BY, LIMIT/OFFSET.
func (s *store) pageCustomers(ctx context.Context, lq *listQuery) ([]*attrs, error) {
	var cols []string
	switch {
	case lq.columns != nil:
		for _, c := range lq.columns {
			cols = append(cols, ident(c))
		}
	case len(lq.counts) > 0:
		cols = []string{ident(s.customers) + ".*"}
	default:
		cols = []string{"*"}
	}
	b := sq.Select(cols...).From(ident(s.customers))
	for _, c := range lq.counts {
		b = b.Column(sq.Alias(c.expr, ident(c.alias)))
	}
	b = withWheres(b, lq.wheres).OrderBy(ident(lq.sortBy) + " " + lq.sortDir).Limit(lq.limit).Offset(lq.offset)
	return s.selectAttrs(ctx, s.read(), b)
}

// labelRelations is the eager load of Customer::labels (morphMany LabelRelationship).
func (s *store) labelRelations(ctx context.Context, q querier, ids []int64) ([]*attrs, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.selectAttrs(ctx, q, sq.Select("*").From(ident(s.labelRels)).
		Where(sq.Eq{ident("labelable_id"): ids}).Where(sq.Eq{ident("labelable_type"): customerMorphType}))
}

// addressRelation is the eager load of billing_address / shipping_address (and their primary_ variants).
func (s *store) addressRelation(ctx context.Context, typ string, primaryOnly bool, ids []int64) ([]*attrs, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	b := sq.Select("*").From(ident(s.addresses)).Where(sq.Eq{ident("type"): typ})
	if primaryOnly {
		b = b.Where(sq.Eq{ident("is_primary"): 1})
	}
	return s.selectAttrs(ctx, s.read(), b.Where(sq.Eq{ident("customer_id"): ids}))
}

// usersByID is the eager load of Customer::wpUser (belongsTo User on user_id).
func (s *store) usersByID(ctx context.Context, ids []int64) ([]*attrs, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.selectAttrs(ctx, s.read(), sq.Select("*").From(ident(s.users)).Where(sq.Eq{ident("ID"): ids}))
}

// ordersOf is the eager load of Customer::orders.
func (s *store) ordersOf(ctx context.Context, ids []int64) ([]*attrs, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.selectAttrs(ctx, s.read(), sq.Select("*").From(ident(s.orders)).Where(sq.Eq{ident("customer_id"): ids}))
}

// photoMetas reads fc_customer_photo_url for users (get_user_meta single: the lowest umeta_id per user).
func (s *store) photoMetas(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := sq.Select(ident("user_id"), ident("meta_value")).From(ident(s.usermeta)).
		Where(sq.Eq{ident("meta_key"): photoMetaKey}).Where(sq.Eq{ident("user_id"): ids}).
		OrderBy(ident("umeta_id")).ToSql()
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, s.read(), query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var v sql.NullString
		if err := rows.Scan(&uid, &v); err != nil {
			return nil, err
		}
		if _, seen := out[uid]; !seen {
			out[uid] = v.String
		}
	}
	return out, rows.Err()
}

// userMeta is get_user_meta($id, $key, true) as the raw stored string ("" when absent).
func (s *store) userMeta(ctx context.Context, q querier, userID int64, key string) (string, error) {
	var v sql.NullString
	err := s.queryRow(ctx, q, "SELECT `meta_value` FROM "+ident(s.usermeta)+" WHERE `user_id` = ? AND `meta_key` = ? ORDER BY `umeta_id` LIMIT 1",
		userID, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v.String, err
}

// checkoutFieldsMeta is fluent_cart_get_option('_fc_checkout_fields') raw (found false when there is no row).
func (s *store) checkoutFieldsMeta(ctx context.Context) (string, bool, error) {
	var v sql.NullString
	err := s.queryRow(ctx, s.read(), "SELECT `meta_value` FROM "+ident(s.meta)+" WHERE `meta_key` = ? AND `object_type` = ? LIMIT 1",
		"_fc_checkout_fields", "option").Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return v.String, v.Valid, nil
}

// query runs a SELECT on a pool or a transaction. The connection interpolates placeholder values client-side
// (wpcompat.OpenDB), so every query is one round trip without prepared statements.
func (s *store) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	return q.QueryContext(ctx, query, args...)
}

// queryRow is query for a single row.
func (s *store) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	return q.QueryRowContext(ctx, query, args...)
}

// --- statements of the write routes -------------------------------------------------------------------------

// firstCustomerByEmail is Customer::where('email', $e)->first() (nil when none).
func (s *store) firstCustomerByEmail(ctx context.Context, q querier, email string) (*attrs, error) {
	list, err := s.queryAttrs(ctx, q, s.customerSelect()+" WHERE `email` = ? LIMIT 1", email)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// customerOfUser is getCurrentCustomer's lookup: user_id = uid OR email = the user's e-mail, first row.
func (s *store) customerOfUser(ctx context.Context, q querier, uid int64) (*attrs, error) {
	var email string
	if err := q.QueryRowContext(ctx, "SELECT `user_email` FROM "+ident(s.users)+" WHERE `ID` = ?", uid).Scan(&email); err != nil {
		return nil, err
	}
	list, err := s.queryAttrs(ctx, q, s.customerSelect()+" WHERE `user_id` = ? OR `email` = ? LIMIT 1", uid, email)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// insertAttrs inserts a model's attributes (names from fixed column lists) and returns the new id; nil values are
// bound as ” the way wpdb does.
func (s *store) insertAttrs(ctx context.Context, q querier, table string, a *attrs) (int64, error) {
	cols := make([]string, len(a.keys))
	vals := make([]any, len(a.keys))
	for i, k := range a.keys {
		cols[i] = ident(k)
		vals[i] = sqlValue(a.vals[i])
	}
	query, args, err := sq.Insert(ident(table)).Columns(cols...).Values(vals...).ToSql()
	if err != nil {
		return 0, err
	}
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// updateByID writes columns (names from fixed lists) of one row.
func (s *store) updateByID(ctx context.Context, q querier, table string, id int64, cols []string, vals []any) error {
	b := sq.Update(ident(table))
	for i, c := range cols {
		b = b.Set(ident(c), vals[i])
	}
	query, args, err := b.Where(sq.Eq{ident("id"): id}).ToSql()
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, query, args...)
	return err
}

// customersIn loads customers by id (integers, or the raw values of a request bound as strings).
func (s *store) customersIn(ctx context.Context, q querier, ids []any) ([]*attrs, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.selectAttrs(ctx, q, sq.Select("*").From(ident(s.customers)).Where(sq.Eq{ident("id"): stringArgs(ids)}))
}

// deleteCustomer is $customer->orders()->delete() then $customer->delete().
func (s *store) deleteCustomer(ctx context.Context, q querier, id int64) error {
	if _, err := q.ExecContext(ctx, "DELETE FROM "+ident(s.orders)+" WHERE `customer_id` = ? AND `customer_id` IS NOT NULL", id); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, "DELETE FROM "+ident(s.customers)+" WHERE `id` = ?", id)
	return err
}

// userExists is User::find($id) != null.
func (s *store) userExists(ctx context.Context, q querier, id any) (bool, error) {
	var uid int64
	err := q.QueryRowContext(ctx, "SELECT `ID` FROM "+ident(s.users)+" WHERE `ID` = ? LIMIT 1", id).Scan(&uid)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// userHasCustomer is User::customer (hasOne Customer on user_id) != null.
func (s *store) userHasCustomer(ctx context.Context, q querier, uid int64) (bool, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT `id` FROM "+ident(s.customers)+" WHERE `user_id` = ? LIMIT 1", uid).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// attachableUsers is User::select('ID','display_name','user_email')->whereDoesntHave('customer')->get().
func (s *store) attachableUsers(ctx context.Context) ([]*attrs, error) {
	return s.queryAttrs(ctx, s.read(), "SELECT `ID`, `display_name`, `user_email` FROM "+ident(s.users)+" WHERE NOT EXISTS (SELECT * FROM "+ident(s.customers)+" WHERE "+ident(s.users)+".`ID` = "+ident(s.customers)+".`user_id`)")
}

// userRow is the whole users row of uid (nil when none).
func (s *store) userRow(ctx context.Context, q querier, uid int64) (*attrs, error) {
	rows, err := s.queryAttrs(ctx, q, "SELECT * FROM "+ident(s.users)+" WHERE `ID` = ? LIMIT 1", uid)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return rows[0], nil
}

// updateUserProfile is wp_insert_user's $wpdb->update of the columns a profile update can change.
func (s *store) updateUserProfile(ctx context.Context, q querier, uid int64, nicename, email, url, display string) error {
	_, err := q.ExecContext(ctx, "UPDATE "+ident(s.users)+" SET `user_nicename` = ?, `user_email` = ?, `user_url` = ?, `display_name` = ? WHERE `ID` = ?",
		nicename, email, url, display, uid)
	return err
}

// insertUser is wp_insert_user's $wpdb->insert (insert path).
func (s *store) insertUser(ctx context.Context, q querier, hash, nicename, email, registered, display, login string) (int64, error) {
	res, err := q.ExecContext(ctx, "INSERT INTO "+ident(s.users)+" (`user_pass`, `user_nicename`, `user_email`, `user_url`, `user_registered`, `user_activation_key`, `display_name`, `user_login`) VALUES (?, ?, ?, '', ?, '', ?, ?)",
		hash, nicename, email, registered, display, login)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// addUserMeta is add_user_meta for each key/value in order.
func (s *store) addUserMeta(ctx context.Context, q querier, uid int64, metas [][2]string) error {
	for _, m := range metas {
		if _, err := q.ExecContext(ctx, "INSERT INTO "+ident(s.usermeta)+" (`user_id`, `meta_key`, `meta_value`) VALUES (?, ?, ?)", uid, m[0], m[1]); err != nil {
			return err
		}
	}
	return nil
}

// setActivationKey stores get_password_reset_key's hashed key.
func (s *store) setActivationKey(ctx context.Context, q querier, uid int64, key string) error {
	_, err := q.ExecContext(ctx, "UPDATE "+ident(s.users)+" SET `user_activation_key` = ? WHERE `ID` = ?", key, uid)
	return err
}

// refreshUserCount is update_option('user_count', COUNT(ID)) while the stored count is at most 10,000
// (wp_maybe_update_user_counts on a single site; a new option is added with autoload off).
func (s *store) refreshUserCount(ctx context.Context, q querier) error {
	opts := s.site.Tables.Options()
	var stored sql.NullString
	err := q.QueryRowContext(ctx, "SELECT `option_value` FROM "+ident(opts)+" WHERE `option_name` = 'user_count' LIMIT 1").Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if stored.Valid && stringToInt(stored.String) > 10000 {
		return nil
	}
	var n int64
	if err := q.QueryRowContext(ctx, "SELECT COUNT(ID) FROM "+ident(s.users)).Scan(&n); err != nil {
		return err
	}
	switch {
	case !stored.Valid:
		_, err = q.ExecContext(ctx, "INSERT INTO "+ident(opts)+" (`option_name`, `option_value`, `autoload`) VALUES ('user_count', ?, 'off') ON DUPLICATE KEY UPDATE `option_value` = VALUES(`option_value`)", itoa(n))
	case stored.String != itoa(n):
		_, err = q.ExecContext(ctx, "UPDATE "+ident(opts)+" SET `option_value` = ? WHERE `option_name` = 'user_count'", itoa(n))
	}
	return err
}

// addressesOf is CustomerAddressResource::get: the customer's addresses (of one type when typ is set), primary
// first, ties in the order MySQL returns them.
func (s *store) addressesOf(ctx context.Context, customerID string, typ *string) ([]*attrs, error) {
	b := sq.Select("*").From(ident(s.addresses)).Where(sq.Eq{ident("customer_id"): customerID})
	if typ != nil {
		b = b.Where(sq.Eq{ident("type"): *typ})
	}
	return s.selectAttrs(ctx, s.read(), b.OrderBy(ident("is_primary")+" DESC"))
}

// eqOrNull is the query builder's where($column, $v): IS NULL for a null value, else = the bound string.
func eqOrNull(column string, v any) sq.Eq {
	if v == nil {
		return sq.Eq{ident(column): nil}
	}
	return sq.Eq{ident(column): sqlValue(v)}
}

// execBuilt runs a squirrel statement that writes.
func (s *store) execBuilt(ctx context.Context, q querier, b sq.Sqlizer) (sql.Result, error) {
	query, args, err := b.ToSql()
	if err != nil {
		return nil, err
	}
	return q.ExecContext(ctx, query, args...)
}

// countBuilt runs a squirrel COUNT(*) statement.
func (s *store) countBuilt(ctx context.Context, q querier, b sq.SelectBuilder) (int64, error) {
	query, args, err := b.ToSql()
	if err != nil {
		return 0, err
	}
	var n int64
	err = q.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}

// countPrimaryAddresses counts the customer's primary addresses of a type.
func (s *store) countPrimaryAddresses(ctx context.Context, q querier, customerID string, typ any) (int64, error) {
	return s.countBuilt(ctx, q, sq.Select("COUNT(*)").From(ident(s.addresses)).Where(sq.Eq{ident("customer_id"): customerID}).
		Where(eqOrNull("type", typ)).Where(sq.Eq{ident("is_primary"): "1"}))
}

// countAddresses counts all addresses of a customer.
func (s *store) countAddresses(ctx context.Context, q querier, customerID any) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+ident(s.addresses)+" WHERE `customer_id` = ?", customerID).Scan(&n)
	return n, err
}

// deleteAddress deletes one address row.
func (s *store) deleteAddress(ctx context.Context, q querier, id int64) error {
	_, err := q.ExecContext(ctx, "DELETE FROM "+ident(s.addresses)+" WHERE `id` = ?", id)
	return err
}

// makePrimary is CustomerAddressResource::makePrimary's two model-builder updates (both set updated_at); it
// returns the rows the second one changed.
func (s *store) makePrimary(ctx context.Context, q querier, customerID string, addressID, typ any, now string) (int64, error) {
	if _, err := s.execBuilt(ctx, q, sq.Update(ident(s.addresses)).Set(ident("is_primary"), "0").Set(ident("updated_at"), now).
		Where(sq.Eq{ident("customer_id"): customerID}).Where(eqOrNull("type", typ))); err != nil {
		return 0, err
	}
	idCond := sq.Eq{ident("id"): addressID} // IS NULL for a null id
	res, err := s.execBuilt(ctx, q, sq.Update(ident(s.addresses)).Set(ident("is_primary"), "1").Set(ident("updated_at"), now).
		Where(idCond).Where(sq.Eq{ident("customer_id"): customerID}).Where(eqOrNull("type", typ)))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// orderAddress is OrderAddressResource::find($orderId, ['type' => $t]) (nil when none).
func (s *store) orderAddress(ctx context.Context, q querier, orderID int64, typ any) (*attrs, error) {
	rows, err := s.selectAttrs(ctx, q, sq.Select("*").From(ident(s.orderAddrs)).Where(sq.Eq{ident("order_id"): orderID}).
		Where(eqOrNull("type", typ)).Limit(1))
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return rows[0], nil
}

// removeLabel deletes one label relationship of a customer (labelable_id bound as the path gave it).
func (s *store) removeLabel(ctx context.Context, q querier, labelID, labelableID string) error {
	_, err := q.ExecContext(ctx, "DELETE FROM "+ident(s.labelRels)+" WHERE `label_id` = ? AND `labelable_id` = ? AND `labelable_type` = ?",
		labelID, labelableID, customerMorphType)
	return err
}

// hasLabel is LabelRelationship::where(label_id, labelable_id, labelable_type)->exists().
func (s *store) hasLabel(ctx context.Context, q querier, labelID any, labelableID string) (bool, error) {
	n, err := s.countBuilt(ctx, q, sq.Select("COUNT(*)").From(ident(s.labelRels)).Where(eqOrNull("label_id", labelID)).
		Where(sq.Eq{ident("labelable_id"): labelableID}).Where(sq.Eq{ident("labelable_type"): customerMorphType}))
	return n > 0, err
}

// addLabel inserts a label relationship ($customer->labels()->save()).
func (s *store) addLabel(ctx context.Context, q querier, labelID any, customerID int64, now string) error {
	_, err := q.ExecContext(ctx, "INSERT INTO "+ident(s.labelRels)+" (`label_id`, `labelable_id`, `labelable_type`, `updated_at`, `created_at`) VALUES (?, ?, ?, ?, ?)",
		sqlValue(labelID), customerID, customerMorphType, now, now)
	return err
}

// paidOrders are Customer::recountStat's orders: paid, partially refunded or partially paid.
func (s *store) paidOrders(ctx context.Context, q querier, customerID int64) ([]*attrs, error) {
	return s.queryAttrs(ctx, q, "SELECT * FROM "+ident(s.orders)+" WHERE `customer_id` = ? AND `payment_status` IN (?, ?, ?)",
		customerID, "paid", "partially_refunded", "partially_paid")
}

// orderCustomerMatch is OrderFilter's "customer" search: a customer of the order whose full name or e-mail
// contains value (the full name with LIKE's wildcards escaped, the e-mail as given).
func (s *store) orderCustomerMatch(value string) whereClause {
	return andWhere(sq.Expr("EXISTS (SELECT * FROM "+ident(s.customers)+" WHERE "+ident(s.orders, "customer_id")+" = "+
		ident(s.customers, "id")+" AND (CONCAT(first_name, ' ', last_name) LIKE ? OR `email` LIKE ?))",
		"%"+escapeLike(value)+"%", "%"+value+"%"))
}

// orderSearch is OrderFilter's default search over the trimmed term: invoice number, the customer's e-mail or
// full name, or an item's title.
func (s *store) orderSearch(term string) whereClause {
	like := escapeLike(term)
	return andWhere(sq.Expr("(`invoice_no` LIKE ? OR EXISTS (SELECT * FROM "+ident(s.customers)+" WHERE "+ident(s.orders, "customer_id")+
		" = "+ident(s.customers, "id")+" AND (`email` LIKE ? OR CONCAT(first_name, ' ', last_name) LIKE ?)) OR EXISTS (SELECT * FROM "+
		ident(s.orderItems)+" WHERE "+ident(s.orders, "id")+" = "+ident(s.orderItems, "order_id")+" AND (`title` LIKE ? OR `post_title` LIKE ?)))",
		"%"+term+"%", "%"+term+"%", "%"+like+"%", "%"+like+"%", "%"+like+"%"))
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// escapeLike escapes LIKE's wildcards and the escape character.
func escapeLike(v string) string { return likeEscaper.Replace(v) }

// countOrders / pageOrders are the orders paginator's two queries (sortBy a fillable column, dir ASC or DESC).
func (s *store) countOrders(ctx context.Context, ws []whereClause) (int64, error) {
	return s.countRows(ctx, s.orders, ws)
}

func (s *store) pageOrders(ctx context.Context, ws []whereClause, sortBy, dir string, limit, offset uint64) ([]*attrs, error) {
	b := withWheres(sq.Select("*").From(ident(s.orders)), ws).OrderBy(ident(sortBy) + " " + dir).Limit(limit).Offset(offset)
	return s.selectAttrs(ctx, s.read(), b)
}

// emailLock serialises creates for one e-mail with a MySQL named lock held on a dedicated connection (the
// plugin's e-mail column has no unique index and none may be added). An empty key takes no lock.
func (s *store) emailLock(ctx context.Context, key string) (*sql.Conn, func(), error) {
	conn, err := s.site.DB.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	if key == "" {
		return conn, func() { conn.Close() }, nil
	}
	sum := md5.Sum([]byte(s.site.Tables.Prefix + "\x00" + key))
	name := "wpsidecar_fc_" + hex.EncodeToString(sum[:])
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 10)", name).Scan(&got); err != nil {
		conn.Close()
		return nil, nil, err
	}
	if !got.Valid || got.Int64 != 1 {
		conn.Close()
		return nil, nil, fmt.Errorf("fluentcart: could not lock customer e-mail %q", key)
	}
	return conn, func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK(?)", name)
		conn.Close()
	}, nil
}

// emailTaken is the "exist" query: a customer (other than excludeID when non-zero) whose e-mail equals email
// under the column's collation.
func (s *store) emailTaken(ctx context.Context, q querier, email string, excludeID int64) (bool, error) {
	b := sq.Select(ident("id")).From(ident(s.customers))
	if excludeID != 0 {
		b = b.Where(sq.NotEq{ident("id"): excludeID})
	}
	query, args, err := b.Where(sq.Eq{ident("email"): email}).Limit(1).ToSql()
	if err != nil {
		return false, err
	}
	var id int64
	err = q.QueryRowContext(ctx, query, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// userIDByEmail is get_user_by('email', $email): trimmed, empty -> none.
func (s *store) userIDByEmail(ctx context.Context, q querier, email string) (int64, bool, error) {
	email = php.Trim(email)
	if email == "" || email == "0" {
		return 0, false, nil
	}
	var id int64
	err := q.QueryRowContext(ctx, "SELECT `ID` FROM "+ident(s.users)+" WHERE `user_email` = ? LIMIT 1", email).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// findAddress is CustomerAddresses::find($id) (the id bound as given).
func (s *store) findAddress(ctx context.Context, q querier, id string) (*attrs, error) {
	list, err := s.queryAttrs(ctx, q, "SELECT * FROM "+ident(s.addresses)+" WHERE `id` = ? LIMIT 1", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	return list[0], nil
}

func (s *store) userMetaValues(ctx context.Context, q querier, uid int64) (storedMetas, error) {
	query, args, err := sq.Select(ident("meta_key"), ident("meta_value")).From(ident(s.usermeta)).
		Where(sq.Eq{ident("user_id"): uid}).Where(sq.Eq{ident("meta_key"): userMetaKeys}).OrderBy(ident("umeta_id")).ToSql()
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := storedMetas{}
	for rows.Next() {
		var k string
		var v sql.NullString
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = append(out[k], v.String)
	}
	return out, rows.Err()
}

// updateUserMeta is update_user_meta: nothing when the single stored value is identical, an INSERT when there is
// none, else an UPDATE of every row with the key.
func (s *store) updateUserMeta(ctx context.Context, q querier, uid int64, key, val string, stored storedMetas) error {
	old := stored[key]
	if len(old) == 1 && old[0] == val {
		return nil
	}
	var err error
	if len(old) == 0 {
		_, err = q.ExecContext(ctx, "INSERT INTO "+ident(s.usermeta)+" (`user_id`, `meta_key`, `meta_value`) VALUES (?, ?, ?)", uid, key, val)
	} else {
		_, err = q.ExecContext(ctx, "UPDATE "+ident(s.usermeta)+" SET `meta_value` = ? WHERE `user_id` = ? AND `meta_key` = ?", val, uid, key)
	}
	return err
}

// uniqueNicename is wp_insert_user's nicename de-duplication: another row (by user_login) with the nicename
// gets "-2", "-3" ... appended to a base cut to fit 50 characters.
func (s *store) uniqueNicename(ctx context.Context, q querier, nicename, login string) (string, error) {
	taken := func(n string) (bool, error) {
		var id int64
		err := q.QueryRowContext(ctx, "SELECT `ID` FROM "+ident(s.users)+" WHERE `user_nicename` = ? AND `user_login` != ? LIMIT 1", n, login).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		return err == nil, err
	}
	t, err := taken(nicename)
	if err != nil || !t {
		return nicename, err
	}
	for suffix := 2; ; suffix++ {
		sfx := itoa(int64(suffix))
		base := []rune(nicename)
		if n := 49 - len(sfx); len(base) > n {
			base = base[:n]
		}
		alt := string(base) + "-" + sfx
		t, err := taken(alt)
		if err != nil {
			return "", err
		}
		if !t {
			return alt, nil
		}
	}
}

func (s *store) usernameExists(ctx context.Context, q querier, login string) (bool, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT `ID` FROM "+ident(s.users)+" WHERE `user_login` = ? LIMIT 1", wpformat.SanitizeUser(login)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// --- orders, order items and subscriptions of the customer screens (built with squirrel) ---------------------

// ident quotes a prefixed table name or a column from a fixed list (wpcompat.Ident); "a", "b" gives `a`.`b`.
// Request values never go through it.
func ident(parts ...string) string { return wpcompat.Ident(strings.Join(parts, ".")) }

// selectAttrs runs a squirrel SELECT and reads its rows as attribute bags.
func (s *store) selectAttrs(ctx context.Context, q querier, b sq.SelectBuilder) ([]*attrs, error) {
	query, args, err := b.PlaceholderFormat(sq.Question).ToSql()
	if err != nil {
		return nil, err
	}
	return s.queryAttrs(ctx, q, query, args...)
}

// itemsOfOrders is the eager load of Order::order_items (and filteredOrderItems): `where order_id in (keys)`.
func (s *store) itemsOfOrders(ctx context.Context, orderIDs []int64) ([]*attrs, error) {
	if len(orderIDs) == 0 {
		return nil, nil
	}
	return s.selectAttrs(ctx, s.read(), sq.Select("*").From(ident(s.orderItems)).
		Where(sq.Eq{ident(s.orderItems, "order_id"): orderIDs}))
}

// subscriptionsOfCustomers is the eager load of Customer::subscriptions.
func (s *store) subscriptionsOfCustomers(ctx context.Context, customerIDs []int64) ([]*attrs, error) {
	if len(customerIDs) == 0 {
		return nil, nil
	}
	return s.selectAttrs(ctx, s.read(), sq.Select("*").From(ident(s.subscriptions)).
		Where(sq.Eq{ident(s.subscriptions, "customer_id"): customerIDs}))
}

// subscriptionMetas reads the meta rows of subscriptions (PHP lazy-loads Subscription::meta once per
// subscription for its billingInfo append; one query here), per subscription in id order.
func (s *store) subscriptionMetas(ctx context.Context, subIDs []int64) (map[int64][]models.Row, error) {
	out := map[int64][]models.Row{}
	if len(subIDs) == 0 {
		return out, nil
	}
	rows, err := s.selectAttrs(ctx, s.read(), sq.Select("*").From(ident(s.subscriptionMeta)).
		Where(sq.Eq{ident("subscription_id"): subIDs}).OrderBy(ident("id")))
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		v, _ := r.get("subscription_id")
		id := intval(v)
		out[id] = append(out[id], models.Row{Keys: r.keys, Vals: r.vals})
	}
	return out, nil
}

// orderPaymentSuccess is Status::getOrderPaymentSuccessStatuses.
var orderPaymentSuccess = []string{"paid", "partially_refunded", "partially_paid"}

// successOrderItems is the eager load of Customer::success_order_items (hasManyThrough Order with
// whereHas('order', payment_status in the success statuses)), the statement the ORM builds.
func (s *store) successOrderItems(ctx context.Context, customerIDs []int64) ([]*attrs, error) {
	if len(customerIDs) == 0 {
		return nil, nil
	}
	exists := sq.Select("*").From(ident(s.orders)).
		Where(ident(s.orderItems, "order_id") + " = " + ident(s.orders, "id")).
		Where(sq.Eq{"payment_status": orderPaymentSuccess})
	return s.selectAttrs(ctx, s.read(), sq.Select(ident(s.orderItems)+".*", ident(s.orders, "customer_id")+" AS `laravel_through_key`").
		From(ident(s.orderItems)).
		Join(ident(s.orders)+" ON "+ident(s.orders, "id")+" = "+ident(s.orderItems, "order_id")).
		Where(sq.Expr("EXISTS (?)", exists)).
		Where(sq.Eq{ident(s.orders, "customer_id"): customerIDs}))
}
