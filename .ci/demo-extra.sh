#!/usr/bin/env bash
# Extra curl examples for `make demo` (run by .ci/demo.sh with DSN and BASE set, from the repository root).
# Each plugin's block is independent; keep blocks clearly marked.
set -euo pipefail
: "${DSN:?DSN not set}" "${BASE:?BASE not set}"

# ---- LatePoint API Extension (latepoint-api/v1) — owner: LatePoint engineer ------------------------------------
# A fresh demo key (test environment, all customer permissions); only its hash is stored.
lp_key=$(bin/wpsidecar keys create --dsn "$DSN" --wp-config testdata/demo/wp-config.php \
  --name "make demo" --env test --permissions customers:read,customers:create,customers:update,customers:delete \
  --log-level error | tail -n 1)
lp="$BASE/wp-json/latepoint-api/v1"
cat <<EOT

  # LatePoint API Extension (key created just now: wpsidecar keys list / keys revoke ID)
  curl -s -H 'X-API-Key: $lp_key' '$lp/status'
  curl -s -H 'X-API-Key: $lp_key' '$lp/customers?per_page=5&search=chen&include=stats'
  curl -s -H 'X-API-Key: $lp_key' '$lp/customers/1?include=stats,bookings,upcoming_bookings,custom_fields,notes,avatar&bookings_limit=3'
  curl -s -H 'X-API-Key: $lp_key' -H 'Content-Type: application/json' -X POST '$lp/customers' \\
    -d '{"first_name":"Demo","last_name":"Customer","email":"demo.customer@example.com","phone":"+1 (555) 010-0199","date_of_birth":"1990-05-01","country":"US","custom_fields":{"cf_R3f3rr4L":"Google"}}'
  curl -s -H 'X-API-Key: $lp_key' -H 'Content-Type: application/json' -X PUT '$lp/customers/17' \\
    -d '{"phone":"+1 646 555 0000","status":"inactive","custom_fields":{"emergency_contact":null}}'
  curl -s -H 'Authorization: Bearer $lp_key' -X DELETE '$lp/customers/49'
  curl -si -H 'X-API-Key: $lp_key' '$lp/customers?per_page=101'   # 400 invalid_parameters, X-RateLimit-* headers
EOT
# ---- end LatePoint ----------------------------------------------------------------------------------------------

# ---- WordPress core and FluentCart (fluent-cart/v2) — Application Password of the demo administrator -------------
fc="$BASE/wp-json/fluent-cart/v2"
cat <<EOT

  # WordPress: who am I (Application Password over Basic auth; WP_ENVIRONMENT_TYPE=local allows plain http)
  curl -s -u 'admin:AdmN 1234 AbCd 5678 EfGh 9012' '$BASE/wp-json/wp/v2/users/me?context=edit'

  # FluentCart customers (list, search, get one, update: the admin screen sends the whole customer)
  curl -s -u 'admin:AdmN 1234 AbCd 5678 EfGh 9012' '$fc/customers?per_page=5'
  curl -s -u 'admin:AdmN 1234 AbCd 5678 EfGh 9012' '$fc/customers?search=doe&with[]=labels'
  curl -s -u 'admin:AdmN 1234 AbCd 5678 EfGh 9012' '$fc/customers/1'
  curl -s -u 'admin:AdmN 1234 AbCd 5678 EfGh 9012' -H 'Content-Type: application/json' -X PUT '$fc/customers/1' \\
    -d '{"id":1,"full_name":"Jane Q. Doe","email":"jane.doe@example.com","status":"active","notes":"Called about order INV-1."}'
  curl -s -u 'subscriber:SubS 1234 AbCd 5678 EfGh 9012' '$fc/customers'   # 403 rest_forbidden: not a FluentCart manager
EOT
# ---- end WordPress core and FluentCart ---------------------------------------------------------------------------
