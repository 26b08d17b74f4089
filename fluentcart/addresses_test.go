package fluentcart_test

import "testing"

const addrBase = `"name":"Jane Doe","email":"jane.doe@example.com","address_1":"1 Main St","city":"Austin","country":"US","state":"TX"`

// The address routes: CustomerController.php:93 getAddress, :103 createAddress, :115 updateAddress,
// :128 removeAddress, :140 setAddressPrimary -> api/Resource/CustomerAddressResource.php (:28 get, :103 create,
// :189 update, :248 delete, :305 makePrimary); validation app/Http/Requests/CustomerAddressRequest.php with
// LocalizationManager::getValidationRule (country check keyed "1", state "required"/"invalid");
// CustomerAddresses::toArray (app/Models/CustomerAddresses.php :67 meta, :93 company_name, :113
// formatted_address).
func TestAddresses(t *testing.T) {
	runGolden(t, []gcase{
		{name: "address_list_all", method: "GET", url: "/customers/1/address", user: "admin", status: 200, allow: "GET, PUT, POST, DELETE"},
		{name: "address_list_billing", method: "GET", url: "/customers/1/address?type=billing", user: "admin", status: 200},
		{name: "address_list_shipping_meta", method: "GET", url: "/customers/30/address?type=shipping", user: "admin", status: 200},
		{name: "address_list_customer_zero", method: "GET", url: "/customers/0/address?type=shipping", user: "admin", status: 200},
		{name: "address_list_letters", method: "GET", url: "/customers/abc/address", user: "admin", status: 200},
		{name: "address_list_type_zero_is_all", method: "GET", url: "/customers/14/address?type=0", user: "admin", status: 200},
		{name: "address_list_empty_type", method: "GET", url: "/customers/32/address", user: "admin", status: 200},
		{name: "address_create_billing", method: "POST", url: "/customers/1/address", body: `{` + addrBase + `,"type":"billing"}`, json: true, user: "admin", status: 200, write: true},
		// First of its type becomes primary; a company name lives in meta; order_id syncs the order address.
		{name: "address_create_company_order", method: "POST", url: "/customers/31/address", body: `{` + addrBase + `,"type":"shipping","company_name":"ACME / Co","label":"Work","order_id":2}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow("SELECT name, address_1, city, updated_at FROM {prefix}fct_order_addresses WHERE order_id = 2 AND type = 'shipping'", "Jane Doe|1 Main St|Austin|2026-11-23 18:00:00")},
		{name: "address_create_order_new", method: "POST", url: "/customers/43/address", body: `{` + addrBase + `,"type":"billing","order_id":1}`, json: true, user: "admin", status: 200, write: true},
		// No type: stored '' and answered as a shipping address.
		{name: "address_create_no_type", method: "POST", url: "/customers/43/address", body: `{` + addrBase + `}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow("SELECT type, is_primary FROM {prefix}fct_customer_addresses WHERE id = 50", "|1")},
		{name: "address_create_empty", method: "POST", url: "/customers/1/address", body: `{}`, json: true, user: "admin", status: 422, write: true},
		{name: "address_create_invalid", method: "POST", url: "/customers/1/address", body: `{"country":"DE","state":"XX","name":"a","email":"bad","address_1":"x","city":"y","label":"0123456789abcdefg","is_primary":"x"}`, json: true, user: "admin", status: 422, write: true},
		// France hides the state (address-locales.php): no state needed.
		{name: "address_create_no_state_country", method: "POST", url: "/customers/1/address", body: `{"country":"FR","name":"a","email":"a@b.co","address_1":"x","city":"y"}`, json: true, user: "admin", status: 200, write: true},
		{name: "address_create_country_array", method: "POST", url: "/customers/1/address", body: `{"country":["US"],"name":"a","email":"a@b.co","address_1":"x","city":"y"}`, json: true, user: "admin", status: 500, write: true},
		// Update: full replacement of the request keys (phone, postcode, label blanked; is_primary 0).
		{name: "address_update", method: "PUT", url: "/customers/1/address", body: `{` + addrBase + `,"id":2,"type":"billing"}`, json: true, user: "admin", status: 200, write: true},
		{name: "address_update_company_order", method: "PUT", url: "/customers/1/address", body: `{` + addrBase + `,"id":2,"company_name":"New Co","order_id":1}`, json: true, user: "admin", status: 200, write: true},
		{name: "address_update_no_id", method: "PUT", url: "/customers/1/address", body: `{` + addrBase + `}`, json: true, user: "admin", status: 500, write: true},
		{name: "address_update_missing", method: "PUT", url: "/customers/1/address", body: `{` + addrBase + `,"id":999}`, json: true, user: "admin", status: 500, write: true},
		{name: "address_delete", method: "DELETE", url: "/customers/1/address", body: `{"address":{"id":2}}`, json: true, user: "admin", status: 200, write: true},
		{name: "address_delete_primary", method: "DELETE", url: "/customers/1/address", body: `{"address":{"id":1}}`, json: true, user: "admin", status: 500, write: true},
		{name: "address_delete_no_id", method: "DELETE", url: "/customers/1/address", body: `{}`, json: true, user: "admin", status: 500, write: true},
		{name: "address_delete_missing", method: "DELETE", url: "/customers/1/address", body: `{"address":{"id":999}}`, json: true, user: "admin", status: 500, write: true},
		{name: "address_delete_non_primary_pair", method: "DELETE", url: "/customers/31/address", body: `{"address":{"id":38}}`, json: true, user: "admin", status: 200, write: true},
		// Delete needs customers/delete: a worker (even with Pro) cannot.
		{name: "address_delete_forbidden", method: "DELETE", url: "/customers/1/address", body: `{"address":{"id":2}}`, json: true, user: "editor", status: 403, write: true},
		{name: "address_make_primary", method: "POST", url: "/customers/1/address/make-primary", body: `{"addressId":2,"type":"billing"}`, json: true, user: "admin", status: 200, write: true, allow: "POST",
			check: wantRow("SELECT GROUP_CONCAT(is_primary ORDER BY id) FROM {prefix}fct_customer_addresses WHERE customer_id = 1 AND type = 'billing'", "0,1")},
		// Wrong address: the type loses its primary, then resource error 400.
		{name: "address_make_primary_wrong", method: "POST", url: "/customers/1/address/make-primary", body: `{"addressId":4,"type":"billing"}`, json: true, user: "admin", status: 500, write: true,
			check: wantRow("SELECT GROUP_CONCAT(is_primary ORDER BY id) FROM {prefix}fct_customer_addresses WHERE customer_id = 1 AND type = 'billing'", "0,0")},
		{name: "address_make_primary_no_type", method: "POST", url: "/customers/1/address/make-primary", body: `{"addressId":2}`, json: true, user: "admin", status: 500, write: true},
	})
}

// DEVIATION (DEVIATIONS.md): PUT/DELETE …/address only touch an address of the path's customer; PHP
// (CustomerAddressResource.php :189, :248) picks any address by the body's id.
func TestAddressScopedToPathCustomer(t *testing.T) {
	r := shared(t)
	r.mu.Lock()
	r.restore(t)
	r.mu.Unlock()
	defer func() { r.mu.Lock(); r.restore(t); r.mu.Unlock() }()
	want := `{"code":"wpsidecar_address_not_found","message":"Address not found for this customer.","data":{"status":404,"wpfluent":{"env":"production"}}}`
	for _, c := range []struct{ method, body string }{
		{"PUT", `{` + addrBase + `,"id":1}`},
		{"DELETE", `{"address":{"id":2}}`},
	} {
		rec := doReq(r, c.method, "/wp-json/fluent-cart/v2/customers/2/address", "admin", c.body, true)
		if rec.Code != 404 || rec.Body.String() != want {
			t.Errorf("%s: %d %s", c.method, rec.Code, rec.Body.String())
		}
	}
	wantRow("SELECT COUNT(*), MAX(updated_at) FROM {prefix}fct_customer_addresses WHERE customer_id = 1", "3|2025-01-23 11:11:59")(t, r)
	// The path's own address still works, also through "2abc" (numeric comparison like MySQL's).
	rec := doReq(r, "PUT", "/wp-json/fluent-cart/v2/customers/1abc/address", "admin", `{`+addrBase+`,"id":2,"type":"billing"}`, true)
	if rec.Code != 200 {
		t.Fatalf("own address: %d %s", rec.Code, rec.Body.String())
	}
}
