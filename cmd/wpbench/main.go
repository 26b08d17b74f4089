// Command wpbench is the load benchmark (`make bench`): it loads the 100,000-customer dataset, starts the sidecar
// as its own process, drives load at several connection counts against the FluentCart and LatePoint routes, and
// measures the same requests against two references on the same database: PHP (Debian's WordPress on nginx +
// php-fpm answering /wp-json/wp/v2/users/me with an Application Password, which costs PHP about what any plugin
// route costs to boot) and the limit (a bare Go program running only the same SQL statements over database/sql).
// It prints a Markdown table with req/s, p50/p90/p99, errors and the ratios sidecar/PHP and sidecar/limit.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	serverDSN string
	dbName    string
	customers int
	duration  time.Duration
	conns     []int
	bin       string
	skipPHP   bool
	skipLoad  bool
	out       string
	only      string
}

func main() {
	var o options
	var conns string
	flag.StringVar(&o.serverDSN, "dsn", os.Getenv("WPSIDECAR_TEST_DSN"), "server DSN without database (as `make db` prints)")
	flag.StringVar(&o.dbName, "db", "wpsidecar_bench", "benchmark database name (recreated)")
	flag.IntVar(&o.customers, "customers", 100000, "customers per plugin")
	flag.DurationVar(&o.duration, "duration", 15*time.Second, "load per scenario and connection count")
	flag.StringVar(&conns, "conns", "8,32", "connection counts")
	flag.StringVar(&o.bin, "bin", "bin", "directory holding the wpsidecar and wpgen binaries")
	flag.BoolVar(&o.skipPHP, "skip-php", false, "do not measure the PHP reference")
	flag.BoolVar(&o.skipLoad, "reuse-db", false, "reuse the benchmark database as it is (skip loading)")
	flag.StringVar(&o.out, "out", "", "also write the Markdown table to this file")
	flag.StringVar(&o.only, "only", "", "run only scenarios whose name contains this text")
	flag.Parse()
	for _, c := range strings.Split(conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "wpbench: bad --conns %q\n", conns)
			os.Exit(2)
		}
		o.conns = append(o.conns, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "wpbench:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "wpbench: "+format+"\n", args...)
}

// row is one line of the result table.
type row struct {
	scenario string
	conns    int
	side     result
	limit    *result
	php      *result
}

func run(ctx context.Context, o options) error {
	env, err := prepare(ctx, o)
	if err != nil {
		return err
	}
	defer env.close()

	var rows []row
	var phpRes = map[int]*result{}
	if !o.skipPHP {
		for _, c := range o.conns {
			r, err := env.measurePHP(ctx, c, o.duration)
			if err != nil {
				return fmt.Errorf("PHP reference: %w", err)
			}
			phpRes[c] = r
			logf("PHP users/me @%d: %.0f req/s p99 %v errors %d %s", c, r.RPS(), r.P99, r.Errors, r.FirstErr)
		}
	}
	for _, sc := range env.scenarios() {
		if o.only != "" && !strings.Contains(sc.name, o.only) {
			continue
		}
		client := newClient(1)
		var n int64
		send := func() error {
			n++
			req, err := sc.req(n)
			if err != nil {
				return err
			}
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != sc.want {
				return fmt.Errorf("%s: status %d, want %d: %.300s", sc.name, resp.StatusCode, sc.want, body)
			}
			return nil
		}
		// A short load first, so what the sidecar builds lazily (caches, LatePoint's transaction index) is built
		// before its statements are captured and measured.
		runLoad(ctx, newClient(o.conns[0]), o.conns[0], 2*time.Second, sc.want, sc.req)
		stmts, err := captureQueries(ctx, env.admin, send)
		if err != nil {
			return fmt.Errorf("capture %s: %w", sc.name, err)
		}
		logf("%s: %d SQL statements per request", sc.name, len(stmts))
		for _, q := range stmts {
			logf("  sql: %.160s", q)
		}
		for _, c := range o.conns {
			side := runLoad(ctx, newClient(c), c, o.duration, sc.want, sc.req)
			logf("%s @%d: %.0f req/s p50 %v p99 %v errors %d %s", sc.name, c, side.RPS(), side.P50, side.P99, side.Errors, side.FirstErr)
			limit := runLimit(ctx, env.limitDB, c, o.duration, stmts)
			logf("  limit @%d: %.0f req/s p99 %v errors %d %s", c, limit.RPS(), limit.P99, limit.Errors, limit.FirstErr)
			rows = append(rows, row{scenario: sc.name, conns: c, side: side, limit: &limit, php: phpRes[c]})
		}
	}
	table := markdown(rows, env.describe())
	fmt.Println(table)
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(table+"\n"), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func markdown(rows []row, header string) string {
	var b strings.Builder
	b.WriteString(header + "\n\n")
	b.WriteString("| scenario | conns | sidecar req/s | p50 | p90 | p99 | errors | limit req/s | sidecar/limit | PHP req/s | sidecar/PHP |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		limitRPS, ratioLimit, phpRPS, ratioPHP := "–", "–", "–", "–"
		if r.limit != nil && r.limit.RPS() > 0 {
			limitRPS = fmt.Sprintf("%.0f", r.limit.RPS())
			ratioLimit = fmt.Sprintf("%.0f%%", 100*r.side.RPS()/r.limit.RPS())
		}
		if r.php != nil && r.php.RPS() > 0 {
			phpRPS = fmt.Sprintf("%.1f", r.php.RPS())
			ratioPHP = fmt.Sprintf("%.0f×", r.side.RPS()/r.php.RPS())
		}
		fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %s | %d | %s | %s | %s | %s |\n", r.scenario, r.conns, r.side.RPS(),
			ms(r.side.P50), ms(r.side.P90), ms(r.side.P99), r.side.Errors, limitRPS, ratioLimit, phpRPS, ratioPHP)
	}
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
