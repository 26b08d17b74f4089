package fluentcart_test

import "testing"

// PUT /customers/{customerId}: CustomerController.php:41 update -> CustomerRequest (duplicate check excludes the
// body's `id`, :24) -> api/Resource/CustomerResource.php:180 update: missing row -> resource error 400; linked
// user -> e-mail kept and :463 updateUser -> wp_update_user (failure -> 423); every sanitize() key assigned
// (absent ones null -> ”), changed columns written, row re-read.
func TestUpdateCustomer(t *testing.T) {
	const row1 = "SELECT user_id, email, first_name, last_name, status, aov, notes, country, city, state, postcode FROM {prefix}fct_customers WHERE id = 1"
	runGolden(t, []gcase{
		// Without `id` the customer's own e-mail counts as taken.
		{name: "update_without_id_own_email", method: "PUT", url: "/customers/1", body: `{"full_name":"Jane Doe","email":"jane.doe@example.com"}`, json: true, user: "admin", status: 422, write: true, allow: "PUT, GET"},
		{name: "update_invalid_name", method: "PUT", url: "/customers/1", body: `{"id":1,"full_name":"Jane  Q Doe","email":"jane.doe@example.com"}`, json: true, user: "admin", status: 422, write: true},
		// The SPA's body (no status/aov/notes): those are blanked (status '', aov 0.00, notes ''); user_id null over NULL is
		// no change.
		{name: "update_spa_body", method: "PUT", url: "/customers/1", body: `{"id":1,"full_name":"Jane Q Doe","email":"jane.doe@example.com","country":"US","city":"Austin","state":"TX","postcode":"73301","user_id":null}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow(row1, "NULL|jane.doe@example.com|Jane Q|Doe||0.00||US|Austin|TX|73301")},
		// Linked customer: the e-mail sent is ignored; the WordPress user's names are updated (users + usermeta).
		{name: "update_linked_user", method: "PUT", url: "/customers/2", body: `{"id":2,"full_name":"Samuel Porter","email":"other@example.com","user_id":3,"country":"US"}`, json: true, user: "admin", status: 200, write: true,
			check: func(t *testing.T, r *rig) {
				wantRow("SELECT email, first_name, last_name, user_id FROM {prefix}fct_customers WHERE id = 2", "subscriber@example.com|Samuel|Porter|3")(t, r)
				wantRow("SELECT display_name, user_nicename, user_email FROM {prefix}users WHERE ID = 3", "Samuel Porter|samuel-porter|subscriber@example.com")(t, r)
				wantRow("SELECT GROUP_CONCAT(meta_value ORDER BY meta_key) FROM {prefix}usermeta WHERE user_id = 3 AND meta_key IN ('first_name','last_name','nickname')", "Samuel,Porter,Samuel Porter")(t, r)
			}},
		{name: "update_linked_user_url", method: "PUT", url: "/customers/3", body: `{"id":3,"full_name":"Maya Chen-Li","email":"fcmanager@example.com","user_id":5,"user_url":"https://maya.example"}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow("SELECT display_name, user_nicename, user_url FROM {prefix}users WHERE ID = 5", "Maya Chen-Li|maya-chen-li|https://maya.example")},
		// user_id 42 does not exist: wp_update_user fails -> 423 "Failed to update user." (HTTP 500), nothing written.
		{name: "update_linked_user_missing", method: "PUT", url: "/customers/12", body: `{"id":12,"full_name":"D'Angelo Russo","email":"x@example.com","user_id":42}`, json: true, user: "admin", status: 500, write: true},
		{name: "update_not_found", method: "PUT", url: "/customers/999", body: `{"id":999,"full_name":"X Y","email":"nobody@example.com"}`, json: true, user: "admin", status: 500, write: true},
		// Default path regex: "12abc" finds customer 12 (MySQL numeric comparison), here the 423 again.
		{name: "update_digits_letters", method: "PUT", url: "/customers/12abc", body: `{"id":12,"full_name":"Z Z","email":"z@example.com"}`, json: true, user: "admin", status: 500, write: true},
		// NULL address columns stay NULL when omitted (null vs NULL is no change).
		{name: "update_null_columns", method: "PUT", url: "/customers/44", body: `{"id":44,"full_name":"Chloe Baker","email":"chloe.baker@example.com"}`, json: true, user: "admin", status: 200, write: true},
		// X-HTTP-Method-Override as the SPA sends it.
		{name: "update_method_override", method: "POST", url: "/customers/16", body: `{"id":16,"full_name":"Prince","email":"prince@example.com","status":"active"}`, json: true, user: "admin", status: 200, write: true,
			hdr: map[string]string{"X-HTTP-Method-Override": "PUT"}},
		{name: "update_accountant_forbidden", method: "PUT", url: "/customers/1", body: `{}`, json: true, user: "fcaccountant", status: 403, write: true, allow: "PUT, GET"},
	})
}
