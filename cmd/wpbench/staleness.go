package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// stalenessResult is how long a change made by another connection took to show in the sidecar's answers.
type stalenessResult struct {
	Writes        int
	P50, P99, Max time.Duration
	Polls         int64
	Err           string
}

// measureStaleness (make bench --cache) changes the administrator's display name n times through its own MySQL
// connection, as PHP would, and after each commit polls GET /wp/v2/users/me until the sidecar answers the new
// name: the time from commit to the first answer carrying the change (the binlog's lag, the stream's invalidation
// and one request). The cached user lookup depends on wp_users, so every write must invalidate it.
func (e *benchEnv) measureStaleness(ctx context.Context, n int, bound time.Duration) stalenessResult {
	client := newClient(1)
	auth := basic(adminAppPassword)
	var res stalenessResult
	var lags []time.Duration
	var orig string
	_ = e.limitDB.QueryRowContext(ctx, "SELECT display_name FROM wp_users WHERE ID = 1").Scan(&orig)
	defer e.limitDB.ExecContext(context.Background(), "UPDATE wp_users SET display_name = ? WHERE ID = 1", orig)
	for i := 0; i < n && ctx.Err() == nil; i++ {
		name := fmt.Sprintf("Bench Staleness %s %d", e.runID, i)
		if _, err := e.limitDB.ExecContext(ctx, "UPDATE wp_users SET display_name = ? WHERE ID = 1", name); err != nil {
			res.Err = err.Error()
			break
		}
		committed := time.Now()
		for {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.base+"/wp-json/wp/v2/users/me", nil)
			req.Header.Set("Authorization", auth)
			resp, err := client.Do(req)
			if err != nil {
				res.Err = err.Error()
				break
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			res.Polls++
			if strings.Contains(string(body), `"name":"`+name+`"`) {
				lags = append(lags, time.Since(committed))
				break
			}
			if time.Since(committed) > 10*bound {
				res.Err = fmt.Sprintf("write %d not seen after %v (10× the bound)", i, time.Since(committed))
				break
			}
		}
		if res.Err != "" {
			break
		}
	}
	res.Writes = len(lags)
	if len(lags) > 0 {
		slices.Sort(lags)
		res.P50, res.P99, res.Max = lags[len(lags)/2], lags[int(0.99*float64(len(lags)-1))], lags[len(lags)-1]
	}
	return res
}
