package fluentcart_test

import "testing"

// The small routes of CustomerController.php: :173 getStats (filter fluent_cart/widgets/single_customer, no
// listener -> {"widgets":[]}), :182 getAttachableUser (users without a customer, User model casts ID),
// :189 setAttachableUser (app/Http/Requests/AttachUserRequest.php; the inline check is keyed "3"),
// :227 detachCustomer, :83 updateAdditionalInfo -> CustomerResource.php:261 ->
// api/Resource/LabelResource.php:152 addLabelToLabelRelationships.
func TestSmallRoutes(t *testing.T) {
	runGolden(t, []gcase{
		{name: "stats_known", method: "GET", url: "/customers/get-stats/1", user: "admin", status: 200, allow: "GET"},
		{name: "stats_unknown", method: "GET", url: "/customers/get-stats/abc", user: "fcworker", status: 403},
		{name: "attachable_users", method: "GET", url: "/customers/attachable-user", user: "admin", status: 200, allow: "GET"},
		{name: "attach_ok", method: "POST", url: "/customers/1/attachable-user", body: `{"user_id":"2"}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow("SELECT user_id FROM {prefix}fct_customers WHERE id = 1", "2")},
		{name: "attach_number_not_string", method: "POST", url: "/customers/1/attachable-user", body: `{"user_id":2}`, json: true, user: "admin", status: 422, write: true},
		{name: "attach_user_linked", method: "POST", url: "/customers/1/attachable-user", body: `{"user_id":"3"}`, json: true, user: "admin", status: 422, write: true},
		{name: "attach_user_missing", method: "POST", url: "/customers/1/attachable-user", body: `{"user_id":"99"}`, json: true, user: "admin", status: 422, write: true},
		{name: "attach_empty", method: "POST", url: "/customers/1/attachable-user", body: `{}`, json: true, user: "admin", status: 422, write: true},
		// Customer 12 points at a user that does not exist: attaching replaces it.
		{name: "attach_over_dangling", method: "POST", url: "/customers/12/attachable-user", body: `{"user_id":"2"}`, json: true, user: "admin", status: 200, write: true},
		{name: "attach_already_linked", method: "POST", url: "/customers/2/attachable-user", body: `{"user_id":"2"}`, json: true, user: "admin", status: 422, write: true},
		{name: "attach_customer_missing", method: "POST", url: "/customers/999/attachable-user", body: `{"user_id":"2"}`, json: true, user: "admin", status: 422, write: true},
		{name: "detach_linked", method: "POST", url: "/customers/4/detach-user", user: "admin", status: 200, write: true,
			check: wantRow("SELECT user_id FROM {prefix}fct_customers WHERE id = 4", "0")},
		{name: "detach_null", method: "POST", url: "/customers/1/detach-user", user: "admin", status: 200, write: true,
			check: wantRow("SELECT user_id, updated_at FROM {prefix}fct_customers WHERE id = 1", "NULL|2025-08-01 13:11:33")},
		{name: "detach_missing", method: "POST", url: "/customers/999/detach-user", user: "admin", status: 422, write: true},
		{name: "labels_set", method: "PUT", url: "/customers/1/additional-info", body: `{"labels":[3,4,4]}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow("SELECT GROUP_CONCAT(label_id ORDER BY id) FROM {prefix}fct_label_relationships WHERE labelable_id = 1", "3,4")},
		{name: "labels_clear", method: "PUT", url: "/customers/1/additional-info", body: `{"labels":[]}`, json: true, user: "admin", status: 200, write: true},
		{name: "labels_no_change", method: "PUT", url: "/customers/2/additional-info", body: `{}`, json: true, user: "admin", status: 500, write: true},
		{name: "labels_not_array", method: "PUT", url: "/customers/2/additional-info", body: `{"labels":"x"}`, json: true, user: "admin", status: 500, write: true},
		{name: "labels_customer_missing", method: "PUT", url: "/customers/999/additional-info", body: `{"labels":[1]}`, json: true, user: "admin", status: 500, write: true},
		{name: "labels_strings", method: "PUT", url: "/customers/30/additional-info", body: `{"labels":["2","abc"]}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow("SELECT GROUP_CONCAT(label_id ORDER BY id) FROM {prefix}fct_label_relationships WHERE labelable_id = 30", "2,0")},
	})
}

// POST /customers/do-bulk-action: CustomerController.php:163 -> CustomerResource.php:353 manageCustomer,
// :227 delete (orders, then the customer), :313 updateStatus (raw customer_ids in whereIn).
func TestBulkAction(t *testing.T) {
	runGolden(t, []gcase{
		{name: "bulk_delete", method: "POST", url: "/customers/do-bulk-action", body: `{"action":"delete_customers","customer_ids":[1,"2",0,999]}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow("SELECT (SELECT COUNT(*) FROM {prefix}fct_customers WHERE id IN (1,2)), (SELECT COUNT(*) FROM {prefix}fct_orders WHERE customer_id IN (1,2)), (SELECT COUNT(*) FROM {prefix}fct_customer_addresses WHERE customer_id IN (1,2))", "0|0|5")},
		{name: "bulk_delete_none_exist", method: "POST", url: "/customers/do-bulk-action", body: `{"action":"delete_customers","customer_ids":[998,999]}`, json: true, user: "admin", status: 500, write: true},
		{name: "bulk_no_ids", method: "POST", url: "/customers/do-bulk-action", body: `{"action":"delete_customers","customer_ids":[]}`, json: true, user: "admin", status: 500, write: true},
		{name: "bulk_status", method: "POST", url: "/customers/do-bulk-action", body: `{"action":"change_customer_status","customer_ids":["5","6","abc"],"new_status":"inactive"}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow("SELECT GROUP_CONCAT(status ORDER BY id), GROUP_CONCAT(updated_at ORDER BY id) FROM {prefix}fct_customers WHERE id IN (5,6)", "inactive,inactive|2025-03-16 19:59:55,2026-11-23 18:00:00")},
		{name: "bulk_status_invalid", method: "POST", url: "/customers/do-bulk-action", body: `{"action":"change_customer_status","customer_ids":[5],"new_status":"archived"}`, json: true, user: "admin", status: 500, write: true},
		{name: "bulk_status_missing", method: "POST", url: "/customers/do-bulk-action", body: `{"action":"change_customer_status","customer_ids":[5]}`, json: true, user: "admin", status: 500, write: true},
		{name: "bulk_unknown_action", method: "POST", url: "/customers/do-bulk-action", body: `{"action":"nope","customer_ids":[5]}`, json: true, user: "admin", status: 500, write: true},
		{name: "bulk_ids_not_array", method: "POST", url: "/customers/do-bulk-action", body: `{"action":"nope","customer_ids":"5"}`, json: true, user: "admin", status: 500, write: true},
	})
}

// POST /customers/{id}/recalculate-ltv (digits): CustomerController.php:253 -> app/Models/Customer.php:201
// recountStat over paid/partially_refunded/partially_paid orders; purchase dates are DateTime objects in the
// answer; a vanished first/last date is written as ” (zero date).
func TestRecalculateLTV(t *testing.T) {
	runGolden(t, []gcase{
		{name: "ltv_three_orders", method: "POST", url: "/customers/1/recalculate-ltv", user: "admin", status: 200, write: true, allow: "POST",
			check: wantRow("SELECT purchase_count, ltv, aov, first_purchase_date, last_purchase_date FROM {prefix}fct_customers WHERE id = 1", "3|20498|6832.67|2025-01-23 11:12:29|2025-08-01 13:11:31")},
		{name: "ltv_stale_stats", method: "POST", url: "/customers/7/recalculate-ltv", user: "admin", status: 200, write: true},
		{name: "ltv_no_orders_zero_dates", method: "POST", url: "/customers/26/recalculate-ltv", user: "admin", status: 200, write: true},
		{name: "ltv_refunded_excluded", method: "POST", url: "/customers/2/recalculate-ltv", user: "admin", status: 200, write: true},
		{name: "ltv_partially_refunded", method: "POST", url: "/customers/11/recalculate-ltv", user: "admin", status: 200, write: true},
		{name: "ltv_no_orders", method: "POST", url: "/customers/4/recalculate-ltv", user: "admin", status: 200, write: true},
		{name: "ltv_missing", method: "POST", url: "/customers/999/recalculate-ltv", user: "admin", status: 422, write: true},
		{name: "ltv_letters_no_route", method: "POST", url: "/customers/12abc/recalculate-ltv", user: "admin", status: 404, write: true},
	})
}

// The customer's orders: CustomerController.php:78 findOrder (CustomerResource.php:90, relation
// orders.filteredOrderItems) and :154 getCustomerOrders (app/Services/Filter/OrderFilter.php restricted to the
// customer). Order::toArray: money totals cast to double, customer_id integer, config decoded.
func TestCustomerOrders(t *testing.T) {
	runGolden(t, []gcase{
		{name: "order_of_customer", method: "GET", url: "/customers/1/order", user: "admin", status: 200, allow: "GET"},
		{name: "order_missing_customer", method: "GET", url: "/customers/999/order", user: "admin", status: 200},
		{name: "order_letters_no_route", method: "GET", url: "/customers/1a/order", user: "admin", status: 404},
		{name: "orders_list", method: "GET", url: "/customers/30/orders", user: "admin", status: 200, allow: "GET"},
		{name: "orders_page_2", method: "GET", url: "/customers/30/orders?per_page=2&page=2", user: "admin", status: 200},
		{name: "orders_search_invoice", method: "GET", url: "/customers/1/orders?search=INV-1", user: "admin", status: 200},
		{name: "orders_active_view_paid", method: "GET", url: "/customers/1/orders?active_view=paid", user: "admin", status: 200},
		{name: "orders_letters_customer_zero", method: "GET", url: "/customers/abc/orders", user: "admin", status: 200},
		{name: "orders_sorted", method: "GET", url: "/customers/2/orders?sort_by=total_amount&sort_type=asc", user: "admin", status: 200},
	})
}
