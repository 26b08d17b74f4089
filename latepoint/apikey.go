package latepoint

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/wpsidecar/wpsidecar/bincache"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// API keys of the LatePoint API Extension (spec §6.5, §8.1; issue 6): "lp_live_" or "lp_test_" followed by 32
// random bytes in base64url (43 characters), shown once, stored only as the hex SHA-256 of the whole key in the
// sidecar's own {prefix}wpsidecar_api_keys table (sql/wpsidecar.sql). The stored key_prefix (first 12 characters)
// and key_last4 let an admin recognise a key; neither is enough to use it.

const (
	keyRandomBytes = 32
	keyPrefixLen   = 12
	maxKeyLen      = 256 // longer header values are refused before hashing
)

// Environments.
const (
	EnvLive = "live"
	EnvTest = "test"
)

// Resources and the operations a key can be granted on them (spec §6.5). Order is the display order.
var permissionCatalog = []struct {
	Resource string
	Ops      []string
}{
	{"customers", []string{"read", "create", "update", "delete"}},
	{"bookings", []string{"read", "create", "update", "delete"}},
	{"agents", []string{"read"}},
	{"services", []string{"read"}},
	{"availability", []string{"read"}},
	{"locations", []string{"read"}},
	{"orders", []string{"read"}},
	{"payments", []string{"read"}},
	{"coupons", []string{"read"}},
}

// ParsePermissions reads "customers:read,customers:create,bookings:*" into the canonical list of
// "resource:op" strings (catalog order), rejecting unknown resources and operations.
func ParsePermissions(s string) ([]string, error) {
	want := map[string]bool{}
	for _, p := range strings.Split(s, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		res, op, ok := strings.Cut(p, ":")
		if !ok {
			return nil, fmt.Errorf("permission %q: want resource:operation (e.g. customers:read)", p)
		}
		found := false
		for _, c := range permissionCatalog {
			if c.Resource != res {
				continue
			}
			for _, o := range c.Ops {
				if op == "*" || op == o {
					want[res+":"+o] = true
					found = true
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown permission %q", p)
		}
	}
	var out []string
	for _, c := range permissionCatalog {
		for _, o := range c.Ops {
			if want[c.Resource+":"+o] {
				out = append(out, c.Resource+":"+o)
			}
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no permissions given")
	}
	return out, nil
}

// permissionsJSON stores permissions as {"customers":["read","create"],…} (spec §8.1).
func permissionsJSON(perms []string) string {
	o := wpjson.NewObject()
	for _, p := range perms {
		res, op, _ := strings.Cut(p, ":")
		cur, _ := o.Get(res)
		list, _ := cur.([]string)
		o.Set(res, append(list, op))
	}
	b, _ := wpjson.MarshalJSON(o)
	return string(b)
}

func parsePermissionsJSON(s string) map[string]bool {
	out := map[string]bool{}
	var m map[string][]string
	if json.Unmarshal([]byte(s), &m) != nil {
		return out
	}
	for res, ops := range m {
		for _, op := range ops {
			out[res+":"+op] = true
		}
	}
	return out
}

// Key is a stored API key (never the plaintext).
type Key struct {
	ID             int64
	Name           string
	Prefix         string
	Last4          string
	Environment    string
	Permissions    map[string]bool
	PermissionList []string // catalog order
	Status         string
	AllowedIPs     []netip.Prefix
	LimitPerMinute int64 // 0 = environment default
	LimitPerHour   int64
	ExpiresAt      sql.NullString // UTC
	LastUsedAt     sql.NullString
	CreatedAt      string
	RevokedAt      sql.NullString
}

// Can reports whether the key holds a permission such as "customers:read".
func (k *Key) Can(perm string) bool { return k.Permissions[perm] }

// KeyStore reads and writes {prefix}wpsidecar_api_keys. All timestamps there are UTC.
type KeyStore struct {
	db        *sql.DB
	lookupSQL string // SELECT keyColumns … WHERE key_hash = ?, built once
	table     string // quoted
	name      string // unquoted, as the binlog names it (read cache)
	now       func() time.Time
	site      *wpcompat.Site // its ReadCache (serve --cache) holds looked-up keys
}

// NewKeyStore makes the key store for a site.
func NewKeyStore(site *wpcompat.Site) *KeyStore {
	table := site.Tables.Table("wpsidecar_api_keys")
	// The same text squirrel writes for sq.Select(keyColumns).From(table).Where(sq.Eq{"key_hash": h}); a constant
	// statement, so it is built once (TestKeyLookupSQL).
	lookup := "SELECT " + keyColumns + " FROM " + table + " WHERE key_hash = ?"
	return &KeyStore{db: site.DB, lookupSQL: lookup, table: table, name: site.Tables.Name("wpsidecar_api_keys"),
		now: site.Clock, site: site}
}

// NewKey describes a key to create.
type NewKey struct {
	Name           string
	Environment    string   // live | test
	Permissions    []string // "resource:op"
	ExpiresOn      string   // YYYY-MM-DD (last valid day, UTC) or ""
	AllowedIPs     []string // IPs or CIDRs; empty = any
	LimitPerMinute int64    // 0 = environment default
	LimitPerHour   int64
}

// GenerateKey makes a new plaintext key for an environment.
func GenerateKey(env string) (string, error) {
	if env != EnvLive && env != EnvTest {
		return "", fmt.Errorf("environment must be live or test, not %q", env)
	}
	b := make([]byte, keyRandomBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "lp_" + env + "_" + base64.RawURLEncoding.EncodeToString(b), nil
}

// HashKey is the stored form of a key: hex SHA-256 of the whole string.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// parseAllowedIPs reads IPs and CIDRs (a bare IP is a /32 or /128).
func parseAllowedIPs(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, fmt.Errorf("allowed IP %q: %w", s, err)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("allowed IP %q: %w", s, err)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// Create stores a new key and returns its id and the plaintext (shown once, never stored).
func (ks *KeyStore) Create(ctx context.Context, nk NewKey) (int64, string, error) {
	if strings.TrimSpace(nk.Name) == "" {
		return 0, "", errors.New("a key needs a name")
	}
	if len(nk.Name) > 191 {
		return 0, "", errors.New("name longer than 191 characters")
	}
	if len(nk.Permissions) == 0 {
		return 0, "", errors.New("a key needs at least one permission")
	}
	var expires any
	if nk.ExpiresOn != "" {
		d, err := time.Parse(dayLayout, nk.ExpiresOn)
		if err != nil || !dateRE.MatchString(nk.ExpiresOn) {
			return 0, "", fmt.Errorf("expiry %q: want YYYY-MM-DD", nk.ExpiresOn)
		}
		expires = d.Format(dayLayout) + " 23:59:59"
	}
	ips, err := parseAllowedIPs(nk.AllowedIPs)
	if err != nil {
		return 0, "", err
	}
	var allowed any
	if len(ips) > 0 {
		var list []string
		for _, p := range ips {
			list = append(list, p.String())
		}
		b, _ := json.Marshal(list)
		allowed = string(b)
	}
	plain, err := GenerateKey(nk.Environment)
	if err != nil {
		return 0, "", err
	}
	now := ks.now().UTC().Format(dbLayout)
	res, err := ks.db.ExecContext(ctx, "INSERT INTO "+ks.table+" (name, key_prefix, key_last4, key_hash, environment, permissions,"+
		" status, allowed_ips, limit_per_minute, limit_per_hour, expires_at, created_at, updated_at)"+
		" VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)",
		strings.TrimSpace(nk.Name), plain[:keyPrefixLen], plain[len(plain)-4:], HashKey(plain), nk.Environment,
		permissionsJSON(nk.Permissions), allowed, nullLimit(nk.LimitPerMinute), nullLimit(nk.LimitPerHour), expires, now, now)
	if err != nil {
		return 0, "", err
	}
	id, err := res.LastInsertId()
	return id, plain, err
}

func nullLimit(n int64) any {
	if n <= 0 {
		return nil
	}
	return n
}

const keyColumns = "id, name, key_prefix, key_last4, environment, permissions, status, allowed_ips, limit_per_minute," +
	" limit_per_hour, expires_at, last_used_at, created_at, revoked_at"

// keyPerms is a key's stored permissions decoded: the set and the list in catalog order. Decoded once per stored
// value (keyPermissions) and shared: read-only.
type keyPerms struct {
	set  map[string]bool
	list []string
}

var keyPermissions wpcompat.DecodeMemo[keyPerms]

func decodeKeyPermissions(raw string) keyPerms {
	p := keyPerms{set: parsePermissionsJSON(raw)}
	for _, c := range permissionCatalog {
		for _, o := range c.Ops {
			if p.set[c.Resource+":"+o] {
				p.list = append(p.list, c.Resource+":"+o)
			}
		}
	}
	return p
}

func scanKey(sc interface{ Scan(...any) error }) (*Key, error) {
	k := &Key{}
	var perms string
	var ips sql.NullString
	var perMin, perHour sql.NullInt64
	if err := sc.Scan(&k.ID, &k.Name, &k.Prefix, &k.Last4, &k.Environment, &perms, &k.Status, &ips, &perMin, &perHour,
		&k.ExpiresAt, &k.LastUsedAt, &k.CreatedAt, &k.RevokedAt); err != nil {
		return nil, err
	}
	p := keyPermissions.Get(perms, decodeKeyPermissions)
	k.Permissions, k.PermissionList = p.set, p.list
	k.LimitPerMinute, k.LimitPerHour = perMin.Int64, perHour.Int64
	if ips.Valid && ips.String != "" {
		var list []string
		if err := json.Unmarshal([]byte(ips.String), &list); err != nil {
			// An unreadable allow-list must not mean "any IP".
			k.AllowedIPs = []netip.Prefix{}
			k.Status = "invalid"
		} else {
			k.AllowedIPs, _ = parseAllowedIPs(list)
			if k.AllowedIPs == nil {
				k.AllowedIPs = []netip.Prefix{}
			}
		}
	}
	return k, nil
}

// Lookup finds the key a client presented, by hash (one indexed query). Unknown → ErrNotFound.
// With the read cache on, a found key is kept until the binlog (or this process: Revoke, touch) changes its row;
// unknown keys are never cached.
func (ks *KeyStore) Lookup(ctx context.Context, plain string) (*Key, error) {
	hash := HashKey(plain)
	var rc *bincache.Cache
	if ks.site != nil && ks.site.ReadCache.Healthy() {
		rc = ks.site.ReadCache
	}
	if v, ok := rc.Get("lpkey\x00" + hash); ok {
		k := *v.(*Key)
		return &k, nil
	}
	tok := rc.Begin()
	query, args := ks.lookupSQL, []any{hash}
	var k *Key
	var err error
	if ks.site != nil && rc == nil {
		// The key lookup is the request's authentication query: the route's first read may ride with it
		// (wpcompat.PipelineQuery; not when filling the cache, whose entries must be read after their token).
		k, err = ks.lookupPipelined(ctx, query, args)
	} else {
		k, err = scanKey(ks.db.QueryRowContext(ctx, query, args...))
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err == nil && rc != nil {
		c := *k
		rc.Put(tok, "lpkey\x00"+hash, &c, 512+int64(len(k.Name)+len(k.Permissions)*16),
			bincache.Dep{Table: ks.name, Row: strconv.FormatInt(k.ID, 10)})
	}
	return k, err
}

// lookupPipelined is QueryRow + scanKey through the site's pipeline.
func (ks *KeyStore) lookupPipelined(ctx context.Context, query string, args []any) (*Key, error) {
	rows, done, err := ks.site.PipelineQuery(ctx, ks.db, query, args)
	if err != nil {
		return nil, err
	}
	defer done()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, sql.ErrNoRows
	}
	return scanKey(rows)
}

// List returns every key, newest first (never the keys themselves: they are not stored).
func (ks *KeyStore) List(ctx context.Context) ([]*Key, error) {
	query, args, err := toSQL(sq.Select(keyColumns).From(ks.table).OrderBy("id"))
	if err != nil {
		return nil, err
	}
	rows, err := ks.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Key
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Revoke marks a key revoked; it is refused from the next request on (no cache).
func (ks *KeyStore) Revoke(ctx context.Context, id int64) error {
	now := ks.now().UTC().Format(dbLayout)
	query, args, err := toSQL(sq.Update(ks.table).Set("status", "revoked").Set("revoked_at", now).Set("updated_at", now).
		Where(sq.Eq{"id": id}).Where(sq.NotEq{"status": "revoked"}))
	if err != nil {
		return err
	}
	res, err := ks.db.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	ks.invalidate(id)
	if n, _ := res.RowsAffected(); n == 0 {
		query, args, err := toSQL(sq.Select("COUNT(*)").From(ks.table).Where(sq.Eq{"id": id}))
		if err != nil {
			return err
		}
		var exists int
		if err := ks.db.QueryRowContext(ctx, query, args...).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return ErrNotFound
		}
	}
	return nil
}

// touch records last use (called from the rate limiter's background flush, at most once a minute per key).
func (ks *KeyStore) touch(ctx context.Context, id int64, at time.Time, ip string) error {
	query, args, err := toSQL(sq.Update(ks.table).Set("last_used_at", at.UTC().Format(dbLayout)).Set("last_used_ip", ip).
		Where(sq.Eq{"id": id}))
	if err != nil {
		return err
	}
	_, err = ks.db.ExecContext(ctx, query, args...)
	ks.invalidate(id)
	return err
}

// invalidate drops a key row this process changed from the read cache.
func (ks *KeyStore) invalidate(id int64) {
	if ks.site != nil {
		ks.site.ReadCache.Invalidate(ks.name, strconv.FormatInt(id, 10))
	}
}

// usable reports why a stored key may not be used now ("" = usable).
func (k *Key) usable(now time.Time) string {
	if k.Status != "active" {
		return "key_" + k.Status
	}
	if k.ExpiresAt.Valid && k.ExpiresAt.String != "" {
		if exp, err := time.ParseInLocation(dbLayout, k.ExpiresAt.String, time.UTC); err == nil && now.After(exp) {
			return "key_expired"
		}
	}
	return ""
}

// ipAllowed checks the allow-list (nil = any IP).
func (k *Key) ipAllowed(ip netip.Addr) bool {
	if k.AllowedIPs == nil {
		return true
	}
	ip = ip.Unmap()
	for _, p := range k.AllowedIPs {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
