package latepoint

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// Three limiters (three sidecar instances) sharing one table never admit more than the limit in a window, however
// the requests are spread, and together admit exactly the limit when all keep asking.
func TestLimiterSharedAcrossInstances(t *testing.T) {
	t.Parallel()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Schemas: []string{"wpsidecar"}})
	clock := func() time.Time { return fixedNow }
	var limiters []*Limiter
	for i := 0; i < 3; i++ {
		limiters = append(limiters, NewLimiter(db.DB, db.Table("wpsidecar_rate_limits"), clock, nil))
	}
	lim := Limits{PerMinute: 60, PerHour: 3600}
	var admitted, refused atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 30; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			l := limiters[g%3]
			for i := 0; i < 10; i++ {
				d, err := l.Allow(context.Background(), "apikey:7", lim)
				if err != nil {
					t.Error(err)
					return
				}
				if d.Allowed {
					admitted.Add(1)
				} else {
					refused.Add(1)
					if d.RetryAfter != 60 || d.Remaining != 0 || d.Limit != 60 {
						t.Errorf("refusal %+v", d)
					}
				}
			}
		}(g)
	}
	wg.Wait()
	if admitted.Load() != 60 || refused.Load() != 240 {
		t.Fatalf("admitted %d refused %d, want 60 and 240", admitted.Load(), refused.Load())
	}
	if got := db.QueryString(t, "SELECT request_count FROM {prefix}wpsidecar_rate_limits WHERE subject = 'apikey:7' AND window_type = 'minute'"); got != "60" {
		t.Errorf("shared counter %s, want 60", got)
	}
}

// Unspent leases go back when an instance stops using a key, so another instance can use them; the next window
// starts from zero.
func TestLimiterGiveBackAndNewWindow(t *testing.T) {
	t.Parallel()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Schemas: []string{"wpsidecar"}})
	var now atomic.Int64
	now.Store(fixedNow.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).UTC() }
	a := NewLimiter(db.DB, db.Table("wpsidecar_rate_limits"), clock, nil)
	b := NewLimiter(db.DB, db.Table("wpsidecar_rate_limits"), clock, nil)
	a.LeaseFraction, b.LeaseFraction = 0.5, 0.5
	lim := Limits{PerMinute: 10, PerHour: 1000}
	ctx := context.Background()
	if d, _ := a.Allow(ctx, "k", lim); !d.Allowed || d.Remaining != 9 { // a holds a lease of 5, spends 1
		t.Fatalf("a: %+v", d)
	}
	for i := 0; i < 5; i++ { // b leases the other 5
		if d, _ := b.Allow(ctx, "k", lim); !d.Allowed {
			t.Fatalf("b %d refused", i)
		}
	}
	if d, _ := b.Allow(ctx, "k", lim); d.Allowed {
		t.Fatal("b admitted while a holds the rest")
	}
	now.Add(int64(3 * time.Second)) // a idle longer than IdleReturn
	a.giveBack(ctx, false)
	b.ExhaustedRecheck = 0
	got := 0
	for i := 0; i < 10; i++ {
		if d, _ := b.Allow(ctx, "k", lim); d.Allowed {
			got++
		}
	}
	if got != 4 {
		t.Fatalf("after give-back b admitted %d, want the 4 a returned", got)
	}
	now.Add(int64(time.Minute))
	if d, _ := b.Allow(ctx, "k", lim); !d.Allowed || d.Reset != fixedNow.Truncate(time.Minute).Add(2*time.Minute).Unix() {
		t.Fatalf("new window: %+v", d)
	}
}

// A key at its hourly cap is refused even with minute budget left; the refusal does not spend the minute budget.
func TestLimiterHourWindow(t *testing.T) {
	t.Parallel()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Schemas: []string{"wpsidecar"}})
	l := NewLimiter(db.DB, db.Table("wpsidecar_rate_limits"), func() time.Time { return fixedNow }, nil)
	lim := Limits{PerMinute: 100, PerHour: 3}
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if d, _ := l.Allow(ctx, "h", lim); !d.Allowed || d.Window != "hour" {
			t.Fatalf("request %d: %+v", i, d)
		}
	}
	d, _ := l.Allow(ctx, "h", lim)
	if d.Allowed || d.Window != "hour" || d.RetryAfter != 3600 || d.Limit != 3 {
		t.Fatalf("fourth: %+v", d)
	}
	l.giveBack(ctx, true)
	if got := db.QueryString(t, "SELECT CONCAT(request_count) FROM {prefix}wpsidecar_rate_limits WHERE subject = 'h' AND window_type = 'minute'"); got != "3" {
		t.Errorf("minute counter after give-back %s, want 3 (only admitted requests)", got)
	}
}
