package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// indexAdvice is one index the plugins do not create but their list queries (the sidecar's and PHP's: both send
// the same SQL) need to avoid reading and sorting the whole table. `wpsidecar doctor --indexes` prints them; the
// sidecar never changes a site's schema itself.
type indexAdvice struct {
	table   string   // base name (prefix added)
	name    string   // index name
	columns []string // indexed columns; InnoDB appends the primary key, which serves the "…, id" tie-break
	serves  string   // the query it serves, with {t} for the table's full name
	why     string
}

// indexAdvices: LatePoint's customer list sorts by created_at (default) or updated_at/first_name/last_name with an id
// tie-break and filters by status; its spent-per-customer sum reads transactions by customer_id (the table has no
// secondary index at all). FluentCart's customer table sorts by the admin screen's sortable columns (first_name,
// purchase_count, ltv, last_purchase_date; id is the primary key) and reads the checkout-fields option from fct_meta
// by meta_key on every customer update.
var indexAdvices = []indexAdvice{
	{table: "latepoint_customers", name: "wpsidecar_created_at", columns: []string{"created_at"},
		serves: "SELECT c.* FROM {t} c ORDER BY c.created_at DESC, c.id DESC LIMIT 20 OFFSET 0",
		why:    "GET latepoint-api/v1/customers (default order): without it MySQL sorts every customer per page"},
	{table: "latepoint_customers", name: "wpsidecar_status_created_at", columns: []string{"status", "created_at"},
		serves: "SELECT c.* FROM {t} c WHERE (c.status = 'active') ORDER BY c.created_at DESC, c.id DESC LIMIT 20 OFFSET 0",
		why:    "GET latepoint-api/v1/customers?status=…"},
	{table: "latepoint_customers", name: "wpsidecar_updated_at", columns: []string{"updated_at"},
		serves: "SELECT c.* FROM {t} c ORDER BY c.updated_at DESC, c.id DESC LIMIT 20 OFFSET 0",
		why:    "GET latepoint-api/v1/customers?order_by=updated_at"},
	{table: "latepoint_customers", name: "wpsidecar_last_name", columns: []string{"last_name"},
		serves: "SELECT c.* FROM {t} c ORDER BY c.last_name ASC, c.id ASC LIMIT 20 OFFSET 0",
		why:    "GET latepoint-api/v1/customers?order_by=last_name"},
	{table: "latepoint_customers", name: "wpsidecar_first_name", columns: []string{"first_name"},
		serves: "SELECT c.* FROM {t} c ORDER BY c.first_name ASC, c.id ASC LIMIT 20 OFFSET 0",
		why:    "GET latepoint-api/v1/customers?order_by=first_name"},
	{table: "latepoint_transactions", name: "wpsidecar_customer_id", columns: []string{"customer_id"},
		serves: "SELECT customer_id, SUM(amount) FROM {t} WHERE customer_id IN (7, 8, 9) GROUP BY customer_id",
		why:    "LatePoint include=stats (total spent): the table has no index but its primary key"},
	{table: "fct_customers", name: "wpsidecar_first_name", columns: []string{"first_name"},
		serves: "SELECT * FROM `{t}` ORDER BY `first_name` ASC LIMIT 10 OFFSET 0",
		why:    "GET fluent-cart/v2/customers?sort_by=first_name (admin screen: Name)"},
	{table: "fct_customers", name: "wpsidecar_purchase_count", columns: []string{"purchase_count"},
		serves: "SELECT * FROM `{t}` ORDER BY `purchase_count` DESC LIMIT 10 OFFSET 0",
		why:    "GET fluent-cart/v2/customers?sort_by=purchase_count (admin screen: Purchases)"},
	{table: "fct_customers", name: "wpsidecar_ltv", columns: []string{"ltv"},
		serves: "SELECT * FROM `{t}` ORDER BY `ltv` DESC LIMIT 10 OFFSET 0",
		why:    "GET fluent-cart/v2/customers?sort_by=ltv (admin screen: Lifetime Value)"},
	{table: "fct_customers", name: "wpsidecar_last_purchase_date", columns: []string{"last_purchase_date"},
		serves: "SELECT * FROM `{t}` ORDER BY `last_purchase_date` DESC LIMIT 10 OFFSET 0",
		why:    "GET fluent-cart/v2/customers?sort_by=last_purchase_date (admin screen: Last Purchase Date)"},
	{table: "fct_meta", name: "wpsidecar_meta_key", columns: []string{"meta_key"},
		serves: "SELECT `meta_value` FROM `{t}` WHERE `meta_key` = '_fc_checkout_fields' AND `object_type` = 'option' LIMIT 1",
		why:    "PUT fluent-cart/v2/customers/{id} (checkout fields): the table's only indexes are object_type and object_id"},
}

// indexStatus is one advice resolved against a database.
type indexStatus struct {
	indexAdvice
	fullTable string
	present   string // name of an existing index that already starts with the columns ("" when none)
	noTable   bool
}

func (a indexStatus) create() string {
	return fmt.Sprintf("CREATE INDEX `%s` ON `%s` (`%s`);", a.name, a.fullTable, strings.Join(a.columns, "`, `"))
}

func (a indexStatus) query() string { return strings.ReplaceAll(a.serves, "{t}", a.fullTable) }

// adviseIndexes resolves every advice against the database: which tables exist and which indexes are there.
func adviseIndexes(ctx context.Context, db *sql.DB, tables wpcompat.Tables) ([]indexStatus, error) {
	var out []indexStatus
	for _, a := range indexAdvices {
		s := indexStatus{indexAdvice: a, fullTable: tables.Name(a.table)}
		// Existing indexes and their columns in order (the primary key does not count: it never serves these).
		rows, err := db.QueryContext(ctx, `SELECT INDEX_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX)
			FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY'
			GROUP BY INDEX_NAME`, s.fullTable)
		if err != nil {
			return nil, err
		}
		want := strings.Join(a.columns, ",")
		for rows.Next() {
			var name, cols string
			if err := rows.Scan(&name, &cols); err != nil {
				rows.Close()
				return nil, err
			}
			if cols == want || strings.HasPrefix(cols, want+",") {
				s.present = name
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if s.present == "" {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`, s.fullTable).Scan(&n); err != nil {
				return nil, err
			}
			s.noTable = n == 0
		}
		out = append(out, s)
	}
	return out, nil
}

// printIndexes is `doctor --indexes`: the CREATE INDEX statements to run (by an operator, at a quiet hour: InnoDB
// builds them online), each after the query it serves; indexes already present and absent plugins are noted.
func printIndexes(ctx context.Context, w interface{ Write([]byte) (int, error) }, db *sql.DB, tables wpcompat.Tables) error {
	adv, err := adviseIndexes(ctx, db, tables)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "-- Indexes the plugins do not create but their list queries need (the sidecar's and PHP's: the same SQL).")
	fmt.Fprintln(w, "-- wpsidecar never runs these itself. Each is built online by InnoDB; drop it with DROP INDEX `name` ON `table`.")
	fmt.Fprintln(w, "-- FluentCart's paginator runs SELECT COUNT(*) on every list page: no index avoids reading every row of the")
	fmt.Fprintln(w, "-- narrowest index (fct_cus__user_id), so that count is left as it is.")
	missing := 0
	for _, a := range adv {
		fmt.Fprintln(w)
		fmt.Fprintf(w, "-- %s\n-- serves: %s\n", a.why, a.query())
		switch {
		case a.noTable:
			fmt.Fprintf(w, "-- skipped: table %s does not exist (plugin not installed)\n", a.fullTable)
		case a.present != "":
			fmt.Fprintf(w, "-- present: index %s already covers (%s)\n", a.present, strings.Join(a.columns, ", "))
		default:
			missing++
			fmt.Fprintln(w, a.create())
		}
	}
	fmt.Fprintf(w, "\n-- %d index(es) to add.\n", missing)
	return nil
}
