#!/usr/bin/env bash
# `make release` and `make deb`.
#
#   release  static binaries for linux/amd64 and linux/arm64 (CGO_ENABLED=0, -trimpath, VCS stamp) and SHA256SUMS
#            in dist/release/
#   deb      dist/wpsidecar_VERSION_ARCH.deb for amd64 and arm64, packaged with nfpm (pinned below; run with
#            `go run`, so it never enters go.mod)
#
# The version is the one `wpsidecar version` prints (the Go module version the toolchain stamps from git: a tag,
# or a pseudo-version such as v0.0.0-20261207154907-5404aa4f1e2c), read back from the built binary with
# `go version -m`; Debian's form drops the "v" and writes "-" as "~" (0.0.0~20261207154907~5404aa4f1e2c), which
# keeps dpkg's ordering of successive builds. A build outside a git clone (no VCS) is 0.0.0~dev.
# ARCHES="amd64" limits the architectures (the package test builds only the host's).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need_go

NFPM=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0
ARCHES=${ARCHES:-amd64 arm64}
DIST=${DIST:-dist}

# build ARCH OUT: a static, reproducible-path binary with the VCS stamp when there is one.
build() {
  log "go build linux/$1 -> $2"
  CGO_ENABLED=0 GOOS=linux GOARCH=$1 go build -buildvcs=auto -trimpath -ldflags='-s -w' -o "$2" ./cmd/wpsidecar
}

# module_version BIN: the main module's version as the binary records it.
module_version() { go version -m "$1" | awk '$1 == "mod" { print $3; exit }'; }

deb_version() {
  local v=$1
  if [ -z "$v" ] || [ "$v" = "(devel)" ]; then echo "0.0.0~dev"; return; fi
  v=${v#v}
  echo "${v//-/\~}"
}

# help_text BIN: every command's --help, in the sections of a manual page.
help_text() {
  local bin=$1 c
  echo "WPSIDECAR(1)                      wpsidecar manual                      WPSIDECAR(1)"
  echo
  echo "NAME"
  echo "       wpsidecar - Go answers for selected WordPress plugin REST routes"
  echo
  echo "VERSION"
  "$bin" version | sed 's/^/       /'
  echo
  echo "SYNOPSIS"
  "$bin" --help | sed 's/^/       /'
  for c in serve doctor version "shadow" "shadow report" "shadow routes" "shadow check" \
    clients "clients create" "clients list" "clients revoke" keys "keys create" "keys list" "keys revoke"; do
    echo
    echo "COMMAND: wpsidecar $c"
    # shellcheck disable=SC2086
    "$bin" $c --help 2>&1 | sed 's/^/       /' || true
  done
  echo
  echo "FILES"
  echo "       /etc/default/wpsidecar          environment of the service (WPSIDECAR_*)"
  echo "       /etc/wpsidecar/wpsidecar.toml   per-route modes, shadow log, readiness thresholds (--config)"
  echo "       /var/lib/wpsidecar/             state (the shadow log), created by systemd"
  echo "       /usr/share/wpsidecar/nginx/     nginx route-override snippets"
}

case "${1:-}" in
release)
  out="$DIST/release"
  rm -rf "$out"; mkdir -p "$out"
  for a in $ARCHES; do build "$a" "$out/wpsidecar-linux-$a"; done
  (cd "$out" && sha256sum wpsidecar-linux-* > SHA256SUMS)
  log "$(module_version "$out/wpsidecar-linux-${ARCHES%% *}") in $out:"
  cat "$out/SHA256SUMS"
  ;;
deb)
  work="$DIST/deb-build"
  rm -rf "$work"; mkdir -p "$work"
  # The man-page-style help, from a binary for this machine (the text is the same on every architecture).
  host="$work/wpsidecar-host"
  CGO_ENABLED=0 go build -buildvcs=auto -trimpath -o "$host" ./cmd/wpsidecar
  help_text "$host" > "$work/wpsidecar.txt"
  gzip -9n < "$work/wpsidecar.txt" > "$work/wpsidecar.txt.gz"
  for a in $ARCHES; do
    bin="$work/wpsidecar-linux-$a"
    build "$a" "$bin"
    version=$(deb_version "$(module_version "$bin")")
    conf="$work/nfpm-$a.yaml"
    cat > "$conf" <<YAML
name: wpsidecar
arch: $a
platform: linux
version: "$version"
version_schema: none
section: web
priority: optional
maintainer: wpsidecar maintainers <wpsidecar@localhost>
homepage: https://github.com/wpsidecar/wpsidecar
description: |-
  Go answers for selected WordPress plugin REST routes
  A service beside a WordPress site that answers selected /wp-json/ routes of
  FluentCart, the LatePoint API Extension, WordPress authentication and a unified
  customer API byte for byte as PHP would, over the site's own MySQL tables, with
  a shadow mode that compares its answers with PHP's before a route switches.
recommends:
  - nginx | httpd
suggests:
  - mariadb-server | default-mysql-server
contents:
  - src: $bin
    dst: /usr/bin/wpsidecar
    file_info: {mode: 0755}
  - src: packaging/deb/wpsidecar.service
    dst: /usr/lib/systemd/system/wpsidecar.service
    file_info: {mode: 0644}
  - src: packaging/deb/default
    dst: /etc/default/wpsidecar
    type: config|noreplace
    file_info: {mode: 0600}
  - dst: /etc/wpsidecar
    type: dir
    file_info: {mode: 0755}
  - src: packaging/deb/wpsidecar.toml
    dst: /etc/wpsidecar/wpsidecar.toml
    type: config|noreplace
    file_info: {mode: 0644}
  - src: deploy/nginx/wpsidecar.conf
    dst: /usr/share/wpsidecar/nginx/wpsidecar.conf
    file_info: {mode: 0644}
  - src: deploy/nginx/wpsidecar-proxy.conf
    dst: /usr/share/wpsidecar/nginx/wpsidecar-proxy.conf
    file_info: {mode: 0644}
  - src: deploy/nginx/wpsidecar-php.conf
    dst: /usr/share/wpsidecar/nginx/wpsidecar-php.conf
    file_info: {mode: 0644}
  - src: $work/wpsidecar.txt.gz
    dst: /usr/share/doc/wpsidecar/wpsidecar.txt.gz
    file_info: {mode: 0644}
  - src: packaging/deb/copyright
    dst: /usr/share/doc/wpsidecar/copyright
    file_info: {mode: 0644}
scripts:
  postinstall: packaging/deb/postinst
  preremove: packaging/deb/prerm
  postremove: packaging/deb/postrm
YAML
    target="$DIST/wpsidecar_${version}_$a.deb"
    rm -f "$target"
    log "nfpm -> $target"
    GOFLAGS= go run "$NFPM" package --config "$conf" --packager deb --target "$target" >&2
    echo "$target"
  done
  ;;
*)
  echo "usage: packaging/build.sh release|deb" >&2
  exit 2
  ;;
esac
