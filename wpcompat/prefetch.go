package wpcompat

// Pipelined reads: a route whose handler will certainly read one statement's rows declares it (rest.Handler.Prefetch)
// and the authentication query carries it to MySQL in the same round trip — "SELECT the user …; SELECT what the
// handler reads" as one multi-statement packet on Site.Pipeline, a pool whose connections allow multi statements
// and run nothing else. Two statements, one round trip: the second round trip was a fifth of a GET's CPU on both
// sides (socket writes and reads, a pool checkout, the driver's context watcher) and half its latency.
//
// The rows are read before the permission check, but they are only ever used by the handler the route runs after
// it, and only when the handler would send exactly that statement with exactly those arguments (Prefetch.Take);
// in every other case — no Pipeline pool, a read replica, the read cache answering the user, an error in the
// second statement — nothing is pipelined or the result is ignored, and the handler reads as it always did.

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sync"
)

// Prefetch is one read a handler will make.
type Prefetch struct {
	Query string
	Args  []any
	// Scan reads the statement's rows into Value; called at most once, by the authentication query.
	Scan func(*sql.Rows) (any, error)

	ran   bool
	err   error
	value any
}

// requestScope is what one request keeps in its context (WithPrefetchSlot). Its Prefetch is set once the route is
// matched and taken by the authentication query. It also holds the options the request has read (CachedOption): within one request PHP's get_option answers from what it loaded first (alloptions and
// the object cache), so a request sees one value per option, and reads it once.
type requestScope struct {
	p *Prefetch

	mu   sync.Mutex
	opts []requestOption
}

type requestOption struct {
	name, value string
	found       bool
}

func (s *requestScope) option(name string) (requestOption, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.opts {
		if o.name == name {
			return o, true
		}
	}
	return requestOption{}, false
}

func (s *requestScope) remember(o requestOption) {
	s.mu.Lock()
	s.opts = append(s.opts, o)
	s.mu.Unlock()
}

func scopeFrom(ctx context.Context) *requestScope {
	slot, _ := ctx.Value(prefetchKey{}).(*requestScope)
	return slot
}

type prefetchKey struct{}

// WithPrefetchSlot returns ctx with an empty slot for a Prefetch; set sets it (nil clears it).
func WithPrefetchSlot(ctx context.Context) (context.Context, func(*Prefetch)) {
	slot := &requestScope{}
	return context.WithValue(ctx, prefetchKey{}, slot), func(p *Prefetch) { slot.p = p }
}

// PrefetchFrom is the request's Prefetch, if its route declared one (nil otherwise).
func PrefetchFrom(ctx context.Context) *Prefetch {
	if slot := scopeFrom(ctx); slot != nil {
		return slot.p
	}
	return nil
}

// Take returns what the pipelined statement read when it ran without error and is exactly query with args;
// ok is false otherwise (the caller then reads on its own). A result is taken once.
func (p *Prefetch) Take(query string, args ...any) (v any, ok bool) {
	if p == nil || !p.ran || p.err != nil || p.Query != query || !slices.Equal(p.Args, args) {
		return nil, false
	}
	v, p.value, p.err = p.value, nil, errTaken
	return v, true
}

var errTaken = errors.New("prefetch: already taken")

// Prefetched is Take for a store about to run query on q: only when q is the primary pool itself (the pipelined
// statement ran there; a transaction or a replica must read on its own).
func (s *Site) Prefetched(ctx context.Context, q any, query string, args ...any) (any, bool) {
	if db, ok := q.(*sql.DB); !ok || db != s.DB {
		return nil, false
	}
	return PrefetchFrom(ctx).Take(query, args...)
}

// PipelineQuery runs query, and the request's pending Prefetch after it in the same round trip when the site has a
// Pipeline pool and reads from its primary. The returned rows are the first statement's; done is called after
// they have been read and closes them, reading the Prefetch's rows first.
func (s *Site) PipelineQuery(ctx context.Context, db *sql.DB, query string, args []any) (*sql.Rows, func() error, error) {
	p := PrefetchFrom(ctx)
	if p == nil || p.ran || s.Pipeline == nil || db != s.DB || (s.ReadDB != nil && s.ReadDB != s.DB) {
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, nil, err
		}
		return rows, rows.Close, nil
	}
	p.ran = true
	all := make([]any, 0, len(args)+len(p.Args))
	all = append(append(all, args...), p.Args...)
	rows, err := s.Pipeline.QueryContext(ctx, query+";\n"+p.Query, all...)
	if err != nil {
		p.err = err
		return nil, nil, err
	}
	done := func() error {
		if err := rows.Err(); err != nil { // the first statement's rows were not all read: the second is not taken
			p.err = err
			rows.Close()
			return err
		}
		for rows.Next() { // what the caller left unread of the first statement
		}
		if rows.NextResultSet() {
			p.value, p.err = p.Scan(rows)
		} else if p.err = rows.Err(); p.err == nil {
			p.err = errors.New("prefetch: no second result set")
		}
		cerr := rows.Close()
		if p.err == nil {
			p.err = cerr
		}
		return nil // the first statement's answer is complete whatever the second did
	}
	return rows, done, nil
}
