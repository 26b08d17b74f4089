#!/usr/bin/env bash
# make fuzz: runs every fuzz target of the repository (every `func FuzzX(f *testing.F)` in a *_test.go) for
# FUZZTIME each (default 30s), one after the other; not part of `make test`, which runs only their seeds.
#
# The corpus each target grows is kept in .fuzzcache/<package dir>/<FuzzX>/ (git-ignored, independent of GOCACHE),
# so every run starts where the last one stopped. A failing input is written by Go to the package's own
# testdata/fuzz/<FuzzX>/: fix the bug, then commit that file as a regression seed (`go test` replays it).
#
#   make fuzz                       # all targets, 30 s each
#   FUZZTIME=2m make fuzz           # longer
#   FUZZ='Serialize|Config' make fuzz   # only targets whose name matches
#   FUZZPARALLEL=1 make fuzz        # fuzzing workers per target (default: GOMAXPROCS)
set -uo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need_go

fuzztime="${FUZZTIME:-30s}"
cache="$PWD/.fuzzcache"
filter="${FUZZ:-.}"
parallel=()
[ -n "${FUZZPARALLEL:-}" ] && parallel=(-parallel "$FUZZPARALLEL")
# Fuzz targets that need a database (none today) would find it here.
export WPSIDECAR_TEST_DSN="${WPSIDECAR_TEST_DSN:-}"

mapfile -t targets < <(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' . | sed 's|^\./||; s|/[^/]*_test.go:func | |' | sort -u)
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets found" >&2; exit 1; }

failed=()
summary=()
for t in "${targets[@]}"; do
  dir="${t% *}"
  name="${t#* }"
  [[ "$name" =~ $filter ]] || continue
  mkdir -p "$cache/$dir"
  before=$(find "$cache/$dir/$name" -type f 2>/dev/null | wc -l)
  log "fuzz ./$dir $name for $fuzztime"
  out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "${parallel[@]}" "./$dir" \
        -args -test.fuzzcachedir="$cache/$dir" 2>&1)
  rc=$?
  after=$(find "$cache/$dir/$name" -type f 2>/dev/null | wc -l)
  execs=$(grep -o 'execs: [0-9]*' <<<"$out" | tail -1 | cut -d' ' -f2)
  if [ $rc -ne 0 ]; then
    echo "$out" | grep -v '^fuzz: elapsed' | tail -30 >&2
    failed+=("./$dir $name")
    summary+=("FAIL  ./$dir $name  execs=${execs:-?} corpus=$before->$after")
  else
    summary+=("ok    ./$dir $name  execs=${execs:-?} corpus=$before->$after")
  fi
done

printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed; their inputs are in the packages' testdata/fuzz/ (commit them with the fix)" >&2
  exit 1
fi
