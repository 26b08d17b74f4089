package main

import (
	"fmt"
	"strings"
	"time"
)

// target is what issue 15 asks of a single-row read (FluentCart GET one customer, LatePoint GET one customer,
// users/me) in make bench on a 2-core machine. CPU and statements per request are properties of the code, stable
// from run to run, and make bench fails when they are missed; the share of the bare-SQL limit and the tail latency
// against the HTTP floor depend on what else the machine does, so they are reported (✓/✗) but do not fail the run.
type target struct {
	cpu      time.Duration // sidecar CPU time per request, at most
	stmts    int           // SQL statements per request, at most
	limitPct float64       // sidecar req/s as a share of the bare-SQL limit, at least (reported)
	tailX    float64       // p99 at the constant rate ≤ tailX × the HTTP floor's p99 (reported)
}

func (e *benchEnv) targets() *target {
	if e.o.cache {
		return &target{cpu: 70 * time.Microsecond, stmts: 2, limitPct: 80, tailX: 2}
	}
	return &target{cpu: 120 * time.Microsecond, stmts: 2, limitPct: 80, tailX: 4}
}

// verdict is the gate's findings for one row: failures (fail the run) and misses (reported only).
type verdict struct {
	fails, misses []string
}

func (v verdict) String() string {
	switch {
	case len(v.fails) > 0:
		return "FAIL: " + strings.Join(append(v.fails, v.misses...), "; ")
	case len(v.misses) > 0:
		return "pass (noisy: " + strings.Join(v.misses, "; ") + ")"
	default:
		return "pass"
	}
}

// judge compares a row measured at the gating connection count with its scenario's target.
func judge(t *target, r row) verdict {
	var v verdict
	if r.cpuPerReq < 0 {
		v.fails = append(v.fails, "CPU time not measured")
	} else if r.cpuPerReq > t.cpu {
		v.fails = append(v.fails, fmt.Sprintf("CPU %.3f ms/req > %.3f", ms64(r.cpuPerReq), ms64(t.cpu)))
	}
	if r.stmts > t.stmts {
		v.fails = append(v.fails, fmt.Sprintf("%d statements/req > %d", r.stmts, t.stmts))
	}
	if r.limit != nil && r.limit.RPS() > 0 {
		if pct := 100 * r.side.RPS() / r.limit.RPS(); pct < t.limitPct {
			v.misses = append(v.misses, fmt.Sprintf("%.0f%% of the bare-SQL limit < %.0f%%", pct, t.limitPct))
		}
	}
	return v
}

func ms64(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
