package shadow

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Mode says who answers a route's requests.
type Mode string

const (
	ModePHP    Mode = "php"    // PHP answers; the sidecar passes the request through
	ModeShadow Mode = "shadow" // PHP answers; the sidecar computes its own answer (reads) or verdict (writes) and compares
	ModeGo     Mode = "go"     // the sidecar answers
)

func (m Mode) valid() bool { return m == ModePHP || m == ModeShadow || m == ModeGo }

// Config is the sidecar's configuration file (TOML, --config / WPSIDECAR_CONFIG); testdata/shadow/example.toml
// documents every key. Zero values take the defaults below.
type Config struct {
	DefaultMode Mode          `toml:"default_mode"` // mode of every owned route not listed; default "go"
	Sample      *float64      `toml:"sample"`       // share of shadow-mode requests compared, 0..1; default 1
	Log         LogConfig     `toml:"log"`
	Queue       QueueConfig   `toml:"queue"`
	Compare     CompareConfig `toml:"compare"`
	Ready       ReadyConfig   `toml:"ready"`
	Routes      []RouteConfig `toml:"route"`
}

// ReadyConfig are the thresholds at which a shadowed route is ready to switch to go, shared by `wpsidecar shadow
// report` and the migration dashboard of `serve`. Unset keys take DefaultThresholds.
type ReadyConfig struct {
	MinMatches    *int64 `toml:"min_matches"`    // at least this many matches …
	MaxMismatches *int64 `toml:"max_mismatches"` // … at most this many mismatches …
	MaxGoErrors   *int64 `toml:"max_go_errors"`  // … and at most this many sidecar errors
}

// Thresholds decide readiness (see Readiness).
type Thresholds struct {
	MinMatches    int64
	MaxMismatches int64
	MaxGoErrors   int64
}

// DefaultThresholds apply where the configuration file (or its [ready] table) says nothing.
var DefaultThresholds = Thresholds{MinMatches: 10000, MaxMismatches: 0, MaxGoErrors: 0}

// Thresholds are the configuration's readiness thresholds, defaults filled in. A nil Config gives the defaults.
func (c *Config) Thresholds() Thresholds {
	t := DefaultThresholds
	if c == nil {
		return t
	}
	if c.Ready.MinMatches != nil {
		t.MinMatches = *c.Ready.MinMatches
	}
	if c.Ready.MaxMismatches != nil {
		t.MaxMismatches = *c.Ready.MaxMismatches
	}
	if c.Ready.MaxGoErrors != nil {
		t.MaxGoErrors = *c.Ready.MaxGoErrors
	}
	return t
}

// LogConfig is the mismatch log (JSON Lines).
type LogConfig struct {
	Path            string        `toml:"path"`             // "" → no log file (metrics only)
	MaxSize         ByteSize      `toml:"max_size"`         // rotate when the file would grow past this; default 64MB
	Keep            *int          `toml:"keep"`             // rotated files kept (path.1 … path.N); default 5
	SummaryInterval time.Duration `toml:"summary_interval"` // how often per-route counts are written; default 1m
	MaxBody         ByteSize      `toml:"max_body"`         // largest body (request or response) compared and logged; default 1MB
}

// QueueConfig bounds the work the comparisons may take.
type QueueConfig struct {
	Size      int           `toml:"size"`       // shadowed requests waiting for a worker; full → skipped; default 256
	Workers   int           `toml:"workers"`    // sidecar sides / comparisons running at once; default 4
	GoTimeout time.Duration `toml:"go_timeout"` // the sidecar's answer must come within this, else go_error; default 5s
}

// CompareConfig is the normalisation list: what is compared and which values legitimately differ.
type CompareConfig struct {
	Headers       []string      `toml:"headers"`        // response headers compared; default DefaultHeaders
	Ignore        []string      `toml:"ignore"`         // JSON paths whose values are not compared (added to DefaultIgnore)
	Timestamps    []string      `toml:"timestamps"`     // JSON paths holding times: equal when within time_tolerance
	TimeTolerance time.Duration `toml:"time_tolerance"` // default 5s
	KeyOrder      *bool         `toml:"key_order"`      // a different JSON key order is a mismatch; default true
}

// RouteConfig sets one route's mode. Route is "METHOD PATTERN" with the pattern exactly as the route table
// registers it (see `wpsidecar shadow routes`); METHOD may be "*" (every method) or a comma list ("PUT,PATCH").
type RouteConfig struct {
	Route      string   `toml:"route"`
	Mode       Mode     `toml:"mode"`
	Sample     *float64 `toml:"sample"`
	Ignore     []string `toml:"ignore"`     // added to the global list for this route
	Timestamps []string `toml:"timestamps"` // added to the global list for this route
}

// DefaultHeaders are the response headers REST clients read.
var DefaultHeaders = []string{"Content-Type", "X-WP-Total", "X-WP-TotalPages", "Link", "Allow"}

// DefaultIgnore are JSON values that differ between two answers to the same request by design: fresh nonces and
// per-request ids. (Response headers such as Date, X-Request-Id, X-WP-Nonce, Set-Cookie, Server are never
// compared: only the headers list is.)
var DefaultIgnore = []string{"**.nonce", "**._wpnonce", "**.rest_nonce", "**.request_id", "**.requestId"}

// ByteSize is a size in bytes, written as an integer or a string with a unit ("64MB", "512KiB").
type ByteSize int64

// UnmarshalTOML reads an integer or a "<n><unit>" string.
func (b *ByteSize) UnmarshalTOML(v any) error {
	switch t := v.(type) {
	case int64:
		if t < 0 {
			return fmt.Errorf("size %d is negative", t)
		}
		*b = ByteSize(t)
		return nil
	case string:
		n, err := parseByteSize(t)
		if err != nil {
			return err
		}
		*b = n
		return nil
	}
	return fmt.Errorf("size must be an integer or a string like \"64MB\", not %T", v)
}

func parseByteSize(s string) (ByteSize, error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num, unit := s[:i], strings.ToUpper(strings.TrimSpace(s[i:]))
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("size %q: not a number with a unit", s)
	}
	mult := map[string]float64{"": 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30}
	m, ok := mult[unit]
	if !ok {
		return 0, fmt.Errorf("size %q: unknown unit %q (B, KB, MB, GB, KiB, MiB, GiB)", s, unit)
	}
	return ByteSize(f * m), nil
}

// LoadConfig reads and checks a configuration file.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := ParseConfig(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ParseConfig parses TOML text and checks it; unknown keys are errors (a typo must not silently keep a route in
// the wrong mode).
func ParseConfig(b []byte) (*Config, error) {
	var c Config
	md, err := toml.Decode(string(b), &c)
	if err != nil {
		return nil, err
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("unknown keys: %s", strings.Join(keys, ", "))
	}
	if _, err := compile(&c); err != nil {
		return nil, err
	}
	return &c, nil
}

// settings is a Config with defaults applied and routes indexed.
type settings struct {
	defaultMode Mode
	logPath     string
	maxSize     int64
	keep        int
	summary     time.Duration
	maxBody     int
	queueSize   int
	workers     int
	goTimeout   time.Duration
	routes      map[routeKey]*routeRule
	listed      []routeKey // in file order, for warnings
	defaultRule *routeRule
	ready       Thresholds
}

type routeKey struct{ method, pattern string }

func (k routeKey) String() string { return k.method + " " + k.pattern }

// routeRule is what one route's requests get.
type routeRule struct {
	mode   Mode
	sample float64
	rules  *Rules
}

func compile(c *Config) (*settings, error) {
	s := &settings{
		defaultMode: ModeGo,
		logPath:     c.Log.Path,
		maxSize:     int64(c.Log.MaxSize),
		keep:        5,
		summary:     c.Log.SummaryInterval,
		maxBody:     int(c.Log.MaxBody),
		queueSize:   c.Queue.Size,
		workers:     c.Queue.Workers,
		goTimeout:   c.Queue.GoTimeout,
		routes:      map[routeKey]*routeRule{},
		ready:       c.Thresholds(),
	}
	if s.ready.MinMatches < 0 || s.ready.MaxMismatches < 0 || s.ready.MaxGoErrors < 0 {
		return nil, errors.New("ready: min_matches, max_mismatches and max_go_errors must not be negative")
	}
	if c.DefaultMode != "" {
		if !c.DefaultMode.valid() {
			return nil, fmt.Errorf("default_mode %q: want php, shadow or go", c.DefaultMode)
		}
		s.defaultMode = c.DefaultMode
	}
	sample := 1.0
	if c.Sample != nil {
		sample = *c.Sample
		if sample < 0 || sample > 1 {
			return nil, fmt.Errorf("sample %v: want a rate between 0 and 1", sample)
		}
	}
	if s.maxSize <= 0 {
		s.maxSize = 64 << 20
	}
	if c.Log.Keep != nil {
		if *c.Log.Keep < 0 {
			return nil, errors.New("log.keep must not be negative")
		}
		s.keep = *c.Log.Keep
	}
	if s.summary <= 0 {
		s.summary = time.Minute
	}
	if s.maxBody <= 0 {
		s.maxBody = 1 << 20
	}
	if s.queueSize <= 0 {
		s.queueSize = 256
	}
	if s.workers <= 0 {
		s.workers = 4
	}
	if s.goTimeout <= 0 {
		s.goTimeout = 5 * time.Second
	}

	global, err := newRules(c.Compare, nil, nil)
	if err != nil {
		return nil, err
	}
	s.defaultRule = &routeRule{mode: s.defaultMode, sample: sample, rules: global}
	for i, rc := range c.Routes {
		method, pattern, ok := strings.Cut(strings.TrimSpace(rc.Route), " ")
		pattern = strings.TrimSpace(pattern)
		if !ok || method == "" || !strings.HasPrefix(pattern, "/") {
			return nil, fmt.Errorf("route #%d %q: want \"METHOD /namespace/route-pattern\"", i+1, rc.Route)
		}
		mode := rc.Mode
		if !mode.valid() {
			return nil, fmt.Errorf("route %q: mode %q: want php, shadow or go", rc.Route, rc.Mode)
		}
		rs := sample
		if rc.Sample != nil {
			rs = *rc.Sample
			if rs < 0 || rs > 1 {
				return nil, fmt.Errorf("route %q: sample %v: want a rate between 0 and 1", rc.Route, rs)
			}
		}
		rules := global
		if len(rc.Ignore) > 0 || len(rc.Timestamps) > 0 {
			if rules, err = newRules(c.Compare, rc.Ignore, rc.Timestamps); err != nil {
				return nil, fmt.Errorf("route %q: %w", rc.Route, err)
			}
		}
		rule := &routeRule{mode: mode, sample: rs, rules: rules}
		for _, m := range strings.Split(method, ",") {
			m = strings.ToUpper(strings.TrimSpace(m))
			if m == "" {
				return nil, fmt.Errorf("route %q: empty method", rc.Route)
			}
			k := routeKey{m, pattern}
			if _, dup := s.routes[k]; dup {
				return nil, fmt.Errorf("route %q: %s is listed twice", rc.Route, k)
			}
			s.routes[k] = rule
			s.listed = append(s.listed, k)
		}
	}
	return s, nil
}

// rule is what a request for method+pattern gets: the exact method, then HEAD as GET, then "*", then the default.
func (s *settings) rule(method, pattern string) *routeRule {
	if r, ok := s.routes[routeKey{method, pattern}]; ok {
		return r
	}
	if method == "HEAD" {
		if r, ok := s.routes[routeKey{"GET", pattern}]; ok {
			return r
		}
	}
	if r, ok := s.routes[routeKey{"*", pattern}]; ok {
		return r
	}
	return s.defaultRule
}

// modes lists the configured modes in a stable order (for the reload log line).
func (s *settings) modes() []string {
	out := make([]string, 0, len(s.routes))
	for k, r := range s.routes {
		out = append(out, k.String()+" → "+string(r.mode))
	}
	sort.Strings(out)
	return out
}
