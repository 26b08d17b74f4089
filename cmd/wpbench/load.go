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

// runLoad sends requests from conns concurrent clients for d and measures latency; a status other than want (or a
// transport error) counts as an error.
func runLoad(ctx context.Context, client *http.Client, conns int, d time.Duration, want int, mk request) result {
	var counter atomic.Int64
	var errs atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, conns)
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			local := make([]time.Duration, 0, 4096)
			for time.Now().Before(deadline) && ctx.Err() == nil {
				n := counter.Add(1)
				req, err := mk(n)
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				t0 := time.Now()
				resp, err := client.Do(req.WithContext(ctx))
				if err == nil {
					var body []byte
					if resp.StatusCode != want {
						body, _ = io.ReadAll(io.LimitReader(resp.Body, 512))
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != want {
						errs.Add(1)
						firstErr.CompareAndSwap(nil, resp.Status+" "+string(bytes.TrimSpace(body)))
					}
				} else {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
				local = append(local, time.Since(t0))
			}
			lat[c] = local
		}(c)
	}
	wg.Wait()
	return summarize(time.Since(start), lat, errs.Load(), &firstErr)
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
