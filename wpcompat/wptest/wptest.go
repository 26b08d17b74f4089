// Package wptest is the test rig: every test gets a real MariaDB database with the real WordPress, FluentCart and
// LatePoint tables (sql/) and the fixture rows (testdata/seed/), under any table prefix, dropped on cleanup.
package wptest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// Schema file per name, in load order.
var schemaFiles = map[string]string{
	"wordpress":  "sql/wordpress-7.1.sql",
	"fluentcart": "sql/fluentcart-1.3.25.sql",
	"latepoint":  "sql/latepoint-5.0.15.sql",
	"wpsidecar":  "sql/wpsidecar.sql",
}

// AllSchemas is every schema in load order.
var AllSchemas = []string{"wordpress", "fluentcart", "latepoint", "wpsidecar"}

// Options says what a test database holds.
type Options struct {
	Prefix  string   // table prefix, default "wp_"
	Schemas []string // default AllSchemas
	Seed    bool     // load testdata/seed/*.sql (only the files of the loaded schemas: 00_* wordpress, 10_* fluentcart, 20_* latepoint, 30_* wpsidecar)
}

// DB is one fresh test database.
type DB struct {
	Name   string
	DSN    string // DSN of this database (go-sql-driver form)
	Prefix string
	DB     *sql.DB
	Site   *wpcompat.Site
}

var (
	serverOnce sync.Once
	serverDSN  string
	serverErr  error
)

// RepoRoot is the repository's top directory (where go.mod is).
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// ServerDSN returns a DSN without database name for a server the tests may create databases on:
// WPSIDECAR_TEST_DSN, or the development instance that .ci/devdb.sh makes sure runs.
func ServerDSN() (string, error) {
	serverOnce.Do(func() {
		if v := os.Getenv("WPSIDECAR_TEST_DSN"); v != "" {
			serverDSN = v
			return
		}
		cmd := exec.Command("bash", filepath.Join(RepoRoot(), ".ci", "devdb.sh"))
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			serverErr = fmt.Errorf("start development database (.ci/devdb.sh): %w", err)
			return
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		serverDSN = strings.TrimSpace(lines[len(lines)-1])
	})
	return serverDSN, serverErr
}

// WithDatabase returns dsn pointing at database name, with extra params.
func WithDatabase(dsn, name string, multi bool) (string, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "", err
	}
	cfg.DBName = name
	cfg.MultiStatements = multi
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["charset"] = "utf8mb4"
	return cfg.FormatDSN(), nil
}

// NewDB creates a fresh database for t, loaded per opts, and drops it when t ends.
func NewDB(t testing.TB, opts Options) *DB {
	t.Helper()
	d, err := Create(context.Background(), opts)
	if err != nil {
		t.Fatalf("wptest: %v", err)
	}
	t.Cleanup(func() { d.Drop() })
	return d
}

var sweepOnce sync.Once

// Create makes a fresh database (callers must Drop it); NewDB is the usual entry point.
func Create(ctx context.Context, opts Options) (*DB, error) {
	if opts.Prefix == "" {
		opts.Prefix = "wp_"
	}
	if opts.Schemas == nil {
		opts.Schemas = AllSchemas
	}
	server, err := ServerDSN()
	if err != nil {
		return nil, err
	}
	admin, err := sql.Open("mysql", server)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	sweepOnce.Do(func() { sweep(ctx, admin) })

	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	name := fmt.Sprintf("wpsidecar_test_%d_%s", time.Now().Unix(), hex.EncodeToString(rnd[:]))
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci"); err != nil {
		return nil, fmt.Errorf("create database: %w", err)
	}
	d := &DB{Name: name, Prefix: opts.Prefix}
	d.DSN, err = WithDatabase(server, name, false)
	if err != nil {
		return nil, err
	}
	if err := Load(ctx, d.DSN, opts); err != nil {
		d.Drop()
		return nil, err
	}
	d.DB, err = wpcompat.OpenDB(ctx, d.DSN, wpcompat.DBOptions{MaxOpen: 32})
	if err != nil {
		d.Drop()
		return nil, err
	}
	tables, err := wpcompat.NewTables(opts.Prefix)
	if err != nil {
		d.Drop()
		return nil, err
	}
	d.Site = wpcompat.NewSite(d.DB, d.DB, tables, nil, nil)
	d.Site.OptionTTL = 0 // tests change options between requests
	return d, nil
}

// Load runs the schema and seed files for opts against the database in dsn, replacing {prefix}.
func Load(ctx context.Context, dsn string, opts Options) error {
	if opts.Prefix == "" {
		opts.Prefix = "wp_"
	}
	if opts.Schemas == nil {
		opts.Schemas = AllSchemas
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return err
	}
	multi, err := WithDatabase(dsn, cfg.DBName, true)
	if err != nil {
		return err
	}
	conn, err := sql.Open("mysql", multi)
	if err != nil {
		return err
	}
	defer conn.Close()
	files, err := Files(opts)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := ExecFile(ctx, conn, f, opts.Prefix); err != nil {
			return err
		}
	}
	return nil
}

// Files lists the SQL files Load runs for opts, in order.
func Files(opts Options) ([]string, error) {
	root := RepoRoot()
	var files []string
	seedPrefix := map[string]string{"wordpress": "00_", "fluentcart": "10_", "latepoint": "20_", "wpsidecar": "30_"}
	for _, s := range opts.Schemas {
		f, ok := schemaFiles[s]
		if !ok {
			return nil, fmt.Errorf("unknown schema %q", s)
		}
		files = append(files, filepath.Join(root, f))
	}
	if opts.Seed {
		seeds, _ := filepath.Glob(filepath.Join(root, "testdata", "seed", "*.sql"))
		sort.Strings(seeds)
		for _, f := range seeds {
			base := filepath.Base(f)
			for _, s := range opts.Schemas {
				if strings.HasPrefix(base, seedPrefix[s]) {
					files = append(files, f)
				}
			}
		}
	}
	return files, nil
}

// ExecFile runs one SQL file (several statements) with {prefix} replaced.
func ExecFile(ctx context.Context, conn *sql.DB, path, prefix string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	text := strings.ReplaceAll(string(b), "{prefix}", prefix)
	if strings.TrimSpace(wpcompat.StripSQLComments(text)) == "" {
		return nil
	}
	if _, err := conn.ExecContext(ctx, text); err != nil {
		return fmt.Errorf("load %s: %w", filepath.Base(path), err)
	}
	return nil
}

// Drop removes the database.
func (d *DB) Drop() {
	if d.DB != nil {
		d.DB.Close()
	}
	server, err := ServerDSN()
	if err != nil {
		return
	}
	admin, err := sql.Open("mysql", server)
	if err != nil {
		return
	}
	defer admin.Close()
	_, _ = admin.Exec("DROP DATABASE IF EXISTS `" + d.Name + "`")
}

// sweep drops test databases left behind by killed test runs (older than two hours).
func sweep(ctx context.Context, admin *sql.DB) {
	rows, err := admin.QueryContext(ctx, "SHOW DATABASES LIKE 'wpsidecar\\_test\\_%'")
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		parts := strings.Split(name, "_")
		if len(parts) < 4 {
			continue
		}
		ts, err := strconv.ParseInt(parts[2], 10, 64)
		if err == nil && time.Since(time.Unix(ts, 0)) > 2*time.Hour {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+name+"`")
	}
}

// Exec runs a statement on the test database, failing the test on error. {prefix} is replaced.
func (d *DB) Exec(t testing.TB, query string, args ...any) sql.Result {
	t.Helper()
	res, err := d.DB.Exec(strings.ReplaceAll(query, "{prefix}", d.Prefix), args...)
	if err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
	return res
}

// QueryString returns a single string value, failing the test on error. {prefix} is replaced.
func (d *DB) QueryString(t testing.TB, query string, args ...any) string {
	t.Helper()
	var s sql.NullString
	if err := d.DB.QueryRow(strings.ReplaceAll(query, "{prefix}", d.Prefix), args...).Scan(&s); err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	return s.String
}

// Table is the prefixed name of a table.
func (d *DB) Table(base string) string { return d.Prefix + base }

// Router is a REST router for the test database with WordPress authentication, ready for plugin Register calls.
func (d *DB) Router() *rest.Router {
	return rest.NewRouter(d.Site, authn.NewAuthenticator(d.Site, authn.AuthOptions{}))
}
