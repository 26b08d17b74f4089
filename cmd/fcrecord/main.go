// Command fcrecord records golden files from the PHP reference site (WordPress 7.1 + FluentCart 1.3.25): it loads a
// committed seed into the reference's database, replays a request list over HTTP and writes PHP's answers. It is a
// development tool (CI never runs it: CI has no PHP FluentCart).
//
//	fcrecord demo     --url URL --dsn DSN [--prefix wp_] --cases DIR --out testdata/golden/fluentcart [--only a,b]
//	fcrecord requests --url URL --dsn DSN [--prefix wp_] --dump testdata/fluentcart-store/store.sql --out testdata/fluentcart-store/requests.json
//	fcrecord store    --url URL --dsn DSN [--prefix wp_] --dump testdata/fluentcart-store/store.sql --requests testdata/fluentcart-store/requests.json --out testdata/golden/fluentcart-store [--only a,b]
//
// demo replays the scenario tables of fluentcart/*_test.go (dumped by FLUENTCART_DUMP_CASES=DIR go test ./fluentcart/)
// on the demo seed (sql/ + testdata/seed, loaded with --prefix); requests expands the admin app's customer-screen
// requests over the store dump; store replays that list on the dump. DSN is a go-sql-driver DSN naming the
// reference's database: every table with the prefix in it is dropped and reloaded. Each golden gets its raw answer
// beside it (raw/<name>.http). See testdata/golden/fluentcart/README.md and testdata/golden/fluentcart-store/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: fcrecord demo|requests|store [flags] (see go doc ./cmd/fcrecord)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "fcrecord:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cmd string, args []string) error {
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	url := fs.String("url", "http://127.0.0.1:8181", "base URL of the PHP reference site")
	dsn := fs.String("dsn", "", "go-sql-driver DSN of the reference site's database (its prefixed tables are replaced)")
	prefix := fs.String("prefix", "wp_", "table prefix of the reference site ($table_prefix)")
	cases := fs.String("cases", "", "demo: directory of FLUENTCART_DUMP_CASES files")
	dump := fs.String("dump", "testdata/fluentcart-store/store.sql", "requests/store: the store dump (mariadb-dump data, `{prefix}` tokens; loaded after sql/ and testdata/seed/00_wordpress.sql)")
	reqs := fs.String("requests", "testdata/fluentcart-store/requests.json", "store: the request list")
	out := fs.String("out", "", "output directory (demo, store) or file (requests)")
	only := fs.String("only", "", "comma-separated names to record (default all)")
	fs.Parse(args)
	if *dsn == "" || *out == "" {
		return fmt.Errorf("%s: --dsn and --out are required", cmd)
	}
	r, err := openRef(*url, *dsn, *prefix)
	if err != nil {
		return err
	}
	defer r.db.Close()
	sel := map[string]bool{}
	for _, n := range strings.Split(*only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			sel[n] = true
		}
	}
	switch cmd {
	case "demo":
		cs, err := loadDemoCases(*cases)
		if err != nil {
			return err
		}
		return recordDemo(ctx, r, cs, *out, sel)
	case "requests":
		if err := r.loadStore(ctx, *dump); err != nil {
			return err
		}
		l, err := buildRequests(ctx, r)
		if err != nil {
			return err
		}
		b, err := l.encode()
		if err != nil {
			return err
		}
		fmt.Printf("%d requests, %d not recorded\n", len(l.Requests), len(l.NotRecorded))
		return os.WriteFile(*out, b, 0o644)
	case "store":
		l, err := readRequestList(*reqs)
		if err != nil {
			return err
		}
		return recordStore(ctx, r, *dump, l, *out, sel)
	}
	return fmt.Errorf("unknown command %q", cmd)
}
