package latepoint

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// Shadow mode judges writes without doing them (rest.Handler.Validate): the verdict equals what the write
// would answer, and nothing is written, counted or logged.
func TestWriteVerdicts(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	before := f.checksums(t)
	verdict := func(method, url, body string) rest.Verdict {
		req := httptest.NewRequest(method, url, strings.NewReader(body))
		req.RemoteAddr = "127.0.0.1:4000"
		req.Header.Set("X-API-Key", f.keys["admin"])
		req.Header.Set("Content-Type", "application/json")
		return f.rt.Verdict(req.WithContext(rest.WithDryRun(req.Context())))
	}
	cases := []struct {
		name, method, url, body string
		status                  int // 0 = accepted
		code                    string
	}{
		{"create ok", "POST", apiBase + "/customers", `{"first_name":"Al","last_name":"Li","email":"al.li@example.com"}`, 0, ""},
		{"create duplicate", "POST", apiBase + "/customers", `{"first_name":"Al","last_name":"Li","email":"OLIVIA.bennett@example.com"}`, 409, "email_exists"},
		{"create invalid", "POST", apiBase + "/customers", `{"first_name":"A"}`, 422, "validation_failed"},
		{"update ok", "PUT", apiBase + "/customers/2", `{"email":"sam@example.com","first_name":"Samuel"}`, 0, ""},
		{"update WordPress e-mail taken", "PUT", apiBase + "/customers/2", `{"email":"admin@example.com"}`, 400, "customer_update_failed"},
		{"update not found", "PUT", apiBase + "/customers/9999", `{"email":"x"}`, 404, "customer_not_found"},
		{"delete with bookings", "DELETE", apiBase + "/customers/1", ``, 400, "customer_has_bookings"},
		{"delete ok", "DELETE", apiBase + "/customers/48", ``, 0, ""},
		{"delete not found", "DELETE", apiBase + "/customers/9999", ``, 404, "customer_not_found"},
	}
	for _, c := range cases {
		v := verdict(c.method, c.url, c.body)
		if !v.Verifiable {
			t.Errorf("%s: not verifiable", c.name)
			continue
		}
		if c.status == 0 {
			if !v.Accepted {
				t.Errorf("%s: refused with %d %v", c.name, v.Response.Status, v.Response.Body)
			}
			continue
		}
		if v.Accepted || v.Response == nil || v.Response.Status != c.status || v.Response.Body.(*errorBody).Code != c.code {
			t.Errorf("%s: accepted=%v response %+v", c.name, v.Accepted, v.Response)
		}
	}
	if after := f.checksums(t); after != before {
		t.Errorf("a verdict changed the tables")
	}
	if n := f.rowCount(t, "latepoint_customers", "id = 48"); n != "1" {
		t.Error("customer 48 deleted by a verdict")
	}
	if n := f.rowCount(t, "wpsidecar_rate_limits", ""); n != "0" {
		t.Errorf("%s rate-limit rows after verdicts only", n)
	}
}
