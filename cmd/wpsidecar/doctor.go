package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// Pinned versions (options written by each): WordPress 7.1 db_version, FluentCart 1.3.25, LatePoint 5.0.15.
const (
	pinnedWPDBVersion    = "61833"
	pinnedFluentCartDB   = "1.0.40"
	pinnedLatePointDB    = "2.1.4"
	fluentCartPluginFile = "fluent-cart/fluent-cart.php"
	latePointPluginFile  = "latepoint/latepoint.php"
)

func runDoctor(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("doctor", stderr, getenv)
	indexes := s.fs.Bool("indexes", false, "print the CREATE INDEX statements the plugins' list queries need (never runs them) and exit")
	if err := s.fs.Parse(args); err != nil {
		return err
	}
	log := s.logger(stderr)
	res, err := s.resolve(log)
	if err != nil {
		return err
	}
	db, err := wpcompat.OpenDB(ctx, res.dsn, wpcompat.DBOptions{MaxOpen: 2})
	if err != nil {
		fmt.Fprintf(stdout, "database: UNREACHABLE (%v)\n", err)
		return exitCode(1)
	}
	defer db.Close()
	if *indexes {
		if err := printIndexes(ctx, stdout, db, res.tables); err != nil {
			fmt.Fprintf(stdout, "indexes: %v\n", err)
			return exitCode(1)
		}
		return nil
	}
	site := wpcompat.NewSite(db, db, res.tables, res.config, log)
	site.OptionTTL = 0
	d := &doctor{w: stdout, site: site}
	d.report(ctx, res)
	if d.failed {
		fmt.Fprintln(stdout, "result: PROBLEMS FOUND")
		return exitCode(1)
	}
	fmt.Fprintln(stdout, "result: OK")
	return nil
}

type doctor struct {
	w      io.Writer
	site   *wpcompat.Site
	failed bool
}

func (d *doctor) line(format string, args ...any) { fmt.Fprintf(d.w, format+"\n", args...) }

func (d *doctor) fail(format string, args ...any) {
	d.failed = true
	d.line("  ERROR: "+format, args...)
}

func (d *doctor) report(ctx context.Context, res *resolved) {
	var version, dbname string
	if err := d.site.DB.QueryRowContext(ctx, "SELECT VERSION(), COALESCE(DATABASE(), '')").Scan(&version, &dbname); err != nil {
		d.line("database: UNREACHABLE")
		d.fail("%v", err)
		return
	}
	d.line("wpsidecar: %s", readBuildVersion())
	d.line("database: %s (server %s)", dbname, version)
	if res.config != nil {
		d.line("wp-config.php: %s", res.config.Path)
	} else {
		d.line("wp-config.php: not given (keys and salts unknown: cookie and nonce authentication unavailable)")
	}
	d.line("table prefix: %s", res.tables.Prefix)

	schemas := []string{"wordpress", "fluentcart", "latepoint", "wpsidecar"}
	tableName := func(schema, base string) string {
		switch {
		case schema == "wordpress" && base == "users":
			return res.tables.Users()
		case schema == "wordpress" && base == "usermeta":
			return res.tables.Usermeta()
		}
		return res.tables.Name(base)
	}
	var all []string
	for _, schema := range schemas {
		for _, base := range schemaTables[schema] {
			all = append(all, tableName(schema, base))
		}
	}
	absent, err := missingTables(ctx, d.site.DB, all)
	if err != nil {
		d.fail("list tables: %v", err)
		return
	}
	gone := map[string]bool{}
	for _, t := range absent {
		gone[t] = true
	}
	present := map[string]bool{}
	for _, schema := range schemas {
		var missing []string
		n := 0
		for _, base := range schemaTables[schema] {
			name := tableName(schema, base)
			if !gone[name] {
				n++
			} else {
				missing = append(missing, name)
			}
		}
		present[schema] = len(missing) == 0
		status := "all present"
		if len(missing) > 0 {
			status = fmt.Sprintf("MISSING %s", strings.Join(missing, ", "))
		}
		d.line("tables %-10s %d/%d %s", schema+":", n, len(schemaTables[schema]), status)
		switch {
		case len(missing) == 0:
		case schema == "wordpress":
			d.fail("WordPress core tables are missing")
		case schema == "wpsidecar":
			d.line("  note: the sidecar's own tables are created by `wpsidecar serve` or `wpsidecar keys`")
		case n == 0:
			d.line("  note: %s is not installed; its routes answer the plugin's \"not available\" error", schema)
		default:
			d.fail("%s tables are incomplete", schema)
		}
	}
	d.cacheCheck(ctx)
	if !present["wordpress"] {
		return
	}
	d.version(ctx, "db_version", pinnedWPDBVersion, "WordPress 7.1")
	if present["fluentcart"] {
		d.version(ctx, "_fluent_cart_db_version", pinnedFluentCartDB, "FluentCart 1.3.25")
	}
	if present["latepoint"] {
		d.version(ctx, "latepoint_db_version", pinnedLatePointDB, "LatePoint 5.0.15")
	}
	plugins, err := d.site.ActivePlugins(ctx)
	if err != nil {
		d.fail("active_plugins: %v", err)
	}
	d.line("active_plugins: %s", strings.Join(plugins, ", "))
	for _, p := range []string{fluentCartPluginFile, latePointPluginFile} {
		if !contains(plugins, p) {
			d.line("  note: %s is not active", p)
		}
	}
	d.appPasswords(ctx, res)
	d.hashFormats(ctx)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (d *doctor) version(ctx context.Context, option, pinned, product string) {
	v, found, err := d.site.Option(ctx, option)
	switch {
	case err != nil:
		d.fail("%s: %v", option, err)
	case !found:
		d.line("%s: (missing) — expected %s = %s", option, pinned, product)
	case v == pinned:
		d.line("%s: %s = %s", option, v, product)
	default:
		d.line("%s: %s — DIFFERS from the pinned %s (%s); answers may not match this version", option, v, pinned, product)
	}
}

// appPasswords reports whether Application Passwords can authenticate (spec §5.5).
func (d *doctor) appPasswords(ctx context.Context, res *resolved) {
	inUse, _, err := d.site.Option(ctx, "using_application_passwords")
	if err != nil {
		d.fail("using_application_passwords: %v", err)
		return
	}
	env := "production"
	if res.config != nil {
		env = res.config.EnvironmentType()
	}
	truthy := inUse != "" && inUse != "0"
	switch {
	case !truthy:
		d.line("application passwords: not in use (option using_application_passwords is %q)", inUse)
	case env == "local":
		d.line("application passwords: usable (in use; WP_ENVIRONMENT_TYPE=local allows plain http)")
	default:
		d.line("application passwords: usable over HTTPS only (WP_ENVIRONMENT_TYPE=%s)", env)
	}
}

// hashFormats counts user_pass formats; formats the sidecar cannot verify are flagged (spec §4.6).
func (d *doctor) hashFormats(ctx context.Context) {
	rows, err := d.site.DB.QueryContext(ctx, `SELECT CASE
		WHEN user_pass LIKE '$wp$%' THEN '$wp$ (7.1 bcrypt)'
		WHEN user_pass LIKE '$P$%' THEN '$P$ (phpass)'
		WHEN user_pass LIKE '$2_$%' THEN '$2y$ (bcrypt)'
		WHEN user_pass LIKE '$argon2%' THEN 'argon2'
		WHEN CHAR_LENGTH(user_pass) <= 32 THEN 'md5 / legacy'
		ELSE 'other' END AS f, COUNT(*) FROM `+d.site.Tables.Users()+` GROUP BY f`)
	if err != nil {
		d.fail("users: %v", err)
		return
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var f string
		var n int
		if rows.Scan(&f, &n) == nil {
			parts = append(parts, fmt.Sprintf("%s: %d", f, n))
			if f == "other" {
				d.line("  warning: %d users have a password hash format the sidecar does not verify", n)
			}
		}
	}
	sort.Strings(parts)
	d.line("password hashes: %s", strings.Join(parts, ", "))
}
