package latepoint

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"

	sq "github.com/Masterminds/squirrel"
	"github.com/go-sql-driver/mysql"

	"github.com/wpsidecar/wpsidecar/bincache"
	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// Store runs every query on the latepoint_* tables (and the few WordPress tables the customers API touches).
// Table names come only from the prefix helper, quoted (wpcompat.Ident); every value goes through a placeholder;
// a statement whose shape depends on the request (filters, sort, IN lists, the columns of a partial update) is
// built with squirrel.
type Store struct {
	site  *wpcompat.Site
	locks keyedMutex
	tx    txIndex // customer → transaction ids (the table has no index on customer_id)

	// failpoint, when set (tests only), is called after each write step of a transaction with the step's name;
	// an error aborts the transaction as a database failure would.
	failpoint func(step string) error
	// noLocks, set only by the race tests, skips the per-e-mail / per-user locks of withLocks to show that without
	// them the create race really inserts duplicates.
	noLocks bool
}

// NewStore makes the store for a site.
func NewStore(site *wpcompat.Site) *Store { return &Store{site: site} }

// queryer is what *sql.DB, *sql.Tx and *sql.Conn have in common.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// tbl is the quoted name of a prefixed table, for statement text.
func (s *Store) tbl(base string) string { return s.site.Tables.Table(base) }

// toSQL renders a squirrel statement with `?` placeholders.
func toSQL(b sq.Sqlizer) (string, []any, error) {
	q, args, err := b.ToSql()
	if err != nil {
		return "", nil, fmt.Errorf("latepoint: build statement: %w", err)
	}
	return q, args, nil
}

// query builds stmt and runs it on q.
func (s *Store) query(ctx context.Context, q queryer, stmt sq.Sqlizer) (*sql.Rows, error) {
	query, args, err := toSQL(stmt)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, classify(err)
	}
	return rows, nil
}

func (s *Store) reader(ctx context.Context) *sql.DB { return s.site.Reader(ctx) }

func (s *Store) fail(step string) error {
	if s.failpoint != nil {
		return s.failpoint(step)
	}
	return nil
}

// classify marks errors that mean "LatePoint is not there": a missing table (MySQL 1146, 1049) or a database that
// cannot be reached. They become 503 latepoint_not_available (spec §6.1).
func classify(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) {
		return err
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1146, 1049, 1045, 1044, 1040, 1203: // no such table, unknown db, access denied, too many connections
			return fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		return err
	}
	var ne net.Error
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn) || errors.As(err, &ne) ||
		errors.Is(err, sql.ErrConnDone) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// Customer reads one customer; forUpdate locks the row inside a transaction.
func (s *Store) Customer(ctx context.Context, q queryer, id int64, forUpdate bool) (*customerRow, error) {
	query := "SELECT " + customerColumns + " FROM " + s.tbl("latepoint_customers") + " WHERE id = ?"
	if forUpdate {
		query += " FOR UPDATE"
	}
	c := &customerRow{}
	err := q.QueryRowContext(ctx, query, id).Scan(c.scanTargets()...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, classify(err)
	}
	return c, nil
}

// customerColumnsC is customerColumns qualified with the alias c (built once).
var customerColumnsC = "c." + strings.ReplaceAll(customerColumns, ", ", ", c.")

// CustomerWithMeta reads one customer and all its meta rows in one round trip (a LEFT JOIN; the meta rows come in
// id order, as Meta returns them, sorted here rather than by a MySQL temporary table). The meta map is keyed by
// the customer id like Meta's, so loadView can take it as it is.
//
// With the read cache on (serve --cache) the result is read from the primary and kept until the binlog changes the
// customer's row or one of its meta rows; callers get their own copies.
func (s *Store) CustomerWithMeta(ctx context.Context, q queryer, id int64) (*customerRow, map[int64][]metaRow, error) {
	rc := s.site.ReadCache
	if !rc.Healthy() {
		// The route declared this read (CustomerPrefetch): the key lookup may have brought the rows. Not in the
		// cache path below: an entry must be read after its cache token is taken.
		if v, ok := s.site.Prefetched(ctx, q, s.customerWithMetaSQL(), id); ok {
			r := v.(customerWithMetaRows)
			return r.c, r.meta, r.err
		}
		return s.customerWithMeta(ctx, q, id)
	}
	key := "lpcust\x00" + s.tbl("latepoint_customers") + "\x00" + strconv.FormatInt(id, 10)
	if v, ok := rc.Get(key); ok {
		e := v.(*cachedCustomer)
		return e.copy()
	}
	tok := rc.Begin()
	c, meta, err := s.customerWithMeta(ctx, s.site.DB, id)
	if err != nil {
		return c, meta, err
	}
	e := &cachedCustomer{row: *c, meta: meta[c.ID]}
	size := int64(512)
	for _, m := range e.meta {
		size += int64(len(m.Key)+len(m.Value.String)) + 64
	}
	row := strconv.FormatInt(id, 10)
	rc.Put(tok, key, e, size, bincache.Dep{Table: s.site.Tables.Name("latepoint_customers"), Row: row},
		bincache.Dep{Table: s.site.Tables.Name("latepoint_customer_meta"), Row: row})
	return c, meta, nil
}

// cachedCustomer is a read-cache entry of CustomerWithMeta (read-only once stored).
type cachedCustomer struct {
	row  customerRow
	meta []metaRow
}

func (e *cachedCustomer) copy() (*customerRow, map[int64][]metaRow, error) {
	c := e.row
	meta := map[int64][]metaRow{}
	if len(e.meta) > 0 {
		meta[c.ID] = append([]metaRow(nil), e.meta...)
	}
	return &c, meta, nil
}

func (s *Store) customerWithMeta(ctx context.Context, q queryer, id int64) (*customerRow, map[int64][]metaRow, error) {
	rows, err := q.QueryContext(ctx, s.customerWithMetaSQL(), id)
	if err != nil {
		return nil, nil, classify(err)
	}
	r := scanCustomerWithMeta(rows)
	return r.c, r.meta, r.err
}

// customerWithMetaSQL is customerWithMeta's statement (one placeholder: the id).
func (s *Store) customerWithMetaSQL() string {
	return "SELECT " + customerColumnsC + ", m.id, m.meta_key, m.meta_value FROM " +
		s.tbl("latepoint_customers") + " c LEFT JOIN " + s.tbl("latepoint_customer_meta") + " m ON m.object_id = c.id WHERE c.id = ?"
}

// CustomerPrefetch declares customerWithMeta's statement for customer id to the key lookup (rest.Handler.Prefetch).
func (s *Store) CustomerPrefetch(id int64) *wpcompat.Prefetch {
	return &wpcompat.Prefetch{Query: s.customerWithMetaSQL(), Args: []any{id},
		Scan: func(rows *sql.Rows) (any, error) { return scanCustomerWithMeta(rows), nil }}
}

// customerWithMetaRows is customerWithMeta's answer (ErrNotFound when no row).
type customerWithMetaRows struct {
	c    *customerRow
	meta map[int64][]metaRow
	err  error
}

func scanCustomerWithMeta(rows *sql.Rows) (out customerWithMetaRows) {
	defer rows.Close()
	var c *customerRow
	type joined struct {
		id  int64
		row metaRow
	}
	var metas []joined
	for rows.Next() {
		var row customerRow
		var mid sql.NullInt64
		var key sql.NullString
		var m metaRow
		if err := rows.Scan(append(row.scanTargets(), &mid, &key, &m.Value)...); err != nil {
			return customerWithMetaRows{err: err}
		}
		if c == nil {
			c = &row
		}
		if mid.Valid {
			m.ObjectID, m.Key = row.ID, key.String
			metas = append(metas, joined{mid.Int64, m})
		}
	}
	if err := rows.Err(); err != nil {
		return customerWithMetaRows{err: classify(err)}
	}
	if c == nil {
		return customerWithMetaRows{err: ErrNotFound}
	}
	sort.Slice(metas, func(a, b int) bool { return metas[a].id < metas[b].id })
	meta := map[int64][]metaRow{}
	for _, j := range metas {
		meta[c.ID] = append(meta[c.ID], j.row)
	}
	return customerWithMetaRows{c: c, meta: meta}
}

// listFilter is a parsed GET /customers query (spec §6.7).
type listFilter struct {
	Page, PerPage   int64
	Search          string
	Status          string
	CreatedAfter    string // YYYY-MM-DD, inclusive
	CreatedBefore   string // YYYY-MM-DD, exclusive
	HasBookings     *bool
	FirstName       string
	LastName        string
	Email           string
	Phone           string
	IsGuest         *bool
	WordPressUserID *int64
	CreatedAtPrefix string
	UpdatedAtPrefix string
	OrderBy         string // column, from an allow-list
	Desc            bool
}

// likeEscape escapes LIKE wildcards with '!' (works whatever the sql_mode says about backslashes).
func likeEscape(s string) string {
	r := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
	return r.Replace(s)
}

func contains(col, v string) sq.Sqlizer {
	return sq.Expr(col+" LIKE ? ESCAPE '!'", "%"+likeEscape(v)+"%")
}

// ListCustomers returns one page and the total count (two queries).
func (s *Store) ListCustomers(ctx context.Context, f listFilter) ([]customerRow, int64, error) {
	customers, bookings := s.tbl("latepoint_customers"), s.tbl("latepoint_bookings")
	where := sq.And{}
	if f.Search != "" {
		where = append(where, sq.Or{contains("CONCAT_WS(' ', c.first_name, c.last_name)", f.Search),
			contains("c.email", f.Search), contains("c.phone", f.Search)})
	}
	if f.Status != "" {
		where = append(where, sq.Eq{"c.status": f.Status})
	}
	if f.CreatedAfter != "" {
		where = append(where, sq.GtOrEq{"c.created_at": f.CreatedAfter + " 00:00:00"})
	}
	if f.CreatedBefore != "" {
		where = append(where, sq.Lt{"c.created_at": f.CreatedBefore + " 00:00:00"})
	}
	if f.HasBookings != nil {
		booked := sq.Select("1").From(bookings + " b").Where("b.customer_id = c.id")
		if *f.HasBookings {
			where = append(where, sq.Expr("EXISTS (?)", booked))
		} else {
			where = append(where, sq.Expr("NOT EXISTS (?)", booked))
		}
	}
	for _, c := range [...]struct{ col, v string }{{"c.first_name", f.FirstName}, {"c.last_name", f.LastName}, {"c.email", f.Email}, {"c.phone", f.Phone}} {
		if c.v != "" {
			where = append(where, contains(c.col, c.v))
		}
	}
	if f.IsGuest != nil {
		if *f.IsGuest {
			where = append(where, sq.Eq{"c.is_guest": 1})
		} else {
			where = append(where, sq.Expr("(c.is_guest = 0 OR c.is_guest IS NULL)"))
		}
	}
	if f.WordPressUserID != nil {
		where = append(where, sq.Eq{"c.wordpress_user_id": *f.WordPressUserID})
	}
	if f.CreatedAtPrefix != "" {
		where = append(where, sq.Expr("c.created_at LIKE ? ESCAPE '!'", likeEscape(f.CreatedAtPrefix)+"%"))
	}
	if f.UpdatedAtPrefix != "" {
		where = append(where, sq.Expr("c.updated_at LIKE ? ESCAPE '!'", likeEscape(f.UpdatedAtPrefix)+"%"))
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	cols := strings.Split(customerColumns, ", ")
	for i := range cols {
		cols[i] = "c." + cols[i]
	}
	// With a filter the total comes from COUNT(*) OVER () in the page query itself: the filtered scan (a LIKE
	// search reads every row) runs once, not twice. Without one a separate COUNT(*) is cheaper than a window
	// over the whole table.
	filtered := len(where) > 0
	if filtered {
		cols = append(cols, "COUNT(*) OVER ()")
	}
	// f.OrderBy is a column name from customer_list.go's allow-list; Page and PerPage are parsed and bounded there.
	page := sq.Select(cols...).From(customers+" c").Where(where).
		OrderBy(wpcompat.Ident("c."+f.OrderBy)+dir, "c.id"+dir).
		Limit(uint64(f.PerPage)).Offset(uint64((f.Page - 1) * f.PerPage)).PlaceholderFormat(sq.Question)
	query, args, err := toSQL(page)
	if err != nil {
		return nil, 0, err
	}
	db := s.reader(ctx)
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, classify(err)
	}
	defer rows.Close()
	var out []customerRow
	total := int64(-1)
	for rows.Next() {
		var c customerRow
		dest := c.scanTargets()
		if filtered {
			dest = append(dest, &total)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, classify(err)
	}
	if total >= 0 {
		return out, total, nil
	}
	// Unfiltered, or a filtered page beyond the end (no row carried the total).
	countQ, countArgs, err := toSQL(sq.Select("COUNT(*)").From(customers + " c").Where(where).PlaceholderFormat(sq.Question))
	if err != nil {
		return nil, 0, err
	}
	if err := db.QueryRowContext(ctx, countQ, countArgs...).Scan(&total); err != nil {
		return nil, 0, classify(err)
	}
	return out, total, nil
}

// Meta reads every customer meta row of the given customers, oldest first (readers take the first row of a
// duplicated key, §2.2).
func (s *Store) Meta(ctx context.Context, q queryer, ids []int64) (map[int64][]metaRow, error) {
	out := map[int64][]metaRow{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.query(ctx, q, sq.Select("object_id", "meta_key", "meta_value").From(s.tbl("latepoint_customer_meta")).
		Where(sq.Eq{"object_id": ids}).OrderBy("object_id", "id"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m metaRow
		if err := rows.Scan(&m.ObjectID, &m.Key, &m.Value); err != nil {
			return nil, err
		}
		out[m.ObjectID] = append(out[m.ObjectID], m)
	}
	return out, classify(rows.Err())
}

// Settings reads LatePoint settings rows by name (first row wins on duplicates).
func (s *Store) Settings(ctx context.Context, q queryer, names ...string) (map[string]string, error) {
	out := map[string]string{}
	if len(names) == 0 {
		return out, nil
	}
	rows, err := s.query(ctx, q, sq.Select("name", "value").From(s.tbl("latepoint_settings")).
		Where(sq.Eq{"name": names}).OrderBy("id"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		var v sql.NullString
		if err := rows.Scan(&n, &v); err != nil {
			return nil, err
		}
		if _, seen := out[n]; !seen {
			out[n] = v.String
		}
	}
	return out, classify(rows.Err())
}

// activeCond is LatePoint's "not cancelled" (§2.12.7); futureCond/pastCond its future/past rules on the local
// columns (§2.3: a booking in the current minute is neither). Each takes (today, today, minutes) arguments.
const (
	futureCond = "(b.start_date > ? OR (b.start_date = ? AND COALESCE(b.start_time, 0) > ?))"
	pastCond   = "(b.start_date < ? OR (b.start_date = ? AND COALESCE(b.start_time, 0) < ?))"
	// startKey orders bookings by local start: TO_DAYS(date) × 1440 + minutes (keyInstant turns it back).
	startKey = "(TO_DAYS(b.start_date) * 1440 + COALESCE(b.start_time, 0))"

	// statsColumns is the select list of Stats; its placeholders are three (today, today, minutes) triples.
	statsColumns = "b.customer_id, COUNT(*)," +
		" SUM(b.status = 'completed'), SUM(b.status = 'cancelled'), SUM(b.status = 'no_show')," +
		" SUM(b.status IN ('pending', 'payment_pending'))," +
		" SUM(b.status <> 'cancelled' AND " + futureCond + ")," +
		" SUM(b.status <> 'cancelled')," +
		" MIN(CASE WHEN b.status <> 'cancelled' THEN " + startKey + " END)," +
		" MAX(CASE WHEN b.status <> 'cancelled' AND " + pastCond + " THEN " + startKey + " END)," +
		" MIN(CASE WHEN b.status <> 'cancelled' AND " + futureCond + " THEN " + startKey + " END)," +
		" MIN(CASE WHEN b.status <> 'cancelled' THEN b.start_date END)," +
		" MAX(CASE WHEN b.status <> 'cancelled' THEN b.start_date END)"
)

// Stats computes the §6.13 booking statistics for many customers with one grouped query on bookings and one on
// transactions, whatever the number of customers or bookings.
func (s *Store) Stats(ctx context.Context, ids []int64, clk localClock) (map[int64]*statsRow, error) {
	out := map[int64]*statsRow{}
	for _, id := range ids {
		out[id] = &statsRow{Spent: "0.0000", Average: "0.0000"}
	}
	if len(ids) == 0 {
		return out, nil
	}
	now := []any{clk.Today, clk.Today, clk.Minutes}
	query, args, err := toSQL(sq.Select().Column(statsColumns, append(append(append([]any{}, now...), now...), now...)...).
		From(s.tbl("latepoint_bookings") + " b").Where(sq.Eq{"b.customer_id": ids}).GroupBy("b.customer_id"))
	if err != nil {
		return nil, err
	}
	db := s.reader(ctx)
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		st := &statsRow{}
		var completed, cancelled, noShow, pending, future, active sql.NullInt64
		if err := rows.Scan(&id, &st.Total, &completed, &cancelled, &noShow, &pending, &future, &active,
			&st.FirstKey, &st.LastKey, &st.NextKey, &st.FirstDate, &st.LastDate); err != nil {
			return nil, err
		}
		st.Completed, st.Cancelled, st.NoShow, st.Pending, st.Future, st.Active =
			completed.Int64, cancelled.Int64, noShow.Int64, pending.Int64, future.Int64, active.Int64
		st.Spent, st.Average = "0.0000", "0.0000"
		out[id] = st
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	rows.Close()

	// total_spent from transactions (§2.12.8): by primary key through the in-memory id index when it is built
	// (store_txindex.go), else one scan for the whole page — never one per customer.
	txIDs, indexed, err := s.transactionIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	if indexed && len(txIDs) == 0 {
		return out, nil // no transactions: averages stay 0 (set above)
	}
	if !indexed {
		txIDs = nil
	}
	spent, err := s.query(ctx, db, s.spentQuery(ids, txIDs))
	if err != nil {
		return nil, err
	}
	defer spent.Close()
	for spent.Next() {
		var id int64
		var amount string
		if err := spent.Scan(&id, &amount); err != nil {
			return nil, err
		}
		if st := out[id]; st != nil {
			st.Spent = amount
		}
	}
	if err := spent.Err(); err != nil {
		return nil, classify(err)
	}
	for _, st := range out {
		st.Average = decimalDiv(st.Spent, st.Active)
	}
	return out, nil
}

// Favorites finds the most frequent service, agent and location among a customer's active bookings (ties: the
// most recent booking, then the lower id), in one query: the bookings are grouped by their (service, agent,
// location) combination — one temporary table instead of three — and the per-dimension counts are summed here.
func (s *Store) Favorites(ctx context.Context, id int64) (svc, agent, loc *favoriteRow, err error) {
	query := "SELECT f.service_id, COALESCE(s.name, ''), f.agent_id," +
		" COALESCE(NULLIF(a.display_name, ''), NULLIF(TRIM(CONCAT(COALESCE(a.first_name, ''), ' ', COALESCE(a.last_name, ''))), ''), 'Agent')," +
		" COALESCE(f.location_id, 0), COALESCE(l.name, ''), f.cnt, f.latest" +
		" FROM (SELECT b.service_id, b.agent_id, b.location_id, COUNT(*) AS cnt, MAX(" + startKey + ") AS latest" +
		" FROM " + s.tbl("latepoint_bookings") + " b WHERE b.customer_id = ? AND b.status <> 'cancelled'" +
		" GROUP BY b.service_id, b.agent_id, b.location_id) f" +
		" LEFT JOIN " + s.tbl("latepoint_services") + " s ON s.id = f.service_id" +
		" LEFT JOIN " + s.tbl("latepoint_agents") + " a ON a.id = f.agent_id" +
		" LEFT JOIN " + s.tbl("latepoint_locations") + " l ON l.id = f.location_id"
	rows, err := s.reader(ctx).QueryContext(ctx, query, id)
	if err != nil {
		return nil, nil, nil, classify(err)
	}
	defer rows.Close()
	type tally struct {
		row    favoriteRow
		latest int64
	}
	dims := [3]map[int64]*tally{{}, {}, {}}
	for rows.Next() {
		var ids [3]int64
		var names [3]string
		var cnt int64
		var latest int64
		if err := rows.Scan(&ids[0], &names[0], &ids[1], &names[1], &ids[2], &names[2], &cnt, &latest); err != nil {
			return nil, nil, nil, err
		}
		for d := range dims {
			if ids[d] <= 0 {
				continue // no location (NULL or 0)
			}
			t := dims[d][ids[d]]
			if t == nil {
				t = &tally{row: favoriteRow{ID: ids[d], Name: names[d]}}
				dims[d][ids[d]] = t
			}
			t.row.Count += cnt
			if latest > t.latest {
				t.latest = latest
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, nil, classify(err)
	}
	var best [3]*favoriteRow
	for d := range dims {
		var top *tally
		for _, t := range dims[d] {
			if top == nil || t.row.Count > top.row.Count || (t.row.Count == top.row.Count &&
				(t.latest > top.latest || (t.latest == top.latest && t.row.ID < top.row.ID))) {
				top = t
			}
		}
		if top != nil {
			r := top.row
			best[d] = &r
		}
	}
	return best[0], best[1], best[2], nil
}

// bookingQuery selects one booking list of §6.8.
type bookingQuery struct {
	Kind     string   // "bookings" (all), "upcoming_bookings", "past_bookings"
	Statuses []string // empty: every status
	Limit    int64    // per customer
	Clock    localClock
}

// Bookings reads the requested booking list for every customer in ids, at most q.Limit per customer, in one query
// (ROW_NUMBER per customer), joined with service, agent, location, order item and order (§6.12.4).
func (s *Store) Bookings(ctx context.Context, ids []int64, bq bookingQuery) (map[int64][]bookingRow, error) {
	out := map[int64][]bookingRow{}
	if len(ids) == 0 {
		return out, nil
	}
	order := "b.start_date DESC, b.start_time DESC, b.id DESC"
	now := []any{bq.Clock.Today, bq.Clock.Today, bq.Clock.Minutes}
	// Rank the customer's bookings first (bookings columns only), then join names and money for the kept rows
	// only: with 500 bookings and a limit of 10, ten rows are joined, not 500.
	ranked := sq.Select("b.customer_id", "b.id", "b.booking_code", "b.status", "b.start_date", "b.end_date", "b.start_time",
		"b.end_time", "b.start_datetime_utc", "b.service_id", "b.agent_id", "b.location_id", "b.order_item_id").
		From(s.tbl("latepoint_bookings") + " b").Where(sq.Eq{"b.customer_id": ids})
	switch bq.Kind {
	case "upcoming_bookings":
		ranked = ranked.Where("b.status <> 'cancelled'").Where(futureCond, now...)
		order = "b.start_date ASC, b.start_time ASC, b.id ASC"
	case "past_bookings":
		ranked = ranked.Where("b.status <> 'cancelled'").Where(pastCond, now...)
	}
	if len(bq.Statuses) > 0 {
		ranked = ranked.Where(sq.Eq{"b.status": bq.Statuses})
	}
	ranked = ranked.Column("ROW_NUMBER() OVER (PARTITION BY b.customer_id ORDER BY " + order + ") AS rn")
	rows, err := s.query(ctx, s.reader(ctx), sq.Select("b.customer_id", "b.id", "b.booking_code", "b.status", "b.start_date", "b.end_date",
		"b.start_time", "b.end_time", "b.start_datetime_utc", "b.service_id", "s.name", "s.duration", "b.agent_id",
		"a.first_name", "a.last_name", "a.display_name", "a.email", "a.phone", "b.location_id", "l.name", "l.full_address",
		"oi.variant", "oi.total", "o.payment_status", "b.rn").
		FromSelect(ranked, "b").
		LeftJoin(s.tbl("latepoint_services")+" s ON s.id = b.service_id").
		LeftJoin(s.tbl("latepoint_agents")+" a ON a.id = b.agent_id").
		LeftJoin(s.tbl("latepoint_locations")+" l ON l.id = b.location_id").
		LeftJoin(s.tbl("latepoint_order_items")+" oi ON oi.id = b.order_item_id").
		LeftJoin(s.tbl("latepoint_orders")+" o ON o.id = oi.order_id").
		Where("b.rn <= ?", bq.Limit).OrderBy("b.customer_id", "b.rn"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b bookingRow
		var rn int64
		if err := rows.Scan(&b.CustomerID, &b.ID, &b.Code, &b.Status, &b.StartDate, &b.EndDate, &b.StartTime, &b.EndTime,
			&b.StartUTC, &b.ServiceID, &b.ServiceName, &b.ServiceDuration, &b.AgentID, &b.AgentFirst, &b.AgentLast,
			&b.AgentDisplay, &b.AgentEmail, &b.AgentPhone, &b.LocationID, &b.LocationName, &b.LocationAddress,
			&b.ItemVariant, &b.ItemTotal, &b.OrderPaymentStat, &rn); err != nil {
			return nil, err
		}
		out[b.CustomerID] = append(out[b.CustomerID], b)
	}
	return out, classify(rows.Err())
}

// Attachments reads the avatar attachments (post + _wp_attached_file + _wp_attachment_metadata) in one query.
func (s *Store) Attachments(ctx context.Context, ids []int64) (map[int64]*attachmentRow, error) {
	out := map[int64]*attachmentRow{}
	if len(ids) == 0 {
		return out, nil
	}
	meta := sq.Select("meta_value").From(s.tbl("postmeta")).Where("post_id = p.ID").OrderBy("meta_id").Limit(1)
	rows, err := s.query(ctx, s.reader(ctx), sq.Select("p.ID", "p.post_type", "p.post_mime_type").
		Column(sq.Expr("(?)", meta.Where("meta_key = '_wp_attached_file'"))).
		Column(sq.Expr("(?)", meta.Where("meta_key = '_wp_attachment_metadata'"))).
		From(s.tbl("posts")+" p").Where(sq.Eq{"p.ID": ids}))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		a := &attachmentRow{}
		if err := rows.Scan(&a.ID, &a.PostType, &a.Mime, &a.File, &a.Metadata); err != nil {
			return nil, err
		}
		out[a.ID] = a
	}
	return out, classify(rows.Err())
}

// UserEmails reads the e-mail of WordPress users by id.
func (s *Store) UserEmails(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.query(ctx, s.reader(ctx), sq.Select("ID", "user_email").From(s.site.Tables.UsersTable()).Where(sq.Eq{"ID": ids}))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, err
		}
		out[id] = email
	}
	return out, classify(rows.Err())
}

// decimalDiv divides a decimal string by n, rounding half up to 4 places, without floats.
func decimalDiv(amount string, n int64) string {
	if n <= 0 {
		return "0.0000"
	}
	neg := strings.HasPrefix(amount, "-")
	amount = strings.TrimPrefix(amount, "-")
	intPart, frac, _ := strings.Cut(amount, ".")
	frac = (frac + "0000")[:4]
	units, err := strconv.ParseInt(intPart+frac, 10, 64) // in 1/10000
	if err != nil {
		return "0.0000"
	}
	q := (units*2 + n) / (2 * n) // round half up
	s := fmt.Sprintf("%d.%04d", q/10000, q%10000)
	if neg && q != 0 {
		s = "-" + s
	}
	return s
}

// keyedMutex serialises work per key inside this process (the per-e-mail lock's first stage).
type keyedMutex struct {
	mu sync.Mutex
	m  map[string]*keyedEntry
}

type keyedEntry struct {
	mu   sync.Mutex
	refs int
}

// lock takes the in-process locks for keys (sorted, deduplicated) and returns the unlock func.
func (k *keyedMutex) lock(keys []string) func() {
	keys = append([]string(nil), keys...)
	sort.Strings(keys)
	var uniq []string
	for i, key := range keys {
		if i == 0 || keys[i-1] != key {
			uniq = append(uniq, key)
		}
	}
	var held []*keyedEntry
	for _, key := range uniq {
		k.mu.Lock()
		if k.m == nil {
			k.m = map[string]*keyedEntry{}
		}
		e := k.m[key]
		if e == nil {
			e = &keyedEntry{}
			k.m[key] = e
		}
		e.refs++
		k.mu.Unlock()
		e.mu.Lock()
		held = append(held, e)
	}
	return func() {
		for i := len(held) - 1; i >= 0; i-- {
			held[i].mu.Unlock()
			k.mu.Lock()
			held[i].refs--
			if held[i].refs == 0 {
				delete(k.m, uniq[i])
			}
			k.mu.Unlock()
		}
	}
}
