package latepoint

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Every request under the namespace is logged asynchronously, with the templated route, the key's id and display
// prefix (never the key), and the error code.
func TestAuditLogRows(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	f.do("GET", apiBase+"/customers/17?include=stats", map[string]string{"X-API-Key": f.keys["admin"], "User-Agent": "audit-test", "X-Request-Id": "req-1"}, "")
	f.do("GET", apiBase+"/customers", map[string]string{"X-API-Key": "lp_live_" + strings.Repeat("Z", 43), "X-Request-Id": "req-2"}, "")
	f.do("GET", apiBase+"/nope", map[string]string{"X-Request-Id": "req-3"}, "")
	f.do("DELETE", apiBase+"/customers/1", map[string]string{"Authorization": "Bearer " + f.keys["admin"], "X-Request-Id": "req-4"}, "")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.api.AuditLog().Close(ctx); err != nil { // flushes
		t.Fatal(err)
	}
	rows, err := f.db.DB.Query("SELECT request_id, IFNULL(api_key_id, 0), IFNULL(key_prefix, ''), method, route, status_code, IFNULL(error_code, ''), ip, IFNULL(user_agent, ''), created_at FROM " +
		f.db.Table("wpsidecar_api_logs") + " ORDER BY request_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var id, key, prefix, method, route, status, code, ip, ua, at string
		if err := rows.Scan(&id, &key, &prefix, &method, &route, &status, &code, &ip, &ua, &at); err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join([]string{id, key, prefix, method, route, status, code, ip, ua, at}, "|"))
	}
	adminPrefix := f.keys["admin"][:12]
	want := []string{
		"req-1|1|" + adminPrefix + "|GET|/customers/{id}|200||127.0.0.1|audit-test|2026-11-23 15:00:00",
		"req-2|0|lp_live_|GET|/customers|401|unauthorized|127.0.0.1||2026-11-23 15:00:00",
		"req-3|0||GET|/nope|404|rest_no_route|127.0.0.1||2026-11-23 15:00:00",
		"req-4|1|" + adminPrefix + "|DELETE|/customers/{id}|400|customer_has_bookings|127.0.0.1||2026-11-23 15:00:00",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// No secret anywhere in the table.
	for name, key := range f.keys {
		if n := f.db.QueryString(t, "SELECT COUNT(*) FROM {prefix}wpsidecar_api_logs WHERE CONCAT_WS(' ', request_id, key_prefix, route, user_agent) LIKE ?", "%"+key[12:]+"%"); n != "0" {
			t.Errorf("key %s found in the audit log", name)
		}
	}
}

// A full queue drops entries and counts them; Log never blocks.
func TestAuditLogQueueFullDrops(t *testing.T) {
	t.Parallel()
	drops := 0
	a := &AuditLog{queue: make(chan auditEntry, 2), onDrop: func() { drops++ }} // no writer goroutine: nothing drains
	done := make(chan struct{})
	go func() {
		for i := 0; i < 5; i++ {
			a.Log(auditEntry{RequestID: "r"})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Log blocked on a full queue")
	}
	if a.Dropped() != 3 || drops != 3 {
		t.Fatalf("dropped %d (events %d), want 3", a.Dropped(), drops)
	}
}

// last_used_at / last_used_ip are written by the background loop, not on the request path.
func TestKeyLastUsed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	f.do("GET", apiBase+"/status", f.hdr("reader"), "")
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := f.db.QueryString(t, "SELECT CONCAT_WS('|', last_used_at, last_used_ip) FROM {prefix}wpsidecar_api_keys WHERE id = ?", f.ids["reader"])
		if got == "2026-11-23 15:00:00|127.0.0.1" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("last use not recorded: %q", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
