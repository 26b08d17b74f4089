package latepoint

import (
	"database/sql"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// 503 latepoint_not_available when LatePoint is not an active plugin, when its tables are missing, and when the
// database cannot be reached (spec §6.1 [REC]); GET /status still tells a valid key what it found.
func TestLatePointNotAvailable(t *testing.T) {
	t.Parallel()
	t.Run("plugin inactive", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, Options{})
		f.db.Exec(t, `UPDATE {prefix}options SET option_value = 'a:1:{i:0;s:31:"fluent-cart/fluent-cart.php";}' WHERE option_name = 'active_plugins'`)
		wptest.Run(t, f.rt, []wptest.Scenario{
			{Name: "list", URL: apiBase + "/customers", Header: f.hdr("admin"), Status: 503, Golden: golden("error", "latepoint_not_available")},
			{Name: "create", Method: "POST", URL: apiBase + "/customers", Header: f.jsonHdr("admin"), Body: `{"first_name":"Al","last_name":"Li"}`, Status: 503, Golden: golden("error", "latepoint_not_available")},
			{Name: "status", URL: apiBase + "/status", Header: f.hdr("admin"), Status: 200, Golden: golden("status", "plugin_inactive")},
		})
	})
	t.Run("tables missing", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, Options{})
		f.db.Exec(t, "DROP TABLE {prefix}latepoint_customers")
		wptest.Run(t, f.rt, []wptest.Scenario{
			{Name: "get", URL: apiBase + "/customers/1", Header: f.hdr("admin"), Status: 503, Golden: golden("error", "latepoint_not_available")},
			{Name: "list", URL: apiBase + "/customers", Header: f.hdr("admin"), Status: 503, Golden: golden("error", "latepoint_not_available")},
			{Name: "update", Method: "PUT", URL: apiBase + "/customers/1", Header: f.jsonHdr("admin"), Body: `{"phone":"+15555550100"}`, Status: 503, Golden: golden("error", "latepoint_not_available")},
			{Name: "delete", Method: "DELETE", URL: apiBase + "/customers/48", Header: f.hdr("admin"), Status: 503, Golden: golden("error", "latepoint_not_available")},
			{Name: "create", Method: "POST", URL: apiBase + "/customers", Header: f.jsonHdr("admin"), Body: `{"first_name":"Al","last_name":"Li","email":"al@example.com"}`, Status: 503, Golden: golden("error", "latepoint_not_available")},
			{Name: "status", URL: apiBase + "/status", Header: f.hdr("admin"), Status: 200, Golden: golden("status", "tables_missing")},
		})
	})
	t.Run("database unreachable", func(t *testing.T) {
		t.Parallel()
		db, err := sql.Open("mysql", "root@unix(/nonexistent/mysqld.sock)/wp?timeout=1s")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		tables, _ := wpcompat.NewTables("wp_")
		site := wpcompat.NewSite(db, db, tables, nil, nil)
		site.Now = func() time.Time { return fixedNow }
		rt := rest.NewRouter(site, nil)
		api := Register(rt, site, Options{DisableAuditLog: true})
		defer api.Close(t.Context())
		wptest.Run(t, rt, []wptest.Scenario{
			{Name: "list", URL: apiBase + "/customers", Header: map[string]string{"X-API-Key": "lp_live_" + "x123456789012345678901234567890123456789012"}, Status: 503, Golden: golden("error", "latepoint_not_available")},
		})
	})
}
