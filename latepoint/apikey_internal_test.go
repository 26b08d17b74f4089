package latepoint

import (
	"testing"

	sq "github.com/Masterminds/squirrel"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// The key lookup built once is the statement squirrel builds for it.
func TestKeyLookupSQL(t *testing.T) {
	tables, err := wpcompat.NewTables("wp_")
	if err != nil {
		t.Fatal(err)
	}
	site := wpcompat.NewSite(nil, nil, tables, nil, nil)
	ks := NewKeyStore(site)
	want, _, err := sq.Select(keyColumns).From(ks.table).Where(sq.Eq{"key_hash": "x"}).ToSql()
	if err != nil {
		t.Fatal(err)
	}
	if ks.lookupSQL != want {
		t.Fatalf("lookup SQL %q, squirrel builds %q", ks.lookupSQL, want)
	}
}
