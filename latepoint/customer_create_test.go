package latepoint

import (
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// body renders a JSON request body.
func body(v map[string]any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// createScenarios: POST /customers (spec §6.9, seed 001), every validation rule at its boundaries. They run in
// order on one database: created ids are 51, 52, … in scenario order.
func createScenarios(t *testing.T, f *fixture) []wptest.Scenario {
	h := f.jsonHdr("admin")
	u := apiBase + "/customers"
	ok := func(first, last string) map[string]any { return map[string]any{"first_name": first, "last_name": last} }
	with := func(m map[string]any, kv ...any) string {
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return body(m)
	}
	row := func(id, cols string) func(t *testing.T, rec *httptest.ResponseRecorder) {
		return func(t *testing.T, rec *httptest.ResponseRecorder) {
			t.Helper()
			if got := f.db.QueryString(t, "SELECT CONCAT_WS('|', "+cols+") FROM {prefix}latepoint_customers WHERE id = ?", id); got == "" {
				t.Errorf("customer %s missing", id)
			}
		}
	}
	_ = row
	expect := func(id, cols, want string) func(t *testing.T, rec *httptest.ResponseRecorder) {
		return func(t *testing.T, rec *httptest.ResponseRecorder) {
			t.Helper()
			got := f.db.QueryString(t, "SELECT CONCAT_WS('|', "+cols+") FROM {prefix}latepoint_customers WHERE id = ?", id)
			if got != want {
				t.Errorf("customer %s %s = %q, want %q", id, cols, got, want)
			}
		}
	}
	name50 := strings.Repeat("Ab", 25)
	email100 := strings.Repeat("a", 64) + "@" + strings.Repeat("d", 23) + ".example.com" // 100 characters, longest local part
	email101 := strings.Repeat("a", 64) + "@" + strings.Repeat("d", 24) + ".example.com"
	notes1000 := strings.Repeat("n", 1000)
	return []wptest.Scenario{
		{Name: "minimal, no e-mail (optional for the API)", Method: "POST", URL: u, Header: h, Body: body(ok("Al", "Li")), Status: 201,
			Golden: golden("customers_create", "minimal"),
			Check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				expect("51", "first_name, last_name, email, IFNULL(phone, 'NULL'), status, is_guest, wordpress_user_id IS NULL, created_at, updated_at", "Al|Li||NULL|active|1|1|2026-11-23 10:00:00|2026-11-23 10:00:00")(t, rec)
				pw := f.db.QueryString(t, "SELECT CONCAT(password, ' ', activation_key, ' ', account_nonse) FROM {prefix}latepoint_customers WHERE id = 51")
				if !regexp.MustCompile(`^\$2y\$04\$[./A-Za-z0-9]{53} [0-9a-f]{40} [0-9a-f]{40}$`).MatchString(pw) {
					t.Errorf("password/activation_key/account_nonse = %q", pw)
				}
			}},
		{Name: "complete with address, custom fields, linked WordPress user", Method: "POST", URL: u, Header: h, Status: 201,
			Body: body(map[string]any{"first_name": "  Mary-Jane   O'Neil ", "last_name": "Łukasiewicz", "email": "  Mary.Jane@Example.COM ",
				"phone": "+1 (555) 123-4567", "status": "pending", "date_of_birth": "2013-11-23", "gender": "female",
				"address": "1 Infinite Loop", "city": "Cupertino", "state": "CA", "zipcode": "95014", "country": "us",
				"notes": "Allergic to latex.", "admin_notes": "VIP", "is_guest": true, "wordpress_user_id": 6,
				"custom_fields": map[string]any{"cf_R3f3rr4L": "Friend", "cf_N3wsL3tr": true, "emergency_contact": "Bob +1 555 0100", "prefs": map[string]any{"room": "quiet"}, "empty": ""}}),
			Golden: golden("customers_create", "complete"),
			Check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				expect("52", "first_name, last_name, email, phone, status, is_guest, wordpress_user_id, notes, admin_notes",
					"Mary-Jane O'Neil|Łukasiewicz|mary.jane@example.com|+15551234567|pending_verification|1|6|Allergic to latex.|VIP")(t, rec)
				meta := f.db.QueryString(t, "SELECT GROUP_CONCAT(CONCAT(meta_key, '=', meta_value) ORDER BY id SEPARATOR ';') FROM {prefix}latepoint_customer_meta WHERE object_id = 52")
				want := `date_of_birth=2013-11-23;gender=female;address=1 Infinite Loop;city=Cupertino;state=CA;zipcode=95014;country=US;cf_N3wsL3tr=on;cf_R3f3rr4L=Friend;emergency_contact=Bob +1 555 0100;prefs={"room":"quiet"}`
				if meta != want {
					t.Errorf("meta = %s\nwant  %s", meta, want)
				}
				// LatePoint's save hook copies names and e-mail onto the linked (non-admin) WordPress user (§4.1).
				if got := f.db.QueryString(t, "SELECT user_email FROM {prefix}users WHERE ID = 6"); got != "mary.jane@example.com" {
					t.Errorf("WordPress user 6 e-mail = %q", got)
				}
				if got := f.db.QueryString(t, "SELECT meta_value FROM {prefix}usermeta WHERE user_id = 6 AND meta_key = 'first_name'"); got != "Mary-Jane O'Neil" {
					t.Errorf("WordPress user 6 first_name = %q", got)
				}
			}},
		{Name: "names of exactly 50 characters, e-mail of exactly 100, phone of exactly 20, notes of exactly 1000", Method: "POST", URL: u, Header: h, Status: 201,
			Body:   with(ok(name50, name50), "email", email100, "phone", "+1 555 123 4567 8901", "notes", notes1000),
			Golden: golden("customers_create", "boundaries_max"),
			Check:  expect("53", "CHAR_LENGTH(first_name), CHAR_LENGTH(email), phone, CHAR_LENGTH(notes)", "50|100|+155512345678901|1000")},
		{Name: "one character too many everywhere", Method: "POST", URL: u, Header: h, Status: 422,
			Body:   with(ok(name50+"c", "B"), "email", email101, "phone", "+1 555 123 4567 89012", "notes", notes1000+"n"),
			Golden: golden("customers_create", "boundaries_over")},
		{Name: "13 years old today is old enough", Method: "POST", URL: u, Header: h, Status: 201, Body: with(ok("Teen", "Ager"), "date_of_birth", "2013-11-23"),
			Golden: golden("customers_create", "age_13_today")},
		{Name: "13 tomorrow is too young", Method: "POST", URL: u, Header: h, Status: 422, Body: with(ok("Teen", "Ager"), "date_of_birth", "2013-11-24"),
			Golden: golden("customers_create", "age_under_13")},
		{Name: "birth date in the future", Method: "POST", URL: u, Header: h, Status: 422, Body: with(ok("Time", "Traveller"), "date_of_birth", "2026-11-24"),
			Golden: golden("customers_create", "dob_future")},
		{Name: "birth date not a calendar date", Method: "POST", URL: u, Header: h, Status: 422, Body: with(ok("Bad", "Date"), "date_of_birth", "1990-02-30"),
			Golden: golden("customers_create", "dob_invalid")},
		{Name: "every field wrong at once", Method: "POST", URL: u, Header: h, Status: 422,
			Body: body(map[string]any{"first_name": "J0hn", "email": "not-an-email", "phone": "call me", "status": "blocked", "date_of_birth": "15/03/1985",
				"gender": "unknown", "country": "USA", "zipcode": "ABCDE", "is_guest": "sometimes", "wordpress_user_id": -3,
				"custom_fields": map[string]any{"bad key": "x", "_private": "y", "timezone_name": "UTC"}}),
			Golden: golden("customers_create", "all_invalid")},
		{Name: "missing names", Method: "POST", URL: u, Header: h, Status: 422, Body: `{}`, Golden: golden("customers_create", "missing_names")},
		{Name: "names with digits and dots", Method: "POST", URL: u, Header: h, Status: 422, Body: body(ok("Dr. Who", "R2D2")), Golden: golden("customers_create", "name_chars")},
		{Name: "postal code must match the country", Method: "POST", URL: u, Header: h, Status: 422, Body: with(ok("Zip", "Code"), "country", "DE", "zipcode", "1234"),
			Golden: golden("customers_create", "zip_country")},
		{Name: "duplicate e-mail, other case", Method: "POST", URL: u, Header: h, Status: 409, Body: with(ok("Olivia", "Again"), "email", "OLIVIA.Bennett@example.com"),
			Golden: golden("customers_create", "duplicate_email")},
		{Name: "duplicate e-mail and another field error: 422 with both", Method: "POST", URL: u, Header: h, Status: 422,
			Body: with(ok("Olivia", "Again"), "email", "olivia.bennett@example.com", "wordpress_user_id", 999), Golden: golden("customers_create", "duplicate_and_missing_user")},
		{Name: "WordPress user already linked", Method: "POST", URL: u, Header: h, Status: 422, Body: with(ok("Sam", "Twin"), "wordpress_user_id", 3),
			Golden: golden("customers_create", "wp_user_linked")},
		{Name: "custom field option and checkbox checked against the definitions", Method: "POST", URL: u, Header: h, Status: 422,
			Body: with(ok("Cf", "Check"), "custom_fields", map[string]any{"cf_R3f3rr4L": "Billboard", "cf_N3wsL3tr": "yes please"}), Golden: golden("customers_create", "custom_field_defs")},
		{Name: "avatar must be an image attachment", Method: "POST", URL: u, Header: h, Status: 422, Body: with(ok("Ava", "Tar"), "avatar_image_id", 2),
			Golden: golden("customers_create", "avatar_not_image")},
		{Name: "form-encoded body", Method: "POST", URL: u, Header: map[string]string{"X-API-Key": f.keys["admin"], "Content-Type": "application/x-www-form-urlencoded"},
			Body: "first_name=Form&last_name=Body&email=form.body%40example.com&custom_fields[cf_R3f3rr4L]=Google", Status: 201, Golden: golden("customers_create", "form_body")},
		{Name: "invalid JSON", Method: "POST", URL: u, Header: h, Body: `{"first_name":`, Status: 400, Golden: golden("error", "rest_invalid_json")},
		{Name: "key without customers:create", Method: "POST", URL: u, Header: f.jsonHdr("reader"), Body: body(ok("No", "Way")), Status: 403, Golden: golden("error", "insufficient_permissions_create")},
	}
}

func TestCreateCustomer(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	wptest.Run(t, f.rt, createScenarios(t, f))
	if got := f.rowCount(t, "latepoint_customers", ""); got != "55" {
		t.Errorf("customers after the scenarios: %s, want 55 (50 seeded + 5 created)", got)
	}
}

// E-mail is required when the site configures it (RequireEmail), as LatePoint's own validation does.
func TestCreateCustomerRequireEmail(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{RequireEmail: true, MinAge: 18})
	wptest.Run(t, f.rt, []wptest.Scenario{{Name: "no e-mail, age 17", Method: "POST", URL: apiBase + "/customers", Header: f.jsonHdr("admin"),
		Body: body(map[string]any{"first_name": "Al", "last_name": "Li", "date_of_birth": "2009-01-01"}), Status: 422,
		WantBody: `{"status":"error","success":false,"code":"validation_failed","message":"The provided data is not valid","error":{"code":"validation_failed","message":"The provided data is not valid","details":{"email":"This field is required","date_of_birth":"Customer must be at least 18 years old"}},"data":{"status":422}}`}})
}

// Twenty parallel creates with one e-mail: exactly one 201, nineteen 409, one row. LatePoint has no unique index
// on e-mail, so only the per-e-mail lock prevents duplicates. The failpoint holds the winner between its e-mail
// check and its commit (create:customer fires after the INSERT, before COMMIT) until a second request joins it or
// 400 ms pass, so the other nineteen really arrive while the window is open.
func TestCreateCustomerConcurrentSameEmail(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	w := wptest.NewWindow(2, 400*time.Millisecond)
	f.api.store.failpoint = holdAt("create:customer", w)
	count := raceCreate(f, 20)
	if entered, peak := w.Stats(); entered != 1 || peak != 1 {
		t.Errorf("%d requests reached the window (at most %d at once), want exactly 1", entered, peak)
	}
	if count[201] != 1 || count[409] != 19 {
		t.Fatalf("status counts %v, want one 201 and 19 409", count)
	}
	if got := f.rowCount(t, "latepoint_customers", "email = ?", "race.winner@example.com"); got != "1" {
		t.Fatalf("%s rows with the e-mail, want 1", got)
	}
}

// The same race with the locks switched off (a test-only switch) inserts duplicates: the failpoint above really
// holds a window the lock is needed for, so TestCreateCustomerConcurrentSameEmail fails if the lock goes.
func TestCreateCustomerRaceWithoutLockDuplicates(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	f.api.store.noLocks = true
	w := wptest.NewWindow(2, 2*time.Second)
	f.api.store.failpoint = holdAt("create:customer", w)
	count := raceCreate(f, 20)
	rows := f.rowCount(t, "latepoint_customers", "email = ?", "race.winner@example.com")
	if entered, peak := w.Stats(); peak < 2 || rows == "1" || count[201] < 2 {
		t.Fatalf("without the lock: %d requests in the window (%d at once), statuses %v, %s rows; want a duplicate",
			entered, peak, count, rows)
	}
	t.Logf("without the lock: statuses %v, %s rows with one e-mail", count, rows)
}

// holdAt is a store failpoint that holds the window at one step.
func holdAt(step string, w *wptest.Window) func(string) error {
	return func(s string) error {
		if s == step {
			w.Hold()
		}
		return nil
	}
}

// raceCreate sends n creates with one e-mail (in alternating case: uniqueness is case-insensitive) at once.
func raceCreate(f *fixture, n int) map[int]int {
	codes := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			email := "Race.Winner@Example.com"
			if i%2 == 0 {
				email = strings.ToLower(email)
			}
			rec := f.do("POST", apiBase+"/customers", f.jsonHdr("admin"), body(map[string]any{"first_name": "Race", "last_name": "Runner", "email": email}))
			codes[i] = rec.Code
		}(i)
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	return count
}
