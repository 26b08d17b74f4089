#!/usr/bin/env bash
# `make lint` (also run by `make test`): the checks of a well-kept Go module.
#   go mod tidy leaves go.mod/go.sum unchanged; gofmt has nothing to say; staticcheck is clean (an exception carries a
#   `//lint:ignore CHECK reason` beside it). staticcheck comes from the module proxy at a pinned version, so a fresh
#   machine needs nothing installed beforehand.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need_go
STATICCHECK_VERSION=v0.8.2 # honnef.co/go/tools 2026.x line; supports the go 1.26 directive in go.mod

log "go mod tidy -diff"
if ! go mod tidy -diff; then
  echo "go.mod/go.sum are not tidy: run go mod tidy" >&2
  exit 1
fi

log "gofmt -l ."
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "not gofmt-formatted (run gofmt -w):" >&2
  echo "$unformatted" >&2
  exit 1
fi

log "staticcheck@$STATICCHECK_VERSION ./..."
go run "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION" ./...
