package fluentcart

// Every query of the customers routes. Statements mirror the ones FluentCart's query builder sends (same WHERE
// shape, no ORDER BY where PHP has none) so MySQL returns rows in the order PHP sees them. Values always go
// through placeholders; identifiers come from fixed lists; table names from site.Tables.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/wpsidecar/wpsidecar/wpcompat"
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
	site  *wpcompat.Site
	stmts stmtCache
	// table names, resolved once
	customers, addresses, labelRels, orders, orderAddrs, meta, users, usermeta, subscriptions, orderItems string
}

func newStore(site *wpcompat.Site) *store {
	t := site.Tables
	return &store{site: site,
		customers: t.Name("fct_customers"), addresses: t.Name("fct_customer_addresses"),
		labelRels: t.Name("fct_label_relationships"), orders: t.Name("fct_orders"),
		orderAddrs: t.Name("fct_order_addresses"), meta: t.Name("fct_meta"), users: t.Users(),
		usermeta: t.Usermeta(), subscriptions: t.Name("fct_subscriptions"), orderItems: t.Name("fct_order_items"),
	}
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
func (s *store) customerSelect() string { return "SELECT * FROM `" + s.customers + "`" }

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

// whereClause is one entry of a query builder's wheres: its boolean and its SQL.
type whereClause struct {
	boolean string // "AND" / "OR"
	sql     string
	args    []any
}

// compileWhere joins clauses the way the grammar does (the first boolean is dropped).
func compileWhere(ws []whereClause) (string, []any) {
	if len(ws) == 0 {
		return "", nil
	}
	var b strings.Builder
	var args []any
	b.WriteString(" WHERE ")
	for i, w := range ws {
		if i > 0 {
			b.WriteString(" " + w.boolean + " ")
		}
		b.WriteString(w.sql)
		args = append(args, w.args...)
	}
	return b.String(), args
}

// listQuery is a compiled customer list: the WHERE clauses, count columns, order and page window.
type listQuery struct {
	wheres  []whereClause
	columns []string // explicit select list; nil means all columns
	counts  []countColumn
	sortBy  string
	sortDir string
	limit   int64
	offset  int64
}

type countColumn struct {
	alias string
	sql   string
	args  []any
}

// countCustomers is the paginator's `select count(*) as aggregate` with the list's WHERE.
func (s *store) countCustomers(ctx context.Context, lq *listQuery) (int64, error) {
	where, args := compileWhere(lq.wheres)
	var n int64
	err := s.queryRow(ctx, s.read(), "SELECT COUNT(*) AS aggregate FROM `"+s.customers+"`"+where, args...).Scan(&n)
	return n, err
}

// pageCustomers is the page select: columns (and relation counts), WHERE, ORDER BY, LIMIT/OFFSET.
func (s *store) pageCustomers(ctx context.Context, lq *listQuery) ([]*attrs, error) {
	cols := "*"
	if lq.columns != nil {
		cols = "`" + strings.Join(lq.columns, "`, `") + "`"
	} else if len(lq.counts) > 0 {
		cols = "`" + s.customers + "`.*"
	}
	var args []any
	for _, c := range lq.counts {
		cols += ", " + c.sql + " AS `" + c.alias + "`"
		args = append(args, c.args...)
	}
	where, wargs := compileWhere(lq.wheres)
	args = append(args, wargs...)
	q := "SELECT " + cols + " FROM `" + s.customers + "`" + where +
		" ORDER BY `" + lq.sortBy + "` " + lq.sortDir + fmt.Sprintf(" LIMIT %d OFFSET %d", lq.limit, lq.offset)
	return s.queryAttrs(ctx, s.read(), q, args...)
}

// intList renders integer keys the way whereIntegerInRaw does (literals, safe by construction).
func intList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = itoa(id)
	}
	return strings.Join(parts, ", ")
}

// labelRelations is the eager load of Customer::labels (morphMany LabelRelationship).
func (s *store) labelRelations(ctx context.Context, q querier, ids []int64) ([]*attrs, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.queryAttrs(ctx, q, "SELECT * FROM `"+s.labelRels+
		"` WHERE `labelable_id` IN ("+intList(ids)+") AND `labelable_type` = ?", customerMorphType)
}

// addressRelation is the eager load of billing_address / shipping_address (and their primary_ variants).
func (s *store) addressRelation(ctx context.Context, typ string, primaryOnly bool, ids []int64) ([]*attrs, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	q := "SELECT * FROM `" + s.addresses + "` WHERE `type` = ?"
	args := []any{typ}
	if primaryOnly {
		q += " AND `is_primary` = ?"
		args = append(args, 1)
	}
	q += " AND `customer_id` IN (" + intList(ids) + ")"
	return s.queryAttrs(ctx, s.read(), q, args...)
}

// usersByID is the eager load of Customer::wpUser (belongsTo User on user_id).
func (s *store) usersByID(ctx context.Context, ids []int64) ([]*attrs, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.queryAttrs(ctx, s.read(), "SELECT * FROM `"+s.users+"` WHERE `ID` IN ("+intList(ids)+")")
}

// ordersOf is the eager load of Customer::orders.
func (s *store) ordersOf(ctx context.Context, ids []int64) ([]*attrs, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.queryAttrs(ctx, s.read(), "SELECT * FROM `"+s.orders+"` WHERE `customer_id` IN ("+intList(ids)+")")
}

// rowsOf loads rows of a child table by a parent key column (subscriptions, order items).
func (s *store) rowsOf(ctx context.Context, table, column string, ids []int64) ([]*attrs, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.queryAttrs(ctx, s.read(), "SELECT * FROM `"+table+"` WHERE `"+column+"` IN ("+intList(ids)+")")
}

// photoMetas reads fc_customer_photo_url for users (get_user_meta single: the lowest umeta_id per user).
func (s *store) photoMetas(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.query(ctx, s.read(), "SELECT `user_id`, `meta_value` FROM `"+s.usermeta+
		"` WHERE `meta_key` = ? AND `user_id` IN ("+intList(ids)+") ORDER BY `umeta_id`", "fc_customer_photo_url")
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
	err := s.queryRow(ctx, q, "SELECT `meta_value` FROM `"+s.usermeta+"` WHERE `user_id` = ? AND `meta_key` = ? ORDER BY `umeta_id` LIMIT 1",
		userID, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v.String, err
}

// checkoutFieldsMeta is fluent_cart_get_option('_fc_checkout_fields') raw (found false when there is no row).
func (s *store) checkoutFieldsMeta(ctx context.Context) (string, bool, error) {
	var v sql.NullString
	err := s.queryRow(ctx, s.read(), "SELECT `meta_value` FROM `"+s.meta+"` WHERE `meta_key` = ? AND `object_type` = ? LIMIT 1",
		"_fc_checkout_fields", "option").Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return v.String, v.Valid, nil
}

// stmtCache keeps prepared statements of the fixed-shape queries: with server-side placeholders every ad-hoc
// query costs a prepare, an execute and a close; a cached statement is one round trip.
type stmtCache struct {
	mu sync.Mutex
	m  map[*sql.DB]map[string]*sql.Stmt
}

const maxCachedStmts = 256

func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.m[db][query]; st != nil {
		return st, nil
	}
	if c.m == nil {
		c.m = map[*sql.DB]map[string]*sql.Stmt{}
	}
	if c.m[db] == nil {
		c.m[db] = map[string]*sql.Stmt{}
	}
	if len(c.m[db]) >= maxCachedStmts {
		return nil, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.m[db][query] = st
	return st, nil
}

// query runs a SELECT through a cached statement when it has arguments and q is a pool or a transaction.
func (s *store) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	if len(args) > 0 {
		switch t := q.(type) {
		case *sql.DB:
			if st, err := s.stmts.get(ctx, t, query); err != nil {
				return nil, err
			} else if st != nil {
				return st.QueryContext(ctx, args...)
			}
		case *sql.Tx:
			if st, err := s.stmts.get(ctx, s.site.DB, query); err != nil {
				return nil, err
			} else if st != nil {
				return t.StmtContext(ctx, st).QueryContext(ctx, args...)
			}
		}
	}
	return q.QueryContext(ctx, query, args...)
}

// queryRow is query for a single row.
func (s *store) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	if len(args) > 0 {
		if db, ok := q.(*sql.DB); ok {
			if st, err := s.stmts.get(ctx, db, query); err == nil && st != nil {
				return st.QueryRowContext(ctx, args...)
			}
		}
	}
	return q.QueryRowContext(ctx, query, args...)
}
