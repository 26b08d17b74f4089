package fluentcart_test

import "testing"

// POST /customers: CustomerController.php:30 store -> app/Http/Requests/CustomerRequest.php (:14
// beforeValidation notes="", :24 rules, :74 sanitize) -> api/Resource/CustomerResource.php:116 create
// (firstOrCreate, get_user_by('email') link, :448 resolveCustomerName). 200 with the in-memory model; an
// existing e-mail is the resource error 400 "Customer already exists." rendered as HTTP 500.
func TestCreateCustomer(t *testing.T) {
	const stored = "SELECT user_id, contact_id, email, first_name, last_name, status, purchase_value, purchase_count, ltv, first_purchase_date, aov, notes, country, city, state, postcode, LENGTH(uuid) FROM {prefix}fct_customers WHERE id = 51"
	runGolden(t, []gcase{
		{name: "create_empty_body", method: "POST", url: "/customers", body: `{}`, json: true, user: "admin", status: 422, write: true},
		// sanitizeText rejects inner double spaces (app/Http/Rules/SanitizeText.php).
		{name: "create_double_space", method: "POST", url: "/customers", body: `{"full_name":"  New  Person ","email":"new@example.com"}`, json: true, user: "admin", status: 422, write: true},
		// Omitted optional fields are null in the answer and '' / 0 / 0.00 in the row (spec §7.1).
		{name: "create_minimal", method: "POST", url: "/customers", body: `{"full_name":"New Person","email":"new@example.com"}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow(stored, "0|0|new@example.com|New|Person||[]|0|0|NULL|0.00||||||32")},
		// Unvalidated fields are stored as sent (sanitised); user_id "7x" is intval'd to 7.
		{name: "create_unvalidated_fields", method: "POST", url: "/customers", body: `{"full_name":"Solo","email":"new@example.com","status":"vip","aov":"12.5","country":"DE","state":"DE-BY","user_id":"7x"}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow(stored, "7|0|new@example.com|Solo||vip|[]|0|0|NULL|12.50||DE||DE-BY||32")},
		// An e-mail of a WordPress user links the customer (user_id the integer ID); notes newlines collapsed.
		{name: "create_links_wp_user", method: "POST", url: "/customers", body: `{"full_name":"Ed Itor","email":"EDITOR@example.com","notes":"a\nb"}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow(stored, "2|0|EDITOR@example.com|Ed|Itor||[]|0|0|NULL|0.00|a b|||||32")},
		// The duplicate check is collation-equal: an existing e-mail fails validation with "exist".
		{name: "create_duplicate_email", method: "POST", url: "/customers", body: `{"full_name":"Sam Porter","email":"subscriber@example.com"}`, json: true, user: "admin", status: 422, write: true},
		{name: "create_duplicate_email_case", method: "POST", url: "/customers", body: `{"full_name":"Dana","email":"DUP.BUYER@EXAMPLE.COM"}`, json: true, user: "admin", status: 422, write: true},
		{name: "create_invalid", method: "POST", url: "/customers", body: `{"full_name":"Ann","email":"not-an-email","city":"<b>x</b>"}`, json: true, user: "admin", status: 422, write: true},
		// An array in a text field is a TypeError inside the rule (trim): HTTP 500 plugin_exception.
		{name: "create_array_field", method: "POST", url: "/customers", body: `{"full_name":["x"],"email":"a@b.co"}`, json: true, user: "admin", status: 500, write: true},
		{name: "create_form_body", method: "POST", url: "/customers", body: `full_name=Form+Person&email=form%40example.com&country=US&state=TX`, form: true, user: "admin", status: 200, write: true},
		// First/last-name mode (CheckoutFieldsSchema::isFullNameRequired false): first_name required, full_name ignored.
		{name: "create_first_last_mode", method: "POST", url: "/customers", body: `{"first_name":" Ann ","last_name":"Lee","full_name":"Ignored Name","email":"ann@example.com"}`, json: true, user: "admin", status: 200,
			setup: checkoutFirstLast},
		{name: "create_first_last_mode_missing", method: "POST", url: "/customers", body: `{"full_name":"Ann Lee","email":"ann@example.com"}`, json: true, user: "admin", status: 422,
			setup: checkoutFirstLast},
		// wp_user=yes without a WordPress user owning the e-mail: AuthService::createUserFromCustomer (login from the
		// e-mail's local part, reserved names and taken logins skipped), wp_insert_user + set_role(default_role),
		// the user_register listener links the customer. The answer is the model from before that listener.
		{name: "create_wp_user", method: "POST", url: "/customers", body: `{"full_name":"New Person","email":"new.person@example.com","wp_user":"yes"}`, json: true, user: "admin", status: 200, write: true,
			check: func(t *testing.T, r *rig) {
				wantRow("SELECT u.user_login, u.user_nicename, u.display_name, u.user_url, c.user_id = u.ID, LEFT(u.user_pass, 10), u.user_activation_key LIKE '%:$generic$%' FROM {prefix}users u JOIN {prefix}fct_customers c ON c.email = u.user_email WHERE c.id = 51",
					"newperson|newperson|New Person||1|$wp$2y$10$|1")(t, r)
				wantRow("SELECT GROUP_CONCAT(CONCAT(meta_key, '=', meta_value) ORDER BY umeta_id SEPARATOR ';') FROM {prefix}usermeta WHERE user_id = 8",
					"nickname=newperson;first_name=New;last_name=Person;description=;rich_editing=true;syntax_highlighting=true;infinite_scrolling=true;comment_shortcuts=false;admin_color=modern;use_ssl=0;show_admin_bar_front=true;locale=;fct1_capabilities=a:1:{s:10:\"subscriber\";b:1;};fct1_user_level=0;dismissed_wp_pointers=;default_password_nag=1")(t, r)
				wantRow("SELECT option_value, autoload FROM {prefix}options WHERE option_name = 'user_count'", "8|off")(t, r)
			}},
		{name: "create_wp_user_login_taken", method: "POST", url: "/customers", body: `{"full_name":"Admin","email":"admin@example.org","wp_user":"yes"}`, json: true, user: "admin", status: 200, write: true,
			check: wantRow("SELECT user_login FROM {prefix}users WHERE ID = 8", "admin2")},
		// The body's id excludes customer 1 from the duplicate check, so firstOrCreate finds it: the WordPress user
		// is still created and linked, then "Customer already exists." (resource error 400, HTTP 500).
		{name: "create_wp_user_existing_customer", method: "POST", url: "/customers", body: `{"full_name":"Jane Doe","email":"jane.doe@example.com","wp_user":"yes","id":1}`, json: true, user: "admin", status: 500, write: true,
			check: wantRow("SELECT c.user_id, u.user_login FROM {prefix}fct_customers c JOIN {prefix}users u ON u.ID = c.user_id WHERE c.id = 1", "8|janedoe")},
		{name: "create_existing_customer_links_user", method: "POST", url: "/customers", body: `{"full_name":"Sam Porter","email":"subscriber@example.com","id":2}`, json: true, user: "admin", status: 500, write: true},
		{name: "create_worker_forbidden", method: "POST", url: "/customers", body: `{"full_name":"X Y","email":"xy@example.com"}`, json: true, user: "fcworker", status: 403, write: true},
	})
}

// checkoutFirstLast saves checkout fields with first/last name enabled (fct_meta option _fc_checkout_fields).
const checkoutFirstLast = `INSERT INTO {prefix}fct_meta (object_type, object_id, meta_key, meta_value, created_at, updated_at) VALUES ('option', NULL, '_fc_checkout_fields', '{"basic_info":{"full_name":{"required":"no","enabled":"no"},"first_name":{"required":"yes","enabled":"yes"},"last_name":{"required":"no","enabled":"yes"}}}', '2025-01-01 00:00:00', '2025-01-01 00:00:00')`
