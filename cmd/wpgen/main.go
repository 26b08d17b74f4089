// Command wpgen fills an already-loaded database (WordPress, FluentCart and LatePoint tables present, usually with the
// demo seed of testdata/seed) with a large deterministic dataset for benchmarks:
//
//	wpgen --dsn DSN --table-prefix P --customers 100000 [--seed N] [--force]
//
// adds N FluentCart customers (~1.5 addresses and ~0.55 orders each, labels on ~30%, order addresses, consistent
// purchase stats) and N LatePoint customers (~3 bookings each with their orders, order items and transactions, some
// customer meta). Rows are written the way the plugins write them (spec fluentcart-customers.md §7-8,
// latepoint-customers.md §1-2): FluentCart timestamps in UTC, LatePoint timestamps in the site's time zone.
// The same --seed on the same starting database produces the same rows. It refuses to run on a database that already
// holds more customers than the demo seed unless --force is given.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // LatePoint timestamps use the site's IANA zone even where the OS has no zoneinfo

	"github.com/go-sql-driver/mysql"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// seedCustomers is how many customers testdata/seed puts in each plugin's table; more means generated data is there.
const seedCustomers = 50

type config struct {
	Customers int
	Seed      uint64
	Tables    wpcompat.Tables
	Now       time.Time // anchor for "past" and "future": fixed, so runs are reproducible
	Batch     int       // rows per INSERT statement
	Chunk     int       // customers per transaction
	Plugins   map[string]bool
	Force     bool
}

// summary counts inserted rows per table (base names).
type summary struct {
	mu   sync.Mutex
	rows map[string]int64
}

func (s *summary) add(table string, n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rows == nil {
		s.rows = map[string]int64{}
	}
	s.rows[table] += n
}

func (s *summary) get(table string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rows[table]
}

// log reports the rows per table, in name order, and returns the total.
func (s *summary) log(log *slog.Logger) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var total int64
	for _, table := range slices.Sorted(maps.Keys(s.rows)) {
		log.Info("inserted", "table", table, "rows", s.rows[table])
		total += s.rows[table]
	}
	return total
}

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := mainErr(log); err != nil {
		log.Error("wpgen failed", "err", err)
		os.Exit(1)
	}
}

func mainErr(log *slog.Logger) error {
	dsn := flag.String("dsn", os.Getenv("WPSIDECAR_DSN"), "database DSN, go-sql-driver form (env WPSIDECAR_DSN)")
	prefix := flag.String("table-prefix", envOr("WPSIDECAR_TABLE_PREFIX", "wp_"), "table prefix (env WPSIDECAR_TABLE_PREFIX)")
	customers := flag.Int("customers", 100000, "customers to add to each plugin")
	seed := flag.Uint64("seed", 1, "random seed; the same seed on the same database gives the same rows")
	now := flag.String("now", "2026-11-23", "date (YYYY-MM-DD) that splits past from upcoming bookings and ends the order history")
	batch := flag.Int("batch", 1000, "rows per INSERT statement")
	plugins := flag.String("plugins", "fluentcart,latepoint", "which plugins' tables to fill")
	force := flag.Bool("force", false, "run even if the customer tables already hold generated rows")
	flag.Parse()

	if *dsn == "" {
		return errors.New("--dsn (or WPSIDECAR_DSN) is required")
	}
	tables, err := wpcompat.NewTables(*prefix)
	if err != nil {
		return err
	}
	anchor, err := time.Parse("2006-01-02", *now)
	if err != nil {
		return fmt.Errorf("--now: %w", err)
	}
	cfg := config{Customers: *customers, Seed: *seed, Tables: tables, Now: anchor, Batch: *batch, Chunk: 5000,
		Plugins: map[string]bool{}, Force: *force}
	for _, p := range strings.Split(*plugins, ",") {
		switch p = strings.TrimSpace(p); p {
		case "fluentcart", "latepoint":
			cfg.Plugins[p] = true
		case "":
		default:
			return fmt.Errorf("--plugins: unknown plugin %q", p)
		}
	}
	if cfg.Customers < 0 || cfg.Batch < 1 {
		return errors.New("--customers must be >= 0 and --batch >= 1")
	}

	db, err := openDB(*dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	sum, err := run(ctx, db, cfg, log)
	if err != nil {
		return err
	}
	total := sum.log(log)
	log.Info("done", "rows", total, "elapsed", time.Since(start).Round(time.Millisecond))
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// openDB opens dsn with utf8mb4 and client-side placeholder interpolation (one round trip per batched INSERT).
func openDB(dsn string) (*sql.DB, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("--dsn: %w", err)
	}
	if cfg.DBName == "" {
		return nil, errors.New("--dsn must name the database")
	}
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["charset"] = "utf8mb4"
	cfg.InterpolateParams = true
	cfg.MaxAllowedPacket = 0 // ask the server
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	return db, nil
}

// run checks the database and fills the selected plugins' tables concurrently (one connection each).
func run(ctx context.Context, db *sql.DB, cfg config, log *slog.Logger) (*summary, error) {
	if err := db.PingContext(ctx); err != nil {
		return nil, err
	}
	sum := &summary{}
	type job struct {
		name     string
		customer string // base name of its customers table
		fill     func(context.Context, *sql.Conn, config, *slog.Logger, *summary) error
	}
	var jobs []job
	if cfg.Plugins["fluentcart"] {
		jobs = append(jobs, job{"fluentcart", "fct_customers", fillFluentCart})
	}
	if cfg.Plugins["latepoint"] {
		jobs = append(jobs, job{"latepoint", "latepoint_customers", fillLatePoint})
	}
	for _, j := range jobs {
		var n int64
		q := "SELECT COUNT(*) FROM " + wpcompat.Ident(cfg.Tables.Name(j.customer))
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return nil, fmt.Errorf("%s: %w (are the schemas loaded and the prefix right?)", j.name, err)
		}
		if n > seedCustomers && !cfg.Force {
			return nil, fmt.Errorf("%s already holds %d customers (the demo seed has %d); use --force to add more",
				cfg.Tables.Name(j.customer), n, seedCustomers)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := db.Conn(ctx)
			if err != nil {
				errs[i] = err
				return
			}
			defer conn.Close()
			// Session-only settings: skip unique/foreign-key checks for this bulk load (the generator
			// assigns ids itself); nothing global is changed.
			if _, err := conn.ExecContext(ctx, "SET SESSION unique_checks = 0, foreign_key_checks = 0"); err != nil {
				errs[i] = err
				return
			}
			if err := j.fill(ctx, conn, cfg, log.With("plugin", j.name), sum); err != nil {
				errs[i] = fmt.Errorf("%s: %w", j.name, err)
			}
		}()
	}
	wg.Wait()
	return sum, errors.Join(errs...)
}

// maxID returns MAX(column) of a table, 0 when empty.
func maxID(ctx context.Context, conn *sql.Conn, table, column string) (int64, error) {
	var n sql.NullInt64
	err := conn.QueryRowContext(ctx, "SELECT MAX("+wpcompat.Ident(column)+") FROM "+wpcompat.Ident(table)).Scan(&n)
	return n.Int64, err
}

// progress logs how far a generator is, at most once per chunk.
func progress(log *slog.Logger, done, total int, start time.Time) {
	pct := 100.0
	if total > 0 {
		pct = float64(done) * 100 / float64(total)
	}
	log.Info("progress", "customers", done, "of", total, "pct", strconv.FormatFloat(pct, 'f', 1, 64),
		"elapsed", time.Since(start).Round(time.Millisecond))
}

// readIDs runs a query of one id column.
func readIDs(ctx context.Context, conn *sql.Conn, query string) ([]int64, error) {
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
