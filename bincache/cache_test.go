package bincache

import (
	"testing"
	"time"
)

func put(t *testing.T, c *Cache, key string, deps ...Dep) {
	t.Helper()
	if !c.Put(c.Begin(), key, key, 10, deps...) {
		t.Fatalf("Put %s refused", key)
	}
}

func has(c *Cache, key string) bool { _, ok := c.Get(key); return ok }

// A read that began before a change is not stored after it; a silent stream is bypassed; memory is bounded (LRU).
func TestCacheRules(t *testing.T) {
	c := New(200, time.Second)
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	c.Heard()
	c.SetHealthy()
	tok := c.Begin()
	c.Invalidate("t", "1")
	if c.Put(tok, "a", 1, 10, Dep{"t", "1"}) {
		t.Fatal("a read that began before an invalidation of its table was stored")
	}
	if c.Put(c.Begin(), "a", 1, 10, Dep{"t", "1"}) {
		t.Fatal("a read that began within Settle of an invalidation of its table was stored")
	}
	now = now.Add(c.Settle)
	c.Heard()
	if !c.Put(c.Begin(), "a", 1, 10, Dep{"t", "1"}) || !has(c, "a") {
		t.Fatal("a fresh read was not stored")
	}
	now = now.Add(1500 * time.Millisecond) // no event or heartbeat for longer than the bound
	if has(c, "a") || !c.Stale() {
		t.Fatal("served past the staleness bound")
	}
	c.Heard()
	tok = c.Begin()
	c.Drop()
	c.SetHealthy()
	if c.Put(tok, "b", 1, 10) {
		t.Fatal("a read that began before a drop was stored")
	}
	for _, k := range []string{"k1", "k2", "k3"} { // each about 10 + len + 64 bytes: the third evicts the first
		put(t, c, k)
		has(c, "k2")
	}
	if has(c, "k1") || !has(c, "k2") || !has(c, "k3") || c.Stats().Bytes > 200 {
		t.Fatalf("LRU: %+v", c.Stats())
	}
}

// A change of one row does not hold back entries of other rows of the same table; it does hold back entries that
// depend on the whole table, and a whole-table change holds back every entry of the table.
func TestRowLevelPut(t *testing.T) {
	c := New(1<<20, time.Second)
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	c.Heard()
	c.SetHealthy()
	tok := c.Begin()
	c.Invalidate("options", "cron")
	if !c.Put(tok, "siteurl", 1, 10, Dep{"options", "siteurl"}) {
		t.Fatal("a change of another row refused the entry")
	}
	if c.Put(tok, "cron", 1, 10, Dep{"options", "cron"}) {
		t.Fatal("an entry of the changed row begun before the change was stored")
	}
	if c.Put(tok, "all", 1, 10, Dep{"options", ""}) {
		t.Fatal("an entry on the whole table begun before a row change was stored")
	}
	now = now.Add(time.Second)
	c.Heard()
	tok = c.Begin()
	c.Invalidate("options", "")
	if c.Put(tok, "home", 1, 10, Dep{"options", "home"}) {
		t.Fatal("an entry begun before a whole-table change was stored")
	}
}
