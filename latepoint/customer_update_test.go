package latepoint

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// updateScenarios: PUT/PATCH /customers/{id} (spec §6.10, seed 000). They run in order on one database.
func updateScenarios(f *fixture) []wptest.Scenario {
	h := f.jsonHdr("admin")
	u := apiBase + "/customers/"
	sel := func(t *testing.T, q string, args ...any) string { t.Helper(); return f.db.QueryString(t, q, args...) }
	want := func(q, w string, args ...any) func(t *testing.T, rec *httptest.ResponseRecorder) {
		return func(t *testing.T, rec *httptest.ResponseRecorder) {
			t.Helper()
			if got := sel(t, q, args...); got != w {
				t.Errorf("%s = %q, want %q", q, got, w)
			}
		}
	}
	metaOf := func(id int) string {
		return "SELECT GROUP_CONCAT(CONCAT(id, ':', meta_key, '=', meta_value) ORDER BY id SEPARATOR ';') FROM {prefix}latepoint_customer_meta WHERE object_id = " + itoa(int64(id))
	}
	return []wptest.Scenario{
		{Name: "one field; the rest unchanged", Method: "PUT", URL: u + "4", Header: h, Body: `{"phone":"+1 512 555 0199"}`, Status: 200,
			Golden: golden("customers_update", "phone_only"),
			Check: want("SELECT CONCAT_WS('|', first_name, last_name, email, phone, status, is_guest, created_at, updated_at) FROM {prefix}latepoint_customers WHERE id = 4",
				"Jane|Doe|jane.doe@example.com|+15125550199|pending_verification|1|2026-08-26 11:47:58|2026-11-23 10:00:00")},
		{Name: "PATCH is the same partial update", Method: "PATCH", URL: u + "4", Header: h, Body: `{"status":"blocked","is_guest":false}`, Status: 200,
			Golden: golden("customers_update", "patch_status_blocked")},
		{Name: "own e-mail in another case is not a duplicate", Method: "PUT", URL: u + "4", Header: h, Body: `{"email":"JANE.DOE@example.com"}`, Status: 200,
			Golden: golden("customers_update", "own_email")},
		{Name: "e-mail of another customer", Method: "PUT", URL: u + "4", Header: h, Body: `{"email":"Olivia.Bennett@example.com"}`, Status: 400,
			Golden: golden("customers_update", "email_taken")},
		{Name: "every failure in one answer", Method: "PUT", URL: u + "4", Header: h, Status: 400,
			Body:   `{"first_name":"X","last_name":null,"email":"olivia.bennett@example.com","status":"pending_approval","date_of_birth":"2026-12-01","country":"ZZ","avatar_image_id":2,"wordpress_user_id":3,"custom_fields":{"cf_R3f3rr4L":"Radio"}}`,
			Golden: golden("customers_update", "all_invalid"),
			Check:  want("SELECT CONCAT_WS('|', first_name, email, status) FROM {prefix}latepoint_customers WHERE id = 4", "Jane|jane.doe@example.com|blocked")},
		{Name: "no recognised field", Method: "PUT", URL: u + "4", Header: h, Body: `{"favourite_colour":"blue"}`, Status: 400, Golden: golden("customers_update", "no_fields")},
		{Name: "not found", Method: "PUT", URL: u + "9999", Header: h, Body: `{"phone":"+15125550199"}`, Status: 404, Golden: golden("customers_update", "not_found")},
		{Name: "not found beats validation", Method: "PUT", URL: u + "9999", Header: h, Body: `{"email":"nope"}`, Status: 404, Golden: golden("customers_update", "not_found")},
		{Name: "custom fields merge; null and empty remove", Method: "PUT", URL: u + "1", Header: h, Status: 200,
			Body:   `{"custom_fields":{"cf_Al3rg1Es":null,"cf_R3f3rr4L":"Google","cf_N3wsL3tr":"","emergency_contact":"Tom +1 555 0101"}}`,
			Golden: golden("customers_update", "custom_fields_1"),
			Check:  want(metaOf(1), "1:timezone_name=America/New_York;3:cf_R3f3rr4L=Google;5:stripe_connect_customer_id=cus_Rb3kLm8NpQ2sTx;31:emergency_contact=Tom +1 555 0101")},
		{Name: "duplicated meta key: first row updated, duplicates removed", Method: "PUT", URL: u + "2", Header: h, Status: 200,
			Body: `{"custom_fields":{"cf_Al3rg1Es":"Shellfish"}}`, Golden: golden("customers_update", "meta_duplicates_2"),
			Check: want(metaOf(2), "6:cf_Al3rg1Es=Shellfish;8:cf_N3wsL3tr=off")},
		{Name: "profile meta: set, replace, remove", Method: "PUT", URL: u + "17", Header: h, Status: 200,
			Body: `{"address":"10 Downing St","city":"London","state":null,"zipcode":"SW1A 2AA","country":"gb","gender":"prefer_not_to_say"}`, Golden: golden("customers_update", "profile_17"),
			Check: want(metaOf(17), "15:address=10 Downing St;16:city=London;18:country=GB;19:zipcode=SW1A 2AA;20:date_of_birth=1990-04-17;21:gender=prefer_not_to_say;22:emergency_contact=Max Schmidt +16465550199;23:cf_Int3rnL=5")},
		{Name: "avatar must be an image attachment", Method: "PUT", URL: u + "17", Header: h, Body: `{"avatar_image_id":2}`, Status: 400, Golden: golden("customers_update", "avatar_invalid")},
		{Name: "avatar set", Method: "PUT", URL: u + "17", Header: h, Body: `{"avatar_image_id":5}`, Status: 200,
			Check: want("SELECT avatar_image_id FROM {prefix}latepoint_customers WHERE id = 17", "5")},
		{Name: "avatar cleared with null", Method: "PUT", URL: u + "17", Header: h, Body: `{"avatar_image_id":null}`, Status: 200,
			Check: want("SELECT IFNULL(avatar_image_id, 'NULL') FROM {prefix}latepoint_customers WHERE id = 17", "NULL")},
		{Name: "linked customer: names and e-mail reach the WordPress user", Method: "PUT", URL: u + "2", Header: h, Status: 200,
			Body: `{"first_name":"Samuel","email":"Sam.Porter@example.com"}`, Golden: golden("customers_update", "linked_2"),
			Check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				want("SELECT user_email FROM {prefix}users WHERE ID = 3", "sam.porter@example.com")(t, rec)
				want("SELECT GROUP_CONCAT(meta_value ORDER BY umeta_id) FROM {prefix}usermeta WHERE user_id = 3 AND meta_key IN ('first_name', 'last_name')", "Samuel,Porter")(t, rec)
			}},
		{Name: "linked customer: an e-mail another WordPress user has is refused, nothing changes", Method: "PUT", URL: u + "2", Header: h, Status: 400,
			Body: `{"phone":"+15035550000","email":"admin@example.com"}`, Golden: golden("customers_update", "linked_wp_email_taken"),
			Check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				want("SELECT CONCAT_WS('|', email, phone) FROM {prefix}latepoint_customers WHERE id = 2", "sam.porter@example.com|+15035550102")(t, rec)
				want("SELECT user_email FROM {prefix}users WHERE ID = 3", "sam.porter@example.com")(t, rec)
			}},
		{Name: "linking an administrator leaves the WordPress user alone", Method: "PUT", URL: u + "19", Header: h, Status: 200,
			Body: `{"wordpress_user_id":4,"email":"ivy.chen@example.org"}`, Golden: golden("customers_update", "link_admin_19"),
			Check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				want("SELECT CONCAT_WS('|', wordpress_user_id, is_guest, email) FROM {prefix}latepoint_customers WHERE id = 19", "4|0|ivy.chen@example.org")(t, rec)
				want("SELECT user_email FROM {prefix}users WHERE ID = 4", "oldadmin@example.com")(t, rec)
			}},
		{Name: "unlink", Method: "PUT", URL: u + "19", Header: h, Body: `{"wordpress_user_id":null}`, Status: 200,
			Check: want("SELECT IFNULL(wordpress_user_id, 'NULL') FROM {prefix}latepoint_customers WHERE id = 19", "NULL")},
		{Name: "status vocabulary of the update page", Method: "PUT", URL: u + "16", Header: h, Body: `{"status":"pending_verification","notes":"` + strings.Repeat("é", 1000) + `"}`, Status: 200,
			Golden: golden("customers_update", "status_pending_verification")},
		{Name: "notes of 1001 characters", Method: "PUT", URL: u + "16", Header: h, Body: `{"notes":"` + strings.Repeat("é", 1001) + `"}`, Status: 400,
			Golden: golden("customers_update", "notes_1001")},
		{Name: "reader key", Method: "PUT", URL: u + "16", Header: f.jsonHdr("reader"), Body: `{"status":"active"}`, Status: 403, Golden: golden("error", "insufficient_permissions_update")},
	}
}

func TestUpdateCustomer(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	wptest.Run(t, f.rt, updateScenarios(f))
}

// checksums fingerprints every table an update may touch.
func (f *fixture) checksums(t *testing.T) string {
	t.Helper()
	var out []string
	for _, tbl := range []string{"latepoint_customers", "latepoint_customer_meta", "users", "usermeta"} {
		rows, err := f.db.DB.Query("CHECKSUM TABLE " + f.db.Table(tbl) + " EXTENDED")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var name, sum string
			if err := rows.Scan(&name, &sum); err != nil {
				t.Fatal(err)
			}
			out = append(out, name+"="+sum)
		}
		rows.Close()
	}
	return strings.Join(out, " ")
}

// A failure after the first write of an update of a linked customer's e-mail leaves every table as it was: the
// customer row, its meta and the WordPress user change in one transaction or not at all.
func TestUpdateFailureRollsBackEverything(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	for _, step := range []string{"update:customer", "update:meta", "wp_user:email", "update:wp_user"} {
		t.Run(step, func(t *testing.T) {
			before := f.checksums(t)
			f.api.store.failpoint = func(s string) error {
				if s == step {
					return errors.New("injected failure at " + s)
				}
				return nil
			}
			defer func() { f.api.store.failpoint = nil }()
			rec := f.do("PUT", apiBase+"/customers/2", f.jsonHdr("admin"),
				`{"first_name":"Samuel","email":"samuel.porter@example.com","city":"Portland","custom_fields":{"cf_N3wsL3tr":"on"}}`)
			if rec.Code != 500 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			if got, want := rec.Body.String(), string(wptest.Golden(t, golden("error", "server_error"))); got != want {
				t.Errorf("body %s\nwant %s", got, want)
			}
			if after := f.checksums(t); after != before {
				t.Errorf("tables changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	// Without the failure the same update lands in all three tables.
	rec := f.do("PUT", apiBase+"/customers/2", f.jsonHdr("admin"), `{"first_name":"Samuel","email":"samuel.porter@example.com","city":"Portland"}`)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	if got := f.db.QueryString(t, "SELECT CONCAT_WS('|', c.email, u.user_email, m.meta_value) FROM {prefix}latepoint_customers c JOIN {prefix}users u ON u.ID = c.wordpress_user_id JOIN {prefix}usermeta m ON m.user_id = u.ID AND m.meta_key = 'first_name' WHERE c.id = 2"); got != "samuel.porter@example.com|samuel.porter@example.com|Samuel" {
		t.Errorf("after update: %s", got)
	}
}
