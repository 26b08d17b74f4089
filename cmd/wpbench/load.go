package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// request is one request of a scenario; n numbers the requests of a run so bodies and ids can vary.
type request func(n int64) (*http.Request, error)

// result is what one load run measured.
type result struct {
	Requests int64
	Errors   int64
	Elapsed  time.Duration
	P50, P90 time.Duration
	P99      time.Duration
	FirstErr string
}

// RPS is requests (successful or not) per second.
func (r result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// worker is one client of a load run: step does one request (its duration is one sample) and returns an error
// message, "" when it succeeded.
type worker func() string

// drive runs conns workers made by newWorker for d and measures them.
func drive(ctx context.Context, conns int, d time.Duration, newWorker func() (worker, func(), error)) result {
	var errs atomic.Int64
	var firstErr atomic.Value
	fail := func(msg string) {
		errs.Add(1)
		firstErr.CompareAndSwap(nil, msg)
	}
	lat := make([][]time.Duration, conns)
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			step, stop, err := newWorker()
			if err != nil {
				fail(err.Error())
				return
			}
			defer stop()
			local := make([]time.Duration, 0, 4096)
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				if msg := step(); msg != "" {
					fail(msg)
				}
				local = append(local, time.Since(t0))
			}
			lat[c] = local
		}(c)
	}
	wg.Wait()
	return summarize(time.Since(start), lat, errs.Load(), &firstErr)
}

// runLoad sends requests from conns concurrent clients for d and measures latency; a status other than want (or a
// transport error) counts as an error.
func runLoad(ctx context.Context, client *http.Client, conns int, d time.Duration, want int, mk request) result {
	var counter atomic.Int64
	step := func() string {
		req, err := mk(counter.Add(1))
		if err != nil {
			return err.Error()
		}
		resp, err := client.Do(req.WithContext(ctx))
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		if resp.StatusCode != want {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			return resp.Status + " " + string(bytes.TrimSpace(body))
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return ""
	}
	return drive(ctx, conns, d, func() (worker, func(), error) { return step, func() {}, nil })
}

// summarize merges the clients' latencies into one result.
func summarize(elapsed time.Duration, lat [][]time.Duration, errs int64, firstErr *atomic.Value) result {
	res := result{Elapsed: elapsed, Errors: errs}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	res.Requests = int64(len(all))
	res.P50, res.P90, res.P99 = percentiles(all)
	if v, ok := firstErr.Load().(string); ok {
		res.FirstErr = v
	}
	return res
}

func percentiles(all []time.Duration) (p50, p90, p99 time.Duration) {
	if len(all) == 0 {
		return
	}
	slices.Sort(all)
	at := func(q float64) time.Duration { return all[int(q*float64(len(all)-1))] }
	return at(0.50), at(0.90), at(0.99)
}

// newClient is a keep-alive HTTP client allowing conns connections to one host.
func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil,
			MaxIdleConns:        conns * 2,
			MaxIdleConnsPerHost: conns * 2,
			MaxConnsPerHost:     conns,
			IdleConnTimeout:     90 * time.Second,
		},
	}
}
