#!/usr/bin/env bash
# `make test`: lint (tidy, gofmt, staticcheck), database up, go vet, the whole suite with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need_go
bash .ci/lint.sh
dsn=$(bash .ci/devdb.sh | tail -n 1)
export WPSIDECAR_TEST_DSN="$dsn"
# The read-cache tests (bincache, wpcompat/authn TestReadCacheAuth) need the binlog in ROW format, which devdb.sh turns on;
# on a server without it they skip (WPSIDECAR_REQUIRE_BINLOG=1 makes them fail instead).
if command -v mariadb >/dev/null 2>&1 && [[ "$dsn" == *"unix("* ]]; then
  sock=${dsn#*unix(}; sock=${sock%%)*}
  if [ "$(mariadb --socket="$sock" -uroot -N -e 'SELECT @@log_bin' 2>/dev/null)" != 1 ]; then
    log "WARNING: the test server has the binlog off: the read-cache tests will skip (restart it with .ci/devdb.sh)"
  fi
fi
log "test database server: $dsn"
bash .ci/php.sh # nginx + php-fpm + Debian's wordpress for the real-WordPress comparison tests (root only)
# Debian's chromium for the dashboard's browser test (screenshots land in .artifacts/); without it that test skips loudly.
apt_install chromium || echo "test.sh: chromium cannot be installed here: the dashboard browser test will skip" >&2
log "go vet ./..."
go vet ./...
log "go test -race -count=1 ./..."
go test -race -count=1 ./...
