package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/unified"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// clients create prints "CLIENT_ID SECRET" alone on its last line, makes the key file (0600) and stores the secret
// only encrypted; a request signed with them passes through serve's composition; list never shows secrets; revoke
// refuses the client from the next request on.
func TestClientsCommand(t *testing.T) {
	t.Parallel()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpc_", Schemas: []string{"wordpress", "fluentcart", "latepoint"}, Seed: true})
	keyFile := filepath.Join(t.TempDir(), "secrets.key")
	ctx := context.Background()
	env := map[string]string{"WPSIDECAR_SECRETS_KEY_FILE": keyFile}
	getenv := func(k string) string { return env[k] }
	runCmd := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(ctx, append(args, "--dsn", db.DSN, "--table-prefix", "wpc_"), &out, &errb, getenv)
		return code, out.String(), errb.String()
	}

	code, out, errOut := runCmd("clients", "create", "--name", "Count", "--secrets-key-file", keyFile)
	if code != 0 {
		t.Fatalf("create: %d %s %s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	m := regexp.MustCompile(`^([A-Za-z0-9_-]+) ([A-Za-z0-9_-]+)$`).FindStringSubmatch(lines[len(lines)-1])
	if m == nil {
		t.Fatalf("last line %q is not CLIENT_ID SECRET", lines[len(lines)-1])
	}
	id, secret := m[1], m[2]
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != 32 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	if n := db.QueryString(t, "SELECT COUNT(*) FROM {prefix}wpsidecar_clients WHERE CONCAT_WS(' ', client_id, name, secret_enc, key_id) LIKE ?", "%"+secret[4:]+"%"); n != "0" {
		t.Fatal("plain secret stored")
	}
	// The environment variable serves as well as the flag.
	if code, out, _ = runCmd("clients", "create", "--name", "Second"); code != 0 || !regexp.MustCompile(`\nwsc_[0-9a-f]{20} wss_[A-Za-z0-9_-]{43}\n$`).MatchString(out) {
		t.Fatalf("create with WPSIDECAR_SECRETS_KEY_FILE: %d %q", code, out)
	}

	// serve's composition with the same key file accepts the client.
	db.Site.Now = time.Now
	h := newApp(db.Site, slog.New(slog.NewTextHandler(io.Discard, nil)), routeOptions{secretsKeyFile: keyFile}).handler()
	target := "/wp-json/wpsidecar/v1/customers/d7b497c495eb9dbc5ee4d5c8164eafda"
	signedGet := func() int {
		return wptest.Do(h, "GET", target, unified.SignedHeaders(id, secret, "GET", target, time.Now().Unix(), nil), "").Code
	}
	if c := signedGet(); c != 200 {
		t.Fatalf("signed request: %d", c)
	}

	code, out, _ = runCmd("clients", "list")
	if code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "Count") || !strings.Contains(out, "100 (default)") || strings.Contains(out, secret[4:]) {
		t.Fatalf("list: %d\n%s", code, out)
	}
	if code, out, _ = runCmd("clients", "revoke", id); code != 0 || out != "Revoked client "+id+".\n" {
		t.Fatalf("revoke: %d %q", code, out)
	}
	time.Sleep(1100 * time.Millisecond) // a new timestamp, so the next signature is not a replay
	if c := signedGet(); c != 401 {
		t.Fatalf("revoked client: %d", c)
	}
	if code, _, errOut = runCmd("clients", "revoke", "wsc_nope"); code != 1 || !strings.Contains(errOut, `no client "wsc_nope"`) {
		t.Fatalf("unknown id: %d %s", code, errOut)
	}
	if code, _, errOut = runCmd("clients", "create"); code != 1 || !strings.Contains(errOut, "--name is required") {
		t.Fatalf("missing name: %d %s", code, errOut)
	}
}
