package wpcompat

// Reading WordPress users the way get_user_by() and WP_User do (spec §2.3, §2.4, §9.1;
// wp-includes/class-wp-user.php get_data_by/for_site/get_role_caps, wp-includes/meta.php get_metadata_raw).
// Nothing here caches user rows or user meta unless the binlog-invalidated read cache is on (serve --cache,
// readcache.go): PHP writes them, so without it every request reads them afresh (STYLE.md #12).
// Only the parsed {prefix}user_roles option is memoised, keyed by its raw value, behind Site.CachedOption's TTL.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync"

	sq "github.com/Masterminds/squirrel"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// User lookup fields of GetUserBy (get_user_by's $field).
const (
	UserByID    = "id"
	UserByLogin = "login"
	UserByEmail = "email"
	UserBySlug  = "slug"
)

const userColumns = "u.ID, u.user_login, u.user_pass, u.user_nicename, u.user_email, u.user_url, u.user_registered, u.display_name"

// UserRecord is one user row with the usermeta values a caller asked for (lowest umeta_id per key, as
// get_user_meta($id, $key, true) returns). Authenticators read the password hash and their own meta from it.
type UserRecord struct {
	User   *User
	Meta   map[string]string // usermeta values by key; a key asked for but absent has no row
	metaID map[string]int64
}

// userQuery selects users by where joined to the usermeta rows of metaKeys, in one round trip. Rows come ordered
// by orderBy (nil: by ID) then umeta_id, so each user's meta is contiguous and the lowest umeta_id first.
func (s *Site) userQuery(ctx context.Context, db *sql.DB, where, orderBy sq.Sqlizer, metaKeys []string) ([]UserRecord, error) {
	// Ordered by id the rows are sorted here instead: MySQL would build a temporary table and filesort the join
	// (about half a millisecond for one user); a handful of rows sorts in Go for nothing.
	sortHere := orderBy == nil
	query, args, err := s.users.userSQL(s.Tables, where, orderBy, metaKeys)
	if err != nil {
		return nil, fmt.Errorf("query users: %w", err)
	}
	// One round trip: the connection interpolates placeholder values client-side (OpenDB); a route's declared read
	// rides along (PipelineQuery).
	rows, done, err := s.PipelineQuery(ctx, db, query, args)
	if err != nil {
		return nil, fmt.Errorf("query users: %w", err)
	}
	defer done()
	type joined struct {
		u          User
		metaID     sql.NullInt64
		key, value sql.NullString
	}
	var raw []joined
	for rows.Next() {
		var j joined
		if err := rows.Scan(&j.u.ID, &j.u.Login, &j.u.Pass, &j.u.Nicename, &j.u.Email, &j.u.URL, &j.u.Registered,
			&j.u.DisplayName, &j.metaID, &j.key, &j.value); err != nil {
			return nil, fmt.Errorf("scan user: %w", err)
		}
		raw = append(raw, j)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if sortHere {
		sort.SliceStable(raw, func(a, b int) bool {
			if raw[a].u.ID != raw[b].u.ID {
				return raw[a].u.ID < raw[b].u.ID
			}
			return raw[a].metaID.Int64 < raw[b].metaID.Int64
		})
	}
	var out []UserRecord
	for i := range raw {
		j := &raw[i]
		if n := len(out); n == 0 || out[n-1].User.ID != j.u.ID {
			u := j.u
			out = append(out, UserRecord{User: &u})
		}
		rec := &out[len(out)-1]
		if j.key.Valid {
			if _, seen := rec.Meta[j.key.String]; !seen {
				if rec.Meta == nil {
					rec.Meta, rec.metaID = map[string]string{}, map[string]int64{}
				}
				rec.Meta[j.key.String] = j.value.String
				rec.metaID[j.key.String] = j.metaID.Int64
			}
		}
	}
	return out, nil
}

// normalizeUserValue is the value handling at the top of WP_User::get_data_by: ids must be numeric and >= 1
// ((int) cast), other fields are trimmed, and logins go through sanitize_user. ok is false where PHP returns false
// before querying (including PHP-falsy values such as "" and "0").
func normalizeUserValue(field, value string) (string, bool) {
	if field == UserByID {
		if _, _, ok := php.NumericString(value); !ok {
			return "", false
		}
		id := php.Intval(value) // (int) "1.9" is 1, (int) "1e3" is 1000
		if id < 1 {
			return "", false
		}
		return strconv.FormatInt(id, 10), true
	}
	value = php.Trim(value)
	if !phpserial.PHPTruthy(value) {
		return "", false
	}
	if field == UserByLogin {
		value = SanitizeUser(value) // after the emptiness check, as in get_data_by
	}
	return value, true
}

func userColumn(field string) (string, error) {
	switch field {
	case UserByID:
		return "u.ID", nil
	case UserByLogin:
		return "u.user_login", nil
	case UserByEmail:
		return "u.user_email", nil
	case UserBySlug:
		return "u.user_nicename", nil
	}
	return "", fmt.Errorf("get_user_by: unknown field %q", field)
}

// FindUser is get_user_by(field, value) plus the given usermeta keys, in one indexed round trip. SQL "=" under
// the table collation decides, exactly like WordPress's "WHERE user_login = %s LIMIT 1" (case- and trailing-space-
// insensitive with the usual collations); among equal matches the lowest ID wins, as the index order gives.
// A nil record means no such user.
func (s *Site) FindUser(ctx context.Context, field, value string, metaKeys ...string) (*UserRecord, error) {
	col, err := userColumn(field)
	if err != nil {
		return nil, err
	}
	v, ok := normalizeUserValue(field, value)
	if !ok {
		return nil, nil
	}
	recs, err := s.cachedUserQuery(ctx, sq.Eq{Ident(col): v}, nil, metaKeys)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return &recs[0], nil
}

// FindUserLoginOrEmail is the lookup of wp_authenticate_application_password: get_user_by('login', name), and
// when that finds nobody and name is_email, get_user_by('email', name) — one round trip for both.
func (s *Site) FindUserLoginOrEmail(ctx context.Context, name string, metaKeys ...string) (*UserRecord, error) {
	login, loginOK := normalizeUserValue(UserByLogin, name)
	email, emailOK := normalizeUserValue(UserByEmail, name)
	emailOK = emailOK && IsEmail(name)
	switch {
	case !loginOK && !emailOK:
		return nil, nil
	case !emailOK:
		return s.FindUser(ctx, UserByLogin, name, metaKeys...)
	case !loginOK:
		return s.FindUser(ctx, UserByEmail, name, metaKeys...)
	}
	recs, err := s.cachedUserQuery(ctx, sq.Or{sq.Eq{"u.user_login": login}, sq.Eq{"u.user_email": email}},
		sq.Expr("(u.user_login = ?) DESC, u.ID", login), metaKeys)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return &recs[0], nil
}

// GetUserBy is get_user_by(field, value) for field id, login, email or slug, with roles and capabilities resolved
// for this site. It returns (nil, nil) when WordPress would return false.
func (s *Site) GetUserBy(ctx context.Context, field, value string) (*User, error) {
	rec, err := s.FindUser(ctx, field, value, s.Tables.CapabilitiesKey())
	if err != nil || rec == nil {
		return nil, err
	}
	if err := s.ResolveCaps(ctx, rec); err != nil {
		return nil, err
	}
	return rec.User, nil
}

// UserMeta is get_user_meta(id, key, true) before unserializing: the raw meta_value of the row with the lowest
// umeta_id; found is false when the user has no such row.
func (s *Site) UserMeta(ctx context.Context, userID int64, key string) (string, bool, error) {
	var v string
	err := s.Reader(ctx).QueryRowContext(ctx, "SELECT meta_value FROM "+s.Tables.UsermetaTable()+
		" WHERE user_id = ? AND meta_key = ? ORDER BY umeta_id LIMIT 1", userID, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read user meta %s: %w", key, err)
	}
	return v, true, nil
}

// AttachMeta keeps the usermeta read with the user row on the User, for CurrentUserMetas.
func (rec *UserRecord) AttachMeta(keys []string) {
	rec.User.meta, rec.User.metaKeys = rec.Meta, keys
}

// CurrentUserMetas is UserMetas for a user the request authenticated: the values come from the authentication
// query when it loaded every key (the route declared them in Handler.UserMeta), else from one query.
func (s *Site) CurrentUserMetas(ctx context.Context, u *User, keys ...string) (map[string]string, error) {
	if u != nil && u.metaKeys != nil {
		out := make(map[string]string, len(keys))
		all := true
		for _, k := range keys {
			if !slices.Contains(u.metaKeys, k) {
				all = false
				break
			}
			if v, ok := u.meta[k]; ok {
				out[k] = v
			}
		}
		if all {
			return out, nil
		}
	}
	return s.UserMetas(ctx, u.ID, keys...)
}

// UserMetas reads several meta keys of one user in one query (lowest umeta_id per key).
func (s *Site) UserMetas(ctx context.Context, userID int64, keys ...string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	query, args, err := sq.Select("meta_key", "meta_value").From(s.Tables.UsermetaTable()).
		Where(sq.Eq{"user_id": userID}).Where(sq.Eq{"meta_key": keys}).OrderBy("umeta_id").ToSql()
	if err != nil {
		return nil, fmt.Errorf("read user meta: %w", err)
	}
	rows, err := s.Reader(ctx).QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read user meta: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		if _, seen := out[k]; !seen {
			out[k] = v
		}
	}
	return out, rows.Err()
}

// ResolveCaps fills Roles/AllCaps/RawCaps/AllCapsObj of rec.User from its {prefix}capabilities meta and the
// site's role definitions (WP_User::get_role_caps, spec §9.1).
func (s *Site) ResolveCaps(ctx context.Context, rec *UserRecord) error {
	roles, err := s.RoleDefinitions(ctx)
	if err != nil {
		return err
	}
	raw, found := rec.Meta[s.Tables.CapabilitiesKey()]
	if c, ok := s.users.caps(roles, raw, found); ok {
		c.apply(rec.User)
		return nil
	}
	var userCaps any
	if found {
		userCaps, _ = phpserial.MaybeUnserialize(raw) // corrupt → false → no caps, as PHP's is_array check gives
	}
	applyCaps(rec.User, userCaps, roles)
	s.users.rememberCaps(roles, raw, found, rec.User)
	return nil
}

// resolvedCaps are the capability fields computed from one {prefix}capabilities value under one roles option.
// They are shared between users with the same stored value and must be treated as read-only.
type resolvedCaps struct {
	roles  []string
	all    map[string]bool
	rawObj *wpjson.Object
	allObj *wpjson.Object
}

func (c *resolvedCaps) apply(u *User) {
	u.Roles, u.AllCaps, u.RawCaps, u.AllCapsObj = c.roles, c.all, c.rawObj, c.allObj
}

// maxCapsMemo bounds the memo of resolved capability sets (sites have a few distinct role combinations).
const maxCapsMemo = 256

type capsKey struct {
	raw   string
	found bool
}

// caps returns the memoised capabilities for a stored value, valid while the parsed roles are the same.
func (c *userCache) caps(roles *phpserial.PHPArray, raw string, found bool) (*resolvedCaps, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.capsRoles != roles || roles == nil {
		return nil, false
	}
	r, ok := c.capsMemo[capsKey{raw, found}]
	return r, ok
}

func (c *userCache) rememberCaps(roles *phpserial.PHPArray, raw string, found bool, u *User) {
	if roles == nil || len(raw) > 4096 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.capsRoles != roles || len(c.capsMemo) >= maxCapsMemo {
		c.capsRoles, c.capsMemo = roles, map[capsKey]*resolvedCaps{}
	}
	c.capsMemo[capsKey{raw, found}] = &resolvedCaps{roles: u.Roles, all: u.AllCaps, rawObj: u.RawCaps, allObj: u.AllCapsObj}
}

// applyCaps sets the capability fields of u.
func applyCaps(u *User, userCaps any, roles *phpserial.PHPArray) {
	names, allcaps := AllCaps(userCaps, roles)
	u.Roles = names
	if u.Roles == nil {
		u.Roles = []string{}
	}
	u.AllCaps = make(map[string]bool, allcaps.Len())
	for k, v := range allcaps.All() {
		u.AllCaps[phpKeyString(k)] = phpserial.PHPTruthy(v)
	}
	u.AllCapsObj = PHPObject(allcaps)
	if arr, ok := userCaps.(*phpserial.PHPArray); ok {
		u.RawCaps = PHPObject(arr)
	} else {
		u.RawCaps = wpjson.NewObject()
	}
}

// userCache holds what users.go may keep across requests: the last parsed {prefix}user_roles value (the raw string
// itself comes from Site.CachedOption, so a role edit is seen once the option TTL passes).
type userCache struct {
	mu     sync.Mutex
	raw    string
	parsed *phpserial.PHPArray

	capsRoles *phpserial.PHPArray // the parsed roles capsMemo was computed with
	capsMemo  map[capsKey]*resolvedCaps

	sqlByShape map[string]string // userSQL's statements
}

// RoleDefinitions is the unserialized {prefix}user_roles option (nil when missing or corrupt: no roles).
func (s *Site) RoleDefinitions(ctx context.Context) (*phpserial.PHPArray, error) {
	raw, found, err := s.CachedOption(ctx, s.Tables.UserRolesOption())
	if err != nil || !found {
		return nil, err
	}
	m := &s.users
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.parsed != nil && m.raw == raw {
		return m.parsed, nil
	}
	v, _ := phpserial.MaybeUnserialize(raw)
	arr, _ := v.(*phpserial.PHPArray)
	m.raw, m.parsed = raw, arr
	return arr, nil
}

// PHPObject converts a PHP array to an ordered JSON object (json_encode of an associative array, or of
// (object) $array): keys as strings in order, values converted by PHPJSONValue.
func PHPObject(a *phpserial.PHPArray) *wpjson.Object {
	o := wpjson.NewObject()
	for k, v := range a.All() {
		o.Set(phpKeyString(k), PHPJSONValue(v))
	}
	return o
}

// PHPJSONValue converts an unserialized PHP value to what json_encode emits: lists as JSON arrays, other arrays
// as objects, floats in PHP's format.
func PHPJSONValue(v any) any {
	switch x := v.(type) {
	case *phpserial.PHPArray:
		if x.IsList() {
			out := make([]any, 0, x.Len())
			for _, item := range x.All() {
				out = append(out, PHPJSONValue(item))
			}
			return out
		}
		return PHPObject(x)
	case float64:
		return wpjson.PHPFloat(x)
	}
	return v
}

// userSQL is the statement of userQuery. Its text depends only on the shapes of where and orderBy and on how many
// meta keys there are, so it is built with squirrel once per shape and kept; each request binds its own values (the
// meta keys, then where's, then orderBy's arguments, in squirrel's order — checked when a shape is first built).
func (c *userCache) userSQL(t Tables, where, orderBy sq.Sqlizer, metaKeys []string) (string, []any, error) {
	whereSQL, whereArgs, err := where.ToSql()
	if err != nil {
		return "", nil, err
	}
	var orderSQL string
	var orderArgs []any
	if orderBy != nil {
		if orderSQL, orderArgs, err = orderBy.ToSql(); err != nil {
			return "", nil, err
		}
	}
	args := make([]any, 0, len(metaKeys)+len(whereArgs)+len(orderArgs))
	for _, k := range metaKeys {
		args = append(args, k)
	}
	args = append(append(args, whereArgs...), orderArgs...)
	shape := whereSQL + "\x00" + orderSQL + "\x00" + strconv.Itoa(len(metaKeys)) + "\x00" + t.Users() + "\x00" + t.Usermeta()
	c.mu.Lock()
	query, ok := c.sqlByShape[shape]
	c.mu.Unlock()
	if ok {
		return query, args, nil
	}
	q := sq.Select(userColumns, "m.umeta_id", "m.meta_key", "m.meta_value").From(t.UsersTable() + " u").
		JoinClause(sq.ConcatExpr("LEFT JOIN ", t.UsermetaTable(), " m ON m.user_id = u.ID AND ", sq.Eq{"m.meta_key": metaKeys})).
		Where(where)
	if orderBy != nil {
		q = q.OrderByClause(orderBy).OrderBy("m.umeta_id")
	}
	query, built, err := q.ToSql()
	if err != nil {
		return "", nil, err
	}
	if !slices.Equal(built, args) {
		return query, built, nil // not the expected argument order: use what squirrel built, do not keep it
	}
	c.mu.Lock()
	if c.sqlByShape == nil || len(c.sqlByShape) >= 64 {
		c.sqlByShape = map[string]string{}
	}
	c.sqlByShape[shape] = query
	c.mu.Unlock()
	return query, args, nil
}
