package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// cacheCheck is doctor's section on the read cache (serve --cache): can it run on this server, and the exact lines
// an operator adds for what is missing. Informational: the cache is off by default, so nothing here fails doctor.
func (d *doctor) cacheCheck(ctx context.Context) {
	db := d.site.DB
	var logBin, serverID int64
	var format, image, version string
	if err := db.QueryRowContext(ctx, "SELECT @@log_bin, @@binlog_format, @@binlog_row_image, @@server_id, VERSION()").
		Scan(&logBin, &format, &image, &serverID, &version); err != nil {
		d.line("read cache (--cache): cannot read the binlog settings: %v", err)
		return
	}
	mariadb := strings.Contains(strings.ToLower(version), "mariadb")
	var cnf []string
	if logBin != 1 {
		cnf = append(cnf, "log_bin = mysql-bin")
	}
	if !strings.EqualFold(format, "ROW") {
		cnf = append(cnf, "binlog_format = ROW")
	}
	if !strings.EqualFold(image, "FULL") {
		cnf = append(cnf, "binlog_row_image = FULL")
	}
	if serverID == 0 {
		cnf = append(cnf, "server_id = 1")
	}
	grants, err := grantsOf(ctx, db)
	need := []string{"REPLICATION SLAVE", "BINLOG MONITOR"}
	if !mariadb {
		need = []string{"REPLICATION SLAVE", "REPLICATION CLIENT"}
	}
	var missing []string
	if err == nil && !strings.Contains(grants, "ALL PRIVILEGES ON *.*") {
		for _, g := range need {
			alias := g == "BINLOG MONITOR" && strings.Contains(grants, "REPLICATION CLIENT")
			if !strings.Contains(grants, g) && !alias {
				missing = append(missing, g)
			}
		}
	}
	replicas := registeredReplicas(ctx, db)
	if len(cnf) == 0 && len(missing) == 0 && err == nil {
		d.line("read cache (--cache): can run (log_bin on, binlog_format=ROW, binlog_row_image=FULL, replication grants present; server_id %d)", serverID)
	} else {
		d.line("read cache (--cache): cannot run on this server yet")
		if len(cnf) > 0 {
			d.line("  add to the server's configuration ([mysqld] section of my.cnf) and restart it:")
			d.line("    [mysqld]")
			for _, l := range cnf {
				d.line("    %s", l)
			}
		}
		if err != nil {
			d.line("  cannot read this account's grants (%v); it needs %s ON *.*", err, strings.Join(need, ", "))
		} else if len(missing) > 0 {
			d.line("  grant the sidecar's database account (as an administrator):")
			d.line("    GRANT %s ON *.* TO CURRENT_USER;", strings.Join(missing, ", "))
			d.line("  (name the account instead of CURRENT_USER when running it as another user)")
		}
	}
	ids := []string{fmt.Sprint(serverID)}
	ids = append(ids, replicas...)
	d.line("  server_ids in use (the server's own and registered replicas): %s; --cache-server-id must differ (default: random)", strings.Join(ids, ", "))
}

// grantsOf is SHOW GRANTS of the connected account, upper-cased and joined.
func grantsOf(ctx context.Context, db *sql.DB) (string, error) {
	rows, err := db.QueryContext(ctx, "SHOW GRANTS")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			return "", err
		}
		b.WriteString(strings.ToUpper(g))
		b.WriteByte('\n')
	}
	return b.String(), rows.Err()
}

// registeredReplicas lists the server_id of replicas connected now (SHOW SLAVE HOSTS; empty when not allowed).
func registeredReplicas(ctx context.Context, db *sql.DB) []string {
	rows, err := db.QueryContext(ctx, "SHOW SLAVE HOSTS")
	if err != nil {
		return nil
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if rows.Scan(ptrs...) == nil && len(vals) > 0 {
			out = append(out, string(vals[0]))
		}
	}
	return out
}
