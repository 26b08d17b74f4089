package wptest_test

import (
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// Every schema file loads under two different prefixes, and every table carries the prefix.
func TestSchemasLoadWithAnyPrefix(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"wp_", "wpt_"} {
		t.Run(prefix, func(t *testing.T) {
			t.Parallel()
			db := wptest.NewDB(t, wptest.Options{Prefix: prefix})
			var total, prefixed int
			err := db.DB.QueryRow(`SELECT COUNT(*), SUM(TABLE_NAME LIKE CONCAT(REPLACE(?, '_', '\\_'), '%'))
				FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()`, prefix).Scan(&total, &prefixed)
			if err != nil {
				t.Fatal(err)
			}
			// 5 WordPress + 35 FluentCart + 32 LatePoint + the sidecar's own tables.
			if total < 72+4 || prefixed != total {
				t.Fatalf("prefix %s: %d tables, %d prefixed", prefix, total, prefixed)
			}
			for _, name := range []string{"users", "usermeta", "options", "posts", "postmeta", "fct_customers",
				"fct_customer_addresses", "fct_label_relationships", "latepoint_customers", "latepoint_bookings",
				"wpsidecar_api_keys"} {
				if got := db.QueryString(t, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", db.Table(name)); got != "1" {
					t.Errorf("table %s missing", db.Table(name))
				}
			}
			// FluentCart names its indexes with the site prefix too.
			idx := db.QueryString(t, "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = ?", prefix+"fct_cus_ad__type")
			if idx != "1" {
				t.Errorf("FluentCart index %sfct_cus_ad__type missing", prefix)
			}
		})
	}
}

// A subset of schemas can be loaded (a site without LatePoint).
func TestSchemaSubset(t *testing.T) {
	t.Parallel()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpx_", Schemas: []string{"wordpress", "fluentcart"}})
	if got := db.QueryString(t, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'wpx\\_latepoint%'"); got != "0" {
		t.Fatalf("latepoint tables present: %s", got)
	}
}
