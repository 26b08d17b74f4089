package latepoint

import (
	"net/http/httptest"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// deleteScenarios: DELETE /customers/{id} (spec §6.11, §5.1).
func deleteScenarios(f *fixture) []wptest.Scenario {
	h := f.hdr("admin")
	u := apiBase + "/customers/"
	// Customer 48 has no bookings but an order (with an item, a transaction, order meta, a process job, an
	// invoice), a loose transaction and meta; a booking of customer 47 hangs off the order's item (LatePoint deletes
	// it with the order) and has booking meta and a process job of its own.
	setup := func(t *testing.T) {
		for _, q := range []string{
			"INSERT INTO {prefix}latepoint_orders (id, subtotal, total, status, fulfillment_status, payment_status, customer_id, created_at, updated_at) VALUES (9001, 45, 45, 'open', 'not_fulfilled', 'partially_paid', 48, '2026-11-10 10:00:00', '2026-11-10 10:00:00')",
			"INSERT INTO {prefix}latepoint_order_items (id, order_id, variant, item_data, subtotal, total, created_at, updated_at) VALUES (9101, 9001, 'booking', '{}', 45, 45, '2026-11-10 10:00:00', '2026-11-10 10:00:00')",
			"INSERT INTO {prefix}latepoint_bookings (id, booking_code, start_date, end_date, start_time, end_time, buffer_before, buffer_after, duration, status, customer_id, service_id, agent_id, location_id, order_item_id, total_attendees, created_at, updated_at) VALUES (9201, 'ZZZZZZZ', '2027-01-05', '2027-01-05', 600, 645, 0, 0, 45, 'approved', 47, 1, 1, 1, 9101, 1, '2026-11-10 10:00:00', '2026-11-10 10:00:00')",
			"INSERT INTO {prefix}latepoint_booking_meta (object_id, meta_key, meta_value, created_at, updated_at) VALUES (9201, 'source', 'api', '2026-11-10 10:00:00', '2026-11-10 10:00:00')",
			"INSERT INTO {prefix}latepoint_transactions (id, token, order_id, customer_id, processor, payment_method, payment_portion, kind, status, amount, created_at, updated_at) VALUES (9301, 'tok_1', 9001, 48, 'stripe', 'card', 'deposit', 'capture', 'succeeded', 20, '2026-11-10 10:00:00', '2026-11-10 10:00:00'), (9302, 'tok_2', NULL, 48, 'stripe', 'card', 'full', 'capture', 'failed', 45, '2026-11-10 10:00:00', '2026-11-10 10:00:00')",
			"INSERT INTO {prefix}latepoint_order_meta (object_id, meta_key, meta_value, created_at, updated_at) VALUES (9001, 'note', 'x', '2026-11-10 10:00:00', '2026-11-10 10:00:00')",
			"INSERT INTO {prefix}latepoint_process_jobs (process_id, object_id, object_model_type, settings, to_run_after_utc, status, created_at, updated_at) VALUES (1, 9001, 'order', '{}', '2026-11-30 10:00:00', 'scheduled', '2026-11-10 10:00:00', '2026-11-10 10:00:00'), (1, 9201, 'booking', '{}', '2026-11-30 10:00:00', 'scheduled', '2026-11-10 10:00:00', '2026-11-10 10:00:00'), (1, 48, 'customer', '{}', '2026-11-30 10:00:00', 'scheduled', '2026-11-10 10:00:00', '2026-11-10 10:00:00')",
			"INSERT INTO {prefix}latepoint_order_invoices (order_id, invoice_data, status, created_at, updated_at) VALUES (9001, '{}', 'not_paid', '2026-11-10 10:00:00', '2026-11-10 10:00:00')",
			"INSERT INTO {prefix}latepoint_activities (customer_id, code, description, initiated_by, created_at) VALUES (48, 'customer_updated', '{}', 'admin', '2026-11-10 10:00:00')",
		} {
			f.db.Exec(t, q)
		}
	}
	counts := func(t *testing.T, rec *httptest.ResponseRecorder) {
		t.Helper()
		for _, c := range []struct{ table, where, want string }{
			{"latepoint_customers", "id = 48", "0"},
			{"latepoint_customer_meta", "object_id = 48", "0"},
			{"latepoint_orders", "id = 9001", "0"},
			{"latepoint_order_items", "order_id = 9001", "0"},
			{"latepoint_bookings", "id = 9201", "0"},
			{"latepoint_booking_meta", "object_id = 9201", "0"},
			{"latepoint_transactions", "id IN (9301, 9302)", "0"},
			{"latepoint_order_meta", "object_id = 9001", "0"},
			{"latepoint_process_jobs", "object_model_type IN ('order', 'booking') AND object_id IN (9001, 9201)", "0"},
			// Not deleted by LatePoint either:
			{"latepoint_process_jobs", "object_model_type = 'customer' AND object_id = 48", "1"},
			{"latepoint_order_invoices", "order_id = 9001", "1"},
			{"latepoint_activities", "customer_id = 48", "1"},
			// Untouched neighbours:
			{"latepoint_customers", "", "49"},
			{"latepoint_bookings", "customer_id = 47", "0"},
			{"latepoint_bookings", "", "130"},
		} {
			if got := f.rowCount(t, c.table, c.where); got != c.want {
				t.Errorf("%s WHERE %s: %s rows, want %s", c.table, c.where, got, c.want)
			}
		}
	}
	return []wptest.Scenario{
		{Name: "has bookings (cancelled ones count)", Method: "DELETE", URL: u + "1", Header: h, Status: 400, Golden: golden("customers_delete", "has_bookings_1")},
		{Name: "not found", Method: "DELETE", URL: u + "9999", Header: h, Status: 404, Golden: golden("customers_delete", "not_found")},
		{Name: "cascade", Method: "DELETE", URL: u + "48", Header: h, Status: 200, Setup: setup, Golden: golden("customers_delete", "ok_48"), Check: counts},
		{Name: "gone", Method: "DELETE", URL: u + "48", Header: h, Status: 404, Golden: golden("customers_delete", "not_found")},
		{Name: "get after delete", URL: u + "48", Header: h, Status: 404},
	}
}

func TestDeleteCustomer(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	wptest.Run(t, f.rt, deleteScenarios(f))
}
