# Shared helpers for the .ci scripts (sourced).
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"
export GOFLAGS="${GOFLAGS:-}"
log() { echo "== $*" >&2; }

need_go() {
  if ! command -v go >/dev/null 2>&1; then
    echo "Go is not installed (expected at /usr/local/go/bin/go)" >&2
    exit 1
  fi
}

# apt_install PKG... installs Debian packages that are missing (root only).
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then echo "missing packages ${missing[*]} and not root" >&2; return 1; fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >&2; APT_UPDATED=1; fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
