// Cross-checks requests.json against FluentCart 1.3.25's own HTTP helper: every request is rebuilt with the call
// shape the admin app uses (the Vue sources cited in REQUESTS.md) and sent through the plugin's compiled
// assets/chunks/Rest.js, run in Node with a recording XMLHttpRequest; the URL, method, headers and body it produces
// must equal the list's bytes. The plugin file is read from the FluentCart mirror at run time (it never enters the
// repository):
//
//   git -C /work/.mirror/fluent-cart+fluent-cart/repo show 1.3.25:assets/chunks/Rest.js > /tmp/fc-Rest.mjs
//   node testdata/fluentcart-store/check-requests.mjs /tmp/fc-Rest.mjs testdata/fluentcart-store/requests.json
import { readFileSync } from "node:fs";

const [restPath, listPath] = process.argv.slice(2);
const list = JSON.parse(readFileSync(listPath, "utf8"));
const ts = Number(list.query_timestamp);
Date.now = () => ts;

let sent = null;
globalThis.window = { fluentCartRestVars: { rest: { url: "/wp-json/fluent-cart/v2", nonce: "n" } } };
globalThis.document = { dispatchEvent() {} };
globalThis.XMLHttpRequest = class {
  constructor() { this.h = {}; }
  open(method, url) { this.method = method; this.url = url; }
  setRequestHeader(k, v) { this.h[k] = v; }
  send(body) { sent = { method: this.method, url: this.url, headers: this.h, body: body ?? "" }; }
};
const { R: Rest } = await import(restPath);

const q = (r) => new URLSearchParams(r.query);
const rel = (r) => r.path.replace("/wp-json/fluent-cart/v2/", "");
const noTS = (body) => { const o = JSON.parse(body); delete o.query_timestamp; return o; };

// The app's call for one list entry (see REQUESTS.md for the source of each shape).
function call(r) {
  const p = q(r);
  if (r.method === "GET" && rel(r) === "customers") { // Table.js buildQueryParams + fetch
    const d = { per_page: +p.get("per_page"), page: +p.get("page"), sort_by: p.get("sort_by"), sort_type: p.get("sort_type"),
      with: [], scopes: [], active_view: p.get("active_view"), filter_type: p.get("filter_type"), search: p.get("search") };
    d.user_tz = p.get("user_tz");
    return Rest.get("customers", d);
  }
  if (r.method === "GET" && /^customers\/\d+$/.test(rel(r))) // SingleCustomer.vue fetch
    return Rest.get(rel(r), { with: ["shipping_address", "billing_address", "labels", "subscriptions"] });
  if (r.method === "GET" && /\/orders$/.test(rel(r))) // SingleCustomer.vue getCustomerOrders
    return Rest.get(rel(r), { per_page: +p.get("per_page"), page: +p.get("page"), with: ["order_items"], search: p.get("search"), order_by: "id", order_type: "DESC" });
  if (r.method === "GET" && /\/address$/.test(rel(r))) // ManageCustomerAddressModal.vue getAddresses
    return Rest.get(rel(r), { type: p.get("type") });
  if (r.method === "GET") // attachable-user, order, get-stats: no data
    return Rest.get(rel(r));
  if (/recalculate-ltv$/.test(rel(r))) return Rest.post(rel(r)); // this.$post(url)
  const d = noTS(r.body);
  if (r.method === "PUT") return Rest.put(rel(r), d);
  if (r.method === "DELETE") return Rest.delete(rel(r), d);
  return Rest.post(rel(r), d);
}

let bad = 0;
for (const r of list.requests) {
  sent = null;
  call(r);
  const want = { method: r.wire_method, url: "/wp-json/fluent-cart/v2/" + rel(r) + (r.query ? "?" + r.query : ""), body: r.body,
    override: (r.headers || {})["X-HTTP-Method-Override"], ct: r.content_type };
  const got = { method: sent.method, url: sent.url, body: sent.body, override: sent.headers["X-HTTP-Method-Override"], ct: sent.headers["Content-Type"] ?? "" };
  for (const k of Object.keys(want)) {
    if (want[k] !== got[k]) { bad++; console.log(`${r.name}: ${k}\n  list: ${want[k]}\n  app:  ${got[k]}`); break; }
  }
}
console.log(`${list.requests.length - bad} of ${list.requests.length} requests are byte for byte what Rest.js sends`);
process.exit(bad ? 1 : 0);
