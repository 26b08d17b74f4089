# Helpers of build-store.sh: FluentCart's REST API through curl with an Application Password.
FC_URL=${FC_URL:-http://127.0.0.1:8181}
FC_AUTH=${FC_AUTH:-admin:AdmN 1234 AbCd 5678 EfGh 9012}

# api METHOD PATH [JSON] -> prints the response body; fails (with the body on stderr) on a non-2xx status.
api() {
  local method=$1 path=$2 body=${3:-} out code
  out=$(mktemp)
  if [ -n "$body" ]; then
    code=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -u "$FC_AUTH" -H 'Content-Type: application/json' \
      --data-binary "$body" "$FC_URL/wp-json/$path")
  else
    code=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -u "$FC_AUTH" "$FC_URL/wp-json/$path")
  fi
  if [ "${code:0:1}" != 2 ]; then
    echo "api: $method $path -> $code: $(head -c 2000 "$out")" >&2
    [ -n "$body" ] && echo "api: body was: ${body:0:2000}" >&2
    rm -f "$out"; return 1
  fi
  cat "$out"; rm -f "$out"
}
fc() { local m=$1 p=$2; shift 2; api "$m" "fluent-cart/v2/$p" "$@"; }
log() { echo "build-store: $*" >&2; }
