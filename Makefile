# wpsidecar — the two set-up commands are `make demo` and `make test` (see README.md).
GO ?= go

.PHONY: db demo test lint bench soak fuzz build generate vet release deb

# Makes sure the development MariaDB runs; prints its DSN (no database name) alone on the last line.
db:
	@bash .ci/devdb.sh

# Demo site database + the sidecar in the foreground, with curl examples to paste into a second terminal.
demo:
	@bash .ci/demo.sh

# Lint (go mod tidy unchanged, gofmt, staticcheck), database up, go vet, the whole test suite with the race detector.
test:
	@bash .ci/test.sh

# go mod tidy leaves go.mod/go.sum unchanged, gofmt -l prints nothing, staticcheck (pinned) is clean.
lint:
	@bash .ci/lint.sh

# Load benchmark against PHP and the bare-SQL limit (not part of `make test`).
bench:
	@bash .ci/bench.sh

# Faults under load for about 10 minutes, then reconciliation of every write (not part of `make test`).
soak:
	@bash .ci/soak.sh

# Every fuzz target for FUZZTIME each (default 30s); the corpus grows in .fuzzcache/ (not part of `make test`).
fuzz:
	@bash .ci/fuzz.sh

build:
	$(GO) build -o bin/wpsidecar ./cmd/wpsidecar

generate:
	$(GO) generate ./...

vet:
	$(GO) vet ./...

# Static linux/amd64 + linux/arm64 binaries (-trimpath) and SHA256SUMS in dist/release/.
release:
	@bash packaging/build.sh release

# dist/wpsidecar_VERSION_ARCH.deb for amd64 and arm64 (nfpm; see packaging/).
deb:
	@bash packaging/build.sh deb
