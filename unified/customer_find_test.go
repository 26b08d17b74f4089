package unified

import (
	"net/url"
	"testing"
)

func findURL(email string) string {
	return "/wp-json/wpsidecar/v1/customers/find-by-email?email=" + url.QueryEscape(email)
}

func TestFindByEmail(t *testing.T) {
	e := newEnv(t)
	t.Run("latepoint only: the sidecar assigns the uuid", func(t *testing.T) {
		golden(t, e.signed("GET", findURL("olivia.bennett@example.com"), ""), 200, "find_by_email_latepoint_only")
		// The assigned uuid addresses the person from now on.
		golden(t, e.signed("GET", customerURL("0000000000000000000000000000a001"), ""), 200, "find_by_email_latepoint_only_get")
	})
	t.Run("wordpress only, case-insensitive", func(t *testing.T) {
		golden(t, e.signed("GET", findURL("EDITOR@example.com"), ""), 200, "find_by_email_wordpress_only")
	})
	t.Run("fluentcart and latepoint by e-mail: FluentCart's uuid", func(t *testing.T) {
		golden(t, e.signed("GET", findURL("mixed.case@example.com"), ""), 200, "find_by_email_fluentcart")
		got := e.db.QueryString(t, "SELECT CONCAT_WS(',', IFNULL(user_id,'-'), fct_customer_id, latepoint_customer_id) FROM {prefix}wpsidecar_customer_links WHERE uuid = ?", "0cd23df144d694e7962be40e2ae54519")
		if got != "-,13,14" {
			t.Errorf("members = %s, want -,13,14", got)
		}
	})
	t.Run("the same person again: same uuid, no new link", func(t *testing.T) {
		before := e.db.QueryString(t, "SELECT COUNT(*) FROM {prefix}wpsidecar_customer_links")
		golden(t, e.signed("GET", findURL("olivia.bennett@example.com"), ""), 200, "find_by_email_latepoint_only")
		if after := e.db.QueryString(t, "SELECT COUNT(*) FROM {prefix}wpsidecar_customer_links"); after != before {
			t.Errorf("links %s → %s", before, after)
		}
	})
	t.Run("not found", func(t *testing.T) {
		golden(t, e.signed("GET", findURL("nobody@example.com"), ""), 404, "find_by_email_not_found")
	})
	t.Run("missing email", func(t *testing.T) {
		golden(t, e.signed("GET", "/wp-json/wpsidecar/v1/customers/find-by-email", ""), 400, "find_by_email_missing")
	})
	t.Run("the query is signed", func(t *testing.T) {
		// Signed for one address, sent for another: the signature no longer matches.
		h := SignedHeaders(e.clientID, e.secret, "GET", findURL("olivia.bennett@example.com"), e.nextTS(), nil)
		golden(t, e.do("GET", findURL("jane.doe@example.com"), h, ""), 401, "auth_wrong_secret")
	})
}
