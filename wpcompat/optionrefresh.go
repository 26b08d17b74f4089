package wpcompat

import (
	"context"
	"database/sql"
	"time"

	sq "github.com/Masterminds/squirrel"
)

// RefreshOptions keeps the per-process option cache (CachedOption) current in the background until ctx ends:
// every half OptionTTL it reads every option the cache holds in one statement and renews their entries. Requests
// then never meet an expired option — before, every OptionTTL the requests that came first each re-read the
// options they use, one round trip per option, which showed in the tail of the latency. The bound does not
// change: a value served is at most OptionTTL older than the database (an entry expires OptionTTL after the read
// that made it began, as before, and one whose refresh fails still expires).
func (s *Site) RefreshOptions(ctx context.Context) {
	if s.OptionTTL <= 0 {
		return
	}
	t := time.NewTicker(s.OptionTTL / 2)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := s.refreshOptions(ctx); err != nil && ctx.Err() == nil {
			s.Log.Debug("option refresh", "err", err)
		}
	}
}

func (s *Site) refreshOptions(ctx context.Context) error {
	if s.ReadCache.Healthy() {
		return nil // options come from the read cache meanwhile
	}
	s.mu.Lock()
	names := make([]string, 0, len(s.cache))
	for name := range s.cache {
		names = append(names, name)
	}
	s.mu.Unlock()
	if len(names) == 0 {
		return nil
	}
	start := time.Now()
	query, args, err := sq.Select("option_name", "option_value").From(s.Tables.OptionsTable()).
		Where(sq.Eq{"option_name": names}).ToSql()
	if err != nil {
		return err
	}
	rctx, cancel := context.WithTimeout(ctx, s.OptionTTL/2)
	defer cancel()
	rows, err := s.ReadDB.QueryContext(rctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	found := map[string]string{}
	for rows.Next() {
		var name string
		var v sql.NullString
		if err := rows.Scan(&name, &v); err != nil {
			return err
		}
		if _, seen := found[name]; !seen { // get_option's LIMIT 1
			found[name] = v.String
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cache == nil { // forgotten meanwhile (ForgetOptions)
		return nil
	}
	for _, name := range names {
		v, ok := found[name]
		s.cache[name] = cachedOption{value: v, found: ok, expires: start.Add(s.OptionTTL)}
	}
	return nil
}
