package phpconfig

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
)

// wp-config.php reader (spec wordpress-auth-and-rest.md §1, §1.6, §12.1 items 1-6). WordPress only
// ever sees the result of executing wp-config.php: constants and the global $table_prefix. This
// reproduces that result for a closed PHP subset without running PHP. A value wpsidecar needs that
// the subset cannot evaluate is a ConfigError naming file, line and constant, never a guess.

// Provenance says where a configuration value came from (shown by `wpsidecar doctor`).
type Provenance int

const (
	ProvLiteral Provenance = iota // written in the file
	ProvDefault                   // the fallback of getenv_docker()/?:/?? because the variable was not set
	ProvEnv                       // the process environment (getenv, env(), $_ENV, $_SERVER)
	ProvFile                      // a file named by NAME_FILE (getenv_docker)
)

func (p Provenance) String() string {
	switch p {
	case ProvDefault:
		return "default"
	case ProvEnv:
		return "env"
	case ProvFile:
		return "file"
	}
	return "literal"
}

// ConfigValue is a constant's PHP value: string, int64, bool or nil.
type ConfigValue struct {
	V      any
	Prov   Provenance
	Line   int    // line of the define()
	Source string // environment variable or file the value came from ("" for literals)
}

// PHPString is PHP's string conversion of the value (true → "1", false/null → "").
func (v ConfigValue) PHPString() string { return cfgToString(v.V) }

// Truthy is PHP's boolean conversion of the value.
func (v ConfigValue) Truthy() bool { return cfgTruthy(v.V) }

// LogValue keeps the value itself out of logs: secrets are masked by default.
func (v ConfigValue) LogValue() slog.Value {
	return slog.GroupValue(slog.String("provenance", v.Prov.String()), slog.Int("line", v.Line), slog.String("source", v.Source))
}

// Config is the result of reading wp-config.php.
type Config struct {
	Path                          string
	Consts                        map[string]ConfigValue
	TablePrefix                   string
	HasTablePrefix                bool
	TablePrefixValue              ConfigValue // provenance and line of $table_prefix
	ForcesHTTPSFromForwardedProto bool        // $_SERVER['HTTPS']='on' when X-Forwarded-Proto says https
	ForcesHTTPSAlways             bool        // $_SERVER['HTTPS']='on' unconditionally
	Warnings                      []string    // skipped statements; the caller logs them

	envType    string // getenv('WP_ENVIRONMENT_TYPE') as seen at parse time
	hasEnvType bool
}

// ConfigError is a value wpsidecar needs that the file assigns in a way it cannot evaluate, a
// syntax error, or an invalid value. Messages never contain configuration values.
type ConfigError struct {
	File   string
	Line   int
	Name   string // constant or "$table_prefix"; may be empty
	Reason string
}

func (e *ConfigError) Error() string {
	if e.Name != "" {
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Name, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
}

// ConfigNeeds reports whether wpsidecar depends on the constant (spec §1.1): assigning it in a way
// the reader cannot evaluate is an error rather than a warning.
func ConfigNeeds(name string) bool {
	switch name {
	case "DB_NAME", "DB_USER", "DB_PASSWORD", "DB_HOST", "DB_CHARSET", "DB_COLLATE",
		"AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
		"AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT", "SECRET_KEY", "SECRET_SALT",
		"WP_SITEURL", "WP_HOME", "COOKIEHASH", "COOKIEPATH", "SITECOOKIEPATH", "ADMIN_COOKIE_PATH",
		"PLUGINS_COOKIE_PATH", "COOKIE_DOMAIN",
		// is_multisite() is also true when any of SUBDOMAIN_INSTALL, VHOST, SUNRISE is defined (load.php).
		"MULTISITE", "SUBDOMAIN_INSTALL", "VHOST", "SUNRISE",
		"CUSTOM_USER_TABLE", "CUSTOM_USER_META_TABLE", "WP_ENVIRONMENT_TYPE", "JWT_AUTH_SECRET_KEY",
		"FORCE_SSL_ADMIN", "WP_DEBUG":
		return true
	}
	if len(name) > len("_COOKIE") && name[len(name)-len("_COOKIE"):] == "_COOKIE" { // AUTH_COOKIE, LOGGED_IN_COOKIE, …
		for i := 0; i < len(name); i++ {
			if c := name[i]; !(c == '_' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
				return false
			}
		}
		return true
	}
	return false
}

// ConfigSecret reports whether a constant holds a secret that must be masked in output.
func ConfigSecret(name string) bool {
	switch name {
	case "DB_PASSWORD", "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
		"AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT", "SECRET_KEY", "SECRET_SALT",
		"JWT_AUTH_SECRET_KEY":
		return true
	}
	return false
}

// maxConfigSize bounds the input; real wp-config.php files are a few kilobytes.
const maxConfigSize = 4 << 20

// ParseConfigFile reads and parses wp-config.php. env is the environment getenv() sees (nil:
// the process environment). NAME_FILE files of getenv_docker() are read from disk.
func ParseConfigFile(path string, env func(string) (string, bool)) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read wp-config: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil { // __FILE__ has symlinks resolved
		abs = real
	}
	return parseConfig(path, abs, src, env, os.ReadFile)
}

// ParseConfig parses wp-config.php source. name is used in messages and for __FILE__/__DIR__;
// env and readFile default to the process environment and os.ReadFile when nil.
func ParseConfig(name string, src []byte, env func(string) (string, bool), readFile func(string) ([]byte, error)) (*Config, error) {
	return parseConfig(name, name, src, env, readFile)
}

func parseConfig(name, abs string, src []byte, env func(string) (string, bool), readFile func(string) ([]byte, error)) (*Config, error) {
	if env == nil {
		env = os.LookupEnv
	}
	if readFile == nil {
		readFile = os.ReadFile
	}
	if len(src) > maxConfigSize {
		return nil, &ConfigError{File: name, Line: 1, Reason: "file is larger than 4 MiB"}
	}
	toks, err := cfgLex(src)
	if err != nil {
		var le *cfgLexError
		if errors.As(err, &le) {
			return nil, &ConfigError{File: name, Line: le.line, Reason: "syntax error: " + le.msg}
		}
		return nil, err
	}
	p := &cfgParser{toks: toks}
	stmts, err := p.parseFile()
	if err != nil {
		var se *cfgSyntaxError
		if errors.As(err, &se) {
			return nil, &ConfigError{File: name, Line: se.line, Reason: se.msg}
		}
		return nil, err
	}
	st := &cfgState{
		file: name, path: abs, dir: filepath.Dir(abs), env: env, readFile: readFile,
		consts: map[string]ConfigValue{}, maybe: map[string]int{}, vars: map[string]cfgVal{},
		tainted: map[string]int{}, funcs: map[string]bool{}, server: map[string]cfgVal{}, envArr: map[string]cfgVal{},
	}
	if err := st.execList(stmts); err != nil {
		return nil, err
	}
	if st.cfgLine != 0 { // Config::define() without a later Config::apply(): Bedrock applies at the end
		if err := st.applyConfigCheck(st.cfgLine); err != nil {
			return nil, err
		}
		st.warnf(st.cfgLine, "Config::define() values were not applied with Config::apply(); treating them as defined")
		st.applyConfig()
	}
	c := &Config{
		Path:                          name,
		Consts:                        st.consts,
		ForcesHTTPSFromForwardedProto: st.forwardedHTTPS,
		ForcesHTTPSAlways:             st.alwaysHTTPS,
		Warnings:                      st.warnings,
	}
	if v, ok := st.vars["table_prefix"]; ok {
		c.TablePrefix = cfgToString(v.v)
		c.HasTablePrefix = true
		c.TablePrefixValue = ConfigValue{V: v.v, Prov: v.prov, Line: st.prefixLine, Source: v.src}
		if !validTablePrefix(c.TablePrefix) {
			// wpdb::set_prefix() returns invalid_db_prefix and WordPress dies (class-wpdb.php).
			return nil, &ConfigError{File: name, Line: st.prefixLine, Name: "$table_prefix", Reason: "may contain only letters, digits and underscores"}
		}
	}
	c.envType, c.hasEnvType = env("WP_ENVIRONMENT_TYPE")
	return c, nil
}

func validTablePrefix(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			return false
		}
	}
	return true
}

// Value returns a defined constant.
func (c *Config) Value(name string) (ConfigValue, bool) {
	if c == nil {
		return ConfigValue{}, false
	}
	v, ok := c.Consts[name]
	return v, ok
}

// Defined is PHP's defined().
func (c *Config) Defined(name string) bool {
	_, ok := c.Value(name)
	return ok
}

// String is the PHP string conversion of a defined constant.
func (c *Config) String(name string) (string, bool) {
	v, ok := c.Value(name)
	return v.PHPString(), ok
}

// Bool is the PHP truthiness of a constant (false when undefined).
func (c *Config) Bool(name string) bool {
	v, _ := c.Value(name)
	return v.Truthy()
}

// Multisite is is_multisite() (wp-includes/load.php): MULTISITE when defined, else true when any of
// SUBDOMAIN_INSTALL, VHOST or SUNRISE is defined. wpsidecar refuses to serve multisite (spec §2.6).
func (c *Config) Multisite() bool {
	if v, ok := c.Value("MULTISITE"); ok {
		return v.Truthy()
	}
	return c.Defined("SUBDOMAIN_INSTALL") || c.Defined("VHOST") || c.Defined("SUNRISE")
}

// EnvironmentType is wp_get_environment_type() (wp-includes/load.php, spec §1.5): the
// WP_ENVIRONMENT_TYPE environment variable seen at parse time, overridden by the constant when it
// is truthy; anything but local/development/staging/production (compared strictly, so a non-string
// constant too) is "production". A nil Config gives "production", WordPress's default.
func (c *Config) EnvironmentType() string {
	var cur any = ""
	if c != nil && c.hasEnvType {
		cur = c.envType
	}
	if v, ok := c.Value("WP_ENVIRONMENT_TYPE"); ok && v.Truthy() {
		cur = v.V
	}
	switch cur {
	case "local", "development", "staging", "production":
		return cur.(string)
	}
	return "production"
}
