package shadow

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// The documented example parses and means what its comments say.
func TestExampleConfigParses(t *testing.T) {
	c, err := LoadConfig(filepath.Join(wptest.RepoRoot(), "testdata", "shadow", "example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := compile(c)
	if err != nil {
		t.Fatal(err)
	}
	if st.defaultMode != ModePHP || st.logPath != "/var/lib/wpsidecar/shadow.jsonl" || st.maxSize != 64e6 || st.keep != 5 ||
		st.summary != time.Minute || st.maxBody != 1e6 || st.queueSize != 256 || st.workers != 4 ||
		st.goTimeout != 5*time.Second {
		t.Fatalf("settings %+v", st)
	}
	cases := []struct {
		method, pattern string
		mode            Mode
		sample          float64
	}{
		{"GET", "/fluent-cart/v2/customers/(?P<customerId>[0-9]+)", ModeGo, 1},
		{"HEAD", "/fluent-cart/v2/customers/(?P<customerId>[0-9]+)", ModeGo, 1}, // HEAD follows GET
		{"GET", "/fluent-cart/v2/customers", ModeShadow, 0.01},
		{"PUT", `/fluent-cart/v2/customers/(?P<customerId>[^\s(?!/)]+)`, ModeShadow, 1},
		{"PATCH", `/fluent-cart/v2/customers/(?P<customerId>[^\s(?!/)]+)`, ModePHP, 1},
		{"DELETE", "/fluent-cart/v2/customers/(?P<customerId>[0-9]+)", ModePHP, 1}, // not listed: default
		{"POST", "/latepoint-api/v1/customers", ModePHP, 1},                        // "*"
		{"GET", "/wp/v2/users/me", ModePHP, 1},
	}
	for _, tc := range cases {
		r := st.rule(tc.method, tc.pattern)
		if r.mode != tc.mode || r.sample != tc.sample {
			t.Errorf("%s %s: mode %s sample %v, want %s %v", tc.method, tc.pattern, r.mode, r.sample, tc.mode, tc.sample)
		}
	}
	list := st.rule("GET", "/fluent-cart/v2/customers").rules
	if list.tolerance != 5*time.Second || !list.keyOrder || strings.Join(list.headers, ",") != "Content-Type,X-WP-Total,X-WP-TotalPages,Link,Allow" {
		t.Errorf("rules %+v", list)
	}
	if !list.matches(list.ignore, jsonPath{}.key("customers").key("data").at(4).key("last_login")) ||
		!list.matches(list.ignore, jsonPath{}.key("x").key("nonce")) ||
		!list.matches(list.timestamps, jsonPath{}.key("meta").key("server_time")) {
		t.Error("route and default ignore paths not applied")
	}
	if other := st.rule("GET", "/wp/v2/users/me").rules; other.matches(other.ignore, jsonPath{}.key("customers").key("data").at(4).key("last_login")) {
		t.Error("a route's own ignore list leaked into other routes")
	}
}

func (r *Rules) matches(ps []*pathPattern, p jsonPath) bool {
	return (&comparer{rules: r}).matches(ps, p)
}

func TestEmptyConfigDefaults(t *testing.T) {
	c, err := ParseConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := compile(c)
	if st.defaultMode != ModeGo || st.logPath != "" || st.maxSize != 64<<20 || st.keep != 5 || st.maxBody != 1<<20 ||
		st.queueSize != 256 || st.workers != 4 || st.goTimeout != 5*time.Second || st.rule("GET", "/x").sample != 1 {
		t.Fatalf("defaults %+v", st)
	}
}

func TestConfigErrors(t *testing.T) {
	cases := map[string]string{
		`default_mode = "rust"`: `default_mode "rust"`,
		`sample = 1.5`:          "between 0 and 1",
		`defualt_mode = "go"`:   "unknown keys: defualt_mode",
		"[[route]]\nroute = \"GET /a\"\nmode = \"shadw\"":                                                  `mode "shadw"`,
		"[[route]]\nroute = \"/a\"\nmode = \"go\"":                                                         "want \"METHOD /namespace/route-pattern\"",
		"[[route]]\nroute = \"GET /a\"\nmode = \"go\"\nsample = -1":                                        "between 0 and 1",
		"[[route]]\nroute = \"GET /a\"\nmode = \"go\"\n[[route]]\nroute = \"GET,HEAD /a\"\nmode = \"php\"": "listed twice",
		"[compare]\nignore = [\"a[x]\"]":                                                                   "neither an index nor [*]",
		"[log]\nmax_size = \"12 parsecs\"":                                                                 "unknown unit",
		"[queue]\ngo_timeout = \"soon\"":                                                                   "soon",
		"route = [":                                                                                        "",
	}
	for text, want := range cases {
		_, err := ParseConfig([]byte(text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one containing %q", text, err, want)
		}
	}
}

func TestByteSizes(t *testing.T) {
	for in, want := range map[string]ByteSize{"100": 100, "64MB": 64e6, "512KiB": 512 << 10, "1.5GiB": 3 << 29, "2 kb": 2000} {
		got, err := parseByteSize(in)
		if err != nil || got != want {
			t.Errorf("%s: %d %v, want %d", in, got, err, want)
		}
	}
	c, err := ParseConfig([]byte("[log]\nmax_size = 4096\nmax_body = \"2KB\""))
	if err != nil || c.Log.MaxSize != 4096 || c.Log.MaxBody != 2000 {
		t.Fatalf("%+v %v", c.Log, err)
	}
}

// SIGHUP's work: a changed file switches routes at once; a broken file keeps the previous configuration and the
// log says why.
func TestReloadSwitchesRoutesAndKeepsPreviousOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "wpsidecar.toml")
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	route := "/fluent-cart/v2/customers/(?P<customerId>[0-9]+)"
	write("default_mode = \"php\"\n[log]\npath = \"" + filepath.Join(dir, "shadow.jsonl") + "\"\n[[route]]\nroute = \"GET " + route + "\"\nmode = \"shadow\"\n")
	var logs bytes.Buffer
	s, err := Open(path, Options{Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Mode("GET", route) != ModeShadow || s.Mode("POST", route) != ModePHP {
		t.Fatal("initial modes")
	}

	write("default_mode = \"php\"\n[[route]]\nroute = \"GET " + route + "\"\nmode = \"go\"\n")
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if s.Mode("GET", route) != ModeGo {
		t.Fatal("reload did not switch the route to go")
	}

	for _, broken := range []string{"default_mode = \"go\"\n[[route]\n", "[[route]]\nroute = \"GET " + route + "\"\nmode = \"gooo\"\n"} {
		write(broken)
		logs.Reset()
		if err := s.Reload(); err == nil {
			t.Fatalf("broken file %q accepted", broken)
		}
		if s.Mode("GET", route) != ModeGo || s.Mode("POST", route) != ModePHP {
			t.Fatal("a broken file changed the live configuration")
		}
		if !strings.Contains(logs.String(), "keeping the previous one") || !strings.Contains(logs.String(), path) {
			t.Fatalf("log does not say why: %s", logs.String())
		}
	}
	os.Remove(path)
	if err := s.Reload(); err == nil || s.Mode("GET", route) != ModeGo {
		t.Fatal("a missing file must keep the configuration")
	}
}

// [ready] sets the readiness thresholds shared by `shadow report` and the dashboard; unset keys keep the defaults.
func TestReadyThresholds(t *testing.T) {
	c, err := ParseConfig([]byte("[ready]\nmin_matches = 500\nmax_go_errors = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Thresholds(); got != (Thresholds{MinMatches: 500, MaxMismatches: 0, MaxGoErrors: 2}) {
		t.Fatalf("thresholds %+v", got)
	}
	if got := (*Config)(nil).Thresholds(); got != DefaultThresholds {
		t.Fatalf("nil config thresholds %+v", got)
	}
	if _, err := ParseConfig([]byte("[ready]\nmin_matches = -1\n")); err == nil {
		t.Fatal("negative min_matches accepted")
	}
	if _, err := ParseConfig([]byte("[ready]\nmin_match = 1\n")); err == nil || !strings.Contains(err.Error(), "ready.min_match") {
		t.Fatalf("unknown [ready] key: %v", err)
	}
	ok, why := Readiness(RouteCounts{Match: 500, GoError: 2}, c.Thresholds())
	if !ok || why != "" {
		t.Fatalf("not ready: %s", why)
	}
	if ok, why := Readiness(RouteCounts{Match: 499, Mismatch: 1}, c.Thresholds()); ok || why != "499 matched (needs 500), 1 mismatches" {
		t.Fatalf("ready %v: %q", ok, why)
	}
}

// The packaged example configuration parses, changes no route's mode and carries the default thresholds.
func TestPackagedConfigParses(t *testing.T) {
	c, err := LoadConfig(filepath.Join(wptest.RepoRoot(), "packaging", "deb", "wpsidecar.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.DefaultMode != ModeGo || len(c.Routes) != 0 || c.Thresholds() != DefaultThresholds || c.Log.Path != "/var/lib/wpsidecar/shadow.jsonl" {
		t.Fatalf("packaged config %+v", c)
	}
}
