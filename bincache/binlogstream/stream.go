// Package binlogstream feeds a bincache.Cache from the binlog, read as a replica (vitess.io/vitess/go/mysql; the
// rest of the sidecar never imports vitess).
package binlogstream

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	gomysql "github.com/go-sql-driver/mysql" // also registers the "mysql" driver the probe writes with

	"github.com/wpsidecar/wpsidecar/bincache"
	"vitess.io/vitess/go/mysql"
	"vitess.io/vitess/go/mysql/binlog"
	querypb "vitess.io/vitess/go/vt/proto/query"
)

// Watch names the tables the stream invalidates and how it keys their rows: Column is the index (in table order)
// of the column whose value is the Dep.Row of that table's entries; -1 invalidates the whole table on any change.
type Watch struct {
	Table  string // full name, prefix included
	Column int
}

// StreamConfig configures the change stream.
type StreamConfig struct {
	DSN       string // go-sql-driver form; the database the cache reads from (the primary)
	ServerID  uint32 // this replica's server_id: unique among the server's replicas
	Heartbeat time.Duration
	Watch     []Watch
	Log       *slog.Logger
	// ProbeTable is a (meta_key, meta_value, updated_at) table with meta_key as primary key — the sidecar's own
	// {prefix}wpsidecar_meta — where the stream writes a probe row every Heartbeat. When the probe comes back
	// through the binlog, everything committed before it has been applied: that, not a heartbeat (which a stream
	// left behind on a reset binlog still receives), is what keeps the cache current.
	ProbeTable string
	// OnLag, when set, receives each probe's time from its write to its arrival through the binlog: the lag from
	// a commit to its invalidation (metrics).
	OnLag func(time.Duration)
	// ApplyDelay (tests only) holds every rows event this long before applying it: a slow stream, to show that
	// what must not depend on its speed does not.
	ApplyDelay time.Duration
}

// Position is a binlog coordinate.
type Position struct {
	File string
	Pos  uint64
}

func (p Position) less(q Position) bool {
	if p.File != q.File {
		return p.File < q.File // binlog files are numbered with fixed-width suffixes
	}
	return p.Pos < q.Pos
}

// Stream reads the binlog from the current position and invalidates c; on any error it drops c, reconnects from
// the then-current position and marks c healthy again once streaming.
type Stream struct {
	cfg    StreamConfig
	cache  *bincache.Cache
	params mysql.ConnParams
	db     string
	watch  map[string]int

	probeKey string
	probes   map[string]time.Time // nonce → when its write committed
	probeN   uint64

	mu      sync.Mutex
	applied Position
	cond    *sync.Cond
	conn    *mysql.Conn
	connID  uint32
}

// NewStream prepares a stream for c (Run starts it).
func NewStream(c *bincache.Cache, cfg StreamConfig) (*Stream, error) {
	dc, err := gomysql.ParseDSN(cfg.DSN)
	if err != nil {
		return nil, err
	}
	p := mysql.ConnParams{Uname: dc.User, Pass: dc.Passwd, DbName: dc.DBName}
	switch dc.Net {
	case "unix":
		p.UnixSocket = dc.Addr
	default:
		host, port, ok := strings.Cut(dc.Addr, ":")
		if !ok {
			port = "3306"
		}
		p.Host = host
		if p.Port, err = strconv.Atoi(port); err != nil {
			return nil, fmt.Errorf("bincache: port in %q: %w", dc.Addr, err)
		}
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 250 * time.Millisecond
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Stream{cfg: cfg, cache: c, params: p, db: dc.DBName, watch: map[string]int{}}
	for _, w := range cfg.Watch {
		s.watch[w.Table] = w.Column
	}
	if cfg.ProbeTable == "" {
		return nil, errors.New("bincache: a probe table is required")
	}
	s.probeKey = fmt.Sprintf("cache_probe_%d", cfg.ServerID)
	s.probes = map[string]time.Time{}
	s.cond = sync.NewCond(&s.mu)
	return s, nil
}

// Run streams until ctx ends, reconnecting after errors (the cache is dropped and bypassed meanwhile).
func (s *Stream) Run(ctx context.Context) {
	// A watchdog drops the cache as soon as the stream has been silent for longer than the bound.
	go s.probe(ctx)
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := s.once(ctx)
		s.cache.Drop()
		if ctx.Err() != nil {
			return
		}
		s.cfg.Log.Warn("binlog stream stopped: cache dropped and bypassed until it has caught up", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// probe writes the probe row every Heartbeat and drops the cache when the last probe seen back is older than the
// bound: the stream is behind, stuck, or reading a binlog that was reset under it. A stream that is only behind (a
// saturated server takes longer than the bound to write and send the probe) keeps its connection, and the cache
// serves again as soon as a probe comes back — every change committed before it has then been applied; until then
// every read goes to MySQL. When no probe has come back for reconnectAfter, the connection is closed and the
// stream reconnects (stuck, or on a binlog that was reset).
func (s *Stream) probe(ctx context.Context) {
	db, err := sql.Open("mysql", s.cfg.DSN)
	if err != nil {
		s.cfg.Log.Error("bincache probe", "err", err)
		return
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	t := time.NewTicker(s.cfg.Heartbeat)
	defer t.Stop()
	q := "INSERT INTO " + s.cfg.ProbeTable + " (meta_key, meta_value, updated_at) VALUES (?, ?, UTC_TIMESTAMP())" +
		" ON DUPLICATE KEY UPDATE meta_value = VALUES(meta_value), updated_at = VALUES(updated_at)"
	reconnectAfter := max(4*s.cache.MaxLag(), 5*time.Second)
	var droppedAt time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if s.cache.Stale() {
			s.cfg.Log.Warn("binlog stream not proven current within the staleness bound: cache dropped and bypassed until a probe comes back",
				"lag", s.cache.Lag().String())
			s.cache.Drop()
			droppedAt = time.Now()
		}
		if !droppedAt.IsZero() {
			switch {
			case s.cache.Healthy():
				droppedAt = time.Time{}
			case time.Since(droppedAt) > reconnectAfter:
				s.cfg.Log.Warn("binlog stream: no probe back since the cache was dropped: reconnecting", "after", reconnectAfter.String())
				s.closeConn()
				droppedAt = time.Time{}
			}
		}
		s.mu.Lock()
		s.probeN++
		nonce := strconv.FormatUint(s.probeN, 10)
		s.mu.Unlock()
		// Recorded before the write: on a busy machine the row can come back through the binlog before ExecContext
		// has returned here, and a probe seen before it was recorded would be ignored (the cache was then dropped
		// under load while the stream was current). Committed at some point after start: start is the conservative
		// choice.
		start := time.Now()
		s.mu.Lock()
		s.probes[nonce] = start
		for k := range s.probes {
			if len(s.probes) <= 64 {
				break
			}
			delete(s.probes, k)
		}
		s.mu.Unlock()
		pctx, cancel := context.WithTimeout(ctx, s.cfg.Heartbeat*4)
		_, err := db.ExecContext(pctx, q, s.probeKey, nonce)
		cancel()
		if err != nil {
			// Not known to be committed, and not known not to be: if it comes back, it proves what it proves.
			s.cfg.Log.Warn("bincache probe write failed", "err", err)
		}
	}
}

// probeSeen handles the probe row coming back through the binlog.
func (s *Stream) probeSeen(nonce string) {
	s.mu.Lock()
	at, ok := s.probes[nonce]
	delete(s.probes, nonce)
	s.mu.Unlock()
	if ok {
		s.cache.Heard(at)
		s.cache.SetHealthy()
		if s.cfg.OnLag != nil {
			s.cfg.OnLag(time.Since(at))
		}
	}
}

func (s *Stream) closeConn() {
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// ConnectionID is the server-side id of the stream's connection (tests kill it).
func (s *Stream) ConnectionID() uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connID
}

// masterPosition reads the server's current binlog position over conn.
func masterPosition(conn *mysql.Conn) (Position, error) {
	for _, q := range []string{"SHOW MASTER STATUS", "SHOW BINARY LOG STATUS"} {
		r, err := conn.ExecuteFetch(q, 10, false)
		if err != nil {
			continue
		}
		if len(r.Rows) == 0 {
			return Position{}, errors.New("bincache: the binlog is off on this server (SHOW MASTER STATUS is empty)")
		}
		pos, err := strconv.ParseUint(r.Rows[0][1].ToString(), 10, 64)
		if err != nil {
			return Position{}, err
		}
		return Position{File: r.Rows[0][0].ToString(), Pos: pos}, nil
	}
	return Position{}, errors.New("bincache: cannot read the binlog position (needs BINLOG MONITOR / REPLICATION CLIENT)")
}

func (s *Stream) once(ctx context.Context) error {
	conn, err := mysql.Connect(ctx, &s.params)
	if err != nil {
		return err
	}
	defer conn.Close()
	start, err := masterPosition(conn)
	if err != nil {
		return err
	}
	for _, q := range []string{
		"SET @master_binlog_checksum = @@global.binlog_checksum, @source_binlog_checksum = @@global.binlog_checksum",
		fmt.Sprintf("SET @master_heartbeat_period = %d, @source_heartbeat_period = %d", s.cfg.Heartbeat.Nanoseconds(), s.cfg.Heartbeat.Nanoseconds()),
	} {
		if _, err := conn.ExecuteFetch(q, 0, false); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	if conn.IsMariaDB() {
		if _, err := conn.ExecuteFetch("SET @mariadb_slave_capability = 4", 0, false); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.conn, s.connID, s.applied = conn, conn.ConnectionID, start
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.conn = nil
		s.mu.Unlock()
	}()
	stop := context.AfterFunc(ctx, conn.Close)
	defer stop()
	if err := conn.SendBinlogDumpCommand(s.cfg.ServerID, start.File, uint32(start.Pos)); err != nil {
		return err
	}
	return s.read(conn, start)
}

// read applies events until the connection fails or is closed.
func (s *Stream) read(conn *mysql.Conn, pos Position) error {
	var f mysql.BinlogFormat
	tables := map[uint64]*mysql.TableMap{}
	for {
		ev, err := conn.ReadBinlogEvent()
		if err != nil {
			return err
		}
		if !ev.IsValid() {
			return errors.New("bincache: invalid binlog event")
		}
		if ev.IsFormatDescription() {
			if f, err = ev.Format(); err != nil {
				return err
			}
			continue
		}
		if f.IsZero() {
			continue // the fake rotate that precedes the format description
		}
		if ev, _, err = ev.StripChecksum(f); err != nil {
			return err
		}
		switch {
		case ev.IsHeartbeat():
			// A heartbeat names the server's current binlog file and position: if that is not where this stream
			// stands, the binlog was reset or replaced under it (RESET MASTER) and events may have been missed.
			file := string(ev.Bytes()[f.HeaderLength:])
			if file != pos.File || ev.NextPosition() < pos.Pos {
				return fmt.Errorf("bincache: the server's binlog is at %s:%d, the stream at %s:%d (reset?)", file, ev.NextPosition(), pos.File, pos.Pos)
			}
			continue
		case ev.IsRotate():
			// Parsed here: vitess's NextLogFile assumes a checksum is present and already stripped it once.
			data := ev.Bytes()[f.HeaderLength:]
			if len(data) < 8 {
				return errors.New("bincache: short rotate event")
			}
			pos = Position{File: string(data[8:]), Pos: binary.LittleEndian.Uint64(data[:8])}
			s.advance(pos)
			continue
		case ev.IsTableMap():
			tm, err := ev.TableMap(f)
			if err != nil {
				return err
			}
			tables[ev.TableID(f)] = tm
		case ev.IsWriteRows() || ev.IsUpdateRows() || ev.IsDeleteRows() || ev.IsPartialUpdateRows():
			tm := tables[ev.TableID(f)]
			if tm == nil {
				return errors.New("bincache: rows event without its table map")
			}
			if err := s.apply(ev, f, tm); err != nil {
				return err
			}
		case ev.IsQuery():
			// DDL and statement-format changes (TRUNCATE, ALTER, a session with binlog_format=STATEMENT): whatever
			// table they name is invalidated whole; anything unparsable drops the cache (never serve a miss).
			q, err := ev.Query(f)
			if err != nil {
				return err
			}
			s.applyQuery(q)
		}
		if np := ev.NextPosition(); np > 0 {
			pos.Pos = np
			s.advance(pos)
		}
	}
}

func (s *Stream) advance(p Position) {
	s.mu.Lock()
	s.applied = p
	s.mu.Unlock()
	s.cond.Broadcast()
}

// apply invalidates the rows of one rows event (before and after images).
func (s *Stream) apply(ev mysql.BinlogEvent, f mysql.BinlogFormat, tm *mysql.TableMap) error {
	if tm.Database != s.db {
		return nil
	}
	if tm.Name == s.cfg.ProbeTable {
		rows, err := ev.Rows(f, tm)
		if err != nil {
			return err
		}
		for _, r := range rows.Rows {
			if r.Data == nil {
				continue
			}
			key, _, err := cell(tm, rows.DataColumns, r.NullColumns, r.Data, 0)
			if err != nil {
				return err
			}
			if key == s.probeKey {
				nonce, _, err := cell(tm, rows.DataColumns, r.NullColumns, r.Data, 1)
				if err != nil {
					return err
				}
				s.probeSeen(nonce)
			}
		}
		return nil
	}
	col, watched := s.watch[tm.Name]
	if !watched {
		return nil
	}
	if s.cfg.ApplyDelay > 0 {
		time.Sleep(s.cfg.ApplyDelay) // tests: only this database's watched tables are slowed down
	}
	if col < 0 {
		s.cache.Invalidate(tm.Name, "")
		return nil
	}
	rows, err := ev.Rows(f, tm)
	if err != nil {
		return err
	}
	for _, r := range rows.Rows {
		for _, img := range []struct {
			present mysql.Bitmap
			nulls   mysql.Bitmap
			data    []byte
		}{{rows.IdentifyColumns, r.NullIdentifyColumns, r.Identify}, {rows.DataColumns, r.NullColumns, r.Data}} {
			if img.data == nil {
				continue
			}
			v, ok, err := cell(tm, img.present, img.nulls, img.data, col)
			if err != nil {
				return err
			}
			if !ok {
				// The key column is not in the image (binlog_row_image=MINIMAL/NOBLOB): the whole table.
				s.cache.Invalidate(tm.Name, "")
				continue
			}
			s.cache.Invalidate(tm.Name, v)
		}
	}
	return nil
}

// cell decodes column col of a row image; ok is false when the image does not carry it.
func cell(tm *mysql.TableMap, present, nulls mysql.Bitmap, data []byte, col int) (string, bool, error) {
	pos, vi := 0, 0
	for c := 0; c < present.Count(); c++ {
		if !present.Bit(c) {
			if c == col {
				return "", false, nil
			}
			continue
		}
		if nulls.Bit(vi) {
			if c == col {
				return "", true, nil
			}
			vi++
			continue
		}
		if c == col {
			v, _, err := binlog.CellValue(data, pos, tm.Types[c], tm.Metadata[c], &querypb.Field{Type: querypb.Type_VARBINARY}, false)
			if err != nil {
				return "", false, err
			}
			return v.ToString(), true, nil
		}
		l, err := binlog.CellLength(data, pos, tm.Types[c], tm.Metadata[c])
		if err != nil {
			return "", false, err
		}
		pos += l
		vi++
	}
	return "", false, nil
}

// applyQuery invalidates the watched tables a statement names (DDL, TRUNCATE, statement-format DML).
func (s *Stream) applyQuery(q mysql.Query) {
	sql := strings.ToLower(q.SQL)
	switch strings.TrimSpace(sql) {
	case "begin", "commit", "xa start", "xa end":
		return
	}
	for t := range s.watch {
		if strings.Contains(sql, strings.ToLower(t)) {
			s.cache.Invalidate(t, "")
		}
	}
}

// Applied is the position up to which events have been applied.
func (s *Stream) Applied() Position {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.applied
}

// WaitApplied blocks until the stream has applied every event before p (tests: "once the binlog event carrying a
// change has been applied, the next read sees it").
func (s *Stream) WaitApplied(ctx context.Context, p Position) error {
	stop := context.AfterFunc(ctx, func() { s.mu.Lock(); s.cond.Broadcast(); s.mu.Unlock() })
	defer stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.applied.less(p) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.cond.Wait()
	}
	return nil
}

// Sync waits until the stream has applied the binlog up to the server's position now: called after the sidecar's
// own writes (and writes it handed to PHP), before the answer, so they are out of the cache when the client reads.
func (s *Stream) Sync(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "SHOW MASTER STATUS")
	if err != nil {
		// MySQL 8.4 renamed it.
		if rows, err = db.QueryContext(ctx, "SHOW BINARY LOG STATUS"); err != nil {
			return err
		}
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	if !rows.Next() {
		return errors.New("bincache: the binlog is off")
	}
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return err
	}
	pos, err := strconv.ParseUint(string(vals[1]), 10, 64)
	if err != nil {
		return err
	}
	p := Position{File: string(vals[0]), Pos: pos}
	rows.Close()
	return s.WaitApplied(ctx, p)
}
