package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// rateResult is one constant-rate run: latencies of every request sent at the fixed rate (vegeta paces by the
// clock, so a slow answer does not slow the sending and queueing shows in the tail — no coordinated omission).
type rateResult struct {
	Requests, Errors int64
	P50, P99         time.Duration
	FirstErr         string
}

// runRate sends mk's requests at rate per second for d from conns keep-alive connections, with base replacing the
// request's scheme and host (the sidecar's or the floor's URL).
func runRate(ctx context.Context, base string, rate int, d time.Duration, conns int, want int, mk request) rateResult {
	var n atomic.Int64 // vegeta's workers call the targeter concurrently
	var mkErr atomic.Value
	targeter := func(t *vegeta.Target) error {
		req, err := mk(n.Add(1))
		if err != nil {
			mkErr.CompareAndSwap(nil, err.Error())
			return err
		}
		t.Method = req.Method
		t.URL = base + req.URL.RequestURI()
		t.Header = req.Header.Clone()
		t.Body = nil
		if req.Body != nil {
			t.Body, _ = io.ReadAll(req.Body)
		}
		return nil
	}
	atk := vegeta.NewAttacker(vegeta.Connections(conns), vegeta.MaxConnections(conns), vegeta.Workers(uint64(conns)),
		vegeta.KeepAlive(true), vegeta.Timeout(30*time.Second), vegeta.Redirects(vegeta.NoFollow),
		vegeta.Client(&http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil,
			MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, IdleConnTimeout: 90 * time.Second}}))
	var res rateResult
	lat := make([]time.Duration, 0, rate*int(d/time.Second+1))
	results := atk.Attack(targeter, vegeta.Rate{Freq: rate, Per: time.Second}, d, "wpbench")
	for r := range results {
		if ctx.Err() != nil {
			atk.Stop()
		}
		res.Requests++
		lat = append(lat, r.Latency)
		if r.Code != uint16(want) || r.Error != "" {
			res.Errors++
			if res.FirstErr == "" {
				res.FirstErr = fmt.Sprintf("status %d %s %.200s", r.Code, r.Error, r.Body)
			}
		}
	}
	if msg, ok := mkErr.Load().(string); ok && res.FirstErr == "" {
		res.FirstErr = msg
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		at := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
		res.P50, res.P99 = at(0.50), at(0.99)
	}
	return res
}

// runRateSQL replays a request's captured round trips (stmts, as the sidecar sent them) at rate per second for d,
// at most conns at a time, paced by the clock like runRate: the database's own tail at that rate, with no HTTP and
// no sidecar in the way — the floor under the sidecar's tail that the HTTP floor does not show.
func runRateSQL(ctx context.Context, db *sql.DB, rate int, d time.Duration, conns int, stmts []string) rateResult {
	n := int(d.Seconds() * float64(rate))
	lat := make([]time.Duration, n)
	var res rateResult
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, conns)
	start := time.Now()
	sent := 0
	for i := 0; i < n && ctx.Err() == nil; i++ {
		due := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		time.Sleep(time.Until(due))
		sem <- struct{}{}
		sent++
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			for _, q := range stmts {
				rows, err := db.QueryContext(ctx, q)
				if err == nil {
					for more := true; more; more = rows.NextResultSet() {
						for rows.Next() {
						}
					}
					err = rows.Close()
				}
				if err != nil {
					mu.Lock()
					res.Errors++
					if res.FirstErr == "" {
						res.FirstErr = err.Error()
					}
					mu.Unlock()
					break
				}
			}
			lat[i] = time.Since(due) // from when it was due: waiting for a free connection counts
		}(i)
	}
	wg.Wait()
	lat = lat[:sent]
	res.Requests = int64(sent)
	if len(lat) > 0 {
		slices.Sort(lat)
		at := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
		res.P50, res.P99 = at(0.50), at(0.99)
	}
	return res
}

// tailRow is the constant-rate comparison of one scenario: sidecar and floor runs interleaved, medians of them.
type tailRow struct {
	scenario           string
	rate               int
	side, floor, sql   []rateResult // sql: the captured statements alone at the same rate (none when cached)
	sideP50, sideP99   time.Duration
	floorP50, floorP99 time.Duration
	sqlP50, sqlP99     time.Duration
	maxRatio           float64 // target: sidecar p99 ≤ maxRatio × floor p99
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func (t *tailRow) finish() {
	var sp50, sp99, fp50, fp99, qp50, qp99 []time.Duration
	for _, r := range t.sql {
		qp50, qp99 = append(qp50, r.P50), append(qp99, r.P99)
	}
	t.sqlP50, t.sqlP99 = median(qp50), median(qp99)
	for _, r := range t.side {
		sp50, sp99 = append(sp50, r.P50), append(sp99, r.P99)
	}
	for _, r := range t.floor {
		fp50, fp99 = append(fp50, r.P50), append(fp99, r.P99)
	}
	t.sideP50, t.sideP99, t.floorP50, t.floorP99 = median(sp50), median(sp99), median(fp50), median(fp99)
}

func (t *tailRow) ratio() float64 {
	if t.floorP99 <= 0 {
		return 0
	}
	return float64(t.sideP99) / float64(t.floorP99)
}
