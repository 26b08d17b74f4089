package phpconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// wpconfigCase is one testdata/wpcompat/wpconfig/<name>.json: the expected result of parsing
// <name>.php (or "php") with the given environment and NAME_FILE files.
type wpconfigCase struct {
	PHP             string            `json:"php"`
	Name            string            `json:"name"`
	Env             map[string]string `json:"env"`
	Files           map[string]string `json:"files"`
	Consts          map[string]any    `json:"consts"`
	Prov            map[string]string `json:"prov"`
	Sources         map[string]string `json:"sources"`
	Lines           map[string]int    `json:"lines"`
	Undefined       []string          `json:"undefined"`
	TablePrefix     *string           `json:"table_prefix"`
	TablePrefixProv string            `json:"table_prefix_prov"`
	DSN             string            `json:"dsn"`
	DefaultSocket   string            `json:"default_socket"`
	ForwardedHTTPS  *bool             `json:"forwarded_https"`
	AlwaysHTTPS     *bool             `json:"always_https"`
	Multisite       *bool             `json:"multisite"`
	EnvironmentType string            `json:"environment_type"`
	Warnings        []string          `json:"warnings"`
	WarningCount    *int              `json:"warning_count"`
	Error           string            `json:"error"`
	ErrorLine       int               `json:"error_line"`
	ErrorName       string            `json:"error_name"`
	ErrorNot        []string          `json:"error_not"`
}

const wpconfigDir = "../../testdata/wpcompat/wpconfig"

func loadWPConfigCase(t *testing.T, path string) wpconfigCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var tc wpconfigCase
	if err := dec.Decode(&tc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for k, v := range tc.Consts {
		if n, ok := v.(json.Number); ok {
			i, err := n.Int64()
			if err != nil {
				t.Fatalf("%s: %s: only integer constants are supported: %v", path, k, err)
			}
			tc.Consts[k] = i
		}
	}
	return tc
}

func (tc wpconfigCase) envFunc() func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := tc.Env[k]
		return v, ok
	}
}

func (tc wpconfigCase) readFile(p string) ([]byte, error) {
	if s, ok := tc.Files[p]; ok {
		return []byte(s), nil
	}
	return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
}

func TestConfigVariants(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(wpconfigDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("expected at least 10 wp-config variants, found %d", len(cases))
	}
	for _, jf := range cases {
		base := strings.TrimSuffix(filepath.Base(jf), ".json")
		t.Run(base, func(t *testing.T) {
			tc := loadWPConfigCase(t, jf)
			php := tc.PHP
			if php == "" {
				php = base + ".php"
			}
			src, err := os.ReadFile(filepath.Join(wpconfigDir, php))
			if err != nil {
				t.Fatal(err)
			}
			name := tc.Name
			if name == "" {
				name = "/srv/www/" + strings.TrimSuffix(php, ".php") + "/" + php
			}
			c, err := ParseConfig(name, src, tc.envFunc(), tc.readFile)
			if tc.Error != "" {
				checkConfigError(t, tc, name, c, err)
				return
			}
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			checkConfig(t, tc, c)
		})
	}
}

func checkConfigError(t *testing.T, tc wpconfigCase, name string, c *Config, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected error containing %q, got none (warnings %q)", tc.Error, c.Warnings)
	}
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is %T, want *ConfigError", err, err)
	}
	if !strings.Contains(err.Error(), tc.Error) {
		t.Errorf("error %q does not contain %q", err, tc.Error)
	}
	if want := fmt.Sprintf("%s:%d: ", name, tc.ErrorLine); !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q does not start with file and line %q", err, want)
	}
	if ce.Line != tc.ErrorLine || ce.File != name {
		t.Errorf("error at %s:%d, want %s:%d", ce.File, ce.Line, name, tc.ErrorLine)
	}
	if ce.Name != tc.ErrorName {
		t.Errorf("error names %q, want %q", ce.Name, tc.ErrorName)
	}
	for _, s := range tc.ErrorNot {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q reveals %q", err, s)
		}
	}
}

func checkConfig(t *testing.T, tc wpconfigCase, c *Config) {
	t.Helper()
	for k, want := range tc.Consts {
		got, ok := c.Value(k)
		if !ok {
			t.Errorf("%s is not defined", k)
			continue
		}
		if got.V != want {
			t.Errorf("%s = %#v, want %#v", k, got.V, want)
		}
	}
	for k, want := range tc.Prov {
		if got, _ := c.Value(k); got.Prov.String() != want {
			t.Errorf("%s provenance %s, want %s", k, got.Prov, want)
		}
	}
	for k, want := range tc.Sources {
		if got, _ := c.Value(k); got.Source != want {
			t.Errorf("%s source %q, want %q", k, got.Source, want)
		}
	}
	for k, want := range tc.Lines {
		if got, _ := c.Value(k); got.Line != want {
			t.Errorf("%s line %d, want %d", k, got.Line, want)
		}
	}
	for _, k := range tc.Undefined {
		if c.Defined(k) {
			t.Errorf("%s is defined, want undefined", k)
		}
	}
	if tc.TablePrefix != nil {
		if !c.HasTablePrefix || c.TablePrefix != *tc.TablePrefix {
			t.Errorf("table prefix %q (set %v), want %q", c.TablePrefix, c.HasTablePrefix, *tc.TablePrefix)
		}
	} else if c.HasTablePrefix {
		t.Errorf("table prefix %q set, want none", c.TablePrefix)
	}
	if tc.TablePrefixProv != "" && c.TablePrefixValue.Prov.String() != tc.TablePrefixProv {
		t.Errorf("table prefix provenance %s, want %s", c.TablePrefixValue.Prov, tc.TablePrefixProv)
	}
	if tc.DSN != "" {
		dsn, err := c.DSN(tc.DefaultSocket)
		if err != nil || dsn != tc.DSN {
			t.Errorf("DSN = %q, %v; want %q", dsn, err, tc.DSN)
		}
	}
	if tc.ForwardedHTTPS != nil && c.ForcesHTTPSFromForwardedProto != *tc.ForwardedHTTPS {
		t.Errorf("ForcesHTTPSFromForwardedProto = %v", c.ForcesHTTPSFromForwardedProto)
	}
	if tc.AlwaysHTTPS != nil && c.ForcesHTTPSAlways != *tc.AlwaysHTTPS {
		t.Errorf("ForcesHTTPSAlways = %v", c.ForcesHTTPSAlways)
	}
	if tc.Multisite != nil && c.Multisite() != *tc.Multisite {
		t.Errorf("Multisite() = %v", c.Multisite())
	}
	if tc.EnvironmentType != "" && c.EnvironmentType() != tc.EnvironmentType {
		t.Errorf("EnvironmentType() = %q, want %q", c.EnvironmentType(), tc.EnvironmentType)
	}
	for _, w := range tc.Warnings {
		found := false
		for _, got := range c.Warnings {
			found = found || strings.Contains(got, w)
		}
		if !found {
			t.Errorf("no warning contains %q; warnings: %q", w, c.Warnings)
		}
	}
	if tc.WarningCount != nil && len(c.Warnings) != *tc.WarningCount {
		t.Errorf("%d warnings, want %d: %q", len(c.Warnings), *tc.WarningCount, c.Warnings)
	}
	// Warnings are logged: they must never carry a secret.
	for k, v := range c.Consts {
		if s := v.PHPString(); ConfigSecret(k) && len(s) >= 4 && !strings.Contains(s, "unique phrase") {
			for _, w := range c.Warnings {
				if strings.Contains(w, s) {
					t.Errorf("warning %q reveals %s", w, k)
				}
			}
		}
	}
}

// parseSnippet parses a small wp-config body with a fixed environment.
func parseSnippet(t *testing.T, src string, env map[string]string) (*Config, error) {
	t.Helper()
	return ParseConfig("/site/wp-config.php", []byte("<?php\n"+src), func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}, func(p string) ([]byte, error) { return nil, fs.ErrNotExist })
}

func TestConfigExpressions(t *testing.T) {
	env := map[string]string{"SET": "value", "EMPTY": "", "ZERO": "0", "NUM": "42", "T": "True", "N": "null",
		"Q": `"quoted"`, "SQ": "'single'", "BIG": "99999999999999999999", "ONEQ": `"`}
	tests := []struct {
		expr string
		want any
		prov Provenance
	}{
		{`'a' . 'b' . 1`, "ab1", ProvLiteral},
		{`getenv('SET')`, "value", ProvEnv},
		{`getenv('UNSET')`, false, ProvEnv},
		{`getenv('UNSET') ?: 'fb'`, "fb", ProvDefault},
		{`getenv('EMPTY') ?: 'fb'`, "fb", ProvDefault},
		{`getenv('ZERO') ?: 'fb'`, "fb", ProvDefault},
		{`getenv('EMPTY') ?? 'fb'`, "", ProvEnv},
		{`$_ENV['UNSET'] ?? 'fb'`, "fb", ProvDefault},
		{`$undefined ?? 'fb'`, "fb", ProvLiteral},
		{`$_SERVER['SET'] ?? 'x'`, "value", ProvEnv},
		{`isset($_ENV['SET'], $_ENV['EMPTY'])`, true, ProvLiteral},
		{`isset($_ENV['SET'], $_ENV['UNSET'])`, false, ProvEnv},
		{`empty($_ENV['ZERO'])`, true, ProvEnv},
		{`empty($nothing)`, true, ProvLiteral},
		{`!!getenv('SET')`, true, ProvEnv},
		{`!getenv('ZERO')`, true, ProvEnv},
		{`(bool) '0'`, false, ProvLiteral},
		{`(int) ' 12abc'`, int64(12), ProvLiteral},
		{`(string) true`, "1", ProvLiteral},
		{`-5`, int64(-5), ProvLiteral},
		{`0x1F + 0`, nil, 0}, // arithmetic is not supported: checked below as an error
		{`0755 . ''`, "493", ProvLiteral},
		{`1_000 . ''`, "1000", ProvLiteral},
		{`getenv('SET') === 'value' ? 'y' : 'n'`, "y", ProvEnv},
		{`getenv('NUM') == 42`, true, ProvEnv},
		{`'1e1' == '10'`, true, ProvLiteral},
		{`'abc' == 0`, false, ProvLiteral},
		{`null == false`, true, ProvLiteral},
		{`'' != null`, false, ProvLiteral},
		{`true && getenv('SET')`, true, ProvEnv},
		{`false || 0`, false, ProvLiteral},
		{`env('T')`, true, ProvEnv},
		{`env('N')`, nil, ProvEnv},
		{`env('NUM')`, int64(42), ProvEnv},
		{`env('BIG')`, int64(9223372036854775807), ProvEnv},
		{`env('Q')`, "quoted", ProvEnv},
		{`Env\env('SQ')`, "single", ProvEnv},
		{`env('ONEQ')`, "", ProvEnv},
		{`env('EMPTY')`, "", ProvEnv},
		{`env('UNSET')`, nil, ProvEnv},
		{`env('UNSET') ?? 'd'`, "d", ProvDefault},
		{`dirname('/a/b/c/')`, "/a/b", ProvLiteral},
		{`dirname('/a/b/c', 2)`, "/a", ProvLiteral},
		{`dirname('file')`, ".", ProvLiteral},
		{`dirname('/file')`, "/", ProvLiteral},
		{`dirname(__DIR__)`, "/", ProvLiteral},
		{`__FILE__`, "/site/wp-config.php", ProvLiteral},
		{`__LINE__`, int64(2), ProvLiteral},
		{`DIRECTORY_SEPARATOR`, "/", ProvLiteral},
		{`function_exists('getenv_docker')`, false, ProvLiteral},
		{`function_exists('getenv')`, true, ProvLiteral},
		{`defined('ABSPATH')`, false, ProvLiteral},
		{`"tab\there"`, "tab\there", ProvLiteral},
		{`(getenv('SET'))`, "value", ProvEnv},
		{`@getenv('SET')`, "value", ProvEnv},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			c, err := parseSnippet(t, "define('X', "+tt.expr+");", env)
			if err != nil {
				t.Fatal(err)
			}
			v, ok := c.Value("X")
			if tt.want == nil && tt.prov == 0 && !ok {
				return // expected to be unevaluable (and X is not needed: a warning)
			}
			if !ok {
				t.Fatalf("X not defined; warnings %q", c.Warnings)
			}
			if v.V != tt.want || v.Prov != tt.prov {
				t.Errorf("X = %#v (%s), want %#v (%s)", v.V, v.Prov, tt.want, tt.prov)
			}
		})
	}
}

func TestConfigPHPSemantics(t *testing.T) {
	t.Run("first define wins", func(t *testing.T) {
		c, err := parseSnippet(t, "define('DB_NAME', 'a');\ndefine('DB_NAME', 'b');", nil)
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := c.String("DB_NAME"); s != "a" || len(c.Warnings) != 1 {
			t.Errorf("DB_NAME = %q, warnings %q", s, c.Warnings)
		}
	})
	t.Run("last table prefix wins", func(t *testing.T) {
		c, err := parseSnippet(t, "$table_prefix = 'a_';\n$table_prefix = 'b_';", nil)
		if err != nil || c.TablePrefix != "b_" || c.TablePrefixValue.Line != 3 {
			t.Fatalf("%v %q %d", err, c.TablePrefix, c.TablePrefixValue.Line)
		}
	})
	t.Run("empty table prefix is valid", func(t *testing.T) {
		c, err := parseSnippet(t, "$table_prefix = '';", nil)
		if err != nil || !c.HasTablePrefix || c.TablePrefix != "" {
			t.Fatalf("%v %+v", err, c)
		}
	})
	t.Run("Config::define after define throws in PHP", func(t *testing.T) {
		_, err := parseSnippet(t, "define('WP_HOME', 'a');\nConfig::define('WP_HOME', 'b');", nil)
		if err == nil || !strings.Contains(err.Error(), "wp-config.php:3: WP_HOME: Config::define() of a constant already defined at line 2") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("later Config::define replaces earlier", func(t *testing.T) {
		c, err := parseSnippet(t, "Config::define('WP_HOME', 'a');\nConfig::define('WP_HOME', 'b');\nConfig::apply();", nil)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := c.Value("WP_HOME"); v.V != "b" || v.Line != 3 {
			t.Errorf("WP_HOME = %+v", v)
		}
	})
	t.Run("Config::define without apply is applied at the end", func(t *testing.T) {
		c, err := parseSnippet(t, "Config::define('WP_HOME', 'a');", nil)
		if err != nil || !c.Defined("WP_HOME") || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "Config::apply") {
			t.Fatalf("%v %q", err, c.Warnings)
		}
	})
	t.Run("Config::define is not a constant before apply", func(t *testing.T) {
		c, err := parseSnippet(t, "Config::define('A', 'x');\ndefine('B', defined('A'));\nConfig::apply();\ndefine('C', A);", nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.Bool("B") || !c.Defined("C") {
			t.Errorf("B = %v, C defined %v", c.Bool("B"), c.Defined("C"))
		}
	})
	t.Run("constant references", func(t *testing.T) {
		c, err := parseSnippet(t, "define('WP_HOME', getenv('H'));\ndefine('WP_SITEURL', WP_HOME . '/wp');", map[string]string{"H": "https://x"})
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := c.Value("WP_SITEURL"); v.V != "https://x/wp" || v.Prov != ProvEnv || v.Source != "H" {
			t.Errorf("WP_SITEURL = %+v", v)
		}
	})
	t.Run("undefined constant in a needed value", func(t *testing.T) {
		_, err := parseSnippet(t, "define('WP_SITEURL', WP_HOME . '/wp');", nil)
		if err == nil || !strings.Contains(err.Error(), "wp-config.php:2: WP_SITEURL:") || !strings.Contains(err.Error(), "constant WP_HOME is not defined") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("condition provenance carries into the branch", func(t *testing.T) {
		c, err := parseSnippet(t, "if (getenv('PROD')) { define('DB_HOST', 'a'); } else { define('DB_HOST', 'b'); }", nil)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := c.Value("DB_HOST"); v.V != "b" || v.Prov != ProvEnv {
			t.Errorf("DB_HOST = %+v", v)
		}
	})
	t.Run("elseif chain and else if", func(t *testing.T) {
		src := "if (getenv('E') === 'a') { define('WP_HOME', 'A'); } elseif (getenv('E') === 'b') { define('WP_HOME', 'B'); } else if (getenv('E') === 'c') define('WP_HOME', 'C'); else { define('WP_HOME', 'D'); }"
		for e, want := range map[string]string{"a": "A", "b": "B", "c": "C", "z": "D"} {
			c, err := parseSnippet(t, src, map[string]string{"E": e})
			if err != nil {
				t.Fatal(err)
			}
			if s, _ := c.String("WP_HOME"); s != want {
				t.Errorf("E=%s: WP_HOME = %q, want %q", e, s, want)
			}
		}
	})
	t.Run("variables", func(t *testing.T) {
		c, err := parseSnippet(t, "$h = getenv('H') ?: 'localhost';\n$h .= ':3307';\n$p ??= 'pw';\ndefine('DB_HOST', $h);\ndefine('DB_PASSWORD', $GLOBALS['p']);", nil)
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := c.String("DB_HOST"); s != "localhost:3307" {
			t.Errorf("DB_HOST = %q", s)
		}
		if s, _ := c.String("DB_PASSWORD"); s != "pw" {
			t.Errorf("DB_PASSWORD = %q", s)
		}
	})
	t.Run("undefined variable in a needed value", func(t *testing.T) {
		_, err := parseSnippet(t, "define('DB_PASSWORD', $pw);", nil)
		if err == nil || !strings.Contains(err.Error(), "variable $pw is not defined") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("unconditional HTTPS", func(t *testing.T) {
		c, err := parseSnippet(t, "$_SERVER['HTTPS'] = 'on';", nil)
		if err != nil || !c.ForcesHTTPSAlways || c.ForcesHTTPSFromForwardedProto {
			t.Fatalf("%v %+v", err, c)
		}
	})
	t.Run("forwarded proto variants", func(t *testing.T) {
		for _, cond := range []string{
			"isset($_SERVER['HTTP_X_FORWARDED_PROTO']) && $_SERVER['HTTP_X_FORWARDED_PROTO'] == 'https'",
			"'https' === $_SERVER['HTTP_X_FORWARDED_PROTO']",
			"!empty($_SERVER['HTTP_X_FORWARDED_PROTO']) && false !== stripos($_SERVER['HTTP_X_FORWARDED_PROTO'], 'https')",
			"str_contains($_SERVER['HTTP_X_FORWARDED_PROTO'], 'https')",
		} {
			c, err := parseSnippet(t, "if ("+cond+") $_SERVER['HTTPS'] = 'on';", nil)
			if err != nil || !c.ForcesHTTPSFromForwardedProto || len(c.Warnings) != 0 {
				t.Errorf("%s: %v %+v", cond, err, c)
			}
		}
		c, err := parseSnippet(t, "if ($_SERVER['HTTP_X_FORWARDED_SSL'] == 'on') { $_SERVER['HTTPS'] = 'on'; }", nil)
		if err != nil || c.ForcesHTTPSFromForwardedProto || len(c.Warnings) != 2 || !strings.Contains(c.Warnings[0], "is_ssl()") {
			t.Errorf("unrecognised block: %v %+v", err, c)
		}
	})
	t.Run("defined or define idiom", func(t *testing.T) {
		c, err := parseSnippet(t, "define('WP_DEBUG', true);\ndefined('WP_DEBUG') || define('WP_DEBUG', false);\n!defined('FORCE_SSL_ADMIN') && define('FORCE_SSL_ADMIN', true);", nil)
		if err != nil || !c.Bool("WP_DEBUG") || !c.Bool("FORCE_SSL_ADMIN") || len(c.Warnings) != 0 {
			t.Fatalf("%v %q", err, c.Warnings)
		}
	})
	t.Run("needed define inside a function body", func(t *testing.T) {
		_, err := parseSnippet(t, "function setup() {\n  define('DB_HOST', 'x');\n}\nsetup();", nil)
		if err == nil || !strings.Contains(err.Error(), "wp-config.php:3: DB_HOST: assigned by the function definition setup() at line 2") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("define with a computed name", func(t *testing.T) {
		_, err := parseSnippet(t, "foreach (array('A' => 1) as $k => $v) { define($k, $v); }", nil)
		if err == nil || !strings.Contains(err.Error(), "computed constant name") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("skipped define makes defined() unknown", func(t *testing.T) {
		c, err := parseSnippet(t, "if (isset($_GET['x'])) { define('SOMETHING', 1); }\nif (!defined('SOMETHING')) { define('OTHER', 2); }", nil)
		if err != nil || c.Defined("OTHER") || len(c.Warnings) != 2 {
			t.Fatalf("%v %q", err, c.Warnings)
		}
	})
	t.Run("return stops the file", func(t *testing.T) {
		c, err := parseSnippet(t, "define('DB_NAME', 'a');\nreturn;\ndefine('DB_USER', 'b');", nil)
		if err != nil || c.Defined("DB_USER") || len(c.Warnings) != 2 {
			t.Fatalf("%v %q", err, c.Warnings)
		}
	})
	t.Run("MULTISITE implied by SUBDOMAIN_INSTALL", func(t *testing.T) {
		c, err := parseSnippet(t, "define('SUBDOMAIN_INSTALL', false);", nil)
		if err != nil || !c.Multisite() {
			t.Fatalf("%v %v", err, c.Multisite())
		}
		c, err = parseSnippet(t, "define('MULTISITE', false);\ndefine('SUNRISE', 'on');", nil)
		if err != nil || c.Multisite() {
			t.Fatalf("%v %v", err, c.Multisite())
		}
	})
}

func TestConfigLexing(t *testing.T) {
	t.Run("?> ends a line comment and PHP mode", func(t *testing.T) {
		c, err := ParseConfig("x.php", []byte("<?php define('A', 1); // c ?>out<?php define('B', 2);"), nil, nil)
		if err != nil || !c.Defined("A") || !c.Defined("B") || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "output") {
			t.Fatalf("%v %+v", err, c)
		}
	})
	t.Run("byte order mark is output", func(t *testing.T) {
		c, err := ParseConfig("x.php", []byte("\xef\xbb\xbf<?php define('A', 1);"), nil, nil)
		if err != nil || !c.Defined("A") || len(c.Warnings) != 1 {
			t.Fatalf("%v %+v", err, c)
		}
	})
	t.Run("no open tag", func(t *testing.T) {
		c, err := ParseConfig("x.php", []byte("define('DB_NAME', 'x');"), nil, nil)
		if err != nil || c.Defined("DB_NAME") || len(c.Warnings) != 1 {
			t.Fatalf("%v %+v", err, c)
		}
	})
	t.Run("nowdoc and heredoc are skipped whole", func(t *testing.T) {
		src := "<?php\n$a = <<<'EOT'\n define('DB_NAME', 'in nowdoc'); EOT x\n  EOT;\n$b = <<<EOT\n$x {$y['z']}\nEOT;\ndefine('DB_USER', 'u');"
		c, err := ParseConfig("x.php", []byte(src), nil, nil)
		if err != nil || c.Defined("DB_NAME") || !c.Defined("DB_USER") {
			t.Fatalf("%v %+v", err, c)
		}
		if v, _ := c.Value("DB_USER"); v.Line != 8 {
			t.Errorf("line %d, want 8", v.Line)
		}
	})
	t.Run("interpolated string with quotes inside braces", func(t *testing.T) {
		c, err := ParseConfig("x.php", []byte(`<?php $s = "a {$x["k"]} b"; define('DB_USER', 'u');`), nil, nil)
		if err != nil || !c.Defined("DB_USER") || len(c.Warnings) != 1 {
			t.Fatalf("%v %+v", err, c)
		}
	})
	t.Run("attribute syntax", func(t *testing.T) {
		c, err := ParseConfig("x.php", []byte("<?php\n#[Attr]\nfunction f() {}\ndefine('DB_USER', 'u');"), nil, nil)
		if err != nil || !c.Defined("DB_USER") {
			t.Fatalf("%v %+v", err, c)
		}
	})
	for _, tt := range []struct{ name, src, want string }{
		{"unterminated comment", "<?php\n/* never closed", "x.php:2: syntax error: unterminated /* comment"},
		{"unterminated string", "<?php\ndefine('A', 'oops);", "x.php:2: syntax error: unterminated single-quoted string"},
		{"unterminated heredoc", "<?php\n$a = <<<EOT\nabc\n", "x.php:2: syntax error: unterminated heredoc"},
		{"unclosed brace", "<?php\nif (true) {\ndefine('A', 1);", "x.php:2: syntax error: unexpected end of file"},
		{"stray brace", "<?php\n}\n", "x.php:2: syntax error: unexpected }"},
		{"stray paren", "<?php\n);\n", "x.php:2: syntax error: unexpected )"},
		{"bad unicode escape", "<?php\ndefine('A', \"\\u{zz}\");", "x.php:2: syntax error: invalid UTF-8 codepoint escape sequence"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("x.php", []byte(tt.src), nil, nil)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("err = %v, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestConfigEnvironmentType(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		env   map[string]string
		want  string
		isNil bool
	}{
		{name: "nil config", isNil: true, want: "production"},
		{name: "nothing", want: "production"},
		{name: "env only", env: map[string]string{"WP_ENVIRONMENT_TYPE": "local"}, want: "local"},
		{name: "env empty", env: map[string]string{"WP_ENVIRONMENT_TYPE": ""}, want: "production"},
		{name: "constant wins", src: "define('WP_ENVIRONMENT_TYPE', 'staging');", env: map[string]string{"WP_ENVIRONMENT_TYPE": "local"}, want: "staging"},
		{name: "falsy constant keeps env", src: "define('WP_ENVIRONMENT_TYPE', '');", env: map[string]string{"WP_ENVIRONMENT_TYPE": "development"}, want: "development"},
		{name: "invalid", src: "define('WP_ENVIRONMENT_TYPE', 'Local');", want: "production"},
		{name: "non-string constant", src: "define('WP_ENVIRONMENT_TYPE', true);", env: map[string]string{"WP_ENVIRONMENT_TYPE": "local"}, want: "production"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c *Config
			if !tt.isNil {
				var err error
				if c, err = parseSnippet(t, tt.src, tt.env); err != nil {
					t.Fatal(err)
				}
			}
			if got := c.EnvironmentType(); got != tt.want {
				t.Errorf("EnvironmentType() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestConfigNil(t *testing.T) {
	var c *Config
	if s, ok := c.String("DB_NAME"); s != "" || ok {
		t.Error("String")
	}
	if c.Bool("WP_DEBUG") || c.Defined("X") || c.Multisite() {
		t.Error("Bool/Defined/Multisite")
	}
	if _, err := c.DSN(""); err == nil {
		t.Error("DSN of nil config must fail")
	}
	if c.DBCharset() != "utf8mb4" {
		t.Error("DBCharset")
	}
}

func TestConfigDemoFile(t *testing.T) {
	c, err := ParseConfigFile("../../testdata/demo/wp-config.php", func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	if c.EnvironmentType() != "local" || c.TablePrefix != "wp_" || len(c.Warnings) != 0 {
		t.Errorf("env %q prefix %q warnings %q", c.EnvironmentType(), c.TablePrefix, c.Warnings)
	}
	abs, _ := filepath.Abs("../../testdata/demo")
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if s, _ := c.String("ABSPATH"); s != abs+"/" {
		t.Errorf("ABSPATH = %q, want %q", s, abs+"/")
	}
	if _, err := ParseConfigFile(filepath.Join(t.TempDir(), "missing.php"), nil); err == nil {
		t.Error("missing file must fail")
	}
}

func FuzzParseConfig(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(wpconfigDir, "*.php"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("<?php if (a): define('X', 1); elseif (b): else: endif; foreach ($a as $b): endforeach;"))
	f.Add([]byte("<?php $x = \"{$a[\"}\"]}\"; $y = <<<A\nA;\n?>x<?= 1 ?>"))
	env := map[string]string{"WORDPRESS_DB_HOST": "db", "WORDPRESS_DB_PASSWORD_FILE": "/x", "DB_NAME": "d"}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig("fuzz.php", data, func(k string) (string, bool) {
			v, ok := env[k]
			return v, ok
		}, func(string) ([]byte, error) { return []byte("secret\n"), nil })
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is %T, want *ConfigError", err, err)
			}
			return
		}
		for k := range c.Consts {
			c.String(k)
			c.Bool(k)
		}
		_, _ = c.DSN("")
		_ = c.EnvironmentType()
		_ = c.Multisite()
		if c.HasTablePrefix && !validTablePrefix(c.TablePrefix) {
			t.Fatalf("invalid prefix %q accepted", c.TablePrefix)
		}
	})
}

func TestConfigEnvHelperVariants(t *testing.T) {
	for _, src := range []string{
		"define('DB_HOST', env('DB_HOST', 'localhost'));",
		"function env($k) { return getenv($k); }\ndefine('DB_HOST', env('DB_HOST'));",
	} {
		_, err := parseSnippet(t, src, map[string]string{"DB_HOST": "db"})
		if err == nil || !strings.Contains(err.Error(), "DB_HOST") || !strings.Contains(err.Error(), "not oscarotero/env's") {
			t.Errorf("%s: err = %v", src, err)
		}
	}
}

// Hostile shapes must stay roughly linear (the reader runs at startup on an operator's file, and
// under the fuzzer).
func TestConfigHostileInputs(t *testing.T) {
	inputs := map[string]string{
		"unclosed ifs":    "<?php foreach (" + strings.Repeat("if (", 5000),
		"ifs in a loop":   "<?php foreach ($a as $b) { " + strings.Repeat("if ($x) { $y = 1; } ", 5000) + "}",
		"colon syntax":    "<?php foreach ($a as $b): " + strings.Repeat("if ($x): endif; ", 5000) + " endforeach;",
		"nested parens":   "<?php define('X', " + strings.Repeat("(", 1000) + "1" + strings.Repeat(")", 1000) + ");",
		"nested blocks":   "<?php " + strings.Repeat("{", 1000) + strings.Repeat("}", 1000),
		"long concat":     "<?php define('X', 'a'" + strings.Repeat(" . 'a'", 10000) + ");",
		"unclosed calls":  "<?php " + strings.Repeat("f(", 5000),
		"nested arrays":   "<?php $a = " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + ";",
		"elseif chain":    "<?php if ($q) {} " + strings.Repeat("elseif ($q) {} ", 5000),
		"many statements": "<?php " + strings.Repeat("define('A', 'b' . 'c');\n", 5000),
	}
	for name, src := range inputs {
		start := time.Now()
		_, err := ParseConfig("x.php", []byte(src), nil, nil)
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s took %v (err %v)", name, d, err)
		}
	}
	c, err := ParseConfig("x.php", []byte("<?php define('X', 'a'"+strings.Repeat(" . 'a'", 10000)+");"), nil, nil)
	if err != nil || len(c.Consts["X"].PHPString()) != 10001 {
		t.Errorf("long concat: %v", err)
	}
}

func TestConfigDeclareAndNamespace(t *testing.T) {
	c, err := parseSnippet(t, "declare(strict_types=1);\nnamespace Site;\nuse Roots\\WPConfig\\Config;\ndeclare(ticks=1) { define('DB_NAME', 'in_block'); }\nnamespace Other { define('DB_USER', 'in_ns'); }", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := c.String("DB_NAME"); s != "in_block" || !c.Defined("DB_USER") || len(c.Warnings) != 0 {
		t.Errorf("DB_NAME %q DB_USER %v warnings %q", s, c.Defined("DB_USER"), c.Warnings)
	}
}
