#!/usr/bin/env bash
# `make soak` (not part of `make test`, about 10 minutes): mixed traffic over every namespace through real nginx
# while the database is frozen, restarted and cut, the sidecar restarted and the read replica stopped; then every
# write is reconciled with the database and one table is printed (also written to soak-results.md).
# It starts its own private MariaDB primary + replica in a temporary directory (loopback only) and never touches
# the shared development server. WPSIDECAR_SOAK_SPACING (default 60s) sets the time between faults.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need_go
bash .ci/devdb.sh >/dev/null # installs mariadb-server when missing (the soak starts its own instances)
bash .ci/php.sh
unset WPSIDECAR_TEST_DSN
export WPSIDECAR_SOAK_TABLE="${WPSIDECAR_SOAK_TABLE:-$PWD/soak-results.md}"
go test -tags soak -count=1 -run '^TestSoak$' -timeout 40m -v ./cmd/wpsidecar/ 2>&1 | grep -v '^=== RUN\|^    --- PASS'
