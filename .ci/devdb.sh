#!/usr/bin/env bash
# Makes sure a MariaDB server is available for development, the demo and the tests, and prints as its LAST line a
# DSN (go-sql-driver/mysql form, no database name) with rights to create databases.
#
# - If WPSIDECAR_TEST_DSN (or WPSIDECAR_DSN) is set, it is used as is (nothing is installed or started).
# - Otherwise mariadb-server is installed from Debian's packages when missing (needs root), and a private instance is
#   started with its data directory under .dev/ (git-ignored), listening on a unix socket there and on a loopback
#   port (default 33306, WPSIDECAR_DEV_DB_PORT) that does not clash with a system MySQL. Idempotent: a running
#   instance is reused.
# - The binlog is on in ROW format (server_id 1) so the read cache (--cache) is tested against a real change stream;
#   each stream a test opens uses a server_id of its own.
set -euo pipefail
log() { echo "devdb: $*" >&2; }

if [ -n "${WPSIDECAR_TEST_DSN:-}" ]; then echo "$WPSIDECAR_TEST_DSN"; exit 0; fi
if [ -n "${WPSIDECAR_DSN:-}" ]; then echo "${WPSIDECAR_DSN%%/*}/"; exit 0; fi

top=$(cd "$(dirname "$0")/.." && pwd)
dev="$top/.dev"
datadir="$dev/mysql"
sock="$dev/mysqld.sock"
port="${WPSIDECAR_DEV_DB_PORT:-33306}"
dsn="root@unix($sock)/"

ping_db() { mariadb-admin --socket="$sock" -uroot ping >/dev/null 2>&1; }

if [ -S "$sock" ] && ping_db; then
  if [ "$(mariadb --socket="$sock" -uroot -N -e 'SELECT @@log_bin' 2>/dev/null)" != 1 ]; then
    log "note: the running instance has the binlog off (started by an older devdb.sh); the read-cache tests skip until it is restarted"
  fi
  echo "$dsn"; exit 0
fi

if ! command -v mariadbd >/dev/null 2>&1 || ! command -v mariadb-install-db >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then log "mariadb-server is not installed and this is not root: install it or set WPSIDECAR_TEST_DSN"; exit 1; fi
  log "installing mariadb-server from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # policy-rc.d keeps the package from starting the system-wide server; we run our own instance.
  apt-get install -y -qq mariadb-server mariadb-client >&2
fi

mkdir -p "$dev"
if [ ! -d "$datadir/mysql" ]; then
  log "initialising $datadir"
  mariadb-install-db --no-defaults --user=root --datadir="$datadir" --auth-root-authentication-method=normal \
    --skip-test-db >"$dev/install-db.log" 2>&1 || { cat "$dev/install-db.log" >&2; exit 1; }
fi

# Another checkout's instance (or a system MySQL) may hold the port: take the next free one (we connect via the socket).
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 1 50); do port_busy "$port" || break; port=$((port + 1)); done
log "starting private MariaDB (socket $sock, port 127.0.0.1:$port)"
rm -f "$sock"
nohup mariadbd --no-defaults --user=root --datadir="$datadir" --socket="$sock" --port="$port" \
  --bind-address=127.0.0.1 --pid-file="$dev/mysqld.pid" --log-error="$dev/mysqld.err" \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_520_ci \
  --innodb-buffer-pool-size=1G --innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0 \
  --log-bin=mariadb-bin --binlog-format=ROW --binlog-row-image=FULL --server-id=1 --max-binlog-size=256M \
  --expire-logs-days=1 --max-connections=1000 --max-allowed-packet=256M --skip-name-resolve \
  >/dev/null 2>&1 </dev/null &

for _ in $(seq 1 120); do
  if ping_db; then break; fi
  sleep 0.5
done
if ! ping_db; then log "MariaDB did not start; see $dev/mysqld.err"; tail -20 "$dev/mysqld.err" >&2 || true; exit 1; fi

# A loopback TCP account for tools that cannot use the socket (nginx/php-fpm WordPress in the end-to-end tests).
mariadb --socket="$sock" -uroot -e "CREATE USER IF NOT EXISTS 'wpsidecar'@'127.0.0.1' IDENTIFIED BY 'wpsidecar';
  GRANT ALL PRIVILEGES ON *.* TO 'wpsidecar'@'127.0.0.1' WITH GRANT OPTION;" >&2
echo "$dsn"
