package latepoint

import (
	"context"
	"testing"
	"time"
)

// total_spent is the same through the transaction id index as through the full scan, and stays fresh: new rows
// are caught up, deleted rows vanish, amounts and statuses are read from the table each time.
func TestTransactionIndexFreshness(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	s := NewStore(f.db.Site)
	ctx := context.Background()
	clk := newLocalClock(fixedNow, time.UTC)
	ids := []int64{1, 2, 4, 5, 48}
	spent := func() map[int64]string {
		t.Helper()
		st, err := s.Stats(ctx, ids, clk)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]string{}
		for id, r := range st {
			out[id] = r.Spent + "/" + r.Average
		}
		return out
	}
	scanned := spent() // index not built: full scan (and a background build starts)
	if err := s.buildTxIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.transactionIDs(ctx, ids); !ok {
		t.Fatal("index not ready after build")
	}
	indexed := spent()
	for _, id := range ids {
		if scanned[id] != indexed[id] {
			t.Errorf("customer %d: scan %s, index %s", id, scanned[id], indexed[id])
		}
	}
	if scanned[1] != "360.0000/45.0000" || scanned[48] != "0.0000/0.0000" {
		t.Errorf("seed totals changed: %v", scanned)
	}
	// A new capture and a refund for customer 48, then a refund for customer 1.
	f.db.Exec(t, "INSERT INTO {prefix}latepoint_transactions (id, order_id, customer_id, kind, status, amount, created_at, updated_at) VALUES (9901, 1, 48, 'capture', 'succeeded', 100.5, NOW(), NOW()), (9902, 1, 48, 'refund', 'succeeded', 20.25, NOW(), NOW()), (9903, 1, 1, 'refund', 'succeeded', 60, NOW(), NOW())")
	got := spent()
	if got[48] != "80.2500/0.0000" || got[1] != "300.0000/37.5000" {
		t.Errorf("after inserts: 48 %s, 1 %s", got[48], got[1])
	}
	f.db.Exec(t, "UPDATE {prefix}latepoint_transactions SET status = 'failed' WHERE id = 9902")
	f.db.Exec(t, "DELETE FROM {prefix}latepoint_transactions WHERE id = 9903")
	f.db.Exec(t, "UPDATE {prefix}latepoint_transactions SET customer_id = 2 WHERE id = 9901") // moved away
	got = spent()
	if got[48] != "0.0000/0.0000" || got[1] != "360.0000/45.0000" {
		t.Errorf("after update/delete/move: 48 %s, 1 %s", got[48], got[1])
	}
}
