// Command wpsidecar serves selected WordPress plugin REST routes from Go, over the site's own MySQL tables.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
)

const usage = `usage: wpsidecar <command> [flags]

commands:
  serve     answer the owned /wp-json/ routes (and /healthz, /readyz)
  doctor    report what the sidecar finds in the database and wp-config.php
  clients   clients create | list | revoke: partners of the unified customer API (wpsidecar clients help)
  keys      keys create | list | revoke: LatePoint API Extension keys (wpsidecar keys help)
  shadow    shadow report | routes | check: migration-mode results, route patterns, configuration check
  version   the build: module version, VCS revision and time, Go version (also --version)

Every command that touches the database takes --dsn, --table-prefix and --wp-config
(environment WPSIDECAR_DSN, WPSIDECAR_TABLE_PREFIX, WPSIDECAR_WP_CONFIG).
Precedence: flag > environment > wp-config.php > built-in default.
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = runServe(ctx, args[1:], stdout, stderr, getenv)
	case "doctor":
		err = runDoctor(ctx, args[1:], stdout, stderr, getenv)
	case "clients":
		err = runClients(ctx, args[1:], stdout, stderr, getenv)
	case "keys":
		err = runKeys(ctx, args[1:], stdout, stderr, getenv)
	case "shadow":
		err = runShadow(ctx, args[1:], stdout, stderr, getenv)
	case "version", "--version":
		readBuildVersion().write(stdout)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "wpsidecar: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		var ec exitCode
		if errors.As(err, &ec) {
			return int(ec)
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "wpsidecar %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// exitCode lets a command end with a status without an extra message.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// settings are the options shared by every command that touches the database.
type settings struct {
	fs        *flag.FlagSet
	getenv    func(string) string
	dsn       string
	prefix    string
	wpConfig  string
	dbSocket  string
	logLevel  string
	logFormat string
}

func newSettings(name string, stderr io.Writer, getenv func(string) string) *settings {
	s := &settings{fs: flag.NewFlagSet(name, flag.ContinueOnError), getenv: getenv}
	s.fs.SetOutput(stderr)
	s.fs.StringVar(&s.dsn, "dsn", "", "database DSN, go-sql-driver/mysql form (env WPSIDECAR_DSN; default: from wp-config.php)")
	s.fs.StringVar(&s.prefix, "table-prefix", "", "table prefix (env WPSIDECAR_TABLE_PREFIX; default: wp-config.php's $table_prefix, else wp_)")
	s.fs.StringVar(&s.wpConfig, "wp-config", "", "path to the site's wp-config.php (env WPSIDECAR_WP_CONFIG)")
	s.fs.StringVar(&s.dbSocket, "db-socket", "", "unix socket for DB_HOST localhost (env WPSIDECAR_DB_SOCKET; default /run/mysqld/mysqld.sock)")
	s.fs.StringVar(&s.logLevel, "log-level", "", "debug, info, warn or error (env WPSIDECAR_LOG_LEVEL; default info)")
	s.fs.StringVar(&s.logFormat, "log-format", "", "json or text (env WPSIDECAR_LOG_FORMAT; default json)")
	return s
}

// value applies precedence flag > environment > fallback for one string option.
func (s *settings) value(flagName, env, fallback string) string {
	set := false
	var v string
	s.fs.Visit(func(f *flag.Flag) {
		if f.Name == flagName {
			set = true
			v = f.Value.String()
		}
	})
	if set {
		return v
	}
	if e := s.getenv(env); e != "" {
		return e
	}
	return fallback
}

// logger builds the process logger (JSON by default) writing to w.
func (s *settings) logger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	switch strings.ToLower(s.value("log-level", "WPSIDECAR_LOG_LEVEL", "info")) {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	if s.value("log-format", "WPSIDECAR_LOG_FORMAT", "json") == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// resolved is what a command needs to reach the site.
type resolved struct {
	dsn    string
	tables wpcompat.Tables
	config *phpconfig.Config
}

// resolve reads wp-config.php (when given) and applies the precedence rules for DSN and prefix.
func (s *settings) resolve(log *slog.Logger) (*resolved, error) {
	var cfg *phpconfig.Config
	if path := s.value("wp-config", "WPSIDECAR_WP_CONFIG", ""); path != "" {
		c, err := phpconfig.ParseConfigFile(path, func(k string) (string, bool) { return os.LookupEnv(k) })
		if err != nil {
			return nil, err
		}
		for _, w := range c.Warnings {
			log.Warn("wp-config.php", "warning", w)
		}
		if c.Multisite() {
			return nil, fmt.Errorf("%s: MULTISITE is enabled; wpsidecar serves single-site WordPress only", path)
		}
		cfg = c
	}
	r := &resolved{config: cfg}
	r.dsn = s.value("dsn", "WPSIDECAR_DSN", "")
	if r.dsn == "" {
		if cfg == nil {
			return nil, errors.New("no database: give --dsn (or WPSIDECAR_DSN) or --wp-config")
		}
		dsn, err := cfg.DSN(s.value("db-socket", "WPSIDECAR_DB_SOCKET", "/run/mysqld/mysqld.sock"))
		if err != nil {
			return nil, err
		}
		r.dsn = dsn
	}
	prefix := "wp_"
	if cfg != nil && cfg.HasTablePrefix {
		prefix = cfg.TablePrefix
	}
	prefix = s.value("table-prefix", "WPSIDECAR_TABLE_PREFIX", prefix)
	tables, err := wpcompat.NewTables(prefix)
	if err != nil {
		return nil, err
	}
	if cfg != nil {
		tables.CustomUsers, _ = cfg.String("CUSTOM_USER_TABLE")
		tables.CustomUsermeta, _ = cfg.String("CUSTOM_USER_META_TABLE")
	}
	r.tables = tables
	return r, nil
}

// command is a subcommand's entry point.
type command func(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error

// dispatch runs the subcommand named by args[0] (e.g. `keys create`), or prints usage.
func dispatch(ctx context.Context, name, usage string, subs map[string]command, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitCode(2)
	}
	if run, ok := subs[args[0]]; ok {
		return run(ctx, args[1:], stdout, stderr, getenv)
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "wpsidecar %s: unknown subcommand %q\n\n%s", name, args[0], usage)
	return exitCode(2)
}

// commandSite opens the database named by the settings for a management subcommand (keys, clients) and makes sure
// the sidecar's own tables exist; the returned func closes the database.
func commandSite(ctx context.Context, s *settings, stderr io.Writer) (*wpcompat.Site, func(), error) {
	log := s.logger(stderr)
	res, err := s.resolve(log)
	if err != nil {
		return nil, nil, err
	}
	db, err := wpcompat.OpenDB(ctx, res.dsn, wpcompat.DBOptions{MaxOpen: 2})
	if err != nil {
		return nil, nil, err
	}
	if err := ensureOwnTables(ctx, db, res.tables.Prefix); err != nil {
		db.Close()
		return nil, nil, err
	}
	return wpcompat.NewSite(db, db, res.tables, res.config, log), func() { db.Close() }, nil
}
