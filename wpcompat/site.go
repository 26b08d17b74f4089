package wpcompat

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wpsidecar/wpsidecar/bincache"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
)

// Site is the WordPress site the sidecar serves: its database handles, table names and wp-config.php.
// One per process; passed into every package's Register.
type Site struct {
	DB     *sql.DB // primary: writes, and reads that must see them
	ReadDB *sql.DB // reads (a replica, or DB itself)
	Tables Tables
	Config *phpconfig.Config // parsed wp-config.php; nil when the sidecar runs with --dsn only
	Log    *slog.Logger
	Now    func() time.Time

	// OptionTTL is how long a few rarely-changing options (siteurl, home, roles, active_plugins, …) are cached.
	// Zero disables the cache (every read goes to MySQL).
	OptionTTL time.Duration

	// Events carries operational events to metrics; zero value is fine.
	Events Events

	// ReadCache, when set (serve --cache), serves options and user lookups from memory while its binlog stream is
	// healthy; everything else reads MySQL as without it (readcache.go).
	ReadCache *bincache.Cache

	// Pipeline, when set, is a pool on the primary whose connections allow multi statements; the authentication
	// query sends a route's declared read with it in one round trip (prefetch.go). Only used without a replica.
	Pipeline *sql.DB

	users userCache // parsed {prefix}user_roles and prepared user queries (users.go)
	mu    sync.Mutex
	cache map[string]cachedOption
	// optionReads counts the CachedOption calls that read the database themselves (a miss or an expired entry).
	optionReads atomic.Int64
}

type cachedOption struct {
	value   string
	found   bool
	expires time.Time
}

// NewSite assembles a Site with sane defaults.
func NewSite(db, readDB *sql.DB, tables Tables, cfg *phpconfig.Config, log *slog.Logger) *Site {
	if readDB == nil {
		readDB = db
	}
	if log == nil {
		log = slog.Default()
	}
	return &Site{DB: db, ReadDB: readDB, Tables: tables, Config: cfg, Log: log, Now: time.Now, OptionTTL: 2 * time.Second}
}

// Clock returns the site's current time.
func (s *Site) Clock() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Option reads one option's raw value by name, ignoring autoload (spec §2.1: autoload never hides an option).
func (s *Site) Option(ctx context.Context, name string) (string, bool, error) {
	var v string
	err := s.ReadDB.QueryRowContext(ctx,
		"SELECT option_value FROM "+s.Tables.OptionsTable()+" WHERE option_name = ? LIMIT 1", name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read option %s: %w", name, err)
	}
	return v, true, nil
}

// CachedOption is Option behind the short per-process cache (for options PHP rarely changes).
// Within one request (a context from WithPrefetchSlot) an option is read once and keeps its value, as in PHP.
func (s *Site) CachedOption(ctx context.Context, name string) (string, bool, error) {
	slot := scopeFrom(ctx)
	if slot == nil {
		return s.cachedOption(ctx, name)
	}
	if o, ok := slot.option(name); ok {
		return o.value, o.found, nil
	}
	v, found, err := s.cachedOption(ctx, name)
	if err == nil {
		slot.remember(requestOption{name: name, value: v, found: found})
	}
	return v, found, err
}

func (s *Site) cachedOption(ctx context.Context, name string) (string, bool, error) {
	if s.ReadCache.Healthy() {
		return s.readCachedOption(ctx, name)
	}
	if s.OptionTTL <= 0 {
		return s.Option(ctx, name)
	}
	now := time.Now()
	s.mu.Lock()
	c, ok := s.cache[name]
	s.mu.Unlock()
	if ok && now.Before(c.expires) {
		return c.value, c.found, nil
	}
	s.optionReads.Add(1)
	v, found, err := s.Option(ctx, name)
	if err != nil {
		return "", false, err
	}
	s.mu.Lock()
	if s.cache == nil {
		s.cache = map[string]cachedOption{}
	}
	s.cache[name] = cachedOption{value: v, found: found, expires: now.Add(s.OptionTTL)}
	s.mu.Unlock()
	return v, found, nil
}

// ForgetOptions drops the option cache (tests that change options call it).
func (s *Site) ForgetOptions() {
	s.mu.Lock()
	s.cache = nil
	s.mu.Unlock()
}

// SiteURL is the siteurl option, or WP_SITEURL without its trailing slash when defined (_config_wp_siteurl).
func (s *Site) SiteURL(ctx context.Context) (string, error) {
	if v, ok := s.Config.String("WP_SITEURL"); ok {
		return strings.TrimRight(v, "/\\"), nil
	}
	v, _, err := s.CachedOption(ctx, "siteurl")
	return v, err
}

// HomeURL is the home option (WP_HOME wins), without trailing slash: the base of REST URLs (get_rest_url).
func (s *Site) HomeURL(ctx context.Context) (string, error) {
	if v, ok := s.Config.String("WP_HOME"); ok {
		return strings.TrimRight(v, "/\\"), nil
	}
	v, _, err := s.CachedOption(ctx, "home")
	return strings.TrimRight(v, "/\\"), err
}

// RESTURL is rest_url(path): home + "/wp-json/" + path (pretty permalinks) or home + "/?rest_route=/" + path.
func (s *Site) RESTURL(ctx context.Context, path string) (string, error) {
	home, err := s.HomeURL(ctx)
	if err != nil {
		return "", err
	}
	path = strings.TrimLeft(path, "/")
	perma, _, err := s.CachedOption(ctx, "permalink_structure")
	if err != nil {
		return "", err
	}
	if perma == "" {
		return home + "/index.php?rest_route=/" + path, nil
	}
	return home + "/wp-json/" + path, nil
}

// ActivePlugins lists the active_plugins option (plugin basenames). A corrupt value means none, as in PHP.
func (s *Site) ActivePlugins(ctx context.Context) ([]string, error) {
	raw, found, err := s.CachedOption(ctx, "active_plugins")
	if err != nil || !found {
		return nil, err
	}
	return stringListMemo.Get(raw, phpserial.StringList), nil // shared: read-only
}

// PluginActive reports whether a plugin basename (e.g. "fluent-cart-pro/fluent-cart-pro.php") is active.
func (s *Site) PluginActive(ctx context.Context, basename string) (bool, error) {
	list, err := s.ActivePlugins(ctx)
	if err != nil {
		return false, err
	}
	for _, p := range list {
		if p == basename {
			return true, nil
		}
	}
	return false, nil
}

// TableExists reports whether a table exists in the current database.
func (s *Site) TableExists(ctx context.Context, table string) (bool, error) {
	var n int
	err := s.ReadDB.QueryRowContext(ctx,
		"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", table).Scan(&n)
	return n > 0, err
}

type primaryKey struct{}

// WithPrimary marks ctx so that Reader returns the primary: used for a client's reads right after its own write
// (read-your-writes when reads go to a replica).
func WithPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryKey{}, true)
}

// Reader is the database for reads in ctx: the replica, unless ctx was marked WithPrimary.
func (s *Site) Reader(ctx context.Context) *sql.DB {
	if s.ReadDB == nil || ctx.Value(primaryKey{}) != nil {
		return s.DB
	}
	return s.ReadDB
}

// Events receives operational events from the packages (metrics are wired in cmd/wpsidecar); nil funcs are skipped.
type Events struct {
	AuthFailure func(reason string) // a credential was presented and refused (reason: e.g. incorrect_password)
	RateLimited func(kind string)   // a request was refused by a rate limit (kind: e.g. "latepoint_api_key")
	Dropped     func(what string)   // a bounded queue dropped an item (e.g. "audit_log")
}

// AuthFailed reports a refused credential.
func (s *Site) AuthFailed(reason string) {
	if s.Events.AuthFailure != nil {
		s.Events.AuthFailure(reason)
	}
}

// RateLimitHit reports a rate-limit refusal.
func (s *Site) RateLimitHit(kind string) {
	if s.Events.RateLimited != nil {
		s.Events.RateLimited(kind)
	}
}

// QueueDropped reports an item a bounded queue had to drop.
func (s *Site) QueueDropped(what string) {
	if s.Events.Dropped != nil {
		s.Events.Dropped(what)
	}
}
