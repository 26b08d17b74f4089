package wptest

import (
	"sync"
	"time"
)

// Window is a test failpoint that holds a race window open (the span between a uniqueness check and the commit
// of the row it allows): every request that reaches Hold waits there until N requests are inside the window at
// once, or until Max has passed. With a working lock only one request at a time can be inside, so each waits Max
// while the others queue behind the lock; without the lock N requests pile up inside, each having passed the
// check before any of them committed — the duplicate the lock exists to prevent happens deterministically.
type Window struct {
	N   int
	Max time.Duration

	mu      sync.Mutex
	inside  int
	entered int
	peak    int
	full    chan struct{}
}

// NewWindow makes a window that opens its gate when n requests are inside it, holding each at most max.
func NewWindow(n int, max time.Duration) *Window {
	return &Window{N: n, Max: max, full: make(chan struct{})}
}

// Hold is the failpoint body: call it between the check and the commit.
func (w *Window) Hold() {
	w.mu.Lock()
	w.inside++
	w.entered++
	if w.inside > w.peak {
		w.peak = w.inside
	}
	if w.inside >= w.N {
		select {
		case <-w.full:
		default:
			close(w.full)
		}
	}
	w.mu.Unlock()
	t := time.NewTimer(w.Max)
	select {
	case <-w.full:
	case <-t.C:
	}
	t.Stop()
	w.mu.Lock()
	w.inside--
	w.mu.Unlock()
}

// Stats reports how many requests entered the window and the most that were inside it at once.
func (w *Window) Stats() (entered, peak int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.entered, w.peak
}
