package main

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"
)

// `version` and `--version` print the build information (a test binary has no VCS stamp: "unknown"); the one-line
// form carries the same fields.
func TestVersionCommand(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{arg}, &out, &errb, func(string) string { return "" }); code != 0 {
			t.Fatalf("%s: exit %d %s", arg, code, errb.String())
		}
		text := out.String()
		for _, want := range []string{"wpsidecar ", "\n  revision: ", "\n  time:     ", "\n  modified: ", "\n  go:       " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH} {
			if !strings.Contains(text, want) {
				t.Errorf("%s output lacks %q:\n%s", arg, want, text)
			}
		}
	}
	v := buildVersion{Module: "v0.0.0-20261207154907-5404aa4f1e2c", Revision: "5404aa4f1e2c0123456789abcdef0123456789ab",
		Time: "2026-12-07T15:49:07Z", Modified: "true", Go: "go1.26.8", Platform: "linux/arm64"}
	if got, want := v.String(), "wpsidecar v0.0.0-20261207154907-5404aa4f1e2c (revision 5404aa4f1e2c, 2026-12-07T15:49:07Z, modified, go1.26.8 linux/arm64)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
