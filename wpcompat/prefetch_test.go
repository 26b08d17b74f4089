package wpcompat_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// The pipelined read rides with the user lookup and is taken once, only for exactly its statement; when the second
// statement fails the lookup still answers and the read is simply not taken (the handler then reads on its own).
func TestPrefetchRidesWithUserLookup(t *testing.T) {
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wpp_", Schemas: []string{"wordpress"}, Seed: true})
	open := func(multi bool) *sql.DB {
		db, err := wpcompat.OpenDB(t.Context(), tdb.DSN, wpcompat.DBOptions{MaxOpen: 2, MultiStatements: multi})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	db := open(false)
	tables, _ := wpcompat.NewTables("wpp_")
	site := wpcompat.NewSite(db, db, tables, nil, nil)
	site.Pipeline = open(true)
	count := func(rows *sql.Rows) (any, error) {
		n := 0
		for rows.Next() {
			n++
		}
		return n, rows.Err()
	}
	const q = "SELECT ID FROM wpp_users WHERE ID <= ?"
	lookup := func(p *wpcompat.Prefetch) *wpcompat.UserRecord {
		ctx, set := wpcompat.WithPrefetchSlot(context.Background())
		set(p)
		rec, err := site.FindUserLoginOrEmail(ctx, "admin")
		if err != nil || rec == nil || rec.User.Login != "admin" {
			t.Fatalf("lookup with a prefetch: %v %v", rec, err)
		}
		return rec
	}

	p := &wpcompat.Prefetch{Query: q, Args: []any{2}, Scan: count}
	lookup(p)
	if _, ok := p.Take(q, 3); ok {
		t.Fatal("taken with other arguments")
	}
	if _, ok := p.Take(q+" ", 2); ok {
		t.Fatal("taken for another statement")
	}
	if v, ok := p.Take(q, 2); !ok || v.(int) != 2 {
		t.Fatalf("Take = %v, %v; want 2 rows", v, ok)
	}
	if _, ok := p.Take(q, 2); ok {
		t.Fatal("taken twice")
	}

	bad := &wpcompat.Prefetch{Query: "SELECT * FROM wpp_no_such_table WHERE ID = ?", Args: []any{1}, Scan: count}
	lookup(bad)
	if _, ok := bad.Take(bad.Query, 1); ok {
		t.Fatal("a failed second statement was taken")
	}
	// The pool is still usable after the failed statement.
	lookup(&wpcompat.Prefetch{Query: q, Args: []any{1}, Scan: count})

	// Without a Pipeline pool nothing rides along.
	site.Pipeline = nil
	none := &wpcompat.Prefetch{Query: q, Args: []any{2}, Scan: count}
	lookup(none)
	if _, ok := none.Take(q, 2); ok {
		t.Fatal("taken without a pipeline")
	}
}
