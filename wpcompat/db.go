package wpcompat

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// incompatibleModes are the SQL modes WordPress removes from its own connection (class-wpdb.php,
// $incompatible_modes / set_sql_mode), so that writes are coerced the way PHP's are.
var incompatibleModes = map[string]bool{
	"NO_ZERO_DATE": true, "ONLY_FULL_GROUP_BY": true, "STRICT_TRANS_TABLES": true,
	"STRICT_ALL_TABLES": true, "TRADITIONAL": true, "ANSI": true,
}

// WordPressSQLMode removes WordPress's incompatible modes from a server's sql_mode.
func WordPressSQLMode(serverMode string) string {
	var keep []string
	for _, m := range strings.Split(serverMode, ",") {
		if m = strings.TrimSpace(m); m != "" && !incompatibleModes[strings.ToUpper(m)] {
			keep = append(keep, m)
		}
	}
	return strings.Join(keep, ",")
}

// DBOptions tunes OpenDB.
type DBOptions struct {
	MaxOpen int // max open connections (default 64)
	MaxIdle int // max idle connections (default MaxOpen)
	// FallbackDSN, for a read replica, is the primary: when a new connection to the replica cannot be made (the
	// replica is down or refuses), the pool connects to the primary instead; such a connection is retired after
	// FallbackLifetime so that the pool returns to the replica once it is back.
	FallbackDSN string
	// MultiStatements lets a statement string hold several statements (the Site.Pipeline pool only).
	MultiStatements bool
}

// FallbackLifetime is how long a replica pool keeps a connection it made to the primary (DBOptions.FallbackDSN).
const FallbackLifetime = 30 * time.Second

// OpenDB opens a MySQL/MariaDB database for the sidecar: utf8mb4, no time parsing (WordPress datetimes are naive
// strings), and the session sql_mode WordPress itself uses, so that the sidecar's writes behave like PHP's.
func OpenDB(ctx context.Context, dsn string, opts DBOptions) (*sql.DB, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse DSN: %w", err)
	}
	cfg.ParseTime = false
	cfg.Loc = time.UTC
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	if _, ok := cfg.Params["charset"]; !ok {
		cfg.Params["charset"] = "utf8mb4"
	}
	// Placeholders stay in the code; the driver escapes values client-side so each query is one round trip
	// instead of prepare + execute + close (utf8mb4 is safe for client-side escaping).
	cfg.InterpolateParams = true
	cfg.MultiStatements = opts.MultiStatements
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	probeConn, err := connector(cfg)
	if err != nil {
		return nil, err
	}
	probe := sql.OpenDB(probeConn)
	var mode string
	err = probe.QueryRowContext(ctx, "SELECT @@GLOBAL.sql_mode").Scan(&mode)
	probe.Close()
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	cfg.Params["sql_mode"] = "'" + WordPressSQLMode(mode) + "'"
	conn, err := connector(cfg)
	if err != nil {
		return nil, err
	}
	fc := &faultConnector{inner: conn}
	if opts.FallbackDSN != "" {
		fb, err := mysql.ParseDSN(opts.FallbackDSN)
		if err != nil {
			return nil, fmt.Errorf("parse fallback DSN: %w", err)
		}
		// The primary with the replica's session settings.
		alt := cfg.Clone()
		alt.Net, alt.Addr, alt.User, alt.Passwd, alt.DBName, alt.TLSConfig = fb.Net, fb.Addr, fb.User, fb.Passwd, fb.DBName, fb.TLSConfig
		if fc.fallback, err = connector(alt); err != nil {
			return nil, err
		}
	}
	db := sql.OpenDB(fc)
	if opts.MaxOpen <= 0 {
		opts.MaxOpen = 64
	}
	if opts.MaxIdle <= 0 {
		opts.MaxIdle = opts.MaxOpen
	}
	db.SetMaxOpenConns(opts.MaxOpen)
	db.SetMaxIdleConns(opts.MaxIdle)
	db.SetConnMaxLifetime(30 * time.Minute)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

// connector is cfg's connector with every connection's socket counted, so that faults are recorded for the request
// that met them (dbfault.go). The DSN is formatted and parsed again: parameters such as charset are only
// understood by the parser.
func connector(cfg *mysql.Config) (driver.Connector, error) {
	parsed, err := mysql.ParseDSN(cfg.FormatDSN())
	if err != nil {
		return nil, err
	}
	parsed.DialFunc = dialCounting
	return mysql.NewConnector(parsed)
}
