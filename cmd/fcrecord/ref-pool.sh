#!/usr/bin/env bash
# A second nginx + php-fpm pool over the PHP reference site of /work/ref (its code and wp-config.php), on
# 127.0.0.1:8191 with a database of its own (FCREF_DB=fcrec_ref, which the reference's wp-config.php reads), for the
# golden recorders: they drop and reload the prefixed tables of the database they record on, which must not be the
# shared `fcref` others browse, and they must not go through 127.0.0.1:8181/8182, whose Host the reference's
# mu-plugin (fcref-host.php) copies into home/siteurl (URLs inside bodies would then say 8181, not the seed's 8080).
#
#   bash cmd/fcrecord/ref-pool.sh start|stop        (REF=/work/ref, RUN=/tmp/fcrec-ref, PORT=8191, DB=fcrec_ref)
set -euo pipefail
REF=${REF:-/work/ref}
RUN=${RUN:-/tmp/fcrec-ref}
PORT=${PORT:-8191}
DB=${DB:-fcrec_ref}
stop() {
  for p in "$RUN/run/nginx.pid" "$RUN/run/php-fpm.pid"; do
    [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
  done
  sleep 0.5
}
case "${1:-}" in
stop) stop; exit 0 ;;
start) ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
stop
mkdir -p "$RUN/run" "$RUN/log" "$RUN/conf"
sed -e "s#$REF/run#$RUN/run#g; s#$REF/log#$RUN/log#g; s#127.0.0.1:8181#127.0.0.1:$PORT#; s#worker_processes 2#worker_processes 1#" \
  "$REF/conf/nginx.conf" > "$RUN/conf/nginx.conf"
sed -e "s#$REF/run#$RUN/run#g; s#$REF/log#$RUN/log#g; s#^\[fcref\]#[fcrec]#; s#pm.max_children = 8#pm.max_children = 2#" \
  "$REF/conf/php-fpm.conf" > "$RUN/conf/php-fpm.conf"
echo "env[FCREF_DB] = $DB" >> "$RUN/conf/php-fpm.conf"
mariadb --no-defaults -h127.0.0.1 -P33306 --protocol=tcp -uwpsidecar -pwpsidecar -e "CREATE DATABASE IF NOT EXISTS \`$DB\` CHARACTER SET utf8mb4"
php-fpm8.2 -y "$RUN/conf/php-fpm.conf" -R
nginx -c "$RUN/conf/nginx.conf"
echo "recording pool: http://127.0.0.1:$PORT (database $DB); DSN='wpsidecar:wpsidecar@tcp(127.0.0.1:33306)/$DB'"
