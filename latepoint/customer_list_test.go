package latepoint

import (
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// listScenarios: GET /customers over the demo seed (spec §6.4, §6.7). Read-only.
func listScenarios(f *fixture) []wptest.Scenario {
	h := f.hdr("reader")
	u := apiBase + "/customers"
	return []wptest.Scenario{
		{Name: "default page", URL: u, Header: h, Status: 200, Golden: golden("customers_list", "default")},
		{Name: "page 2 of 5", URL: u + "?page=2&per_page=5", Header: h, Status: 200, Golden: golden("customers_list", "page2_per_page5")},
		{Name: "per_page 100 is the maximum", URL: u + "?per_page=100&order_by=id&order=asc&page=1", Header: h, Status: 200, Golden: golden("customers_list", "per_page100_id_asc")},
		{Name: "page beyond the end", URL: u + "?page=99&per_page=10", Header: h, Status: 200, Golden: golden("customers_list", "beyond_end")},
		{Name: "per_page 101", URL: u + "?per_page=101", Header: h, Status: 400, Golden: golden("customers_list", "per_page_101")},
		{Name: "per_page 0", URL: u + "?per_page=0", Header: h, Status: 400, Golden: golden("customers_list", "per_page_0")},
		{Name: "page not a number", URL: u + "?page=first", Header: h, Status: 400, Golden: golden("customers_list", "page_invalid")},
		{Name: "unknown order_by", URL: u + "?order_by=password", Header: h, Status: 400, Golden: golden("customers_list", "order_by_invalid")},
		{Name: "every invalid parameter at once", URL: u + "?per_page=500&order_by=nope&order=sideways&status=gone&created_after=2026-02-30&has_bookings=maybe&wordpress_user_id=x", Header: h, Status: 400, Golden: golden("customers_list", "all_invalid")},
		{Name: "search name", URL: u + "?search=chen", Header: h, Status: 200, Golden: golden("customers_list", "search_chen")},
		{Name: "search phone digits", URL: u + "?search=555010&order_by=id&order=asc", Header: h, Status: 200, Golden: golden("customers_list", "search_phone")},
		{Name: "search with LIKE wildcards is literal", URL: u + "?search=%25_", Header: h, Status: 200, Golden: golden("customers_list", "search_wildcards")},
		{Name: "status active", URL: u + "?status=active&order_by=id&order=asc", Header: h, Status: 200, Golden: golden("customers_list", "status_active")},
		{Name: "status pending means pending_verification", URL: u + "?status=pending&per_page=3", Header: h, Status: 200, Golden: golden("customers_list", "status_pending")},
		{Name: "status blocked", URL: u + "?status=blocked", Header: h, Status: 200, Golden: golden("customers_list", "status_blocked")},
		{Name: "has_bookings false", URL: u + "?has_bookings=false&order_by=id&order=asc", Header: h, Status: 200, Golden: golden("customers_list", "has_bookings_false")},
		{Name: "is_guest false (0 or NULL)", URL: u + "?is_guest=0&order_by=id&order=asc", Header: h, Status: 200, Golden: golden("customers_list", "is_guest_false")},
		{Name: "wordpress_user_id", URL: u + "?wordpress_user_id=3", Header: h, Status: 200, Golden: golden("customers_list", "wordpress_user_id_3")},
		{Name: "created range: after inclusive, before exclusive", URL: u + "?created_after=2026-11-02&created_before=2026-11-18&order=asc", Header: h, Status: 200, Golden: golden("customers_list", "created_range")},
		{Name: "partial email and last_name", URL: u + "?email=EXAMPLE.DE&last_name=m", Header: h, Status: 200, Golden: golden("customers_list", "partial_fields")},
		{Name: "order by first_name asc", URL: u + "?order_by=first_name&order=ASC&per_page=5", Header: h, Status: 200, Golden: golden("customers_list", "first_name_asc")},
		{Name: "include stats", URL: u + "?include=stats&order_by=id&order=asc&per_page=5", Header: h, Status: 200, Golden: golden("customers_list", "include_stats")},
		{Name: "every include, unknown names ignored", URL: u + "?include=bookings,stats,custom_fields,notes,avatar,preferences&bookings_limit=2&order_by=id&order=asc&per_page=3", Header: h, Status: 200, Golden: golden("customers_list", "include_all")},
		{Name: "bookings_limit over 100", URL: u + "?include=bookings&bookings_limit=101", Header: h, Status: 400, Golden: golden("customers_list", "bookings_limit_101")},
		{Name: "no key", URL: u, Status: 401, Golden: golden("error", "unauthorized")},
	}
}

func TestListCustomers(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	wptest.Run(t, f.rt, listScenarios(f))
}
