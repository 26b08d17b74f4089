package wpcompat

// The read cache (serve --cache, package bincache): options and the user lookups of authentication served from
// memory while the binlog stream is healthy. Entries are read from the primary (Site.DB), never from a replica, and
// declare what they depend on: an option its option_name; a user lookup the whole users table (a login or e-mail
// can move between users) and the usermeta rows of the users it found. Changes by anyone reach the cache through
// the binlog; the sidecar's own writes also invalidate directly (InvalidateUserMeta) or wait for the stream
// (Router.AfterWrite) before answering.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	sq "github.com/Masterminds/squirrel"

	"github.com/wpsidecar/wpsidecar/bincache"
)

// readCachedOption is CachedOption through the read cache.
func (s *Site) readCachedOption(ctx context.Context, name string) (string, bool, error) {
	key := "opt\x00" + name
	if v, ok := s.ReadCache.Get(key); ok {
		o := v.(cachedOption)
		return o.value, o.found, nil
	}
	tok := s.ReadCache.Begin()
	var v string
	err := s.DB.QueryRowContext(ctx, "SELECT option_value FROM "+s.Tables.Options()+" WHERE option_name = ? LIMIT 1", name).Scan(&v)
	found := err == nil
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read option %s: %w", name, err)
	}
	s.ReadCache.Put(tok, key, cachedOption{value: v, found: found}, int64(len(v)+len(name)),
		bincache.Dep{Table: s.Tables.Options(), Row: name})
	return v, found, nil
}

// cachedUserQuery is userQuery through the read cache. Callers get their own User values (they set Via, caps…);
// the meta maps are shared and read-only.
func (s *Site) cachedUserQuery(ctx context.Context, where, orderBy sq.Sqlizer, metaKeys []string) ([]UserRecord, error) {
	if !s.ReadCache.Healthy() {
		return s.userQuery(ctx, s.DB, where, orderBy, metaKeys)
	}
	var k strings.Builder
	k.WriteString("user\x00")
	for _, part := range []sq.Sqlizer{where, orderBy} {
		if part == nil {
			k.WriteString("\x00-")
			continue
		}
		if eq, ok := part.(sq.Eq); ok && len(eq) == 1 && eqKey(&k, eq) {
			continue // the lookups by one column (get_user_by): no SQL built per request
		}
		q, args, err := part.ToSql()
		if err != nil {
			return nil, err
		}
		k.WriteByte(0)
		k.WriteString(q)
		for _, a := range args {
			k.WriteByte(0)
			fmt.Fprint(&k, a)
		}
	}
	for _, m := range metaKeys {
		k.WriteByte(0)
		k.WriteString(m)
	}
	key := k.String()
	if v, ok := s.ReadCache.Get(key); ok {
		return copyRecords(v.([]UserRecord)), nil
	}
	tok := s.ReadCache.Begin()
	recs, err := s.userQuery(ctx, s.DB, where, orderBy, metaKeys)
	if err != nil {
		return nil, err
	}
	deps := []bincache.Dep{{Table: s.Tables.Users()}}
	size := int64(0)
	for _, r := range recs {
		deps = append(deps, bincache.Dep{Table: s.Tables.Usermeta(), Row: strconv.FormatInt(r.User.ID, 10)})
		size += 256 + int64(len(r.User.Pass)+len(r.User.Login)+len(r.User.Email)+len(r.User.DisplayName))
		for mk, mv := range r.Meta {
			size += int64(len(mk)+len(mv)) + 48
		}
	}
	s.ReadCache.Put(tok, key, copyRecords(recs), size, deps...)
	return recs, nil
}

// eqKey writes the key part of a one-column string equality ("\x00\x01=" column "\x00" value; \x01 never occurs
// in the SQL text the general form writes) and reports whether it could.
func eqKey(k *strings.Builder, eq sq.Eq) bool {
	for col, v := range eq {
		s, ok := v.(string)
		if !ok {
			return false
		}
		k.WriteString("\x00\x01=")
		k.WriteString(col)
		k.WriteByte(0)
		k.WriteString(s)
	}
	return true
}

func copyRecords(in []UserRecord) []UserRecord {
	out := make([]UserRecord, len(in))
	for i, r := range in {
		u := *r.User
		out[i] = UserRecord{User: &u, Meta: r.Meta, metaID: r.metaID}
	}
	return out
}

// InvalidateUserMeta drops what the read cache holds from one user's usermeta (the sidecar's own usermeta writes
// call it after committing, before answering).
func (s *Site) InvalidateUserMeta(userID int64) {
	s.ReadCache.Invalidate(s.Tables.Usermeta(), strconv.FormatInt(userID, 10))
}
