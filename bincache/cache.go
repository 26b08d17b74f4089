// Package bincache is the sidecar's opt-in read cache (serve --cache): rows that requests read and that PHP or the
// sidecar write are kept in memory and invalidated by the database's own change stream, the binlog in ROW format,
// read as a replica reads it (package binlogstream, the only one that imports vitess.io/vitess/go/mysql).
//
// The rules (issue 15):
//   - An entry is served only while the stream is healthy: connected, caught up, and proven current within the
//     staleness bound (binlogstream writes a probe row every fraction of the bound and marks the cache current as
//     of the probe's write when the probe comes back through the binlog: every change committed before it has
//     been applied by then). Otherwise Get misses (the caller reads MySQL) and the cache is dropped;
//     it fills again only once the stream has caught up.
//   - A value read from MySQL is stored only if nothing it depends on (its rows, tracked in hashed slots, or its
//     whole table) changed between the read's start (Begin) and Put, and no drop happened in between: a slow read can never store a row older than an applied event.
//   - A change reaches the binlog (and the stream) an instant before the storage engine makes it visible to other
//     connections (two-phase commit: binlog write, then engine commit). A read that begins within Settle after an
//     invalidation of a row it depends on may still see the old row, so its result is not stored (it is still
//     answered). This is the one timing assumption of the cache: the engine commit follows the binlog write within
//     Settle (100 ms by default; it is normally well under a millisecond).
//   - The sidecar's own writes call Invalidate before answering (read-your-writes for every client).
//   - Memory is bounded: entries carry a size estimate and the least recently used go first.
package bincache

import (
	"container/list"
	"sync"
	"sync/atomic"
	"time"
)

// Dep is one row (Row != "") or a whole table (Row == "") an entry was computed from.
type Dep struct {
	Table string // full table name, prefix included
	Row   string // the key the stream reports changes by (e.g. a user_id, an option_name); "" = any row
}

const rowSlots = 4096

type slot struct {
	epoch uint64
	at    time.Time
}

func slotOf(d Dep) int {
	h := uint32(2166136261) // FNV-1a
	for i := 0; i < len(d.Table); i++ {
		h = (h ^ uint32(d.Table[i])) * 16777619
	}
	h *= 16777619 // a zero byte between table and row (h ^ 0 == h)
	for i := 0; i < len(d.Row); i++ {
		h = (h ^ uint32(d.Row[i])) * 16777619
	}
	return int(h % rowSlots)
}

type entry struct {
	key  string
	val  any
	size int64
	deps []Dep
	elem *list.Element
}

// Cache is the in-memory store. The zero value is not usable: use New.
type Cache struct {
	maxBytes int64
	maxLag   time.Duration
	now      func() time.Time

	mu      sync.Mutex
	healthy bool
	gen     uint64          // bumped on every drop and every return to health
	epoch   uint64          // bumped on every invalidation
	whole   map[string]slot // table → its last whole-table invalidation
	any     map[string]slot // table → its last invalidation of any kind (for entries that depend on the whole table)
	// rowAt: epoch and time of the last invalidation of a row, in a fixed array of slots indexed by a hash of
	// (table, row). Two rows sharing a slot only make a Put refused more often, never accepted wrongly; a busy
	// table (WordPress rewrites cron and transients in options all the time) does not hold back its other rows.
	rowAt [rowSlots]slot
	// Settle: see the package comment.
	Settle  time.Duration
	entries map[string]*entry
	deps    map[Dep]map[*entry]struct{}
	lru     list.List // front = most recently used
	bytes   int64

	lastSeen atomic.Int64 // unix nanos of the last event or heartbeat received

	hits, misses, bypasses, drops, evictions, invalidations atomic.Int64
}

// New returns an empty, not yet healthy cache of at most maxBytes whose entries are served only while the stream
// was heard from within maxLag.
func New(maxBytes int64, maxLag time.Duration) *Cache {
	return &Cache{maxBytes: maxBytes, maxLag: maxLag, now: time.Now, whole: map[string]slot{}, any: map[string]slot{},
		Settle:  100 * time.Millisecond,
		entries: map[string]*entry{}, deps: map[Dep]map[*entry]struct{}{}}
}

// Token is taken before a read from MySQL whose result may be stored (Put).
type Token struct {
	gen, epoch uint64
	at         time.Time
	ok         bool
}

// fresh reports whether the stream was heard from within the bound.
// MaxLag is the staleness bound the cache was made with.
func (c *Cache) MaxLag() time.Duration { return c.maxLag }

func (c *Cache) fresh() bool {
	return c.now().UnixNano()-c.lastSeen.Load() <= int64(c.maxLag)
}

// Get returns the cached value of key, or false when it is absent or the cache cannot be trusted now.
func (c *Cache) Get(key string) (any, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.healthy || !c.fresh() {
		c.bypasses.Add(1)
		return nil, false
	}
	e, ok := c.entries[key]
	if !ok {
		c.misses.Add(1)
		return nil, false
	}
	c.lru.MoveToFront(e.elem)
	c.hits.Add(1)
	return e.val, true
}

// Begin marks the start of a read whose result may be stored.
func (c *Cache) Begin() Token {
	if c == nil {
		return Token{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return Token{gen: c.gen, epoch: c.epoch, at: c.now(), ok: c.healthy && c.fresh()}
}

// Put stores val (about size bytes) under key, computed from deps by a read that started at t. It is not stored
// when the cache was dropped since, or when one of the deps' tables changed since (the read may predate the change).
func (c *Cache) Put(t Token, key string, val any, size int64, deps ...Dep) bool {
	if c == nil || !t.ok {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.healthy || c.gen != t.gen || size > c.maxBytes {
		return false
	}
	for _, d := range deps {
		changed := []slot{c.any[d.Table]}
		if d.Row != "" {
			changed = []slot{c.whole[d.Table], c.rowAt[slotOf(d)]}
		}
		for _, s := range changed {
			if s.epoch > t.epoch || t.at.Before(s.at.Add(c.Settle)) {
				return false
			}
		}
	}
	if old, ok := c.entries[key]; ok {
		c.remove(old)
	}
	e := &entry{key: key, val: val, size: size + int64(len(key)) + 64, deps: deps}
	e.elem = c.lru.PushFront(e)
	c.entries[key] = e
	c.bytes += e.size
	for _, d := range deps {
		set := c.deps[d]
		if set == nil {
			set = map[*entry]struct{}{}
			c.deps[d] = set
		}
		set[e] = struct{}{}
	}
	for c.bytes > c.maxBytes {
		last := c.lru.Back()
		if last == nil {
			break
		}
		c.remove(last.Value.(*entry))
		c.evictions.Add(1)
	}
	return true
}

func (c *Cache) remove(e *entry) {
	if _, ok := c.entries[e.key]; !ok || c.entries[e.key] != e {
		return
	}
	delete(c.entries, e.key)
	c.lru.Remove(e.elem)
	c.bytes -= e.size
	for _, d := range e.deps {
		if set := c.deps[d]; set != nil {
			delete(set, e)
			if len(set) == 0 {
				delete(c.deps, d)
			}
		}
	}
}

// Invalidate removes what depends on a row of table (row != "") or on any row of it (row == ""): entries that
// declared that row or the whole table. Reads that began before are not stored afterwards.
func (c *Cache) Invalidate(table, row string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.invalidations.Add(1)
	c.epoch++
	now := slot{epoch: c.epoch, at: c.now()}
	c.any[table] = now
	if row != "" {
		c.rowAt[slotOf(Dep{table, row})] = now
	}
	if row == "" {
		c.whole[table] = now
		for d, set := range c.deps {
			if d.Table == table {
				for e := range set {
					c.remove(e)
				}
			}
		}
		return
	}
	for _, d := range []Dep{{table, row}, {table, ""}} {
		for e := range c.deps[d] {
			c.remove(e)
		}
	}
}

// Drop empties the cache and bypasses it until SetHealthy (the stream stopped, failed or fell behind).
func (c *Cache) Drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.healthy {
		c.drops.Add(1)
	}
	c.healthy = false
	c.gen++
	c.entries, c.deps, c.bytes = map[string]*entry{}, map[Dep]map[*entry]struct{}{}, 0
	c.lru.Init()
}

// SetHealthy is called by the stream once it has caught up: the cache may fill and serve again.
func (c *Cache) SetHealthy() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.healthy {
		c.healthy = true
		c.gen++
	}
}

// Stale reports a healthy cache whose stream has been silent beyond the bound.
func (c *Cache) Stale() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.healthy && !c.fresh()
}

// Heard records that every change committed up to at has been applied (the stream saw a probe written at that
// time, or a test says so). Entries are served while now - at stays within the staleness bound.
func (c *Cache) Heard(at ...time.Time) {
	t := c.now()
	if len(at) > 0 {
		t = at[0]
	}
	for {
		old := c.lastSeen.Load()
		if t.UnixNano() <= old || c.lastSeen.CompareAndSwap(old, t.UnixNano()) {
			return
		}
	}
}

// Lag is how far behind the cache may be now: the time since the last proof that it had applied everything.
func (c *Cache) Lag() time.Duration { return time.Duration(c.now().UnixNano() - c.lastSeen.Load()) }

// Healthy reports whether Get can serve entries now.
func (c *Cache) Healthy() bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.healthy && c.fresh()
}

// Stats is a snapshot for /metrics and doctor.
type Stats struct {
	Entries                                                 int
	Bytes, MaxBytes                                         int64
	Healthy                                                 bool
	Hits, Misses, Bypasses, Drops, Evictions, Invalidations int64
}

func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Entries: len(c.entries), Bytes: c.bytes, MaxBytes: c.maxBytes, Healthy: c.healthy && c.fresh(),
		Hits: c.hits.Load(), Misses: c.misses.Load(), Bypasses: c.bypasses.Load(), Drops: c.drops.Load(),
		Evictions: c.evictions.Load(), Invalidations: c.invalidations.Load()}
}
