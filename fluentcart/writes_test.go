package fluentcart_test

import (
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/fluentcart"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// Options.KeepOmittedFields: fields a PUT does not send keep their stored values (PHP blanks them).
func TestKeepOmittedFields(t *testing.T) {
	r := shared(t)
	rt := rest.NewRouter(r.site, r.auth)
	fluentcart.Register(rt, r.site, fluentcart.Options{KeepOmittedFields: true})
	r.mu.Lock()
	defer r.mu.Unlock()
	r.restore(t)
	defer r.restore(t)
	hdr := map[string]string{"Content-Type": "application/json", "Authorization": basicAuth("admin")}
	rec := wptest.Do(rt, "PUT", "/wp-json/fluent-cart/v2/customers/1", hdr, `{"id":1,"full_name":"Jane Q Doe","email":"jane.doe@example.com"}`)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	wantRow("SELECT first_name, last_name, status, aov, notes, country, city, state, postcode FROM {prefix}fct_customers WHERE id = 1",
		"Jane Q|Doe|active|6832.67|Called about order INV-1.\nWants invoices by e-mail.|US|Austin|TX|73301")(t, r)
	rec = wptest.Do(rt, "PUT", "/wp-json/fluent-cart/v2/customers/1/address", hdr, `{`+addrBase+`,"id":2,"type":"billing"}`)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	wantRow("SELECT label, phone, postcode, address_2, is_primary, meta FROM {prefix}fct_customer_addresses WHERE id = 2",
		`Office||78701|Suite 2200|0|{"other_data":{"company_name":"Doe & Partners LLC"}}`)(t, r)
	r.auth.WaitUsage()
}

// The WordPress user of a linked customer: the nicename de-duplication against other users, and the 501 for an
// update that would change the user's e-mail (DEVIATIONS.md).
func TestLinkedUserUpdate(t *testing.T) {
	r := shared(t)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.restore(t)
	defer r.restore(t)
	hdr := map[string]string{"Content-Type": "application/json", "Authorization": basicAuth("admin")}
	// Another user already has the nicename "walter-brooks": the linked user gets "walter-brooks-2".
	r.db.Exec(t, "UPDATE {prefix}users SET user_nicename = 'walter-brooks' WHERE ID = 2")
	rec := wptest.Do(r.rt, "PUT", "/wp-json/fluent-cart/v2/customers/4", hdr, `{"id":4,"full_name":"Walter Brooks","email":"fcworker@example.com","user_id":6}`)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	wantRow("SELECT user_nicename, display_name FROM {prefix}users WHERE ID = 6", "walter-brooks-2|Walter Brooks")(t, r)
	// The WordPress user's e-mail differs from the customer's: PHP would change it and send a notice.
	r.db.Exec(t, "UPDATE {prefix}users SET user_email = 'walter@example.org' WHERE ID = 6")
	rec = wptest.Do(r.rt, "PUT", "/wp-json/fluent-cart/v2/customers/4", hdr, `{"id":4,"full_name":"Walt Brooks","email":"x@example.com","user_id":6}`)
	if rec.Code != 501 || !strings.Contains(rec.Body.String(), "wpsidecar_not_implemented") {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	wantRow("SELECT first_name, (SELECT display_name FROM {prefix}users WHERE ID = 6) FROM {prefix}fct_customers WHERE id = 4", "Walter|Walter Brooks")(t, r)
	r.auth.WaitUsage()
}
