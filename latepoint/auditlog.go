package latepoint

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	sq "github.com/Masterminds/squirrel"
)

// auditEntry is one request in {prefix}wpsidecar_api_logs (spec §8.3): no bodies, no keys, no Authorization.
type auditEntry struct {
	RequestID  string
	KeyID      int64  // 0 = no key identified (failed authentication)
	KeyPrefix  string // the stored display prefix, or just "lp_live_"/"lp_test_" for an unknown key
	Method     string
	Route      string // templated, e.g. /customers/{id}
	Status     int
	ErrorCode  string
	IP         string
	UserAgent  string
	DurationMS int64
	At         time.Time
}

// AuditLog writes entries asynchronously in batches through a bounded queue. Log never blocks: when the queue is
// full the entry is dropped and counted (Dropped), and the site's QueueDropped event fires.
type AuditLog struct {
	db       *sql.DB
	table    string
	log      *slog.Logger
	onDrop   func()
	queue    chan auditEntry
	batch    int
	interval time.Duration

	dropped atomic.Int64
	written atomic.Int64
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
}

// NewAuditLog starts the writer goroutine. queueSize bounds memory; batch rows go in one INSERT at most every
// interval (or sooner when a batch fills).
func NewAuditLog(db *sql.DB, table string, queueSize, batch int, interval time.Duration, log *slog.Logger, onDrop func()) *AuditLog {
	if queueSize <= 0 {
		queueSize = 10000
	}
	if batch <= 0 {
		batch = 500
	}
	if interval <= 0 {
		interval = time.Second
	}
	a := &AuditLog{db: db, table: table, log: log, onDrop: onDrop, queue: make(chan auditEntry, queueSize), batch: batch,
		interval: interval, stop: make(chan struct{}), done: make(chan struct{})}
	go a.run()
	return a
}

// Log queues an entry without blocking.
func (a *AuditLog) Log(e auditEntry) {
	select {
	case a.queue <- e:
	default:
		a.dropped.Add(1)
		if a.onDrop != nil {
			a.onDrop()
		}
	}
}

// Dropped is how many entries a full queue refused so far; Written how many reached the table.
func (a *AuditLog) Dropped() int64 { return a.dropped.Load() }
func (a *AuditLog) Written() int64 { return a.written.Load() }

func (a *AuditLog) run() {
	defer close(a.done)
	tick := time.NewTicker(a.interval)
	defer tick.Stop()
	buf := make([]auditEntry, 0, a.batch)
	flush := func() {
		if len(buf) == 0 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := a.write(ctx, buf); err != nil {
			a.log.Warn("audit log: batch not written", "rows", len(buf), "err", err)
		} else {
			a.written.Add(int64(len(buf)))
		}
		cancel()
		buf = buf[:0]
	}
	for {
		select {
		case e := <-a.queue:
			buf = append(buf, e)
			if len(buf) >= a.batch {
				flush()
			}
		case <-tick.C:
			flush()
		case <-a.stop:
			for {
				select {
				case e := <-a.queue:
					buf = append(buf, e)
					if len(buf) >= a.batch {
						flush()
					}
				default:
					flush()
					return
				}
			}
		}
	}
}

func (a *AuditLog) write(ctx context.Context, rows []auditEntry) error {
	ins := sq.Insert(a.table).Columns("request_id", "api_key_id", "key_prefix", "method", "route", "status_code", "error_code",
		"ip", "user_agent", "duration_ms", "created_at")
	for _, e := range rows {
		var keyID, prefix, errCode, ua any
		if e.KeyID > 0 {
			keyID = e.KeyID
		}
		if e.KeyPrefix != "" {
			prefix = e.KeyPrefix
		}
		if e.ErrorCode != "" {
			errCode = clip(e.ErrorCode, 64)
		}
		if e.UserAgent != "" {
			ua = clip(e.UserAgent, 255)
		}
		ins = ins.Values(clip(e.RequestID, 32), keyID, prefix, clip(e.Method, 8), clip(e.Route, 191), e.Status, errCode,
			clip(e.IP, 45), ua, e.DurationMS, e.At.UTC().Format(dbLayout))
	}
	q, args, err := toSQL(ins)
	if err != nil {
		return err
	}
	_, err = a.db.ExecContext(ctx, q, args...)
	return err
}

// Close flushes what is queued and stops the writer (or gives up when ctx ends).
func (a *AuditLog) Close(ctx context.Context) error {
	a.once.Do(func() { close(a.stop) })
	select {
	case <-a.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// clip cuts s to at most n characters (not bytes), for the varchar columns.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
