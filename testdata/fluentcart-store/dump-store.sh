#!/usr/bin/env bash
# Dumps the store that build-store.sh made into store.sql with mariadb-dump: every row of the fct_ tables, and the
# WordPress rows they refer to that are not already in testdata/seed/00_wordpress.sql — the customers' WordPress users
# (ID > 7) and their usermeta, the products (posts of type fluent-products, their postmeta) and the options FluentCart
# wrote (REPLACE, since 00_wordpress.sql has an older fluent_cart_store_settings). Data only: the tables come from
# sql/wordpress-7.1.sql + sql/fluentcart-1.3.25.sql. Table names and prefixed meta keys are written as `{prefix}` like
# the other seeds, so wptest.ExecFile loads it under any prefix.
#
#   DB=fcref bash dump-store.sh            (MariaDB 127.0.0.1:33306, user wpsidecar; MY_ARGS overrides)
set -euo pipefail
cd "$(dirname "$0")"
DB=${DB:-fcref}
read -r -a MY <<<"${MY_ARGS:--h127.0.0.1 -P33306 -uwpsidecar -pwpsidecar}"
P=wp_
common=(--compact --no-create-info --complete-insert --skip-extended-insert --order-by-primary --skip-dump-date
        --skip-triggers --default-character-set=utf8mb4 --single-transaction --skip-tz-utc)
fct=$(mariadb "${MY[@]}" -N -e "SELECT table_name FROM information_schema.tables WHERE table_schema='$DB' AND table_name LIKE '${P}fct\\_%' ORDER BY table_name")
# Options FluentCart writes on its own (not transients, not WordPress core's).
opts="option_name LIKE 'fluent\\_cart\\_%' OR option_name LIKE '\\_fluent\\_cart\\_%' OR option_name LIKE 'fct\\_%'"
products="SELECT ID FROM ${P}posts WHERE post_type = 'fluent-products'"
{
  cat <<'EOF'
-- FluentCart 1.3.25 store made by FluentCart's own PHP (testdata/fluentcart-store/build-store.sh), dumped by
-- dump-store.sh with mariadb-dump. Load after sql/wordpress-7.1.sql, sql/fluentcart-1.3.25.sql and
-- testdata/seed/00_wordpress.sql (not 10_fluentcart.sql); `{prefix}` is the table prefix. See README.md.
EOF
  mariadb-dump "${MY[@]}" "${common[@]}" "$DB" $fct
  mariadb-dump "${MY[@]}" "${common[@]}" --where "ID > 7" "$DB" ${P}users
  mariadb-dump "${MY[@]}" "${common[@]}" --where "user_id > 7" "$DB" ${P}usermeta
  mariadb-dump "${MY[@]}" "${common[@]}" --where "post_type = 'fluent-products'" "$DB" ${P}posts
  mariadb-dump "${MY[@]}" "${common[@]}" --where "post_id IN ($products)" "$DB" ${P}postmeta
  mariadb-dump "${MY[@]}" "${common[@]}" --replace --where "$opts" "$DB" ${P}options
} | sed -e '/^\/\*M!999999\\- enable the sandbox mode \*\/ *$/d' -e "s/\`${P}/\`{prefix}/g" -e "s/'${P}capabilities'/'{prefix}capabilities'/g" -e "s/'${P}user_level'/'{prefix}user_level'/g" \
  > store.sql
left=$(grep -v "'dismissed_wp_pointers'" store.sql | grep -c "${P}" || true)
echo "dump-store: store.sql $(wc -c < store.sql) bytes, $(grep -c '^INSERT\|^REPLACE' store.sql) rows; lines still containing '${P}' (other than dismissed_wp_pointers): $left"
