#!/usr/bin/env bash
# Re-records every golden file of this folder (and raw/<name>.http beside it) from the PHP reference site:
# dumps the scenario tables of fluentcart/*_test.go, loads the demo seed into the reference's database before the
# first request, before every write/setup scenario and after it, replays each request and writes PHP's answer.
# Development only (CI never needs PHP FluentCart). See README.md here.
#
#   bash cmd/fcrecord/ref-pool.sh start     # the reference's code on :8191 with a database of its own
#   bash testdata/golden/fluentcart/record.sh [--only a,b]
#
# DSN must name the database the site at URL runs on: every table with PREFIX (default wp_) in it is dropped and
# reloaded. Defaults: URL=http://127.0.0.1:8191 DSN=...fcrec_ref (ref-pool.sh); do not record through 127.0.0.1:8181 or
# :8182, whose Host the reference's mu-plugin copies into home/siteurl.
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
URL=${URL:-http://127.0.0.1:8191}
DSN=${DSN:-wpsidecar:wpsidecar@tcp(127.0.0.1:33306)/fcrec_ref}
PREFIX=${PREFIX:-wp_}
cases=$(mktemp -d)
trap 'rm -rf "$cases"' EXIT
# The golden scenario tables (runGolden) only: with FLUENTCART_DUMP_CASES they write their cases and skip.
FLUENTCART_DUMP_CASES="$cases" go test -count=1 \
  -run '^(TestAddresses|TestBulkAction|TestCreateCustomer|TestCustomerOrders|TestGetCustomer|TestListCustomers|TestRecalculateLTV|TestRouting|TestSmallRoutes|TestUpdateCustomer)$' \
  ./fluentcart/ >/dev/null
n=$(cat "$cases"/*.json | grep -o '"Name":' | wc -l)
g=$(ls testdata/golden/fluentcart/*.json | wc -l)
[ "$n" = "$g" ] || echo "record.sh: $n scenarios but $g golden files: a golden test table is missing from -run above" >&2
go run ./cmd/fcrecord demo --url "$URL" --dsn "$DSN" --prefix "$PREFIX" --cases "$cases" --out testdata/golden/fluentcart "$@"
