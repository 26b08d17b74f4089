#!/usr/bin/env bash
# Records testdata/golden/fluentcart-store from the PHP reference site: loads store.sql (after sql/ and
# testdata/seed/00_wordpress.sql, as the Go tests load it) into the reference's database before the first request,
# before every write and before the first read after a write, replays requests.json and writes one golden per
# request plus raw/<name>.http. Development only (CI never needs PHP FluentCart). See
# testdata/golden/fluentcart-store/README.md.
#
#   URL=http://127.0.0.1:8181 DSN='wpsidecar:wpsidecar@tcp(127.0.0.1:33306)/fcref' bash testdata/fluentcart-store/record.sh [--only a,b]
#   ... record.sh requests     # regenerate requests.json from the app's screens over store.sql (needs the site too)
#
# DSN must name the database the site at URL runs on: every table with PREFIX (default wp_) in it is dropped and
# reloaded (on /work/ref, `bash /work/ref/bin/reload-db.sh --store` puts the site's own data back afterwards).
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
URL=${URL:-http://127.0.0.1:8181}
DSN=${DSN:-wpsidecar:wpsidecar@tcp(127.0.0.1:33306)/fcref}
PREFIX=${PREFIX:-wp_}
DUMP=${DUMP:-testdata/fluentcart-store/store.sql}
if [ "${1:-}" = requests ]; then
  shift
  exec go run ./cmd/fcrecord requests --url "$URL" --dsn "$DSN" --prefix "$PREFIX" --dump "$DUMP" \
    --out testdata/fluentcart-store/requests.json "$@"
fi
go run ./cmd/fcrecord store --url "$URL" --dsn "$DSN" --prefix "$PREFIX" --dump "$DUMP" \
  --requests testdata/fluentcart-store/requests.json --out testdata/golden/fluentcart-store "$@"
