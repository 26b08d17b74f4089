package wpcompat

import "sync"

// DecodeMemo keeps what was decoded from a stored serialized value, keyed by the raw value itself, so a value read
// on every request (the active plugins, a user's Application Password list) is unserialized once per process and
// per version rather than once per request. Results are shared: treat them as read-only. A changed value is a new
// key, so nothing is ever stale; the memo is bounded (emptied when full) and skips large values. The zero value is
// ready to use.
type DecodeMemo[T any] struct {
	mu sync.Mutex
	m  map[string]T
}

const (
	decodeMemoEntries = 512
	decodeMemoMaxRaw  = 16 << 10
)

func (d *DecodeMemo[T]) Get(raw string, decode func(string) T) T {
	if len(raw) > decodeMemoMaxRaw {
		return decode(raw)
	}
	d.mu.Lock()
	v, ok := d.m[raw]
	d.mu.Unlock()
	if ok {
		return v
	}
	v = decode(raw)
	d.mu.Lock()
	if d.m == nil || len(d.m) >= decodeMemoEntries {
		d.m = map[string]T{}
	}
	d.m[raw] = v
	d.mu.Unlock()
	return v
}

var stringListMemo DecodeMemo[[]string]
