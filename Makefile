# wpsidecar — the two set-up commands are `make demo` and `make test` (see README.md).
GO ?= go

.PHONY: db demo test bench build generate vet release deb

# Makes sure the development MariaDB runs; prints its DSN (no database name) alone on the last line.
db:
	@bash .ci/devdb.sh

# Demo site database + the sidecar in the foreground, with curl examples to paste into a second terminal.
demo:
	@bash .ci/demo.sh

# Database up, go vet, the whole test suite with the race detector.
test:
	@bash .ci/test.sh

# Load benchmark against PHP and the bare-SQL limit (not part of `make test`).
bench:
	@bash .ci/bench.sh

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
