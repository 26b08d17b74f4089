package unified

import (
	"context"
	"fmt"
	"time"
)

// The rate limit is a fixed one-minute window per client in {prefix}wpsidecar_rate_limits (the table the LatePoint
// API keys use too; subjects "client:<id>" keep them apart), one upsert per request so that every sidecar instance
// counts into the same row: exact across instances, at the cost of a write per request.

// hit counts a request of subject in the current minute and returns the count so far and the window's end.
func (s *store) hit(ctx context.Context, subject string, now time.Time) (count int64, windowEnd time.Time, err error) {
	start := now.UTC().Truncate(time.Minute)
	for attempt := 0; ; attempt++ {
		// LAST_INSERT_ID(expr) makes the upsert return the new count in the OK packet; a fresh row reports 0.
		res, err := s.db().ExecContext(ctx, "INSERT INTO "+s.tbl("wpsidecar_rate_limits")+
			" (subject, window_type, window_start, request_count) VALUES (?, 'minute', ?, 1)"+
			" ON DUPLICATE KEY UPDATE request_count = LAST_INSERT_ID(request_count + 1)", subject, start.Format(dbLayout))
		if err != nil {
			if isDeadlock(err) && attempt < 3 {
				continue
			}
			return 0, time.Time{}, fmt.Errorf("rate limit: %w", err)
		}
		n, err := res.LastInsertId()
		if err != nil {
			return 0, time.Time{}, fmt.Errorf("rate limit: %w", err)
		}
		if n == 0 {
			n = 1
		}
		return n, start.Add(time.Minute), nil
	}
}

// rememberSignature records a verified signature; false means it was seen before (a replay). The primary key
// (client_id, signature) makes the check atomic across instances.
func (s *store) rememberSignature(ctx context.Context, clientID string, sig []byte, now time.Time) (bool, error) {
	_, err := s.db().ExecContext(ctx, "INSERT INTO "+s.tbl("wpsidecar_seen_signatures")+" (client_id, signature, seen_at) VALUES (?, ?, ?)",
		clientID, sig, now.UTC().Format(dbLayout))
	if isDuplicate(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("record signature: %w", err)
	}
	return true, nil
}

// purge drops seen signatures older than seenRetention (a replay of them fails the time window anyway) and this
// API's rate-limit windows older than an hour.
func (s *store) purge(ctx context.Context, now time.Time) error {
	if _, err := s.db().ExecContext(ctx, "DELETE FROM "+s.tbl("wpsidecar_seen_signatures")+" WHERE seen_at < ?",
		now.UTC().Add(-seenRetention).Format(dbLayout)); err != nil {
		return err
	}
	_, err := s.db().ExecContext(ctx, "DELETE FROM "+s.tbl("wpsidecar_rate_limits")+" WHERE subject LIKE 'client:%' AND window_start < ?",
		now.UTC().Add(-time.Hour).Format(dbLayout))
	return err
}
