package fluentcart_test

import "testing"

// GET /customers: app/Http/Controllers/CustomerController.php:21 index -> CustomerFilter::fromRequest ->
// app/Services/Filter/BaseFilter.php:225 parseArgs (typed properties), :1122 paginate, and the framework's
// LengthAwarePaginator::toArray / UrlWindow (vendor/wpfluent/framework/src/WPFluent/Pagination). Customers are
// Customer::toArray (app/Models/Customer.php: accessors :73 purchase_value, :145 full_name, :159 photo,
// :181 country_name, :412 formatted_address, :426 user_link).
func TestListCustomers(t *testing.T) {
	runGolden(t, []gcase{
		// Defaults: per_page 10 (BaseFilter::$perPage), sort id desc (:298, :320), path from Request::url().
		{name: "list_default", method: "GET", url: "/customers", user: "admin", status: 200, allow: "GET, POST"},
		{name: "list_per_page_50", method: "GET", url: "/customers?per_page=50", user: "admin", status: 200},
		{name: "list_page_3_per_7", method: "GET", url: "/customers?page=3&per_page=7", user: "admin", status: 200},
		// Past the end: empty data, from/to null, current_page echoed (AbstractPaginator::firstItem).
		{name: "list_page_past_end", method: "GET", url: "/customers?page=99", user: "admin", status: 200},
		// Negative page: BaseFilter :287 (int) -2, offset clamped (Query\Builder::offset), reported as 1.
		{name: "list_page_negative", method: "GET", url: "/customers?page=-2&per_page=5", user: "admin", status: 200},
		// UrlWindow: 50 pages -> 1..10, gap, 49, 50 / 1, 2, gap, 22..28, gap, 49, 50 / 1, 2, gap, 41..50.
		{name: "list_window_start", method: "GET", url: "/customers?per_page=1", user: "admin", status: 200},
		{name: "list_window_middle", method: "GET", url: "/customers?per_page=1&page=25", user: "admin", status: 200},
		{name: "list_window_end", method: "GET", url: "/customers?per_page=1&page=44", user: "admin", status: 200},
		// per_page 0 < n < 200 (:278); a fraction below 1 becomes 0 and Builder::paginate falls back to 15.
		{name: "list_per_page_fraction", method: "GET", url: "/customers?per_page=0.5", user: "admin", status: 200},
		{name: "list_per_page_200", method: "GET", url: "/customers?per_page=200", user: "admin", status: 200},
		{name: "list_fractional_numbers", method: "GET", url: "/customers?per_page=2.9&page=2.5", user: "admin", status: 200},
		// Request::url() keeps the slash before the query: path ".../customers/" trimmed by the paginator.
		{name: "list_trailing_slash", method: "GET", url: "/customers/?page=2", user: "admin", status: 200},
		// ?rest_route= form: REQUEST_URI is "/?rest_route=…", so the path degenerates to the site URL.
		{name: "list_rest_route_form", method: "GET", url: "/?rest_route=/fluent-cart/v2/customers&page=2", user: "admin", status: 200},
		// CustomerFilter.php:14 applySimpleFilter: name CONCAT LIKE, id LIKE when numeric, e-mail LIKE without spaces.
		{name: "list_search_name", method: "GET", url: "/customers?search=Jane", user: "admin", status: 200},
		{name: "list_search_full_name", method: "GET", url: "/customers?search=jane%20doe", user: "admin", status: 200},
		{name: "list_search_numeric", method: "GET", url: "/customers?search=1", user: "admin", status: 200},
		{name: "list_search_zero_is_no_search", method: "GET", url: "/customers?search=0", user: "admin", status: 200},
		{name: "list_search_blank", method: "GET", url: "/customers?search=%20", user: "admin", status: 200},
		{name: "list_search_percent_escaped", method: "GET", url: "/customers?search=50%25", user: "admin", status: 200},
		{name: "list_search_unicode", method: "GET", url: "/customers?search=M%C3%BCller", user: "admin", status: 200},
		{name: "list_search_email_domain", method: "GET", url: "/customers?search=example.de", user: "admin", status: 200},
		// BaseFilter.php:901 applySimpleOperatorFilter: only "id" (column ID) is searchable for customers.
		{name: "list_search_id_equals", method: "GET", url: "/customers?search=id%3D5", user: "admin", status: 200},
		{name: "list_search_id_greater", method: "GET", url: "/customers?search=id%20%3E%2045", user: "admin", status: 200},
		{name: "list_search_id_ge_reads_gt", method: "GET", url: "/customers?search=id%3E%3D45", user: "admin", status: 200},
		{name: "list_search_id_between", method: "GET", url: "/customers?search=ID%3A%3A3-7", user: "admin", status: 200},
		{name: "list_search_id_like", method: "GET", url: "/customers?search=id%3D*5", user: "admin", status: 200},
		{name: "list_search_id_not_like", method: "GET", url: "/customers?search=id!%3D*1*&per_page=100", user: "admin", status: 200},
		{name: "list_search_other_column", method: "GET", url: "/customers?search=email%3Dx", user: "admin", status: 200},
		// sort_by must be fillable (created_at is not -> id); sort_type asc/desc case-insensitive.
		{name: "list_sort_email_asc", method: "GET", url: "/customers?sort_by=email&sort_type=ASC", user: "admin", status: 200},
		{name: "list_sort_created_at_ignored", method: "GET", url: "/customers?sort_by=created_at&sort_type=asc", user: "admin", status: 200},
		{name: "list_sort_type_bogus", method: "GET", url: "/customers?sort_by=ltv&sort_type=bogus", user: "admin", status: 200},
		// applyWith (:597): eager relations after the appended fields; "…Count" becomes withCount.
		{name: "list_with_labels_billing", method: "GET", url: "/customers?with[]=labels&with[]=billing_address&per_page=50", user: "admin", status: 200},
		{name: "list_with_shipping_primaries", method: "GET", url: "/customers?with[]=shipping_address&with[]=primary_billing_address&with[]=primary_shipping_address&per_page=50", user: "admin", status: 200},
		{name: "list_with_orders", method: "GET", url: "/customers?with[]=orders&per_page=5", user: "admin", status: 200},
		{name: "list_with_counts", method: "GET", url: "/customers?with[]=labelsCount&with[]=ordersCount&per_page=5", user: "admin", status: 200},
		{name: "list_with_unknown_relation", method: "GET", url: "/customers?with[]=bogus", user: "admin", status: 500},
		// Typed properties of BaseFilter: a string where an array/int is declared is a TypeError (HTTP 500).
		{name: "list_with_string_typeerror", method: "GET", url: "/customers?with=labels", user: "admin", status: 500},
		{name: "list_scopes_string_typeerror", method: "GET", url: "/customers?scopes=ofActive", user: "admin", status: 500},
		{name: "list_limit_typeerror", method: "GET", url: "/customers?limit=abc", user: "admin", status: 500},
		{name: "list_limit_empty_typeerror", method: "GET", url: "/customers?limit=", user: "admin", status: 500},
		{name: "list_search_array_typeerror", method: "GET", url: "/customers?search[]=x", user: "admin", status: 500},
		{name: "list_advanced_filters_array", method: "GET", url: "/customers?advanced_filters[]=1", user: "admin", status: 500},
		// applyScopes (:614): ofActive / ofArchived (Customer::scopeOfActive, scopeOfArchived).
		{name: "list_scope_active", method: "GET", url: "/customers?scopes[]=ofActive&per_page=3", user: "admin", status: 200},
		{name: "list_scope_archived", method: "GET", url: "/customers?scopes[]=ofArchived", user: "admin", status: 200},
		// applyMustLoadIds (:565): without search "id IN (…) OR id IS NOT NULL" (everything); with one "OR id IN".
		{name: "list_include_ids", method: "GET", url: "/customers?include_ids=3,4&per_page=3", user: "admin", status: 200},
		{name: "list_include_ids_search", method: "GET", url: "/customers?include_ids=3,4&search=Jane", user: "admin", status: 200},
		// filter_type=advanced needs Pro (applyAdvancedFilter returns early): no filter at all.
		{name: "list_filter_type_advanced", method: "GET", url: "/customers?filter_type=advanced&search=Jane&per_page=2", user: "admin", status: 200},
		{name: "list_select", method: "GET", url: "/customers?select=id,email&per_page=2", user: "admin", status: 200},
		// Permission denied: rest_forbidden (401 anonymous), no Allow header.
		{name: "list_anonymous", method: "GET", url: "/customers", status: 401, allow: "-"},
		{name: "list_subscriber", method: "GET", url: "/customers", user: "subscriber", status: 403, allow: "-"},
	})
}

// DEVIATION (DEVIATIONS.md): scopes other than ofActive/ofArchived are refused instead of calling an arbitrary
// query-builder method (PHP: BaseFilter.php:614 $this->query->{$scope}()).
func TestListRejectsUnknownScopes(t *testing.T) {
	r := shared(t)
	for _, scope := range []string{"delete", "truncate", "orWhere", "get"} {
		rec := doReq(r, "GET", "/wp-json/fluent-cart/v2/customers?scopes[]="+scope, "admin", "", false)
		want := `{"code":"rest_invalid_param","message":"Invalid parameter(s): scopes","data":{"status":400,"params":{"scopes":"Only the ofActive and ofArchived scopes are accepted."}}}`
		if rec.Code != 400 || rec.Body.String() != want {
			t.Errorf("scope %s: %d %s", scope, rec.Code, rec.Body.String())
		}
	}
	if n := r.db.QueryString(t, "SELECT COUNT(*) FROM {prefix}fct_customers"); n != "50" {
		t.Fatalf("customers left: %s", n)
	}
}
