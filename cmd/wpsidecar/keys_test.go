package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// keys create prints the key alone on its last line and stores only its hash; list shows ids, never keys;
// revoke takes the id. The sidecar's own tables are created when missing.
func TestKeysCommand(t *testing.T) {
	t.Parallel()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpk_", Schemas: []string{"wordpress"}})
	ctx := context.Background()
	noenv := func(string) string { return "" }
	runCmd := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(ctx, append(args, "--dsn", db.DSN, "--table-prefix", "wpk_"), &out, &errb, noenv)
		return code, out.String(), errb.String()
	}
	code, out, errOut := runCmd("keys", "create", "--name", "Zapier", "--env", "live", "--permissions", "customers:read,customers:update",
		"--expires", "2030-01-31", "--allow-ip", "10.0.0.0/8", "--allow-ip", "192.0.2.1")
	if code != 0 {
		t.Fatalf("create: %d %s %s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	key := lines[len(lines)-1]
	if !regexp.MustCompile(`^lp_live_[A-Za-z0-9_-]{43}$`).MatchString(key) {
		t.Fatalf("last line %q is not a key", key)
	}
	sum := sha256.Sum256([]byte(key))
	row := db.QueryString(t, "SELECT CONCAT_WS('|', id, name, key_prefix, key_last4, environment, permissions, status, allowed_ips, expires_at) FROM {prefix}wpsidecar_api_keys WHERE key_hash = ?", hex.EncodeToString(sum[:]))
	want := "1|Zapier|" + key[:12] + "|" + key[len(key)-4:] + `|live|{"customers":["read","update"]}|active|["10.0.0.0/8","192.0.2.1/32"]|2030-01-31 23:59:59`
	if row != want {
		t.Fatalf("stored row %q\nwant %q", row, want)
	}
	if n := db.QueryString(t, "SELECT COUNT(*) FROM {prefix}wpsidecar_api_keys WHERE CONCAT_WS(' ', name, key_prefix, key_hash, permissions) LIKE ?", "%"+key[12:]+"%"); n != "0" {
		t.Fatal("plaintext key stored")
	}

	code, out, _ = runCmd("keys", "create", "--name", "Tests", "--env", "test", "--permissions", "customers:*")
	if code != 0 || !regexp.MustCompile(`\nlp_test_[A-Za-z0-9_-]{43}\n$`).MatchString(out) {
		t.Fatalf("second create: %d %q", code, out)
	}
	code, out, _ = runCmd("keys", "list")
	if code != 0 || !strings.Contains(out, "1   Zapier") || !strings.Contains(out, "customers:read,customers:create,customers:update,customers:delete") ||
		strings.Contains(out, key) || strings.Contains(out, key[12:len(key)-4]) {
		t.Fatalf("list: %d\n%s", code, out)
	}
	if code, out, _ = runCmd("keys", "revoke", "1"); code != 0 || out != "Revoked API key 1.\n" {
		t.Fatalf("revoke: %d %q", code, out)
	}
	if got := db.QueryString(t, "SELECT status FROM {prefix}wpsidecar_api_keys WHERE id = 1"); got != "revoked" {
		t.Fatalf("status %s", got)
	}
	for _, bad := range [][]string{
		{"keys", "revoke", "99"},
		{"keys", "revoke", "abc"},
		{"keys", "create", "--name", "x", "--env", "prod", "--permissions", "customers:read"},
		{"keys", "create", "--name", "x", "--env", "live", "--permissions", "customers:fly"},
		{"keys", "create", "--name", "x", "--env", "live", "--permissions", "customers:read", "--expires", "31/01/2030"},
		{"keys", "create", "--name", "x", "--env", "live", "--permissions", "customers:read", "--allow-ip", "10.0.0.0/33"},
		{"keys", "create", "--env", "live", "--permissions", "customers:read"},
	} {
		if code, out, _ := runCmd(bad...); code == 0 {
			t.Errorf("%v succeeded: %s", bad, out)
		}
	}
}
