package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The exact requests FluentCart 1.3.25's admin app (assets/app.js, built from resources/admin) sends on its customer
// screens. Every request goes through resources/admin/utils/http/Rest.js (assets/chunks/Rest.js):
//   - data.query_timestamp = Date.now() is added last to every request's data;
//   - GET: null/false values dropped, arrays/objects flattened to key[i] (recursiveFlatten), then
//     new URLSearchParams(...).toString() — so with: ['order_items'] is "with%5B0%5D=order_items";
//   - PUT/PATCH/DELETE go out as POST with X-HTTP-Method-Override; non-GET bodies are JSON.stringify(data) with
//     Content-Type application/json;charset=UTF-8.
// The browser authenticates with its login cookie and X-WP-Nonce; the recorder uses the same users' Application
// Passwords (README "Demo credentials"), which WordPress resolves to the same user before FluentCart runs.

// queryTimestamp stands for the app's Date.now(); PHP reads nothing from it.
const queryTimestamp = "1765123200000"

// appContentType is what Rest.js sets on every non-GET request.
const appContentType = "application/json;charset=UTF-8"

// storeRequest is one entry of testdata/fluentcart-store/requests.json.
type storeRequest struct {
	Name        string            `json:"name"`
	Screen      string            `json:"screen"`
	User        string            `json:"user"`
	Method      string            `json:"method"`            // the method WordPress dispatches
	WireMethod  string            `json:"wire_method"`       // the method on the wire (POST for PUT/DELETE)
	Headers     map[string]string `json:"headers,omitempty"` // X-HTTP-Method-Override
	Path        string            `json:"path"`
	Query       string            `json:"query"`
	ContentType string            `json:"content_type"`
	Body        string            `json:"body"`
	Writes      bool              `json:"writes"`
	AppSends    string            `json:"app_sends"` // "mount", "action" (a click the screen offers), "hidden" (code present, UI disabled), "no" (route variant)
	Source      string            `json:"source"`
	Note        string            `json:"note,omitempty"`
}

// otherRequest is a request of the same screens on a route the sidecar does not serve (not recorded).
type otherRequest struct {
	Screen string `json:"screen"`
	Method string `json:"method"`
	Path   string `json:"path"`
	Query  string `json:"query"`
	Body   string `json:"body,omitempty"`
	Source string `json:"source"`
}

type requestList struct {
	About          []string       `json:"about"`
	QueryTimestamp string         `json:"query_timestamp"`
	Requests       []storeRequest `json:"requests"`
	NotRecorded    []otherRequest `json:"not_recorded"`
}

const apiBase = "/wp-json/fluent-cart/v2/"

// JS source locations (resources/ path:line; the same code is in assets/app.js).
const (
	srcTable      = "resources/admin/utils/table-new/Table.js:451 fetch (buildQueryParams :412, CustomerTable.js getFetchUrl 'customers'); assets/app.js"
	srcSort       = "resources/admin/Bits/Components/TableNew/ColumnSort.vue:23,32 -> Table.js handleSortChange; assets/app.js"
	srcSearch     = "resources/admin/Bits/Components/TableNew/TableWrapper.vue:113 -> Table.js:441 search; assets/app.js"
	srcPerPage    = "resources/admin/Bits/Components/Pagination.vue changeSize/changePage -> Table.js handlePerPageChange/handlePageChange; assets/app.js"
	srcCustomer   = "resources/admin/Modules/Customers/SingleCustomer.vue:274 fetch; assets/app.js"
	srcOrders     = "resources/admin/Modules/Customers/SingleCustomer.vue:307 getCustomerOrders; assets/app.js"
	srcOrdersSrch = "resources/admin/Modules/Customers/SingleCustomer.vue:37 (search box, keyup.enter) -> :307 getCustomerOrders; assets/app.js"
	srcAttachable = "resources/admin/Modules/Customers/parts/UserAttchModal.vue:48 fetchUsers (onMounted; mounted by CustomerInformation.vue:106 when customer.user_id is not > 0); assets/app.js"
	srcAttach     = "resources/admin/Modules/Customers/parts/UserAttchModal.vue:23 attachUser (its opener is v-if=\"false\" in 1.3.25); assets/app.js"
	srcDetach     = "resources/admin/Modules/Customers/parts/CustomerInformation.vue:437 handleDetachUser (its popconfirm is v-if=\"false\" in 1.3.25); assets/app.js"
	srcLTV        = "resources/admin/Modules/Customers/parts/CustomerInformation.vue:417 recalculateLtv (dropdown command recalculate_ltv); assets/app.js"
	srcAddrList   = "resources/admin/Modules/Customers/Modals/ManageCustomerAddressModal.vue:292 getAddresses (dialog @open); assets/app.js"
	srcAddrDel    = "resources/admin/Modules/Customers/Modals/ManageCustomerAddressModal.vue:237 removeAddress (menu item only for is_primary !== '1'); assets/app.js"
	srcAddrPrim   = "resources/admin/Modules/Customers/Modals/ManageCustomerAddressModal.vue:261 setAddressPrimary (menu item only for is_primary !== '1'); assets/app.js"
	srcAddrUpd    = "resources/admin/Modules/Customers/Modals/AddOrEditAddressModal.vue:219 updateAddress ({...others, ...editableAddress}); assets/app.js"
	srcAddrNew    = "resources/admin/Modules/Customers/Modals/AddOrEditAddressModal.vue:184 addAddress (address_mock of CustomerInformation.vue:317); assets/app.js"
	srcEdit       = "resources/admin/Modules/Orders/Modals/NewCustomerModal.vue:154 updateCustomer (editableCustomer of :241 onMounted); assets/app.js"
	srcLabels     = "resources/admin/Modules/Customers/SingleCustomer.vue:248 update (SaveBar; nothing raises changes_made in 1.3.25: Labels saves through labels/update-label-selections); assets/app.js"
	srcRoute      = "not sent by the 1.3.25 admin app; app/Http/Routes/api.php customers group"
)

// storeRow is what the request list needs to know of one customer of the store.
type storeRow struct {
	ID                   int
	First, Last, Email   string
	UserID               int
	Orders               int
	Subscriptions        int
	LastInvoice, AnyItem string
	Addresses            []addrRow
}

type addrRow struct {
	ID      int
	Type    string
	Primary string
}

func (r *ref) storeRows(ctx context.Context) ([]storeRow, error) {
	q := strings.ReplaceAll(`SELECT c.id, COALESCE(c.first_name,''), COALESCE(c.last_name,''), COALESCE(c.email,''), COALESCE(c.user_id,0),
		(SELECT COUNT(*) FROM {prefix}fct_orders o WHERE o.customer_id = c.id),
		(SELECT COUNT(*) FROM {prefix}fct_subscriptions s WHERE s.customer_id = c.id),
		COALESCE((SELECT o.invoice_no FROM {prefix}fct_orders o WHERE o.customer_id = c.id ORDER BY o.id DESC LIMIT 1), ''),
		COALESCE((SELECT i.post_title FROM {prefix}fct_order_items i JOIN {prefix}fct_orders o ON o.id = i.order_id WHERE o.customer_id = c.id ORDER BY i.id LIMIT 1), '')
		FROM {prefix}fct_customers c ORDER BY c.id`, "{prefix}", r.prefix)
	rows, err := r.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []storeRow
	for rows.Next() {
		var s storeRow
		if err := rows.Scan(&s.ID, &s.First, &s.Last, &s.Email, &s.UserID, &s.Orders, &s.Subscriptions, &s.LastInvoice, &s.AnyItem); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, s)
	}
	rows.Close()
	for i := range out {
		ar, err := r.db.QueryContext(ctx, strings.ReplaceAll("SELECT id, type, CAST(is_primary AS CHAR) FROM {prefix}fct_customer_addresses WHERE customer_id = ? ORDER BY id", "{prefix}", r.prefix), out[i].ID)
		if err != nil {
			return nil, err
		}
		for ar.Next() {
			var a addrRow
			if err := ar.Scan(&a.ID, &a.Type, &a.Primary); err != nil {
				ar.Close()
				return nil, err
			}
			out[i].Addresses = append(out[i].Addresses, a)
		}
		ar.Close()
	}
	return out, nil
}

// builder collects the list; reads of PHP's answers (for bodies the app builds from them) go through r.
type builder struct {
	ctx   context.Context
	r     *ref
	list  requestList
	names map[string]bool
}

func (b *builder) add(q storeRequest) {
	if b.names[q.Name] {
		panic("duplicate request name " + q.Name)
	}
	b.names[q.Name] = true
	if q.WireMethod == "" {
		q.WireMethod = q.Method
	}
	if q.Method != q.WireMethod {
		q.Headers = map[string]string{"X-HTTP-Method-Override": q.Method}
	}
	if q.Method != "GET" {
		q.ContentType = appContentType
	}
	b.list.Requests = append(b.list.Requests, q)
}

// get is a Rest.get request: params in the app's key order, then query_timestamp.
func get(name, screen, user, path string, params [][2]string, appSends, source string) storeRequest {
	params = append(params, [2]string{"query_timestamp", queryTimestamp})
	return storeRequest{Name: name, Screen: screen, User: user, Method: "GET", Path: apiBase + path, Query: formEncode(params), AppSends: appSends, Source: source}
}

// send is a Rest.post/put/delete request: data.query_timestamp added last, JSON.stringify.
func send(name, screen, user, method, path string, data *jsValue, appSends, source string) storeRequest {
	if data == nil {
		data = jsObject()
	}
	data.set("query_timestamp", jsNumber(mustFloat(queryTimestamp)))
	wire := method
	if method == "PUT" || method == "DELETE" || method == "PATCH" {
		wire = "POST"
	}
	return storeRequest{Name: name, Screen: screen, User: user, Method: method, WireMethod: wire, Path: apiBase + path, Body: data.stringify(), Writes: true, AppSends: appSends, Source: source}
}

func mustFloat(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return f
}

// listParams is Table.js buildQueryParams + user_tz for the customers table (no tabs: active_view "all"; the free
// plugin has no advanced filter: filter_type "simple"; with() and scopes() are empty arrays and flatten to nothing).
func listParams(perPage, page int, sortBy, sortType, search, tz string) [][2]string {
	return [][2]string{{"per_page", itoa(perPage)}, {"page", itoa(page)}, {"sort_by", sortBy}, {"sort_type", sortType},
		{"active_view", "all"}, {"filter_type", "simple"}, {"search", search}, {"user_tz", tz}}
}

func ordersParams(perPage, page int, search string) [][2]string {
	return [][2]string{{"per_page", itoa(perPage)}, {"page", itoa(page)}, {"with[0]", "order_items"}, {"search", search},
		{"order_by", "id"}, {"order_type", "DESC"}}
}

var customerWith = [][2]string{{"with[0]", "shipping_address"}, {"with[1]", "billing_address"}, {"with[2]", "labels"}, {"with[3]", "subscriptions"}}

// buildRequests expands the screens over the store's customers. Bodies that the app builds from PHP's answers
// (edit customer, edit/delete address) are built from the reference's answers to the app's own GETs.
func buildRequests(ctx context.Context, r *ref) (*requestList, error) {
	rows, err := r.storeRows(ctx)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("the store has no customers")
	}
	b := &builder{ctx: ctx, r: r, names: map[string]bool{}}
	b.list.QueryTimestamp = queryTimestamp
	b.list.About = []string{
		"Requests FluentCart 1.3.25's admin app sends on its customer screens (assets/app.js; sources in resources/admin), expanded over the customers of testdata/fluentcart-store/store.sql.",
		"Generated by: go run ./cmd/fcrecord requests (see testdata/golden/fluentcart-store/README.md). query is exactly what the app puts after '?' (URLSearchParams), body exactly JSON.stringify(data).",
		"query_timestamp stands for the app's Date.now(). method is what WordPress dispatches; wire_method and headers are what the app sends (PUT/DELETE tunnelled as POST + X-HTTP-Method-Override).",
		"app_sends: mount = sent when the screen opens; action = sent by a click the screen offers; hidden = code present but its UI is disabled (v-if=\"false\") in 1.3.25; no = not sent by the app (route variant kept for coverage).",
	}

	// Customers list (AllCustomers.vue -> Table.js): page 1 on open, then pagination, page size, sort, search.
	const scrList = "customers list"
	pages := (len(rows) + 9) / 10
	b.add(get("list_open", scrList, "admin", "customers", listParams(10, 1, "id", "DESC", "", "UTC"), "mount", srcTable))
	for p := 2; p <= pages+1; p++ { // one past the end: the app sends it when the stored page outlives rows
		as := "action"
		if p > pages {
			as = "no"
		}
		b.add(get("list_page_"+itoa(p), scrList, "admin", "customers", listParams(10, p, "id", "DESC", "", "UTC"), as, srcPerPage))
	}
	for _, pp := range []int{20, 50, 80, 100, 120, 150} {
		b.add(get("list_per_page_"+itoa(pp), scrList, "admin", "customers", listParams(pp, 1, "id", "DESC", "", "UTC"), "action", srcPerPage))
	}
	if len(rows) > 20 {
		b.add(get("list_per_page_20_page_2", scrList, "admin", "customers", listParams(20, 2, "id", "DESC", "", "UTC"), "action", srcPerPage))
	}
	for _, col := range []string{"id", "first_name", "purchase_count", "ltv", "last_purchase_date", "created_at"} {
		for _, dir := range []string{"ASC", "DESC"} {
			if col == "id" && dir == "DESC" {
				continue // list_open
			}
			b.add(get("list_sort_"+col+"_"+strings.ToLower(dir), scrList, "admin", "customers", listParams(10, 1, col, dir, "", "UTC"), "action", srcSort))
		}
	}
	b.add(get("list_sort_ltv_desc_page_2", scrList, "admin", "customers", listParams(10, 2, "ltv", "DESC", "", "UTC"), "action", srcSort))
	most := rows[0]
	for _, s := range rows {
		if s.Orders > most.Orders {
			most = s
		}
	}
	searches := [][2]string{
		{"first_name", most.First},
		{"full_name", strings.TrimSpace(most.First + " " + most.Last)},
		{"email", rows[0].Email},
		{"email_domain", afterAt(rows[len(rows)-1].Email)},
		{"id_digits", itoa(rows[len(rows)/2].ID)},
		{"op_id_equals", "id = " + itoa(rows[0].ID)},
		{"op_id_greater", "id > " + itoa(rows[len(rows)/2].ID)},
		{"op_id_range", "id::" + itoa(rows[0].ID) + "-" + itoa(rows[min(len(rows)-1, 9)].ID)},
		{"no_match", "zz-no-such-customer"},
	}
	for _, s := range searches {
		if s[1] == "" {
			continue
		}
		b.add(get("list_search_"+s[0], scrList, "admin", "customers", listParams(10, 1, "id", "DESC", s[1], "UTC"), "action", srcSearch))
	}
	b.add(get("list_user_tz_new_york", scrList, "admin", "customers", listParams(10, 1, "id", "DESC", "", "America/New_York"), "mount",
		srcTable+" (user_tz = dayjs.tz.guess() of the browser)"))
	for _, u := range []string{"fcmanager", "fcworker"} {
		b.add(get(u+"_list_open", scrList, u, "customers", listParams(10, 1, "id", "DESC", "", "UTC"), "mount", srcTable))
	}

	// Customer page (SingleCustomer.vue mounted: fetch + getCustomerOrders; CustomerInformation mounts UserAttchModal).
	const scrPage = "customer page"
	b.add(get("attachable_users", scrPage, "admin", "customers/attachable-user", nil, "mount", srcAttachable))
	b.add(get("fcmanager_attachable_users", scrPage, "fcmanager", "customers/attachable-user", nil, "mount", srcAttachable))
	b.add(get("fcworker_attachable_users", scrPage, "fcworker", "customers/attachable-user", nil, "mount", srcAttachable+" (a worker lacks customers/manage)"))
	for _, s := range rows {
		id := itoa(s.ID)
		pre := "customer_" + id
		b.add(get(pre+"_page", scrPage, "admin", "customers/"+id, customerWith, "mount", srcCustomer))
		b.add(get(pre+"_orders", scrPage+" / orders tab", "admin", "customers/"+id+"/orders", ordersParams(10, 1, ""), "mount", srcOrders))
		for p := 2; (p-1)*10 < s.Orders; p++ {
			b.add(get(pre+"_orders_page_"+itoa(p), scrPage+" / orders tab", "admin", "customers/"+id+"/orders", ordersParams(10, p, ""), "action", srcOrders+" (Pagination, shown when total > 10)"))
		}
		if s.Orders >= 3 {
			for p := 1; (p-1)*2 < s.Orders+2; p++ { // pages of 2, and one past the end
				b.add(get(pre+"_orders_per_page_2_page_"+itoa(p), scrPage+" / orders tab", "admin", "customers/"+id+"/orders", ordersParams(2, p, ""), "no",
					srcOrders+" (the app's page sizes start at 10; per_page=2 exercises paging on small order lists)"))
			}
		}
		for _, t := range []string{"billing", "shipping"} {
			b.add(get(pre+"_address_"+t, scrPage+" / manage "+t+" address", "admin", "customers/"+id+"/address", [][2]string{{"type", t}}, "action", srcAddrList))
		}
		b.add(send(pre+"_recalculate_ltv", scrPage, "admin", "POST", "customers/"+id+"/recalculate-ltv", nil, "action", srcLTV))
		b.add(get(pre+"_order", scrPage, "admin", "customers/"+id+"/order", nil, "no", srcRoute))
		b.add(get(pre+"_stats", scrPage, "admin", "customers/get-stats/"+id, nil, "no", srcRoute+" (the page's widgets come from GET widgets)"))
		b.list.NotRecorded = append(b.list.NotRecorded,
			otherRequest{Screen: scrPage, Method: "GET", Path: apiBase + "widgets", Query: formEncode([][2]string{{"filter", "customer"}, {"data[customer_id]", id}, {"query_timestamp", queryTimestamp}}),
				Source: "resources/admin/Bits/Components/DynamicTemplates/DynamicTemplates.vue:65 (SingleCustomer.vue:121 filter=customer)"})
	}
	b.list.NotRecorded = append(b.list.NotRecorded,
		otherRequest{Screen: scrPage + " / labels", Method: "GET", Path: apiBase + "labels", Query: formEncode([][2]string{{"query_timestamp", queryTimestamp}}),
			Source: "resources/admin/Modules/Parts/Labels/Modal.vue:64 fetch (onMounted; shown to users with labels/manage)"},
		otherRequest{Screen: scrPage + " / labels", Method: "POST", Path: apiBase + "labels/update-label-selections",
			Body:   `{"bind_to_type":"Customer","bind_to_id":<customer id>,"selectedLabels":[<label ids>],"query_timestamp":` + queryTimestamp + `}`,
			Source: "resources/admin/Modules/Parts/Labels/Label.vue:89 updateLabel"},
		otherRequest{Screen: scrPage + " / labels", Method: "POST", Path: apiBase + "labels",
			Body:   `{"value":<new label>,"bind_to_type":"Customer","bind_to_id":<customer id>,"query_timestamp":` + queryTimestamp + `}`,
			Source: "resources/admin/Modules/Parts/Labels/Modal.vue:84 addLabels"},
		otherRequest{Screen: scrPage + " / address form", Method: "GET", Path: apiBase + "address-info/get-country-info", Query: formEncode([][2]string{{"country_code", "US"}, {"query_timestamp", queryTimestamp}}),
			Source: "resources/admin/Bits/Components/Address/AddressComponent.vue:56"},
	)

	// Writes of the customer page, on a few customers chosen for what they exercise.
	for _, s := range pickWriteCustomers(rows) {
		if err := b.customerWrites(s); err != nil {
			return nil, err
		}
	}
	return &b.list, nil
}

func afterAt(email string) string {
	if _, d, ok := strings.Cut(email, "@"); ok {
		return d
	}
	return ""
}

// pickWriteCustomers chooses the customers whose page actions (edit, addresses, hidden actions) are recorded, each
// for what it exercises, a customer not picked twice: the first one, one without a WordPress user, one linked to a
// demo user, one with a non-primary address, two with subscriptions, the one with the most orders, the last one.
func pickWriteCustomers(rows []storeRow) []storeRow {
	picked := map[int]bool{}
	var out []storeRow
	pick := func(ok func(storeRow) bool) {
		for _, s := range rows {
			if ok(s) && !picked[s.ID] {
				picked[s.ID] = true
				out = append(out, s)
				return
			}
		}
	}
	pick(func(storeRow) bool { return true })
	pick(func(s storeRow) bool { return s.UserID <= 0 })
	pick(func(s storeRow) bool { return s.UserID > 0 && s.UserID <= 7 })
	pick(func(s storeRow) bool {
		for _, a := range s.Addresses {
			if a.Primary != "1" {
				return true
			}
		}
		return false
	})
	pick(func(s storeRow) bool { return s.Subscriptions > 0 })
	pick(func(s storeRow) bool { return s.Subscriptions > 0 })
	most := rows[0]
	for _, s := range rows {
		if s.Orders >= most.Orders {
			most = s
		}
	}
	pick(func(s storeRow) bool { return s.ID == most.ID })
	pick(func(s storeRow) bool { return s.ID == rows[len(rows)-1].ID })
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// phpJSON fetches one of the app's own GETs from the reference (the dump must be loaded) and parses it as the app does.
func (b *builder) phpJSON(q storeRequest) (*jsValue, error) {
	a, err := b.r.do(b.ctx, request{Method: "GET", Target: q.Path + "?" + q.Query, User: q.User})
	if err != nil {
		return nil, err
	}
	if a.Status != 200 {
		return nil, fmt.Errorf("%s: status %d: %s", q.Name, a.Status, a.Body)
	}
	return parseJS(a.Body)
}

func (b *builder) customerWrites(s storeRow) error {
	id := itoa(s.ID)
	pre := "customer_" + id
	const scr = "customer page"
	// Edit customer (NewCustomerModal, from the customer object of the page's GET); the user changes the city.
	page, err := b.phpJSON(get(pre+"_page", scr, "admin", "customers/"+id, customerWith, "", ""))
	if err != nil {
		return err
	}
	c := page.get("customer")
	if c == nil {
		return fmt.Errorf("%s: no customer in the page's answer", pre)
	}
	ed := jsObject()
	for _, k := range []string{"id", "email", "full_name", "first_name", "last_name", "state", "city", "country", "postcode", "country_name", "contact_id", "user_id", "wp_user"} {
		v := c.get(k)
		if v == nil {
			v = &jsValue{kind: 'u'}
		}
		ed.set(k, v)
	}
	ed.set("city", jsString("Springfield"))
	ed.set("wp_user", &jsValue{kind: 'u'}) // customerModalInfos.manageWpUser: undefined unless its checkbox is touched
	b.add(send(pre+"_edit_city", scr+" / edit customer", "admin", "PUT", "customers/"+id, ed, "action", srcEdit))

	// Addresses: open "manage billing address", then edit / make default / delete the entries the menu offers.
	for _, t := range []string{"billing", "shipping"} {
		list, err := b.phpJSON(get(pre+"_address_"+t, scr, "admin", "customers/"+id+"/address", [][2]string{{"type", t}}, "", ""))
		if err != nil {
			return err
		}
		addrs := list.get("addresses")
		if addrs == nil || addrs.kind != 'a' || len(addrs.arr) == 0 {
			continue
		}
		first := addrs.arr[0]
		// Edit: {...others, ...editableAddress}, the user changes address_2.
		others := jsObject().set("type", jsString(t)).set("customer_id", jsString(id)).
			set("is_primary", orUndef(first.get("is_primary"))).set("id", orUndef(first.get("id"))).set("order_id", jsNull())
		editable := spread(first)
		editable.set("address_2", jsString("Unit 7"))
		b.add(send(pre+"_address_"+t+"_update", scr+" / edit "+t+" address", "admin", "PUT", "customers/"+id+"/address", spread(others, editable), "action", srcAddrUpd))
		for _, a := range addrs.arr {
			if p := a.get("is_primary"); p != nil && p.kind == 's' && p.str == "1" {
				continue // the menu offers "Make default" and "Delete" only when is_primary !== '1'
			}
			b.add(send(pre+"_address_"+t+"_make_primary", scr+" / manage "+t+" address", "admin", "POST", "customers/"+id+"/address/make-primary",
				jsObject().set("addressId", orUndef(a.get("id"))).set("type", orUndef(a.get("type"))), "action", srcAddrPrim))
			b.add(send(pre+"_address_"+t+"_delete", scr+" / manage "+t+" address", "admin", "DELETE", "customers/"+id+"/address",
				jsObject().set("address", a), "action", srcAddrDel))
			b.add(send("fcmanager_"+pre+"_address_"+t+"_delete", scr+" / manage "+t+" address", "fcmanager", "DELETE", "customers/"+id+"/address",
				jsObject().set("address", a), "action", srcAddrDel))
			b.add(send("fcworker_"+pre+"_address_"+t+"_delete", scr+" / manage "+t+" address", "fcworker", "DELETE", "customers/"+id+"/address",
				jsObject().set("address", a), "action", srcAddrDel+" (a worker lacks customers/delete)"))
			break
		}
	}
	// New billing address from the empty form (address_mock), filled in.
	addr := jsObject().set("label", jsString("Office")).set("name", jsString(strings.TrimSpace(s.First+" "+s.Last))).set("phone", jsString("")).
		set("email", jsString(s.Email)).set("address_1", jsString("12 Test Street")).set("address_2", jsString("")).set("city", jsString("Springfield")).
		set("state", jsString("IL")).set("postcode", jsString("62701")).set("country", jsString("US")).set("is_primary", jsString("0"))
	addr = spread(addr, jsObject().set("type", jsString("billing")).set("customer_id", jsString(id)).set("order_id", jsNull()))
	addr.set("sync", jsBool(false))
	b.add(send(pre+"_address_billing_create", scr+" / add billing address", "admin", "POST", "customers/"+id+"/address", addr, "action", srcAddrNew))

	// Hidden in 1.3.25's UI, kept because the code is there: labels save, attach, detach.
	b.add(send(pre+"_additional_info_labels", scr, "admin", "PUT", "customers/"+id+"/additional-info",
		jsObject().set("labels", &jsValue{kind: 'a'}), "hidden", srcLabels))
	if s.UserID > 0 {
		b.add(send(pre+"_detach_user", scr, "admin", "POST", "customers/"+id+"/detach-user",
			jsObject().set("user_id", orUndef(c.get("user_id"))), "hidden", srcDetach))
	} else {
		users, err := b.phpJSON(get("attachable_users", scr, "admin", "customers/attachable-user", nil, "", ""))
		if err != nil {
			return err
		}
		if ul := users.get("users"); ul != nil && ul.kind == 'a' && len(ul.arr) > 0 {
			b.add(send(pre+"_attach_user", scr, "admin", "POST", "customers/"+id+"/attachable-user",
				jsObject().set("user_id", orUndef(ul.arr[0].get("ID"))), "hidden", srcAttach+" (el-option :value=\"user.ID\")"))
		}
	}
	// Permissions: a FluentCart manager sees the same page; a worker may look but not write.
	b.add(get("fcmanager_"+pre+"_page", scr, "fcmanager", "customers/"+id, customerWith, "mount", srcCustomer))
	b.add(get("fcmanager_"+pre+"_orders", scr+" / orders tab", "fcmanager", "customers/"+id+"/orders", ordersParams(10, 1, ""), "mount", srcOrders))
	b.add(get("fcworker_"+pre+"_page", scr, "fcworker", "customers/"+id, customerWith, "mount", srcCustomer))
	b.add(send("fcworker_"+pre+"_recalculate_ltv", scr, "fcworker", "POST", "customers/"+id+"/recalculate-ltv", nil, "action", srcLTV+" (a worker lacks customers/manage)"))
	// Orders tab search box: invoice number, an item title, the customer's e-mail, no match.
	for _, sv := range [][2]string{{"invoice", s.LastInvoice}, {"item", s.AnyItem}, {"email", s.Email}, {"no_match", "zz-no-such-order"}} {
		if sv[1] == "" {
			continue
		}
		b.add(get(pre+"_orders_search_"+sv[0], scr+" / orders tab", "admin", "customers/"+id+"/orders", ordersParams(10, 1, sv[1]), "action", srcOrdersSrch))
	}
	return nil
}

func orUndef(v *jsValue) *jsValue {
	if v == nil {
		return &jsValue{kind: 'u'}
	}
	return v
}

func (l *requestList) encode() ([]byte, error) {
	b, err := marshalNoEscape(l, "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// marshalNoEscape is json.MarshalIndent without HTML escaping (bodies keep <, >, & as they are).
func marshalNoEscape(v any, indent string) ([]byte, error) {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(sb.String(), "\n")), nil
}
