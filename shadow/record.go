package shadow

import (
	"strconv"
	"time"
)

// Result is what became of one request to a shadow-mode route.
type Result string

const (
	Match        Result = "match"        // the sidecar answered (or judged) what PHP answered
	Mismatch     Result = "mismatch"     // it did not; the mismatch log has the diff
	Skipped      Result = "skipped"      // not compared (queue full, body too large, PHP unreachable, …; see reason)
	GoError      Result = "go_error"     // the sidecar failed: timeout, panic, or a 500 where PHP did not fail
	Unverifiable Result = "unverifiable" // a write whose handler has no Validate hook and passed auth and permission
	SampledOut   Result = "sampled_out"  // not picked by the route's sampling rate
	Delegated    Result = "delegated"    // the sidecar would hand this request to PHP (it cannot answer it exactly)
)

// Results in report column order.
var Results = []Result{Match, Mismatch, GoError, Delegated, Skipped, Unverifiable, SampledOut}

// Record is one line of the mismatch log. Type "mismatch" and "go_error" describe one request; type "counts" holds
// every route's results since the previous counts record (written every log.summary_interval and on shutdown);
// type "config" notes a (re)load.
type Record struct {
	Type    string         `json:"type"`
	Time    time.Time      `json:"time"`
	Method  string         `json:"method,omitempty"`
	Route   string         `json:"route,omitempty"`
	Request *LoggedRequest `json:"request,omitempty"`
	PHP     *LoggedAnswer  `json:"php,omitempty"`
	Go      *LoggedAnswer  `json:"go,omitempty"`
	Diff    []string       `json:"diff,omitempty"`
	Fields  []string       `json:"fields,omitempty"` // Diff's fields with indexes as [*], one per diff line
	Error   string         `json:"error,omitempty"`
	GoMS    float64        `json:"go_ms,omitempty"`
	Since   *time.Time     `json:"since,omitempty"`
	Counts  []RouteCounts  `json:"counts,omitempty"`
	Modes   []string       `json:"modes,omitempty"`
}

// LoggedRequest is the request as logged: credentials redacted.
type LoggedRequest struct {
	ID      string            `json:"id,omitempty"`
	Method  string            `json:"method"`
	URI     string            `json:"uri"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    any               `json:"body,omitempty"`
}

// LoggedAnswer is one side's answer as logged: status, the compared headers, the body (JSON kept as JSON).
type LoggedAnswer struct {
	Status  int               `json:"status,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    any               `json:"body,omitempty"`
	Verdict string            `json:"verdict,omitempty"` // writes: "accepted", "refused (400 rest_invalid_param)"
}

// RouteCounts are one route's results over an interval.
type RouteCounts struct {
	Method       string           `json:"method"`
	Route        string           `json:"route"`
	Match        int64            `json:"match,omitempty"`
	Mismatch     int64            `json:"mismatch,omitempty"`
	GoError      int64            `json:"go_error,omitempty"`
	Skipped      int64            `json:"skipped,omitempty"`
	Unverifiable int64            `json:"unverifiable,omitempty"`
	SampledOut   int64            `json:"sampled_out,omitempty"`
	Delegated    int64            `json:"delegated,omitempty"`
	SkipReasons  map[string]int64 `json:"skip_reasons,omitempty"`
}

// Add counts n requests with result r (and a skip reason).
func (c *RouteCounts) Add(r Result, reason string, n int64) {
	switch r {
	case Match:
		c.Match += n
	case Mismatch:
		c.Mismatch += n
	case GoError:
		c.GoError += n
	case Skipped:
		c.Skipped += n
		if reason != "" {
			if c.SkipReasons == nil {
				c.SkipReasons = map[string]int64{}
			}
			c.SkipReasons[reason] += n
		}
	case Unverifiable:
		c.Unverifiable += n
	case SampledOut:
		c.SampledOut += n
	case Delegated:
		c.Delegated += n
	}
}

func (c *RouteCounts) merge(o RouteCounts) {
	c.Match += o.Match
	c.Mismatch += o.Mismatch
	c.GoError += o.GoError
	c.Skipped += o.Skipped
	c.Unverifiable += o.Unverifiable
	c.SampledOut += o.SampledOut
	c.Delegated += o.Delegated
	for k, v := range o.SkipReasons {
		if c.SkipReasons == nil {
			c.SkipReasons = map[string]int64{}
		}
		c.SkipReasons[k] += v
	}
}

// Seen is every request counted on the route.
func (c *RouteCounts) Seen() int64 {
	return c.Match + c.Mismatch + c.GoError + c.Skipped + c.Unverifiable + c.SampledOut + c.Delegated
}

func itoa(n int) string { return strconv.Itoa(n) }
