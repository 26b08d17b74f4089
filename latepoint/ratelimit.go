package latepoint

import (
	"context"
	"database/sql"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// Limits are one key's request budgets. Zero means "use the environment default".
type Limits struct {
	PerMinute int64
	PerHour   int64
}

// Documented defaults (spec §6.6): test keys 100/min and 1,000/h, live keys 60/min and 3,600/h.
var (
	DefaultTestLimits = Limits{PerMinute: 100, PerHour: 1000}
	DefaultLiveLimits = Limits{PerMinute: 60, PerHour: 3600}
)

// Limiter enforces per-key fixed-window limits shared by every sidecar instance through MySQL
// ({prefix}wpsidecar_rate_limits: one row per subject, window type and window start), without a database write
// on every request:
//
//   - An instance reserves a lease of tokens from a window's shared counter with one atomic
//     INSERT … ON DUPLICATE KEY UPDATE that never takes the counter past the limit, then spends the lease locally.
//     A lease is max(1, ceil(limit × LeaseFraction)) tokens (default 1/20: 3 per minute for a live key), so most
//     requests touch no table.
//   - An instance that stops using a key gives the unspent tokens back after IdleReturn (default 2 s); leases of a
//     window that has ended simply expire with it.
//   - When the shared counter is exhausted the instance answers 429 from memory and asks the database again at most
//     once per ExhaustedRecheck (default 1 s), in case another instance gave tokens back.
//
// Accuracy: the number of requests admitted in a window never exceeds the limit, however many instances share it
// (reservations are atomic in MySQL). An instance may refuse while another still holds unspent tokens: at most
// (instances − 1) × lease tokens, for at most IdleReturn after that instance's last request of the key.
// X-RateLimit-Remaining is this instance's view: the shared counter as of its last reservation plus its own
// unspent lease.
type Limiter struct {
	db    *sql.DB
	table string
	now   func() time.Time
	log   *slog.Logger

	LeaseFraction    float64
	IdleReturn       time.Duration
	ExhaustedRecheck time.Duration

	mu       sync.Mutex
	subjects map[string]*subjectState
}

type subjectState struct {
	mu      sync.Mutex
	windows [2]windowState // minute, hour
	lastUse time.Time
}

type windowState struct {
	start          time.Time // current window start (UTC)
	lease          int64     // reserved in MySQL, not spent yet
	global         int64     // shared counter after this instance's last reservation
	exhaustedUntil time.Time
}

var windowNames = [2]string{"minute", "hour"}
var windowLengths = [2]time.Duration{time.Minute, time.Hour}

// NewLimiter makes a limiter over the given table.
func NewLimiter(db *sql.DB, table string, now func() time.Time, log *slog.Logger) *Limiter {
	if log == nil {
		log = slog.Default()
	}
	return &Limiter{db: db, table: table, now: now, log: log, LeaseFraction: 1.0 / 20, IdleReturn: 2 * time.Second,
		ExhaustedRecheck: time.Second, subjects: map[string]*subjectState{}}
}

// Decision is the outcome for one request; the header values describe the tightest window.
type Decision struct {
	Allowed    bool
	Window     string // the window the headers describe (and that refused, when not allowed)
	Limit      int64
	Remaining  int64
	Reset      int64 // Unix seconds when that window ends
	RetryAfter int64 // seconds, when refused
}

// Allow spends one request of subject's budget.
func (l *Limiter) Allow(ctx context.Context, subject string, lim Limits) (Decision, error) {
	now := l.now().UTC()
	l.mu.Lock()
	st := l.subjects[subject]
	if st == nil {
		st = &subjectState{}
		l.subjects[subject] = st
	}
	l.mu.Unlock()

	st.mu.Lock()
	defer st.mu.Unlock()
	st.lastUse = now
	limits := [2]int64{lim.PerMinute, lim.PerHour}
	for i := range st.windows {
		w := &st.windows[i]
		start := now.Truncate(windowLengths[i])
		if !w.start.Equal(start) {
			*w = windowState{start: start}
		}
	}
	// Make sure each window has a token before spending any, so a refusal by one window costs the other nothing.
	for i := range st.windows {
		w := &st.windows[i]
		if w.lease > 0 {
			continue
		}
		if now.Before(w.exhaustedUntil) {
			return l.refuse(i, w, limits[i], now), nil
		}
		if err := l.reserve(ctx, subject, i, w, limits[i], now); err != nil {
			return Decision{}, err
		}
		if w.lease == 0 {
			w.exhaustedUntil = now.Add(l.ExhaustedRecheck)
			return l.refuse(i, w, limits[i], now), nil
		}
	}
	d := Decision{Allowed: true, Remaining: math.MaxInt64}
	for i := range st.windows {
		w := &st.windows[i]
		w.lease--
		remaining := limits[i] - w.global + w.lease
		if remaining < 0 {
			remaining = 0
		}
		if remaining < d.Remaining {
			d.Window, d.Limit, d.Remaining = windowNames[i], limits[i], remaining
			d.Reset = w.start.Add(windowLengths[i]).Unix()
		}
	}
	return d, nil
}

func (l *Limiter) refuse(i int, w *windowState, limit int64, now time.Time) Decision {
	end := w.start.Add(windowLengths[i])
	retry := int64(math.Ceil(end.Sub(now).Seconds()))
	if retry < 1 {
		retry = 1
	}
	return Decision{Window: windowNames[i], Limit: limit, Remaining: 0, Reset: end.Unix(), RetryAfter: retry}
}

// reserveSQL grants g = min(n, limit − count) tokens (never below 0) and packs g and the new count into
// LAST_INSERT_ID (g << 32 | count), which the server returns in the OK packet: one round trip, no read-back.
const reserveSQL = "INSERT INTO %s (subject, window_type, window_start, request_count) VALUES (?, ?, ?," +
	" LAST_INSERT_ID(LEAST(?, ?) * 4294967296 + LEAST(?, ?)) & 4294967295)" +
	" ON DUPLICATE KEY UPDATE request_count = LAST_INSERT_ID(" +
	"GREATEST(0, LEAST(?, CAST(? AS SIGNED) - CAST(request_count AS SIGNED))) * 4294967296 + request_count +" +
	" GREATEST(0, LEAST(?, CAST(? AS SIGNED) - CAST(request_count AS SIGNED)))) & 4294967295"

func (l *Limiter) reserve(ctx context.Context, subject string, i int, w *windowState, limit int64, now time.Time) error {
	n := int64(math.Ceil(float64(limit) * l.LeaseFraction))
	if n < 1 {
		n = 1
	}
	if limit <= 0 {
		n = 0
	}
	res, err := l.db.ExecContext(wpcompat.Bookkeeping(ctx), sprintfTable(reserveSQL, l.table), subject, windowNames[i], w.start.Format(dbLayout),
		n, limit, n, limit, n, limit, n, limit)
	if err != nil {
		return classify(err)
	}
	packed, err := res.LastInsertId()
	if err != nil {
		return err
	}
	w.lease += packed >> 32
	w.global = packed & 0xffffffff
	return nil
}

func sprintfTable(q, table string) string {
	// The only %s in these statements is the table name (from the prefix helper).
	out := make([]byte, 0, len(q)+len(table))
	for i := 0; i < len(q); i++ {
		if q[i] == '%' && i+1 < len(q) && q[i+1] == 's' {
			out = append(out, table...)
			i++
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

// giveBack returns unspent leases of subjects idle for IdleReturn (all of them when force), and forgets idle
// subjects whose windows have ended.
func (l *Limiter) giveBack(ctx context.Context, force bool) {
	now := l.now().UTC()
	l.mu.Lock()
	var subjects []string
	var states []*subjectState
	for s, st := range l.subjects {
		subjects = append(subjects, s)
		states = append(states, st)
	}
	l.mu.Unlock()
	for i, st := range states {
		st.mu.Lock()
		idle := force || now.Sub(st.lastUse) >= l.IdleReturn
		if idle {
			for wi := range st.windows {
				w := &st.windows[wi]
				if w.lease <= 0 {
					continue
				}
				_, err := l.db.ExecContext(ctx, "UPDATE "+l.table+" SET request_count = request_count - LEAST(request_count, ?)"+
					" WHERE subject = ? AND window_type = ? AND window_start = ?", w.lease, subjects[i], windowNames[wi], w.start.Format(dbLayout))
				if err != nil {
					l.log.Warn("rate limit: give back lease", "subject", subjects[i], "err", err)
					continue
				}
				w.global -= w.lease
				w.lease = 0
			}
		}
		stale := idle && now.Sub(st.lastUse) > time.Hour
		st.mu.Unlock()
		if stale {
			l.mu.Lock()
			delete(l.subjects, subjects[i])
			l.mu.Unlock()
		}
	}
}

// purge deletes counters of windows that ended more than two hours ago.
func (l *Limiter) purge(ctx context.Context) {
	cutoff := l.now().UTC().Add(-3 * time.Hour).Format(dbLayout)
	if _, err := l.db.ExecContext(ctx, "DELETE FROM "+l.table+" WHERE window_start < ? LIMIT 5000", cutoff); err != nil {
		l.log.Warn("rate limit: purge", "err", err)
	}
}

// headers renders a decision as X-RateLimit-* (and Retry-After when refused).
func (d Decision) headers() map[string]string {
	h := map[string]string{
		"X-RateLimit-Limit":     strconv.FormatInt(d.Limit, 10),
		"X-RateLimit-Remaining": strconv.FormatInt(d.Remaining, 10),
		"X-RateLimit-Reset":     strconv.FormatInt(d.Reset, 10),
	}
	if !d.Allowed {
		h["Retry-After"] = strconv.FormatInt(d.RetryAfter, 10)
	}
	return h
}
