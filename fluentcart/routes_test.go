package fluentcart_test

import "testing"

// Routing as WordPress does it for FluentCart's patterns (vendor/wpfluent/framework/src/WPFluent/Http/Route.php:813
// compileRoute: ->int() gives [0-9]+, otherwise [^\s(?!/)]+; frontend_routes.php registers the same patterns),
// rest_no_route with the framework's 404 decorator (Foundation/Application.php:358, :441), and the generic
// parameters of WP_REST_Server (_fields, _envelope, _method).
func TestRouting(t *testing.T) {
	runGolden(t, []gcase{
		{name: "route_no_route_wpfluent", method: "GET", url: "/customers/12abc/order", user: "admin", status: 404, allow: "-"},
		{name: "route_unknown_path", method: "GET", url: "/nope", user: "admin", status: 404},
		// The decorator's str_starts_with is case-sensitive: an upper-case route is matched (case-insensitive
		// regex) but its 404 is left undecorated.
		{name: "route_uppercase_not_decorated", method: "GET", url: "/wp-json/FLUENT-CART/v2/customers/999", user: "admin", status: 404},
		{name: "route_uppercase_matches", method: "GET", url: "/wp-json/fluent-cart/V2/CUSTOMERS/3", user: "admin", status: 200},
		// With _envelope the answer is a 200 before rest_pre_serve_request runs: no wpfluent.
		{name: "route_envelope_404", method: "GET", url: "/customers/999?_envelope", user: "admin", status: 200},
		{name: "route_fields", method: "GET", url: "/customers/3?_fields=customer.id,customer.email,customer.formatted_address.state", user: "admin", status: 200},
		{name: "route_method_param", method: "GET", url: "/customers/999/detach-user?_method=POST", user: "admin", status: 422},
		{name: "route_rest_route_get", method: "GET", url: "/?rest_route=/fluent-cart/v2/customers/3", user: "admin", status: 200},
		{name: "route_invalid_json", method: "POST", url: "/customers", body: `{"full_name":`, json: true, user: "admin", status: 400},
		// POST on a GET-only pattern: no handler anywhere -> 404 (not 405).
		// OPTIONS (rest_handle_options_request -> get_data_for_route): every handler of the first matching pattern,
		// storefront ones included, path parameters declared required by compileRoute, _links for plain routes.
		{name: "route_options_list", method: "OPTIONS", url: "/customers", user: "admin", status: 200, allow: "GET, POST"},
		{name: "route_options_digits", method: "OPTIONS", url: "/customers/5", user: "admin", status: 200, allow: "GET"},
		{name: "route_options_shared", method: "OPTIONS", url: "/customers/5/address", user: "admin", status: 200, allow: "GET, PUT, POST, DELETE"},
		{name: "route_options_bulk_shadowed", method: "OPTIONS", url: "/customers/do-bulk-action", user: "subscriber", status: 200, allow: "PUT, GET"},
		{name: "route_pretty", method: "GET", url: "/customers/get-stats/1?_pretty=1", user: "admin", status: 200},
		{name: "route_wrong_method", method: "POST", url: "/customers/attachable-user", user: "admin", status: 404},
	})
}
