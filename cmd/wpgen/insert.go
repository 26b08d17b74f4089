package main

import (
	"context"
	"database/sql"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// batch collects rows for one table and sends them as multi-row INSERT statements with placeholders.
type batch struct {
	base  string // table name without prefix, for the summary
	head  string // INSERT INTO `t` (`a`, `b`) VALUES
	row   string // (?, ?)
	ncols int
	size  int
	full  string // the statement for a full batch, built once
	args  []any
	n     int
	sum   *summary
}

func newBatch(cfg config, sum *summary, base string, cols ...string) *batch {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = wpcompat.Ident(c)
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	b := &batch{
		base:  base,
		head:  "INSERT INTO " + wpcompat.Ident(cfg.Tables.Name(base)) + " (" + strings.Join(q, ", ") + ") VALUES ",
		row:   row,
		ncols: len(cols),
		size:  cfg.Batch,
		sum:   sum,
	}
	b.full = b.statement(b.size)
	b.args = make([]any, 0, b.size*b.ncols)
	return b
}

func (b *batch) statement(n int) string {
	var s strings.Builder
	s.Grow(len(b.head) + n*(len(b.row)+2))
	s.WriteString(b.head)
	for i := 0; i < n; i++ {
		if i > 0 {
			s.WriteString(", ")
		}
		s.WriteString(b.row)
	}
	return s.String()
}

// add queues one row and sends the batch when it is full.
func (b *batch) add(ctx context.Context, tx *sql.Tx, vals ...any) error {
	if len(vals) != b.ncols {
		panic("wpgen: " + b.base + ": wrong number of values")
	}
	b.args = append(b.args, vals...)
	b.n++
	if b.n == b.size {
		return b.flush(ctx, tx)
	}
	return nil
}

// flush sends the queued rows (if any).
func (b *batch) flush(ctx context.Context, tx *sql.Tx) error {
	if b.n == 0 {
		return nil
	}
	stmt := b.full
	if b.n != b.size {
		stmt = b.statement(b.n)
	}
	if _, err := tx.ExecContext(ctx, stmt, b.args...); err != nil {
		return err
	}
	b.sum.add(b.base, int64(b.n))
	b.args = b.args[:0]
	b.n = 0
	return nil
}

// inChunks runs fill for customers [1, total] in transactions of chunk customers each, flushing every batch before
// each commit, and reports progress after each chunk.
func inChunks(ctx context.Context, conn *sql.Conn, total, chunk int, batches []*batch,
	fill func(tx *sql.Tx, i int) error, report func(done int)) error {
	for from := 1; from <= total; from += chunk {
		to := min(from+chunk-1, total)
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		err = func() error {
			for i := from; i <= to; i++ {
				if err := fill(tx, i); err != nil {
					return err
				}
			}
			for _, b := range batches {
				if err := b.flush(ctx, tx); err != nil {
					return err
				}
			}
			return nil
		}()
		if err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		report(to)
	}
	return nil
}
