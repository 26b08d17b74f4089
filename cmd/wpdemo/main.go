// Command wpdemo (re)creates the demo site database: WordPress 7.1, FluentCart 1.3.25 and LatePoint 5.0.15 tables
// from sql/ with the demo rows from testdata/seed/. It prints the demo database's DSN alone on its last line.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"

	_ "github.com/go-sql-driver/mysql"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

func main() {
	server := flag.String("dsn", os.Getenv("WPSIDECAR_TEST_DSN"), "server DSN without database name (as printed by `make db`)")
	name := flag.String("db", "wpsidecar_demo", "demo database name")
	prefix := flag.String("table-prefix", "wp_", "table prefix")
	flag.Parse()
	if err := run(context.Background(), *server, *name, *prefix); err != nil {
		fmt.Fprintln(os.Stderr, "wpdemo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, server, name, prefix string) error {
	if server == "" {
		return fmt.Errorf("--dsn is required")
	}
	admin, err := sql.Open("mysql", server)
	if err != nil {
		return err
	}
	defer admin.Close()
	fmt.Fprintf(os.Stderr, "wpdemo: recreating database %s\n", name)
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+name+"`"); err != nil {
		return err
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci"); err != nil {
		return err
	}
	dsn, err := wptest.WithDatabase(server, name, false)
	if err != nil {
		return err
	}
	opts := wptest.Options{Prefix: prefix, Seed: true}
	files, err := wptest.Files(opts)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(os.Stderr, "wpdemo: loading %s\n", f)
	}
	if err := wptest.Load(ctx, dsn, opts); err != nil {
		return err
	}
	fmt.Println(dsn)
	return nil
}
