package latepoint

import (
	"context"
	"sync"
	"time"

	sq "github.com/Masterminds/squirrel"
)

// txIndex maps customers to the ids of their transactions, in memory.
//
// {prefix}latepoint_transactions has no secondary index at all (spec §2.7), so "the transactions of customer X" is
// a full table scan: 30–100 ms at 140k rows, on every request with stats. LatePoint's tables must not be altered, so
// the sidecar keeps the (immutable in practice) id → customer_id mapping itself and reads the rows it needs by
// primary key, always fresh: amounts and statuses come from the table on every request, deleted rows simply are not
// found. New rows are picked up by a primary-key range query (id > last seen) before each use. A transaction
// moved to another customer (LatePoint core never does this) is excluded at once by re-checking customer_id and
// gained by its new customer at the next full rebuild (RebuildEvery). Until the first build finishes the store
// falls back to the full scan.
type txIndex struct {
	mu         sync.Mutex
	ready      bool
	building   bool
	lastID     int64
	byCustomer map[int64][]int64
	builtAt    time.Time
}

// txRebuildEvery bounds how long a customer_id change of an existing transaction can go unseen.
const txRebuildEvery = 15 * time.Minute

// txLoadBatch is how many rows one catch-up or build query reads (primary-key ranges).
const txLoadBatch = 50000

// loadTx reads (id, customer_id) of transactions with id > after, in id order, up to limit rows.
func (s *Store) loadTx(ctx context.Context, after int64, limit int) ([][2]int64, error) {
	rows, err := s.site.DB.QueryContext(ctx, "SELECT id, COALESCE(customer_id, 0) FROM "+s.tbl("latepoint_transactions")+
		" WHERE id > ? ORDER BY id LIMIT ?", after, limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, classify(rows.Err())
}

// buildTxIndex loads the whole mapping (in primary-key batches) and installs it.
func (s *Store) buildTxIndex(ctx context.Context) error {
	m := map[int64][]int64{}
	var last int64
	for {
		batch, err := s.loadTx(ctx, last, txLoadBatch)
		if err != nil {
			return err
		}
		for _, p := range batch {
			if p[1] > 0 {
				m[p[1]] = append(m[p[1]], p[0])
			}
			last = p[0]
		}
		if len(batch) < txLoadBatch {
			break
		}
	}
	ix := &s.tx
	ix.mu.Lock()
	defer ix.mu.Unlock()
	// Rows added while building are caught up by the next use (ids above last).
	ix.byCustomer, ix.lastID, ix.ready, ix.builtAt = m, last, true, time.Now()
	return nil
}

// startTxRebuild builds the index in the background unless a build is running.
func (s *Store) startTxRebuild() {
	ix := &s.tx
	ix.mu.Lock()
	if ix.building {
		ix.mu.Unlock()
		return
	}
	ix.building = true
	ix.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if err := s.buildTxIndex(ctx); err != nil {
			s.site.Log.Warn("latepoint: transaction index build failed", "err", err)
		}
		ix.mu.Lock()
		ix.building = false
		ix.mu.Unlock()
	}()
}

// transactionIDs returns the transaction ids of the customers (after catching up with new rows), or ok=false when
// the index is not built yet (the caller then scans).
func (s *Store) transactionIDs(ctx context.Context, customers []int64) (ids []int64, ok bool, err error) {
	ix := &s.tx
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.ready {
		if !ix.building {
			ix.mu.Unlock()
			s.startTxRebuild()
			ix.mu.Lock()
		}
		return nil, false, nil
	}
	if time.Since(ix.builtAt) > txRebuildEvery && !ix.building {
		ix.mu.Unlock()
		s.startTxRebuild()
		ix.mu.Lock()
	}
	for {
		batch, err := s.loadTx(ctx, ix.lastID, txLoadBatch)
		if err != nil {
			return nil, false, err
		}
		for _, p := range batch {
			if p[1] > 0 {
				ix.byCustomer[p[1]] = append(ix.byCustomer[p[1]], p[0])
			}
			ix.lastID = p[0]
		}
		if len(batch) < txLoadBatch {
			break
		}
	}
	for _, c := range customers {
		ids = append(ids, ix.byCustomer[c]...)
	}
	return ids, true, nil
}

// spentQuery sums succeeded captures minus succeeded refunds per customer (§6.13 [REC]); with ids it reads the rows
// by primary key, without it scans the table.
func (s *Store) spentQuery(customers, txIDs []int64) sq.SelectBuilder {
	q := sq.Select("customer_id", "CAST(COALESCE(SUM(CASE WHEN kind = 'refund' THEN -amount ELSE amount END), 0) AS DECIMAL(20,4))").
		From(s.tbl("latepoint_transactions")).Where(sq.Eq{"customer_id": customers})
	if txIDs != nil {
		q = q.Where(sq.Eq{"id": txIDs})
	}
	return q.Where("status = 'succeeded' AND kind IN ('capture', 'refund')").GroupBy("customer_id")
}
