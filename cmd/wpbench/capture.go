package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// captureQueries records the statements the sidecar sends to MySQL while do runs (MariaDB's general log, written to
// a table), so the bare-SQL limit can replay exactly the same queries. Statements on the sidecar's own bookkeeping
// tables (audit log, rate-limit counters), which run in the background in batches, are left out.
//
// The server is shared (other databases may be busy): only the statements of connections whose current database is
// the benchmark's own (the sidecar's pool) are kept.
func captureQueries(ctx context.Context, admin *sql.DB, dbName string, do func() error) ([]string, error) {
	// Statements that run with no request at all (background work: lease give-back, flushes) are learnt first and
	// left out of the request's list.
	background, err := captureLog(ctx, admin, dbName, func() error { time.Sleep(1500 * time.Millisecond); return nil })
	if err != nil {
		return nil, err
	}
	bg := map[string]bool{}
	for _, q := range background {
		logf("  background sql: %.120s", q)
		bg[shape(q)] = true
	}
	// Two requests first: caches warm (options, roles, verified credentials) and once-a-day writes (an
	// Application Password's last_used) done, so the capture holds what a request costs in steady state.
	for i := 0; i < 2; i++ {
		if err := do(); err != nil {
			return nil, err
		}
	}
	all, err := captureLog(ctx, admin, dbName, do)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, q := range all {
		if !bg[shape(q)] {
			out = append(out, q)
		}
	}
	return out, nil
}

// shape is a statement with its numbers blanked, so background statements match whatever ids they carry.
func shape(q string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '#'
		}
		return r
	}, q)
}

// hasPlaceholder reports a "?" outside quotes: the text of a prepared statement, not one that can be replayed.
func hasPlaceholder(q string) bool {
	var quote rune
	for _, r := range q {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"' || r == '`':
			quote = r
		case r == '?':
			return true
		}
	}
	return false
}

func captureLog(ctx context.Context, admin *sql.DB, dbName string, do func() error) ([]string, error) {
	conn, err := admin.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var self int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&self); err != nil {
		return nil, err
	}
	for _, q := range []string{"SET GLOBAL general_log = OFF", "SET GLOBAL log_output = 'TABLE'", "TRUNCATE TABLE mysql.general_log", "SET GLOBAL general_log = ON"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
	}
	runErr := do()
	if _, err := conn.ExecContext(ctx, "SET GLOBAL general_log = OFF"); err != nil {
		return nil, err
	}
	if runErr != nil {
		return nil, runErr
	}
	rows, err := conn.QueryContext(ctx, `SELECT CONVERT(argument USING utf8mb4) FROM mysql.general_log
		WHERE command_type IN ('Query', 'Execute') AND thread_id <> ?
		AND thread_id IN (SELECT id FROM information_schema.processlist WHERE db = ?) ORDER BY event_time`, self, dbName)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			return nil, err
		}
		l := strings.ToLower(q)
		if strings.Contains(l, "wpsidecar_api_logs") || strings.Contains(l, "wpsidecar_rate_limits") ||
			strings.Contains(l, "general_log") || strings.HasPrefix(l, "set ") || hasPlaceholder(q) {
			continue
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// countStatements counts the statements of captured general-log entries: the sidecar pipelines a route's first
// read with the authentication query as "…;\n…" in one entry (wpcompat/prefetch.go).
func countStatements(entries []string) int {
	n := 0
	for _, e := range entries {
		n += strings.Count(e, ";\n") + 1
	}
	return n
}

// runLimit replays the captured statements as one "request" from conns concurrent clients for d: the cost of
// the SQL alone over database/sql, the ceiling for any server that runs those queries.
func runLimit(ctx context.Context, db *sql.DB, conns int, d time.Duration, stmts []string) result {
	return drive(ctx, conns, d, func() (worker, func(), error) {
		conn, err := db.Conn(ctx)
		if err != nil {
			return nil, nil, err
		}
		step := func() string {
			for _, q := range stmts {
				rows, err := conn.QueryContext(ctx, q)
				if err != nil {
					return err.Error()
				}
				for more := true; more; more = rows.NextResultSet() { // pipelined entries have two result sets
					for rows.Next() {
					}
				}
				rows.Close()
			}
			return ""
		}
		return step, func() { conn.Close() }, nil
	})
}
