package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/shadow"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

func runCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

func TestShadowSubcommands(t *testing.T) {
	example := filepath.Join(wptest.RepoRoot(), "testdata", "shadow", "example.toml")

	// check: parses, lists modes, warns about routes the sidecar does not register.
	code, out, errOut := runCmd(t, map[string]string{"WPSIDECAR_CONFIG": example}, "shadow", "check")
	if code != 0 || !strings.Contains(out, "configuration OK") || !strings.Contains(out, "default mode: php") ||
		!strings.Contains(out, "GET /fluent-cart/v2/customers → shadow") {
		t.Fatalf("check: %d %s %s", code, out, errOut)
	}
	rt, err := routeTable()
	if err != nil {
		t.Fatal(err)
	}
	registered := map[string]bool{}
	for _, ri := range rt.Patterns() {
		registered[ri.Pattern] = true
	}
	if !registered["/fluent-cart/v2/customers"] && !strings.Contains(out, "warning: route GET /fluent-cart/v2/customers is not one the sidecar registers") {
		t.Fatalf("check does not warn about an unregistered route: %s", out)
	}
	broken := filepath.Join(t.TempDir(), "broken.toml")
	os.WriteFile(broken, []byte("default_mode = \"rust\"\n"), 0o600)
	if code, _, errOut := runCmd(t, nil, "shadow", "check", "--config", broken); code != 1 || !strings.Contains(errOut, `default_mode "rust"`) {
		t.Fatalf("broken check: %d %s", code, errOut)
	}

	// routes: one "METHOD PATTERN" line per registered method, as the configuration names them.
	code, out, _ = runCmd(t, nil, "shadow", "routes")
	if code != 0 {
		t.Fatalf("routes: %d", code)
	}
	n := 0
	for _, ri := range rt.Patterns() {
		n += len(ri.Methods)
		if !strings.Contains(out, ri.Methods[0]+" "+ri.Pattern) {
			t.Errorf("routes lacks %s %s", ri.Methods[0], ri.Pattern)
		}
	}
	if got := strings.Count(out, "\n"); got != n {
		t.Errorf("routes printed %d lines for %d endpoints", got, n)
	}

	// report: the log from --log, or from the configuration's log.path; --since takes days.
	dir := t.TempDir()
	logPath := filepath.Join(dir, "shadow.jsonl")
	c, err := shadow.ParseConfig([]byte("[log]\npath = \"" + logPath + "\"\n[[route]]\nroute = \"GET /x/v1/y\"\nmode = \"shadow\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	sh, err := shadow.New(c, shadow.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 12; i++ {
		sh.Count("GET", "/x/v1/y", shadow.Match, "")
	}
	sh.Close()
	cfgPath := filepath.Join(dir, "wpsidecar.toml")
	os.WriteFile(cfgPath, []byte("[log]\npath = \""+logPath+"\"\n"), 0o600)
	for _, args := range [][]string{
		{"shadow", "report", "--log", logPath, "--min-matches", "10", "--since", "7d"},
		{"shadow", "report", "--config", cfgPath, "--min-matches", "10"},
	} {
		code, out, errOut := runCmd(t, nil, args...)
		if code != 0 || !strings.Contains(out, "Ready to switch to go (>= 10 matched") || !strings.Contains(out, "  GET /x/v1/y\n") {
			t.Fatalf("%v: %d %s %s", args, code, out, errOut)
		}
	}
	// The thresholds come from the configuration's [ready] table (shared with serve's dashboard); flags override.
	os.WriteFile(cfgPath, []byte("[log]\npath = \""+logPath+"\"\n[ready]\nmin_matches = 12\nmax_mismatches = 1\n"), 0o600)
	if code, out, errOut := runCmd(t, nil, "shadow", "report", "--config", cfgPath); code != 0 ||
		!strings.Contains(out, "Ready to switch to go (>= 12 matched, <= 1 mismatches, <= 0 sidecar errors)") || !strings.Contains(out, "  GET /x/v1/y\n") {
		t.Fatalf("report with [ready]: %d %s %s", code, out, errOut)
	}
	if code, out, _ := runCmd(t, nil, "shadow", "report", "--config", cfgPath, "--min-matches", "13"); code != 0 ||
		!strings.Contains(out, "(>= 13 matched, <= 1 mismatches") || !strings.Contains(out, "GET /x/v1/y: 12 matched (needs 13)") {
		t.Fatalf("--min-matches does not override [ready]: %d %s", code, out)
	}
	if code, _, errOut := runCmd(t, nil, "shadow", "report"); code != 1 || !strings.Contains(errOut, "give --log PATH") {
		t.Fatalf("report without a log: %d %s", code, errOut)
	}
	if code, _, _ := runCmd(t, nil, "shadow", "report", "--log", logPath, "--since", "soon"); code != 2 && code != 1 {
		t.Fatalf("bad --since accepted: %d", code)
	}
	if code, _, _ := runCmd(t, nil, "shadow", "nope"); code != 2 {
		t.Fatalf("unknown subcommand: %d", code)
	}
}

func TestSinceFlag(t *testing.T) {
	for in, want := range map[string]time.Duration{"36h": 36 * time.Hour, "7d": 7 * 24 * time.Hour, "0.5d": 12 * time.Hour, "90m": 90 * time.Minute} {
		var s sinceFlag
		if err := s.Set(in); err != nil || time.Duration(s) != want {
			t.Errorf("%s: %v %v", in, time.Duration(s), err)
		}
	}
	for _, bad := range []string{"", "d", "-1d", "tomorrow", "-5m"} {
		var s sinceFlag
		if s.Set(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
