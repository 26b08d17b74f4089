package latepoint

import (
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// getScenarios: GET /customers/{id} over the demo seed (spec §6.8, §6.12, §6.13, seed 004). Read-only.
func getScenarios(f *fixture) []wptest.Scenario {
	h := f.hdr("reader")
	u := apiBase + "/customers/"
	return []wptest.Scenario{
		{Name: "basic with profile meta", URL: u + "17", Header: h, Status: 200, Golden: golden("customers_get", "basic_17")},
		{Name: "unknown include is ignored", URL: u + "17?include=preferences", Header: h, Status: 200, Golden: golden("customers_get", "basic_17")},
		{Name: "everything", URL: u + "1?include=stats,bookings,upcoming_bookings,past_bookings,custom_fields,notes,avatar", Header: h, Status: 200, Golden: golden("customers_get", "full_1")},
		{Name: "upcoming limited to 1", URL: u + "1?include=upcoming_bookings&bookings_limit=1", Header: h, Status: 200, Golden: golden("customers_get", "upcoming_limit1_1")},
		{Name: "bookings_status confirmed means approved", URL: u + "1?include=bookings&bookings_status=confirmed", Header: h, Status: 200, Golden: golden("customers_get", "status_confirmed_1")},
		{Name: "bookings_status list", URL: u + "1?include=bookings&bookings_status=no_show,cancelled", Header: h, Status: 200, Golden: golden("customers_get", "status_list_1")},
		{Name: "bookings_status unknown", URL: u + "1?include=bookings&bookings_status=lost", Header: h, Status: 400, Golden: golden("customers_get", "bookings_status_invalid")},
		{Name: "bookings_limit 0", URL: u + "1?include=bookings&bookings_limit=0", Header: h, Status: 400, Golden: golden("customers_get", "bookings_limit_0")},
		{Name: "not found", URL: u + "9999", Header: h, Status: 404, Golden: golden("customers_get", "not_found")},
		{Name: "linked WordPress user: Gravatar", URL: u + "2?include=avatar,stats", Header: h, Status: 200, Golden: golden("customers_get", "linked_2")},
		{Name: "attachment without thumbnail size: full image", URL: u + "10?include=avatar", Header: h, Status: 200, Golden: golden("customers_get", "avatar_full_10")},
		{Name: "deleted attachment: default avatar", URL: u + "11?include=avatar", Header: h, Status: 200, Golden: golden("customers_get", "avatar_missing_11")},
		{Name: "non-attachment post: default avatar", URL: u + "12?include=avatar", Header: h, Status: 200, Golden: golden("customers_get", "avatar_not_attachment_12")},
		{Name: "dangling WordPress link", URL: u + "18?include=avatar", Header: h, Status: 200, Golden: golden("customers_get", "dangling_link_18")},
		{Name: "CJK names, legacy booking without UTC columns", URL: u + "8?include=bookings,stats", Header: h, Status: 200, Golden: golden("customers_get", "cjk_8")},
		{Name: "emoji", URL: u + "9?include=custom_fields,notes,stats", Header: h, Status: 200, Golden: golden("customers_get", "emoji_9")},
		{Name: "NULL names", URL: u + "25", Header: h, Status: 200, Golden: golden("customers_get", "null_names_25")},
		{Name: "midnight booking with NULL UTC columns", URL: u + "21?include=bookings,upcoming_bookings,stats", Header: h, Status: 200, Golden: golden("customers_get", "midnight_21")},
		{Name: "booking crossing midnight", URL: u + "22?include=bookings", Header: h, Status: 200, Golden: golden("customers_get", "cross_midnight_22")},
		{Name: "bundle bookings have no price", URL: u + "5?include=bookings,stats", Header: h, Status: 200, Golden: golden("customers_get", "bundle_5")},
		{Name: "no bookings", URL: u + "48?include=stats,bookings,upcoming_bookings,past_bookings,custom_fields", Header: h, Status: 200, Golden: golden("customers_get", "no_bookings_48")},
		{Name: "zero id", URL: u + "0", Header: h, Status: 404, Golden: golden("customers_get", "not_found_0")},
	}
}

func TestGetCustomer(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	wptest.Run(t, f.rt, getScenarios(f))
}
