#!/usr/bin/env bash
# Builds the FluentCart store of testdata/fluentcart-store on a running WordPress 7.1 + FluentCart 1.3.25 site whose
# FluentCart tables are empty (see README.md): everything goes through FluentCart's REST API (curl, Application
# Password of the demo admin) and, for subscriptions, through FluentCart's own PHP (subscriptions.php, php-cli on the
# same WordPress). No SQL is written to fct_ tables here.
#
#   FC_URL=http://127.0.0.1:8181 WP_PATH=/work/ref/site bash build-store.sh
#
# Deterministic apart from what FluentCart itself draws (dates = now, uuids, hashes): fixed names and e-mails, and
# every choice below is arithmetic on loop indexes.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")"
source ./lib.sh
WP_PATH=${WP_PATH:-/work/ref/site}

total=$(fc GET 'customers?per_page=1' | jq '.customers.total')
[ "$total" = 0 ] || { echo "build-store: the site already has $total FluentCart customers; load an empty store first" >&2; exit 1; }

# --- products ------------------------------------------------------------------------------------------------------
# FluentCart's own sample catalogue (dummies/*.json), one POST products/create-dummy per product.
log "products"
for spec in clothing:0 clothing:1 clothing:2 clothing:3 clothing:4 clothing:5 clothing:6 clothing:7 clothing:8 clothing:9 \
            food:0 food:1 food:2 food:3 food:4 food:5 menswear:0 menswear:3 mens-shoes:1 electronics:0 electronics:5 \
            electronics:6; do
  fc POST products/create-dummy "{\"category\":\"${spec%%:*}\",\"index\":${spec##*:}}" >/dev/null
done
# A subscription product of our own: "Cloud Backup Pro", Monthly ($15, unlimited) and Yearly ($150) plans, made the
# way the product editor does it (POST products, then the pricing of its variations).
stock='"manage_stock":0,"total_stock":0,"available":0,"committed":0,"on_hold":0'
sub_info() { echo "{\"payment_type\":\"subscription\",\"times\":\"0\",\"repeat_interval\":\"$1\",\"trial_days\":\"\",\"billing_summary\":\"\",\"manage_setup_fee\":\"no\",\"signup_fee_name\":\"\",\"signup_fee\":\"\",\"setup_fee_per_item\":\"no\"}"; }
created=$(fc POST products '{"post_title":"Cloud Backup Pro","post_status":"publish","detail":{"fulfillment_type":"digital"}}')
cb_post=$(jq '.data.ID' <<<"$created"); cb_var=$(jq '.data.variant.id' <<<"$created")
fc POST "products/variants/$cb_var" "{\"variants\":{\"id\":$cb_var,\"post_id\":$cb_post,\"variation_title\":\"Monthly\",\"item_price\":\"15.00\",\"compare_price\":\"\",$stock,\"payment_type\":\"subscription\",\"fulfillment_type\":\"digital\",\"stock_status\":\"in-stock\",\"other_info\":$(sub_info monthly)}}" >/dev/null
fc POST products/variants "{\"variants\":{\"post_id\":$cb_post,\"variation_title\":\"Yearly\",\"item_price\":\"150.00\",\"compare_price\":\"\",$stock,\"payment_type\":\"subscription\",\"fulfillment_type\":\"digital\",\"stock_status\":\"in-stock\",\"other_info\":$(sub_info yearly)}}" >/dev/null

variants=$(fc GET variants)
onetime=$(jq -c '[.[] | select(.payment_type == "onetime" and .item_price < 100000) | {id, post_id, item_price}] | sort_by(.id)' <<<"$variants")
n_onetime=$(jq length <<<"$onetime")
monthly=$(jq --argjson p "$cb_post" '[.[] | select(.post_id == $p and .other_info.repeat_interval == "monthly")][0].id' <<<"$variants")
yearly=$(jq --argjson p "$cb_post" '[.[] | select(.post_id == $p and .other_info.repeat_interval == "yearly")][0].id' <<<"$variants")
adobe=$(jq '[.[] | select(.payment_type == "subscription" and .other_info.times == 1)][0].id' <<<"$variants")
log "$(jq length <<<"$variants") variations ($n_onetime one-time ones used for orders); subscription plans $monthly $yearly $adobe"

# --- coupons -------------------------------------------------------------------------------------------------------
log "coupons"
coupon() { # code title type amount stackable
  fc POST coupons "{\"title\":\"$2\",\"code\":\"$1\",\"type\":\"$3\",\"amount\":$4,\"status\":\"active\",\"stackable\":\"$5\",\"show_on_checkout\":\"no\",\"priority\":0,\"notes\":\"fcref store\",\"conditions\":{\"apply_to_whole_cart\":\"yes\",\"min_purchase_amount\":0,\"max_discount_amount\":0,\"max_uses\":0,\"max_per_customer\":0}}" >/dev/null
}
coupon WELCOME10 "Welcome 10%" percentage 10 no
coupon FIVEOFF "Five dollars off" fixed 5 no
coupon VIP25 "VIP 25%" percentage 25 no
coupons=(WELCOME10 FIVEOFF VIP25)

# --- customers -----------------------------------------------------------------------------------------------------
# customers.tsv: 32 fixed people; wp_user=yes makes FluentCart create their WordPress user, and a customer whose
# e-mail belongs to an existing user (subscriber@example.com = demo user 3) is linked to it by FluentCart.
log "customers"
declare -a cust_id bill_id ship_id
i=0
while IFS=$'\t' read -r first last email country state city postcode addr wp_user; do
  [[ $first == \#* || -z $first ]] && continue
  i=$((i + 1))
  body=$(jq -nc --arg n "$first $last" --arg e "$email" --arg c "$city" --arg w "$wp_user" \
    '{full_name: $n, email: $e, city: $c} + (if $w == "yes" then {wp_user: "yes"} else {} end)')
  cid=$(fc POST customers "$body" | jq '.data.id')
  cust_id[$i]=$cid
  for type in billing shipping; do
    ab=$(jq -nc --arg t "$type" --arg n "$first $last" --arg e "$email" --arg a "$addr" --arg c "$city" \
      --arg s "$state" --arg p "$postcode" --arg co "$country" \
      '{type: $t, name: $n, email: $e, address_1: $a, city: $c, state: $s, postcode: $p, country: $co}
       + (if $t == "billing" then {label: "Home"} else {} end)')
    aid=$(fc POST "customers/$cid/address" "$ab" | jq '.data.id')
    if [ "$type" = billing ]; then bill_id[$i]=$aid; else ship_id[$i]=$aid; fi
  done
done < customers.tsv
n_cust=$i
log "$n_cust customers"

# --- one-time orders -----------------------------------------------------------------------------------------------
# Customer i gets 1 + (5i+3) mod 6 orders; order j has 1 + (3i+2j) mod 4 lines; outcomes cycle through every state the
# admin shows (Status.php: order status on-hold/processing/completed/canceled/failed x payment status
# pending/paid/refunded/partially_refunded/failed); every 9th order (g mod 9 = 4) carries a coupon.
outcomes=(completed processing pending completed refunded processing partially_refunded on-hold canceled completed
          payment_failed partially_refunded completed pending processing refunded)
paid_body='{"payment_method":"others","vendor_charge_id":"","mark_paid_note":"","transaction_type":"charge"}'
mark_paid() { fc POST "orders/$1/mark-as-paid" "$paid_body" >/dev/null; }
set_status() { fc PUT "orders/$1/statuses" "{\"action\":\"change_order_status\",\"statuses\":{\"order_status\":\"$2\"},\"manage_stock\":false}" >/dev/null; }
charge_tx() { fc GET "orders/$1" | jq '[.order.transactions[] | select(.transaction_type == "charge" and .status == "succeeded")][0].id'; }
refund() { # order amount-in-cents reason
  local tx; tx=$(charge_tx "$1")
  local amt; amt=$(printf '%d.%02d' $(($2 / 100)) $(($2 % 100)))
  fc POST "orders/$1/refund" "{\"refund_info\":{\"transaction_id\":$tx,\"payment_method\":\"others\",\"amount\":\"$amt\",\"reason\":\"$3\",\"refunded_items\":[]},\"refunded_items\":[]}" >/dev/null
}
declare -a failed_orders=()
place_order() { # customer-index j g -> echoes order id
  local ci=$1 j=$2 g=$3 lines=$(( 1 + (3 * $1 + 2 * $2) % 4 )) items='[]' k
  for ((k = 0; k < lines; k++)); do
    local v=$(( (7 * ci + 11 * j + 5 * k) % n_onetime )) q=$(( 1 + (ci + j + k) % 3 ))
    items=$(jq -c --argjson v "$(jq -c ".[$v]" <<<"$onetime")" --argjson q "$q" '
      if any(.[]; .object_id == $v.id) then . else
      . + [{id: $v.id, post_id: $v.post_id, object_id: $v.id, quantity: $q, unit_price: $v.item_price,
            payment_type: "onetime", other_info: {payment_type: "onetime"}}] end' <<<"$items")
  done
  local extra='{}'
  if (( g % 9 == 4 )); then
    local code=${coupons[$(( (g / 9) % 3 ))]}
    local r; r=$(fc POST coupons/apply "$(jq -nc --arg c "$code" --argjson i "$items" '{coupon_code: $c, order_items: $i, applied_coupons: []}')")
    items=$(jq -c --argjson r "$r" '[.[] as $i | $i + {discount_total: ([$r.calculated_items[] | select(.id == $i.object_id) | .discount_total][0] // 0)}]' <<<"$items")
    extra=$(jq -c '{applied_coupon: .applied_coupons}' <<<"$r")
  fi
  local body; body=$(jq -nc --argjson c "${cust_id[$ci]}" --argjson i "$items" --argjson b "${bill_id[$ci]}" \
    --argjson s "${ship_id[$ci]}" --argjson x "$extra" \
    '{customer_id: $c, order_items: $i, billing_address_id: $b, shipping_address_id: $s, discount: {}, shipping: {},
      labels: [], user_tz: "UTC", trigger: "on_admin_create"} + $x')
  fc POST orders "$body" | jq '.order_id'
}
apply_outcome() { # order outcome
  local o=$1
  case $2 in
    pending) ;;
    completed) mark_paid "$o" ;;   # orders made in the admin are digital: paid -> completed
    processing) mark_paid "$o"; set_status "$o" processing ;;
    on-hold) mark_paid "$o"; set_status "$o" on-hold ;;
    canceled) set_status "$o" canceled ;;
    refunded) mark_paid "$o"; local t; t=$(fc GET "orders/$o" | jq '.order.total_paid | tonumber'); refund "$o" "$t" "Customer returned everything" ;;
    partially_refunded) mark_paid "$o"; local t; t=$(fc GET "orders/$o" | jq '.order.total_paid | tonumber'); refund "$o" $(( t / 3 )) "One item damaged" ;;
    payment_failed)
      local tx; tx=$(fc GET "orders/$o" | jq '.order.transactions[0].id')
      fc PUT "orders/$o/transactions/$tx/status" '{"status":"failed"}' >/dev/null
      failed_orders+=("$o") ;;
  esac
}
log "orders"
g=0
for ((ci = 1; ci <= n_cust; ci++)); do
  n=$(( 1 + (5 * ci + 3) % 6 ))
  for ((j = 0; j < n; j++)); do
    o=$(place_order "$ci" "$j" "$g")
    apply_outcome "$o" "${outcomes[$(( g % ${#outcomes[@]} ))]}"
    g=$((g + 1))
  done
done
log "$g one-time orders"

# --- a second currency ---------------------------------------------------------------------------------------------
# The admin creates orders in the store currency; switch it to EUR for three European customers' extra orders,
# then back to USD (POST settings/store, as the settings screen does).
log "EUR orders"
fc POST settings/store '{"settings_name":"store_setup","store_name":"wpsidecar demo","store_country":"US","currency":"EUR"}' >/dev/null
for ci in 3 4 5; do
  o=$(place_order "$ci" 7 $((g + 1))); mark_paid "$o"; g=$((g + 1))
done
o=$(place_order 3 8 $((g + 1))); mark_paid "$o"; t=$(fc GET "orders/$o" | jq '.order.total_paid | tonumber'); refund "$o" $(( t / 2 )) "Partial refund in EUR"; g=$((g + 1))
fc POST settings/store '{"settings_name":"store_setup","store_name":"wpsidecar demo","store_country":"US","currency":"USD"}' >/dev/null

# --- subscriptions -------------------------------------------------------------------------------------------------
# 7 customers. FluentCart 1.3.25 has no REST route that makes a subscription from the admin, so: the admin's create-order
# route dispatched in-process with the plugin's own filter that allows subscription items (fc-php.php sub-order), the
# admin's mark-as-paid over HTTP, then what a payment gateway does on the first payment and on each renewal, through
# FluentCart's SubscriptionService (fc-php.php activate / renew). See fc-php.php and README.md.
fcphp() { FC_URL=$FC_URL php -d sendmail_path=/bin/true fc-php.php "$WP_PATH" "$@"; }
log "subscriptions"
sub_cust=(1 2 6 13 21 23 30)
sub_plan=("$monthly 3" "$monthly 2" "$yearly 1" "$monthly 1" "$adobe 0" "$monthly 0" "$monthly 2")
declare -a sub_order sub_id sub_last_renewal
for k in "${!sub_cust[@]}"; do
  ci=${sub_cust[$k]}; read -r var renewals <<<"${sub_plan[$k]}"
  item=$(jq -c --argjson v "$var" '.[] | select(.id == $v) | [{id, post_id, object_id: .id, quantity: 1, unit_price: .item_price,
      payment_type: "subscription", other_info: {payment_type: "subscription", repeat_interval: .other_info.repeat_interval,
      times: (.other_info.times | tonumber), trial_days: 0}}]' <<<"$variants")
  body=$(jq -nc --argjson c "${cust_id[$ci]}" --argjson i "$item" --argjson b "${bill_id[$ci]}" --argjson s "${ship_id[$ci]}"     '{customer_id: $c, order_items: $i, billing_address_id: $b, shipping_address_id: $s, discount: {}, shipping: {},
      labels: [], user_tz: "UTC", trigger: "on_admin_create"}')
  r=$(fcphp sub-order "$body")
  sub_order[$k]=$(jq '.order_id' <<<"$r"); sub_id[$k]=$(jq '.subscription_id' <<<"$r")
  mark_paid "${sub_order[$k]}"
  fcphp activate "${sub_id[$k]}" >/dev/null
  for ((n = 1; n <= renewals; n++)); do
    sub_last_renewal[$k]=$(fcphp renew "${sub_id[$k]}" "$n" | jq '.order_id')
  done
  log "subscription ${sub_id[$k]}: customer ${cust_id[$ci]}, order ${sub_order[$k]}, $renewals renewal(s)"
done
# The 4th cancels (the admin's cancel button); the 7th's last renewal is refunded in full.
fc PUT "orders/${sub_order[3]}/subscriptions/${sub_id[3]}/cancel" '{"cancel_reason":"Too expensive"}' >/dev/null
r7=${sub_last_renewal[6]}
t=$(fc GET "orders/$r7" | jq '.order.total_paid | tonumber'); refund "$r7" "$t" "Renewal charged by mistake"

# --- orders whose status is "failed" -------------------------------------------------------------------------------
# No admin route sets the order status "failed" (only gateways' failure paths); FluentCart's Order model does it.
for o in "${failed_orders[@]}"; do fcphp order-status "$o" failed >/dev/null; done
log "order status failed: ${failed_orders[*]}"

log "done: $(fc GET 'customers?per_page=1' | jq '.customers.total') customers, $(fc GET 'orders?per_page=1' | jq '.orders.total') orders"
