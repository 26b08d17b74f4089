package fluentcart

// Rows as the plugin's ORM holds them: an ordered attribute bag. Values read from MySQL are strings or nil (the
// WordPress database layer returns every column as a string); values the PHP code assigns in memory keep their
// PHP type (int64, float, nil, phpDateTime, []any ...), which matters for the in-memory answers of create and
// recalculate-ltv.

import (
	"database/sql"
	"strconv"
	"strings"

	"github.com/wpsidecar/wpsidecar/fluentcart/models"
)

// attrs is an Eloquent-style attribute array: keys in insertion order.
type attrs struct {
	keys []string
	vals []any
}

func (a *attrs) index(key string) int {
	for i, k := range a.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// get returns the attribute and whether it exists (array_key_exists).
func (a *attrs) get(key string) (any, bool) {
	if i := a.index(key); i >= 0 {
		return a.vals[i], true
	}
	return nil, false
}

// str returns a string attribute ("" when missing or nil) and whether it is set (isset).
func (a *attrs) str(key string) (string, bool) {
	v, _ := a.get(key)
	switch t := v.(type) {
	case string:
		return t, true
	case nil:
		return "", false
	}
	s, _ := scalarString(v)
	return s, true
}

// strPtr is the attribute as *string (nil for missing/NULL), for the locale lookups.
func (a *attrs) strPtr(key string) *string {
	s, ok := a.str(key)
	if !ok {
		return nil
	}
	return &s
}

// set assigns an attribute, keeping the position of an existing key.
func (a *attrs) set(key string, v any) {
	if i := a.index(key); i >= 0 {
		a.vals[i] = v
		return
	}
	a.keys = append(a.keys, key)
	a.vals = append(a.vals, v)
}

// row is the attribute bag as fluentcart/models reads it.
func (a *attrs) row() models.Row { return models.Row{Keys: a.keys, Vals: a.vals} }

// id is the integer primary key.
func (a *attrs) id() int64 {
	v, _ := a.get("id")
	return intval(v)
}

// scanAttrs reads every row of rows into attribute bags (column order as MySQL returns it).
func scanAttrs(rows *sql.Rows) ([]*attrs, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	raw := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var out []*attrs
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		a := &attrs{keys: cols[:len(cols):len(cols)], vals: make([]any, len(cols))}
		// One string holds the row's values; each column is a substring of it (one allocation per row, not one
		// per column).
		n := 0
		for _, b := range raw {
			n += len(b)
		}
		var sb strings.Builder
		sb.Grow(n)
		for _, b := range raw {
			sb.Write(b)
		}
		all, off := sb.String(), 0
		for i, b := range raw {
			if b != nil {
				a.vals[i] = all[off : off+len(b)]
				off += len(b)
			}
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// customerColumns is fct_customers in table order (database/Migrations/CustomersMigrator.php), the key order of
// a customer read with SELECT *.
var customerColumns = []string{"id", "user_id", "contact_id", "email", "first_name", "last_name", "status",
	"purchase_value", "purchase_count", "ltv", "first_purchase_date", "last_purchase_date", "aov", "notes", "uuid",
	"country", "city", "state", "postcode", "created_at", "updated_at"}

// customerFillable is Customer::$fillable (app/Models/Customer.php): the columns sort_by accepts.
var customerFillable = []string{"user_id", "contact_id", "email", "first_name", "last_name", "status",
	"purchase_value", "purchase_count", "ltv", "first_purchase_date", "last_purchase_date", "aov", "notes", "uuid",
	"country", "city", "state", "postcode"}

// customerMorphType is the labelable_type FluentCart stores for customers (no morph map).
const customerMorphType = `FluentCart\App\Models\Customer`

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// now is the current UTC time as the ORM stores it (app/Models/Model.php freshTimestamp -> DateTime::gmtNow).
func (a *api) now() string { return a.site.Clock().UTC().Format("2006-01-02 15:04:05") }
