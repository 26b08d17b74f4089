#!/usr/bin/env bash
# phpref.sh — the PHP reference site for benchmarks and recordings: WordPress 7.1 + FluentCart 1.3.25 on Debian's
# nginx + php-fpm 8.2 (OPcache on, timestamps not revalidated; pool [fcref], pm = static, 8 children), served on
# 127.0.0.1:8181 only, over the database `fcref` of the development MariaDB (`make db`: 127.0.0.1:33306, user
# wpsidecar). Everything lives outside the repository under REF (default /work/ref): site/ (code, wp-config.php),
# conf/, run/ (pid files, php-fpm socket, nginx temp dirs), log/. nginx and php-fpm run as the current user.
#
#   bash cmd/wpbench/phpref.sh setup             # install Debian packages, unpack WordPress + FluentCart, write configs (idempotent)
#   bash cmd/wpbench/phpref.sh reload [--empty]  # drop + reload `fcref`: schemas, testdata/seed/00_wordpress.sql,
#                                                # testdata/fluentcart-store/store.sql (--empty: without the store,
#                                                # what testdata/fluentcart-store/build-store.sh starts from)
#   bash cmd/wpbench/phpref.sh start | stop      # nginx + php-fpm of the reference (start restarts; OPcache does not
#                                                # revalidate files, so restart after editing anything under site/)
#   bash cmd/wpbench/phpref.sh ratio [--cache] [ID]
#       wrk -t2 -c32 -d15s (after a 3 s warm-up each) on GET /wp-json/fluent-cart/v2/customers/ID (default 1) with the
#       demo admin's Application Password, first against PHP (:8181), then against the sidecar ($BIN serve on :8182, same
#       database; --cache is passed on; PHP is sent "Host: <host of the stored home option>", see fcref-host.php below).
#       Checks first that both bodies are byte-identical (a warning if not), then prints
#       req/s of each, the ratio, and the CPU time per request (utime+stime from /proc/PID/stat before/after each run) of
#       the sidecar, mariadbd and php-fpm (master + workers).
#
# Sources: the script cannot download anything. WordPress core comes from a bare git mirror of
# github.com/johnpbloch/wordpress-core (tag 7.1.0), FluentCart from one of github.com/fluent-cart/fluent-cart (tag
# 1.3.25). In an agent session, the search tool's `fetch` with source github:johnpbloch/wordpress-core (resp.
# github:fluent-cart/fluent-cart) puts them at the default paths below; elsewhere `git clone --bare` them anywhere and
# pass WP_GIT=... FC_GIT=....
#
# Environment: REF=/work/ref  FCREF_DB=fcref  WP_GIT  FC_GIT  BIN=/tmp/wpsidecar  DSN (sidecar's; default wpsidecar@tcp
# 127.0.0.1:33306/$FCREF_DB)  MYSQL_SOCK=<repo>/.dev/mysqld.sock  MYSQLD_PID=<repo>/.dev/mysqld.pid  DURATION=15s  CONNS=32
#
# Other users of the files this writes: cmd/fcrecord/ref-pool.sh derives a second pool from conf/nginx.conf and
# conf/php-fpm.conf by sed (it relies on $REF/run, $REF/log, "127.0.0.1:8181", "worker_processes 2", "[fcref]" and
# "pm.max_children = 8" appearing literally, and on the pool section being last); wp-config.php reads DB_NAME from the
# environment variable FCREF_DB (php-fpm: env[FCREF_DB]), default fcref. The mu-plugin fcref-host.php copies the
# request's Host into home/siteurl (for a browser) on port 8181 only, so URLs in bodies served there say 127.0.0.1:8181
# unless the request says "Host: 127.0.0.1:8080" (the seed's home); nginx passes HTTP_HOST with the port.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
REF=${REF:-/work/ref}
DB=${FCREF_DB:-fcref}
WP_GIT=${WP_GIT:-/work/.mirror/johnpbloch+wordpress-core/repo}
FC_GIT=${FC_GIT:-/work/.mirror/fluent-cart+fluent-cart/repo}
WP_TAG=7.1.0
FC_TAG=1.3.25
BIN=${BIN:-/tmp/wpsidecar}
PHP_ADDR=127.0.0.1:8181
GO_ADDR=127.0.0.1:8182
MYSQL_SOCK=${MYSQL_SOCK:-$REPO/.dev/mysqld.sock}
MYSQLD_PID=${MYSQLD_PID:-$REPO/.dev/mysqld.pid}
DSN=${DSN:-wpsidecar:wpsidecar@tcp(127.0.0.1:33306)/$DB}
DURATION=${DURATION:-15s}
CONNS=${CONNS:-32}
APP_PASSWORD='admin:AdmN 1234 AbCd 5678 EfGh 9012' # demo admin of testdata/seed/00_wordpress.sql
PACKAGES=(php8.2-fpm php8.2-cli php8.2-mysql php8.2-opcache php8.2-mbstring php8.2-xml php8.2-curl nginx wrk jq curl mariadb-client)

log() { echo "phpref: $*" >&2; }
die() { echo "phpref: $*" >&2; exit 1; }
db() { mariadb --no-defaults -h127.0.0.1 -P33306 --protocol=tcp -uwpsidecar -pwpsidecar "$@"; }
db_root() { mariadb --no-defaults -S "$MYSQL_SOCK" -uroot "$@"; }

# --- setup -----------------------------------------------------------------------------------------------------------

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  [ "$(id -u)" = 0 ] || die "run as root to install ${missing[*]} (or install them first)"
  apt-get update -qq
  # policy-rc.d (if any) keeps Debian's own nginx/php-fpm services from starting; ours run from $REF/conf.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

check_git() { # name dir tag source
  if ! git --git-dir="$2" rev-parse -q --verify "$3^{commit}" >/dev/null 2>&1; then
    die "$1: no tag $3 in the git dir '$2'.
  Get a bare mirror of $4: in an agent session, call the search tool's fetch with source 'github:$4' (it prints the
  git dir, normally $2); elsewhere 'git clone --bare https://github.com/$4 DIR'. Then pass ${1}=DIR."
  fi
}

unpack() {
  local site=$REF/site plugin=$REF/site/wp-content/plugins/fluent-cart
  if [ "$(cat "$site/.phpref-wordpress" 2>/dev/null)" != "$WP_TAG" ]; then
    log "unpacking WordPress $WP_TAG into $site"
    rm -rf "$site"
    mkdir -p "$site" "$REF/log"
    # One blob under wp-includes/js/dist/script-modules/vips/ is missing from the mirror; the site does not need it.
    # git 2.39 still names the missing blob ("error: invalid object ...") but leaves the folder out and exits 0.
    git --git-dir="$WP_GIT" archive "$WP_TAG" -- . ':!wp-includes/js/dist/script-modules/vips' 2>"$REF/log/git-archive.err" |
      tar -x -C "$site"
    grep -v "^error: invalid object .* for 'wp-includes/js/dist/script-modules/vips/" "$REF/log/git-archive.err" >&2 || true
    grep -q "^\$wp_version = '7.1';" "$site/wp-includes/version.php" || die "$site/wp-includes/version.php is not WordPress 7.1"
    echo "$WP_TAG" >"$site/.phpref-wordpress"
  fi
  if [ "$(cat "$plugin/.phpref-fluent-cart" 2>/dev/null)" != "$FC_TAG" ]; then
    log "unpacking FluentCart $FC_TAG into $plugin"
    rm -rf "$plugin"
    mkdir -p "$plugin"
    git --git-dir="$FC_GIT" archive "$FC_TAG" | tar -x -C "$plugin"
    echo "$FC_TAG" >"$plugin/.phpref-fluent-cart"
  fi
}

write_wp_config() {
  local keys
  # The keys and salts of the demo site (public demo values), so cookies and nonces match testdata/demo.
  keys=$(grep -E "^define\( *'(AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(KEY|SALT)'" "$REPO/testdata/demo/wp-config.php")
  [ "$(wc -l <<<"$keys")" = 8 ] || die "expected 8 keys/salts in testdata/demo/wp-config.php"
  cat >"$REF/site/wp-config.php" <<EOF
<?php
/**
 * wp-config.php of the PHP reference site (written by cmd/wpbench/phpref.sh setup; rewritten on every setup).
 * DB_NAME: the environment variable FCREF_DB (php-fpm: env[FCREF_DB], see cmd/fcrecord/ref-pool.sh), else fcref.
 */
define( 'DB_NAME', getenv( 'FCREF_DB' ) ?: 'fcref' );
define( 'DB_USER', 'wpsidecar' );
define( 'DB_PASSWORD', 'wpsidecar' );
define( 'DB_HOST', '127.0.0.1:33306' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );

/* Keys and salts of testdata/demo/wp-config.php (demo values, public on purpose). */
$keys

\$table_prefix = 'wp_';

/* "local" lets Application Passwords work over plain http. */
define( 'WP_ENVIRONMENT_TYPE', 'local' );
define( 'WP_DEBUG', false );
/* No outside network here: no update checks or remote calls (loopback still allowed), no cron spawned by requests. */
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'DISABLE_WP_CRON', true );

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
EOF
  mkdir -p "$REF/site/wp-content/mu-plugins"
  cat >"$REF/site/wp-content/mu-plugins/fcref-host.php" <<'EOF'
<?php
/**
 * Plugin Name: fcref host
 * Description: PHP reference site (cmd/wpbench/phpref.sh): home and siteurl follow the request's Host, so the site
 * works in a browser on whatever address it is reached at (the seed stores http://127.0.0.1:8080). Only on the
 * reference's own nginx (port 8181, or a proxy in front of it that keeps the Host), not on the recording pool of
 * cmd/fcrecord/ref-pool.sh (8191), whose bodies must carry the seed's URLs.
 */
if ( ( $_SERVER['SERVER_PORT'] ?? '' ) === '8181' && isset( $_SERVER['HTTP_HOST'] )
	&& preg_match( '/^[A-Za-z0-9.\-\[\]:]+$/', $_SERVER['HTTP_HOST'] ) ) {
	$fcref_host_url = static function () {
		return 'http://' . $_SERVER['HTTP_HOST'];
	};
	add_filter( 'option_home', $fcref_host_url );
	add_filter( 'option_siteurl', $fcref_host_url );
}
EOF
}

write_confs() {
  local nginx_user="" fpm_user=""
  if [ "$(id -u)" = 0 ]; then
    nginx_user="user root root;"
    fpm_user=$'user = root\ngroup = root'
  fi
  mkdir -p "$REF/conf" "$REF/run" "$REF/log" "$REF/bin"
  # Keep "worker_processes 2", "127.0.0.1:8181", $REF/run and $REF/log literal: ref-pool.sh rewrites them by sed.
  cat >"$REF/conf/nginx.conf" <<EOF
# PHP reference site (cmd/wpbench/phpref.sh; rewritten on every setup)
$nginx_user
worker_processes 2;
pid $REF/run/nginx.pid;
error_log $REF/log/nginx-error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log $REF/log/nginx-access.log combined buffer=64k flush=1s;
  client_body_temp_path $REF/run/nginx-client-body;
  fastcgi_temp_path $REF/run/nginx-fastcgi;
  proxy_temp_path $REF/run/nginx-proxy;
  uwsgi_temp_path $REF/run/nginx-uwsgi;
  scgi_temp_path $REF/run/nginx-scgi;
  sendfile on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:8181;
    server_name _;
    root $REF/site;
    index index.php;
    client_max_body_size 64m;
    location / {
      try_files \$uri \$uri/ /index.php?\$args;
    }
    location ~ \.php\$ {
      try_files \$uri =404;
      include $REF/conf/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_pass unix:$REF/run/php-fpm.sock;
      fastcgi_read_timeout 300;
    }
  }
}
EOF
  # Debian's fastcgi_params passes HTTP_HOST as \$host, without the port; the mu-plugin needs the Host as sent.
  sed -E 's/^(fastcgi_param +HTTP_HOST +)\$host;/\1$http_host;/' /etc/nginx/fastcgi_params >"$REF/conf/fastcgi_params"
  # Keep "[fcref]", "pm.max_children = 8", $REF/run and $REF/log literal and the pool section last: ref-pool.sh
  # rewrites them by sed and appends env[FCREF_DB] to the pool.
  cat >"$REF/conf/php-fpm.conf" <<EOF
; PHP reference site (cmd/wpbench/phpref.sh; rewritten on every setup)
[global]
pid = $REF/run/php-fpm.pid
error_log = $REF/log/php-fpm.log
daemonize = yes

[fcref]
$fpm_user
listen = $REF/run/php-fpm.sock
listen.mode = 0666
pm = static
pm.max_children = 8
pm.max_requests = 0
catch_workers_output = yes
php_admin_flag[log_errors] = on
php_admin_value[error_log] = $REF/log/php-error.log
php_admin_value[memory_limit] = 256M
php_admin_value[sendmail_path] = /bin/true
; OPcache is on (Debian's opcache.ini loads it, opcache.enable defaults to 1; it cannot be switched on per pool);
; files are not revalidated: restart after editing the site.
php_admin_value[opcache.validate_timestamps] = 0
EOF
  # The name testdata/fluentcart-store/README.md uses: reload-db.sh = empty store, reload-db.sh --store = with it.
  cat >"$REF/bin/reload-db.sh" <<EOF
#!/usr/bin/env bash
# Written by $REPO/cmd/wpbench/phpref.sh setup. reload-db.sh: schemas + 00_wordpress.sql; --store: + store.sql.
if [ "\${1:-}" = --store ]; then exec bash "$REPO/cmd/wpbench/phpref.sh" reload; fi
exec bash "$REPO/cmd/wpbench/phpref.sh" reload --empty
EOF
  chmod +x "$REF/bin/reload-db.sh"
  cat >"$REF/README.md" <<EOF
# PHP reference site

Built by \`$REPO/cmd/wpbench/phpref.sh setup\` (see its header): WordPress $WP_TAG + FluentCart $FC_TAG, nginx on
http://$PHP_ADDR, php-fpm pool [fcref], database \`$DB\` (127.0.0.1:33306, wpsidecar/wpsidecar).
\`phpref.sh reload\` reloads the database, \`phpref.sh start|stop\` runs it, \`phpref.sh ratio\` compares with the sidecar.
EOF
}

ensure_db() {
  if ! db -e "CREATE DATABASE IF NOT EXISTS \`$DB\` CHARACTER SET utf8mb4; USE \`$DB\`" 2>/dev/null; then
    log "granting wpsidecar@127.0.0.1 the rights on $DB (as root over $MYSQL_SOCK)"
    db_root -e "CREATE DATABASE IF NOT EXISTS \`$DB\` CHARACTER SET utf8mb4;
      GRANT ALL PRIVILEGES ON \`$DB\`.* TO 'wpsidecar'@'127.0.0.1' IDENTIFIED BY 'wpsidecar'; FLUSH PRIVILEGES;" ||
      die "cannot reach MariaDB on 127.0.0.1:33306 / $MYSQL_SOCK (cd $REPO && make db)"
  fi
}

cmd_setup() {
  install_packages
  check_git WP_GIT "$WP_GIT" "$WP_TAG" johnpbloch/wordpress-core
  check_git FC_GIT "$FC_GIT" "$FC_TAG" fluent-cart/fluent-cart
  unpack
  write_wp_config
  write_confs
  ensure_db
  local fpm_flags=()
  [ "$(id -u)" = 0 ] && fpm_flags=(-R)
  php-fpm8.2 -t -y "$REF/conf/php-fpm.conf" "${fpm_flags[@]}" 2>&1 | grep -v -e 'test is successful' -e '^$' >&2 || true
  nginx -t -q -e "$REF/log/nginx-error.log" -c "$REF/conf/nginx.conf"
  log "set up in $REF (database $DB); next: phpref.sh reload && phpref.sh start"
}

# --- reload ----------------------------------------------------------------------------------------------------------

cmd_reload() {
  local files=("$REPO/sql/wordpress-7.1.sql" "$REPO/sql/fluentcart-1.3.25.sql" "$REPO/testdata/seed/00_wordpress.sql")
  [ "${1:-}" = --empty ] || files+=("$REPO/testdata/fluentcart-store/store.sql")
  ensure_db
  log "reloading $DB: ${files[*]#"$REPO/"}"
  db -e "DROP DATABASE IF EXISTS \`$DB\`; CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4"
  # The files write the table prefix as the literal {prefix} (what wptest.ExecFile replaces).
  { echo "SET autocommit = 0;"; sed 's/{prefix}/wp_/g' "${files[@]}"; echo "COMMIT;"; } | db "$DB"
  local n
  n=$(db -N "$DB" -e 'SELECT COUNT(*) FROM wp_fct_customers')
  if [ "${1:-}" = --empty ]; then
    [ "$n" = 0 ] || die "wp_fct_customers has $n rows, expected 0"
  else
    [ "$n" = 32 ] || die "wp_fct_customers has $n rows, expected 32"
  fi
  log "$DB loaded: $n FluentCart customers"
}

# --- start / stop ----------------------------------------------------------------------------------------------------

pid_of() { local p; p=$(cat "$1" 2>/dev/null) && kill -0 "$p" 2>/dev/null && echo "$p"; }

cmd_stop() {
  local f p i
  for f in "$REF/run/nginx.pid" "$REF/run/php-fpm.pid"; do
    p=$(pid_of "$f") || continue
    kill "$p"
    for i in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
  rm -f "$REF/run/nginx.pid" "$REF/run/php-fpm.pid"
}

cmd_start() {
  [ -f "$REF/conf/nginx.conf" ] && [ -f "$REF/site/wp-config.php" ] || die "no reference in $REF: run phpref.sh setup"
  cmd_stop
  local fpm_flags=()
  [ "$(id -u)" = 0 ] && fpm_flags=(-R)
  php-fpm8.2 -y "$REF/conf/php-fpm.conf" "${fpm_flags[@]}"
  nginx -e "$REF/log/nginx-error.log" -c "$REF/conf/nginx.conf"
  local code i
  for i in $(seq 50); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -u "$APP_PASSWORD" "http://$PHP_ADDR/wp-json/fluent-cart/v2/customers/1") || true
    [ "$code" = 200 ] && break
    sleep 0.2
  done
  [ "$code" = 200 ] || die "started, but GET /wp-json/fluent-cart/v2/customers/1 answers $code (database loaded? phpref.sh reload; logs in $REF/log)"
  log "PHP reference on http://$PHP_ADDR (database $DB): customers/1 answers 200"
}

# --- ratio -----------------------------------------------------------------------------------------------------------

ticks() { # utime+stime of the given pids, in clock ticks
  local t=0 p s f
  for p in "$@"; do
    s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    s=${s##*) } # fields 3.. (the command name may hold spaces)
    read -r -a f <<<"$s"
    t=$((t + f[11] + f[12])) # fields 14 (utime) and 15 (stime)
  done
  echo "$t"
}

fpm_pids() { local m; m=$(pid_of "$REF/run/php-fpm.pid") && { echo "$m"; pgrep -P "$m"; }; }

SIDECAR_PID=""
stop_sidecar() {
  if [ -n "$SIDECAR_PID" ] && kill -0 "$SIDECAR_PID" 2>/dev/null; then
    kill "$SIDECAR_PID"
    wait "$SIDECAR_PID" 2>/dev/null || true
  fi
  SIDECAR_PID=""
}

# run NAME URL HOST: warm-up, measured wrk run; prints one line "name req/s p50 p99 requests go_ms db_ms php_ms"
run() {
  local name=$1 url=$2 host=$3 out=$REF/log/ratio-$1.txt hz mpid
  hz=$(getconf CLK_TCK)
  mpid=$(cat "$MYSQLD_PID" 2>/dev/null || pgrep -xo mariadbd || true)
  wrk -t2 -c"$CONNS" -d3s --timeout 30s -H "$AUTH" -H "Host: $host" "$url" >/dev/null
  local g0 m0 f0 g1 m1 f1
  g0=$(ticks $SIDECAR_PID); m0=$(ticks $mpid); f0=$(ticks $(fpm_pids))
  wrk -t2 -c"$CONNS" -d"$DURATION" --timeout 30s --latency -H "$AUTH" -H "Host: $host" "$url" >"$out"
  g1=$(ticks $SIDECAR_PID); m1=$(ticks $mpid); f1=$(ticks $(fpm_pids))
  grep -q 'Non-2xx' "$out" && log "WARNING: $name: $(grep 'Non-2xx' "$out")"
  grep -q 'Socket errors' "$out" && log "WARNING: $name: $(grep 'Socket errors' "$out")"
  awk -v name="$name" -v hz="$hz" -v g=$((g1 - g0)) -v m=$((m1 - m0)) -v f=$((f1 - f0)) '
    / requests in / { n = $1 }
    /Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    END { ms = 1000 / hz / (n > 0 ? n : 1)
          printf "%s %s %s %s %d %.3f %.3f %.3f\n", name, rps, p50, p99, n, g * ms, m * ms, f * ms }' "$out"
}

cmd_ratio() {
  local cache="" id=${ID:-1}
  while [ $# -gt 0 ]; do
    case $1 in
    --cache) cache=--cache ;;
    [0-9]*) id=$1 ;;
    *) die "usage: phpref.sh ratio [--cache] [ID]" ;;
    esac
    shift
  done
  local path=/wp-json/fluent-cart/v2/customers/$id
  AUTH="Authorization: Basic $(printf '%s' "$APP_PASSWORD" | base64 -w0)"
  [ -n "$(pid_of "$REF/run/php-fpm.pid")" ] && [ -n "$(pid_of "$REF/run/nginx.pid")" ] || die "the PHP reference is not running: phpref.sh start"
  if [ ! -x "$BIN" ]; then
    log "building $BIN"
    (cd "$REPO" && go build -o "$BIN" ./cmd/wpsidecar)
  fi
  curl -s -o /dev/null "http://$GO_ADDR/healthz" && die "something already listens on $GO_ADDR"

  trap stop_sidecar EXIT
  "$BIN" serve --listen "$GO_ADDR" --admin-listen off --dsn "$DSN" --table-prefix wp_ \
    --wp-config "$REF/site/wp-config.php" $cache >"$REF/log/sidecar.log" 2>&1 &
  SIDECAR_PID=$!
  local i
  for i in $(seq 100); do
    curl -sf -o /dev/null "http://$GO_ADDR/readyz" && break
    kill -0 "$SIDECAR_PID" 2>/dev/null || die "the sidecar exited: $(tail -5 "$REF/log/sidecar.log")"
    sleep 0.2
  done
  curl -sf -o /dev/null "http://$GO_ADDR/readyz" || die "the sidecar is not ready after 20 s: $(tail -5 "$REF/log/sidecar.log")"

  # PHP is asked with the Host of the stored home URL (the seed's http://127.0.0.1:8080): fcref-host.php copies the
  # Host into home/siteurl, and with 127.0.0.1:8181 URLs in the body (FluentCart's user_link) would say 8181 where the
  # sidecar, which reads the stored option, says 8080. The work PHP does is the same either way.
  local home seed_host
  home=$(db -N "$DB" -e "SELECT option_value FROM wp_options WHERE option_name = 'home'")
  seed_host=${home#*://}
  seed_host=${seed_host%%/*}
  [ -n "$seed_host" ] || die "no home option in $DB.wp_options"

  # Same bytes? (bodies only; headers may differ)
  local php_body=$REF/log/ratio-php.body go_body=$REF/log/ratio-sidecar.body php_code go_code
  php_code=$(curl -s -o "$php_body" -w '%{http_code}' -H "$AUTH" -H "Host: $seed_host" "http://$PHP_ADDR$path")
  go_code=$(curl -s -o "$go_body" -w '%{http_code}' -H "$AUTH" "http://$GO_ADDR$path")
  if [ "$php_code" = "$go_code" ] && cmp -s "$php_body" "$go_body"; then
    echo "GET $path: PHP (Host: $seed_host) and the sidecar answer $php_code with the same $(wc -c <"$php_body") bytes"
  else
    echo "WARNING: GET $path: the answers differ: PHP $php_code, $(wc -c <"$php_body") bytes; sidecar $go_code, $(wc -c <"$go_body") bytes ($php_body, $go_body)"
    cmp "$php_body" "$go_body" || true
  fi

  echo "wrk -t2 -c$CONNS -d$DURATION GET $path (3 s warm-up each); sidecar${cache:+ $cache} on $GO_ADDR; $(date -u '+%F %T UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  local php go
  php=$(run php "http://$PHP_ADDR$path" "$seed_host")
  go=$(run sidecar "http://$GO_ADDR$path" "$GO_ADDR")
  stop_sidecar
  trap - EXIT
  {
    printf '%-8s %10s %10s %10s %10s %15s %15s %15s\n' run 'req/s' p50 p99 requests 'sidecar CPU/req' 'mariadbd CPU/req' 'php-fpm CPU/req'
    printf '%-8s %10s %10s %10s %10s %12s ms %13s ms %12s ms\n' $php
    printf '%-8s %10s %10s %10s %10s %12s ms %13s ms %12s ms\n' $go
  }
  awk -v p="${php#* }" -v g="${go#* }" 'BEGIN { split(p, a, " "); split(g, b, " ");
    printf "PHP %.1f req/s, sidecar %.1f req/s: sidecar/PHP = %.1fx\n", a[1], b[1], (a[1] > 0 ? b[1] / a[1] : 0) }'
  echo "(wrk outputs: $REF/log/ratio-php.txt, $REF/log/ratio-sidecar.txt; sidecar log: $REF/log/sidecar.log)"
}

case "${1:-}" in
setup) shift; cmd_setup "$@" ;;
reload) shift; cmd_reload "$@" ;;
start) shift; cmd_start ;;
stop) shift; cmd_stop; log "stopped" ;;
ratio) shift; cmd_ratio "$@" ;;
*) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
