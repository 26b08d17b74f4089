#!/usr/bin/env bash
# `make demo`: database up, demo site loaded, curl examples printed, then the sidecar in the foreground (Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need_go
server=$(bash .ci/devdb.sh | tail -n 1)
log "building"
mkdir -p bin
go build -o bin/wpsidecar ./cmd/wpsidecar
go build -o bin/wpdemo ./cmd/wpdemo
dsn=$(bin/wpdemo --dsn "$server" | tail -n 1)
listen="${WPSIDECAR_LISTEN:-127.0.0.1:8080}"
base="http://$listen"
export WPSIDECAR_DEMO_BASE="$base"
bin/wpsidecar doctor --dsn "$dsn" --wp-config testdata/demo/wp-config.php || true
extra=""
if [ -f .ci/demo-extra.sh ]; then extra=$(DSN="$dsn" BASE="$base" bash .ci/demo-extra.sh); fi
cat <<EOT

================ wpsidecar demo ================
Database: $dsn
Paste these into a second terminal:

  curl -s $base/healthz
  curl -s $base/readyz
$extra
Stop with Ctrl-C.
================================================
EOT
exec bin/wpsidecar serve --dsn "$dsn" --wp-config testdata/demo/wp-config.php --listen "$listen"
