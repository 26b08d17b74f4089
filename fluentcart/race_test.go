package fluentcart_test

import (
	"sync"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/fluentcart"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// DEVIATION (DEVIATIONS.md): concurrent creates with one e-mail insert one row; the others see it and answer
// PHP's sequential answer (422 {"email":{"exist":"Email already exists."}}).
// The 8-way create race with its window held open: the winner waits between
// its INSERT and its COMMIT until a second request joins it or 400 ms pass, so the other seven really arrive
// while the row is uncommitted. With the per-e-mail lock only the winner ever enters the window.
func TestCreateRaceWindowHeldOpen(t *testing.T) {
	w := wptest.NewWindow(2, 400*time.Millisecond)
	ok, rejected, rows := raceCreates(t, w, false)
	if entered, peak := w.Stats(); entered != 1 || peak != 1 {
		t.Errorf("%d requests reached the window (at most %d at once), want exactly 1", entered, peak)
	}
	if ok != 1 || rejected != 7 || rows != "1" {
		t.Fatalf("%d creates succeeded, %d refused, %s rows; want 1, 7, 1", ok, rejected, rows)
	}
}

// The same race with the lock switched off (test-only hook) inserts duplicates: the window is real, so the race
// test fails if the lock goes.
func TestCreateRaceWithoutLockDuplicates(t *testing.T) {
	w := wptest.NewWindow(2, 2*time.Second)
	ok, rejected, rows := raceCreates(t, w, true)
	entered, peak := w.Stats()
	if peak < 2 || ok < 2 || rows == "1" {
		t.Fatalf("without the lock: %d requests in the window (%d at once), %d succeeded, %d refused, %s rows; want a duplicate",
			entered, peak, ok, rejected, rows)
	}
	t.Logf("without the lock: %d creates succeeded, %d refused, %s rows with one e-mail", ok, rejected, rows)
}

// raceCreates sends eight creates with one e-mail (alternating case) at once through a router whose create holds
// w open between check and commit; it returns the 200s, the 422 "Email already exists." answers and the row count.
// Any other answer fails the test, except without the lock (where a late request may find the row after its
// check: "Customer already exists.").
func raceCreates(t *testing.T, w *wptest.Window, noLock bool) (ok, rejected int, rows string) {
	r := shared(t)
	var opts fluentcart.Options
	fluentcart.WithRaceHooks(&opts, w.Hold, noLock)
	rt := rest.NewRouter(r.site, r.auth)
	fluentcart.Register(rt, r.site, opts)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.restore(t)
	defer r.restore(t)
	const n = 8
	codes := make([]int, n)
	bodies := make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			email := "Race@Example.com"
			if i%2 == 1 {
				email = "race@example.com" // collation-equal
			}
			rec := wptest.Do(rt, "POST", "/wp-json/fluent-cart/v2/customers",
				map[string]string{"Content-Type": "application/json", "Authorization": basicAuth("admin")},
				`{"full_name":"Race Runner","email":"`+email+`"}`)
			codes[i], bodies[i] = rec.Code, rec.Body.String()
		}(i)
	}
	close(start)
	wg.Wait()
	r.auth.WaitUsage()
	for i := range codes {
		switch {
		case codes[i] == 200:
			ok++
		case codes[i] == 422 && bodies[i] == `{"email":{"exist":"Email already exists."}}`:
			rejected++
		case !noLock:
			t.Errorf("request %d: %d %s", i, codes[i], bodies[i])
		}
	}
	return ok, rejected, r.db.QueryString(t, "SELECT COUNT(*) FROM {prefix}fct_customers WHERE email = 'race@example.com'")
}
