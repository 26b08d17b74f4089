package unified

import (
	"net/http"
	"strings"
	"testing"
)

func TestGetCustomer(t *testing.T) {
	e := newEnv(t)
	t.Run("linked by id", func(t *testing.T) {
		// user 3, fct_customers 2 (user_id 3) and latepoint_customers 2 (wordpress_user_id 3): FluentCart's uuid.
		golden(t, e.signed("GET", customerURL(uuidSam), ""), 200, "customer_get_linked_by_id")
		link := snapshot(t, e.db.DB, "SELECT uuid, user_id, fct_customer_id, latepoint_customer_id FROM "+e.db.Table("wpsidecar_customer_links")+" WHERE uuid = ?", uuidSam)
		if want := `uuid="` + uuidSam + `";user_id="3";fct_customer_id="2";latepoint_customer_id="2";`; len(link) != 1 || link[0] != want {
			t.Errorf("link = %v, want %s", link, want)
		}
	})
	t.Run("linked by email", func(t *testing.T) {
		// fct_customers 1 has no user; latepoint_customers 4 has the same e-mail.
		golden(t, e.signed("GET", customerURL(uuidJane), ""), 200, "customer_get_linked_by_email")
		got := e.db.QueryString(t, "SELECT CONCAT_WS(',', IFNULL(user_id,'-'), fct_customer_id, latepoint_customer_id) FROM {prefix}wpsidecar_customer_links WHERE uuid = ?", uuidJane)
		if got != "-,1,4" {
			t.Errorf("members = %s, want -,1,4", got)
		}
	})
	t.Run("not found", func(t *testing.T) {
		golden(t, e.signed("GET", customerURL("0123456789abcdef0123456789abcdef"), ""), 404, "customer_get_not_found")
	})
	t.Run("upper-case uuid is no route", func(t *testing.T) {
		golden(t, e.signed("GET", customerURL(strings.ToUpper(uuidSam)), ""), 404, "customer_get_no_route")
	})
	t.Run("unsigned", func(t *testing.T) {
		rec := e.do("GET", customerURL(uuidSam), nil, "")
		golden(t, rec, http.StatusUnauthorized, "auth_missing_headers")
	})
	t.Run("second read reuses the link", func(t *testing.T) {
		golden(t, e.signed("GET", customerURL(uuidSam), ""), 200, "customer_get_linked_by_id")
		if n := e.db.QueryString(t, "SELECT COUNT(*) FROM {prefix}wpsidecar_customer_links"); n != "2" {
			t.Errorf("%s links, want 2", n)
		}
	})
}
