package wpcompat

// Database faults: what one request met when the database stalled, went away or its connection was cut, recorded
// by a thin wrapper around the MySQL driver (OpenDB installs it) so that the REST router can classify the answer in
// one place (Router.faultAnswer) instead of every handler doing it:
//
//   - the request's deadline (Router.DBTimeout) passed, or the database could not be reached → 503 with
//     Retry-After: nothing of the request was committed (an open transaction dies with its connection, and the
//     server rolls it back);
//   - a change was sent and its answer never came back — COMMIT, or a single auto-committed statement — → 500
//     wpsidecar_outcome_unknown: it may still be applied when the database wakes;
//   - the client hung up (its context was canceled) → 499, as nginx records it.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
)

// DBWatch collects the database faults one request met. It is carried by the request's context (WatchDB) and
// filled by the driver wrapper.
type DBWatch struct {
	mu      sync.Mutex
	fault   error
	unknown bool
	changed bool
}

type dbWatchKey struct{}
type bookkeepingKey struct{}
type netSlotKey struct{}

// WatchDB returns ctx carrying a new DBWatch.
func WatchDB(ctx context.Context) (context.Context, *DBWatch) {
	w := &DBWatch{}
	return context.WithValue(ctx, dbWatchKey{}, w), w
}

func dbWatchFrom(ctx context.Context) *DBWatch {
	w, _ := ctx.Value(dbWatchKey{}).(*DBWatch)
	return w
}

// Bookkeeping marks ctx's auto-committed statements as the sidecar's own bookkeeping (rate-limit counters, replay
// records, last-used stamps): when their answer is lost the request's change itself is still known not to be done,
// so they never make the outcome unknown.
func Bookkeeping(ctx context.Context) context.Context {
	return context.WithValue(ctx, bookkeepingKey{}, true)
}

func isBookkeeping(ctx context.Context) bool { b, _ := ctx.Value(bookkeepingKey{}).(bool); return b }

// Fault is the first connection-level or deadline error a statement of the request met (nil: none).
func (w *DBWatch) Fault() error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fault
}

// OutcomeUnknown reports whether a change was sent to the database and its result never came back.
func (w *DBWatch) OutcomeUnknown() bool {
	if w == nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.unknown
}

// Changed reports whether a change of the request was committed (a write transaction's COMMIT or an
// auto-committed INSERT/UPDATE/DELETE answered OK): a fault after that cannot be answered as "not done".
func (w *DBWatch) Changed() bool {
	if w == nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.changed
}

func (w *DBWatch) noteChanged() {
	if w == nil {
		return
	}
	w.mu.Lock()
	w.changed = true
	w.mu.Unlock()
}

// isChange reports whether a statement changes data (INSERT, UPDATE, DELETE, REPLACE), by its first word.
func isChange(q string) bool {
	q = strings.TrimLeft(q, " \t\r\n(")
	if len(q) < 6 {
		return false
	}
	switch strings.ToUpper(q[:6]) {
	case "INSERT", "UPDATE", "DELETE":
		return true
	}
	return len(q) >= 7 && strings.EqualFold(q[:7], "REPLACE")
}

func (w *DBWatch) note(err error, sentChange bool) {
	if w == nil || err == nil || errors.Is(err, driver.ErrSkip) || !IsDBFault(err) {
		return
	}
	w.mu.Lock()
	if w.fault == nil {
		w.fault = err
	}
	if sentChange {
		w.unknown = true
	}
	w.mu.Unlock()
}

// IsDBFault reports whether err means the database did not answer: a deadline or cancellation, a lost or refused
// connection, or a server going away. An error the server answered (a duplicate key, a syntax error) is not one.
func IsDBFault(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1040, 1053, 1152, 1153, 1158, 1159, 1160, 1161, 1927: // too many connections, shutdown, aborted/net errors, killed
			return true
		}
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE)
}

// countingConn is the database connection's socket; it counts bytes written so that the wrapper knows whether a
// statement reached the server, and lets a COMMIT be cut at the request's deadline.
type countingConn struct {
	net.Conn
	written atomic.Int64
}

func (c *countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.written.Add(int64(n))
	return n, err
}

// SyscallConn keeps the driver's liveness check of pooled connections working (conncheck).
func (c *countingConn) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := c.Conn.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errors.ErrUnsupported
}

type netSlot struct{ conn *countingConn }

func dialCounting(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	cc := &countingConn{Conn: c}
	if s, ok := ctx.Value(netSlotKey{}).(*netSlot); ok {
		s.conn = cc
	}
	return cc, nil
}

// faultConnector wraps the MySQL connector: connections record faults into the request's DBWatch. With a fallback
// (a replica's pool, DBOptions.FallbackDSN), a connection that cannot be made is made to the fallback instead.
type faultConnector struct {
	inner, fallback driver.Connector
	lastWarn        atomic.Int64
}

func (c *faultConnector) Driver() driver.Driver { return c.inner.Driver() }

func (c *faultConnector) Connect(ctx context.Context) (driver.Conn, error) {
	slot := &netSlot{}
	dc, err := c.inner.Connect(context.WithValue(ctx, netSlotKey{}, slot))
	var retire time.Time
	if err != nil && c.fallback != nil && ctx.Err() == nil && IsDBFault(err) {
		if now := time.Now(); now.Unix()-c.lastWarn.Swap(now.Unix()) >= 10 {
			slog.Warn("read replica unreachable: reading from the primary meanwhile", "err", err)
		}
		slot = &netSlot{}
		dc, err = c.fallback.Connect(context.WithValue(ctx, netSlotKey{}, slot))
		retire = time.Now().Add(FallbackLifetime)
	}
	if err != nil {
		dbWatchFrom(ctx).note(err, false)
		return nil, err
	}
	f, ok := dc.(mysqlConn)
	if !ok || slot.conn == nil {
		return dc, nil // not the MySQL driver's connection as known: no fault recording
	}
	return &faultConn{c: f, nc: slot.conn, retire: retire}, nil
}

// mysqlConn is what the MySQL driver's connection implements; faultConn passes each of it through.
type mysqlConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
	driver.NamedValueChecker
}

type faultConn struct {
	c      mysqlConn
	nc     *countingConn
	inTx   bool
	txCh   bool // the open transaction executed a change
	broken atomic.Bool
	retire time.Time // a fallback connection: discarded after this
}

func (f *faultConn) Prepare(q string) (driver.Stmt, error) { return f.c.Prepare(q) }
func (f *faultConn) Close() error                          { return f.c.Close() }
func (f *faultConn) Begin() (driver.Tx, error) {
	return f.BeginTx(context.Background(), driver.TxOptions{})
}
func (f *faultConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	s, err := f.c.PrepareContext(ctx, q)
	dbWatchFrom(ctx).note(err, false)
	return s, err
}
func (f *faultConn) Ping(ctx context.Context) error              { return f.c.Ping(ctx) }
func (f *faultConn) CheckNamedValue(nv *driver.NamedValue) error { return f.c.CheckNamedValue(nv) }
func (f *faultConn) IsValid() bool {
	return !f.broken.Load() && (f.retire.IsZero() || time.Now().Before(f.retire)) && f.c.IsValid()
}
func (f *faultConn) ResetSession(ctx context.Context) error {
	if f.broken.Load() {
		return driver.ErrBadConn
	}
	return f.c.ResetSession(ctx)
}

func (f *faultConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	before := f.nc.written.Load()
	res, err := f.c.ExecContext(ctx, q, args)
	change := isChange(q) && !isBookkeeping(ctx)
	switch {
	case f.inTx:
		f.txCh = f.txCh || change
		if err != nil {
			dbWatchFrom(ctx).note(err, false)
		}
	case err != nil:
		// Outside a transaction the statement commits by itself: sent without an answer, its outcome is unknown.
		dbWatchFrom(ctx).note(err, change && f.nc.written.Load() > before)
	case change:
		dbWatchFrom(ctx).noteChanged()
	}
	return res, err
}

func (f *faultConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := f.c.QueryContext(ctx, q, args)
	dbWatchFrom(ctx).note(err, false)
	return rows, err
}

func (f *faultConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := f.c.BeginTx(ctx, opts)
	if err != nil {
		dbWatchFrom(ctx).note(err, false)
		return nil, err
	}
	f.inTx, f.txCh = true, false
	return &faultTx{tx: tx, f: f, ctx: ctx}, nil
}

// faultTx bounds COMMIT and ROLLBACK by the deadline of the context the transaction began with (the driver sends
// them without one): past it the socket's deadline cuts the wait and the connection is discarded.
type faultTx struct {
	tx  driver.Tx
	f   *faultConn
	ctx context.Context
}

func (t *faultTx) end(commit bool) error {
	changes := t.f.txCh && !isBookkeeping(t.ctx)
	t.f.inTx, t.f.txCh = false, false
	var timer *time.Timer
	var cut atomic.Bool
	if dl, ok := t.ctx.Deadline(); ok {
		timer = time.AfterFunc(time.Until(dl), func() {
			cut.Store(true)
			_ = t.f.nc.SetDeadline(time.Now())
		})
	}
	before := t.f.nc.written.Load()
	var err error
	if commit {
		err = t.tx.Commit()
	} else {
		err = t.tx.Rollback()
	}
	if timer != nil && !timer.Stop() {
		t.f.broken.Store(true) // the socket's deadline may be set: never reuse the connection
	}
	if err != nil && cut.Load() {
		err = errors.Join(context.DeadlineExceeded, err)
	}
	switch {
	case err != nil && commit:
		dbWatchFrom(t.ctx).note(err, changes && t.f.nc.written.Load() > before)
	case commit && changes:
		dbWatchFrom(t.ctx).noteChanged()
	}
	return err
}

func (t *faultTx) Commit() error   { return t.end(true) }
func (t *faultTx) Rollback() error { return t.end(false) }
