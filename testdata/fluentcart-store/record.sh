#!/usr/bin/env bash
# Records testdata/golden/fluentcart-store from the PHP reference site: loads store.sql (after sql/ and
# testdata/seed/00_wordpress.sql, as the Go tests load it) into the reference's database before the first request,
# before every write and before the first read after a write, replays requests.json and writes one golden per
# request plus raw/<name>.http. Development only (CI never needs PHP FluentCart). See
# testdata/golden/fluentcart-store/README.md.
#
#   bash cmd/fcrecord/ref-pool.sh start     # the reference's code on :8191 with a database of its own
#   bash testdata/fluentcart-store/record.sh [--only a,b]
#   ... record.sh requests     # regenerate requests.json from the app's screens over store.sql (needs the site too)
#
# DSN must name the database the site at URL runs on: every table with PREFIX (default wp_) in it is dropped and
# reloaded. Defaults: URL=http://127.0.0.1:8191 DSN=...fcrec_ref (ref-pool.sh); do not record through 127.0.0.1:8181 or
# :8182, whose Host the reference's mu-plugin copies into home/siteurl.
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
URL=${URL:-http://127.0.0.1:8191}
DSN=${DSN:-wpsidecar:wpsidecar@tcp(127.0.0.1:33306)/fcrec_ref}
PREFIX=${PREFIX:-wp_}
DUMP=${DUMP:-testdata/fluentcart-store/store.sql}
if [ "${1:-}" = requests ]; then
  shift
  exec go run ./cmd/fcrecord requests --url "$URL" --dsn "$DSN" --prefix "$PREFIX" --dump "$DUMP" \
    --out testdata/fluentcart-store/requests.json "$@"
fi
go run ./cmd/fcrecord store --url "$URL" --dsn "$DSN" --prefix "$PREFIX" --dump "$DUMP" \
  --requests testdata/fluentcart-store/requests.json --out testdata/golden/fluentcart-store "$@"
