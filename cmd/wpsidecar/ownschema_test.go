package main

import (
	"os"
	"testing"
)

// The binary's copy of sql/wpsidecar.sql must be the file itself (run `go generate ./cmd/wpsidecar` after editing it).
func TestOwnSchemaInSync(t *testing.T) {
	b, err := os.ReadFile("../../sql/wpsidecar.sql")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != ownSchemaSQL {
		t.Fatal("cmd/wpsidecar/ownschema.go is stale: run go generate ./cmd/wpsidecar")
	}
}
