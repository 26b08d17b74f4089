package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// `wpsidecar serve` as a process: the startup log line names the build, and the admin listener serves the
// dashboard at / (beside /metrics), counting a request the sidecar answered.
func TestServeStartupVersionAndDashboard(t *testing.T) {
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpv_", Seed: true})
	admin := freeTCPPort(t)
	p := startSidecar(t, db.DSN, "wpv_", filepath.Join(wptest.RepoRoot(), "testdata", "demo", "wp-config.php"), freeTCPPort(t),
		"--admin-listen", fmt.Sprintf("127.0.0.1:%d", admin))
	req, _ := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d/wp-json/wp/v2/users/me", p.port), nil)
	req.SetBasicAuth("admin", "AdmN 1234 AbCd 5678 EfGh 9012")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	resp, err = http.Get(fmt.Sprintf("http://127.0.0.1:%d/", admin))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("dashboard: %d %v", resp.StatusCode, resp.Header)
	}
	row := `data-route="GET /wp/v2/users/me"`
	i := strings.Index(string(page), row)
	if i < 0 || !strings.Contains(string(page)[i:i+600], `data-col="answered-go">1</td>`) {
		t.Fatalf("dashboard does not count the request the sidecar answered:\n%s", page)
	}
	if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", admin)); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/metrics beside the dashboard: %v", err)
	}
	if err := p.term(); err != nil {
		t.Fatal(err)
	}
	log, _ := os.ReadFile(p.log)
	if !strings.Contains(string(log), `"msg":"wpsidecar serving"`) || !strings.Contains(string(log), `"version":"wpsidecar `) {
		t.Fatalf("startup line without the version:\n%s", log)
	}
}
