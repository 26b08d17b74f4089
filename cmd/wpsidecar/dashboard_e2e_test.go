package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// chromiumPath finds Debian's chromium (the .ci scripts install it); "" when there is none.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts headless Chromium with a fresh profile, scripts off in its tab.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("SKIPPED LOUDLY: Debian's chromium is not installed and could not be (`apt-get install -y chromium`, done by .ci/test.sh as root): the dashboard is not tested in a real browser")
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1700, 1100),
	)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// The first action starts the browser; no timeout on it (a timeout there would stop the browser).
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	// The page must be readable with scripts off: run it that way.
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// artifactDir is where browser tests leave screenshots (git-ignored): $WPSIDECAR_ARTIFACTS or .artifacts/.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("WPSIDECAR_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(wptest.RepoRoot(), ".artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The migration dashboard in a real browser after known traffic through a shadowed route served by real nginx +
// php-fpm + WordPress: the route table's counts, who answered, every shadow result kind, the verdict with the
// [ready] thresholds of the configuration file, the latency table and the last mismatch's diff (the password in
// its query redacted) are what the rendered page shows. A screenshot is saved as a test artifact.
func TestDashboardInBrowser(t *testing.T) {
	db, php, app, routes, m := newShadowRig(t, "wpdb_")
	db.Exec(t, "INSERT INTO "+db.Table("options")+" (option_name, option_value, autoload) VALUES ('wpsidecar_shadow_test_answer', ?, 'yes')",
		`{"email":"ann@example.com","name":"Ann","orders":[{"number":"A-1","total":"10.50"}]}`)
	browser := newBrowser(t)

	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "wpsidecar.toml")
	config := fmt.Sprintf(`default_mode = "php"
[ready]
min_matches = 3
max_mismatches = 0
max_go_errors = 0
[log]
path = %q
summary_interval = "1h"
[[route]]
route = "GET %s"
mode = "shadow"
[[route]]
route = "POST %s"
mode = "shadow"
`, filepath.Join(dir, "shadow.jsonl"), itemPattern, itemsPattern)
	if err := os.WriteFile(cfgPath, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sh, err := app.startShadow(ctx, cfgPath, m)
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	front := httptest.NewServer(app.handler())
	defer front.Close()
	admin := httptest.NewServer(app.adminHandler(ctx, m))
	defer admin.Close()

	// Known traffic. GET item (shadow): 6 matches, 1 mismatch (its query carries a password), 1 delegated.
	for i := 1; i <= 6; i++ {
		if a := send(t, "GET", front.URL+"/wp-json/wpsidecar-shadow-test/v1/items/"+strconv.Itoa(i), ""); a.status != 200 {
			t.Fatalf("GET: %d %s\n%s", a.status, a.body, php.Logs())
		}
	}
	waitCount(t, m, "GET", itemPattern, "match", 6)
	routes.bug.Store(true)
	send(t, "GET", front.URL+"/wp-json/wpsidecar-shadow-test/v1/items/42?password=hunter2", "")
	waitCount(t, m, "GET", itemPattern, "mismatch", 1)
	routes.bug.Store(false)
	routes.delegate.Store(true)
	send(t, "GET", front.URL+"/wp-json/wpsidecar-shadow-test/v1/items/9", "")
	waitCount(t, m, "GET", itemPattern, "delegated", 1)
	routes.delegate.Store(false)
	// POST items (shadow, judged writes): 3 matching verdicts → ready at min_matches = 3.
	for _, name := range []string{"pen", "ink", "paper"} {
		if a := send(t, "POST", front.URL+"/wp-json/wpsidecar-shadow-test/v1/items", `{"name":"`+name+`"}`); a.status != 201 {
			t.Fatalf("POST: %d %s", a.status, a.body)
		}
	}
	waitCount(t, m, "POST", itemsPattern, "match", 3)

	rctx, rcancel := context.WithTimeout(browser, 60*time.Second)
	defer rcancel()
	if err := chromedp.Do(rctx, chromedp.Navigate(admin.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#routes"))); err != nil {
		t.Fatal(err)
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(rctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	cell := func(method, pattern, col string) string {
		return text(fmt.Sprintf(`tr[data-route=%q] td[data-col=%q]`, method+" "+pattern, col))
	}
	get, post := itemPattern, itemsPattern
	for _, c := range []struct{ method, pattern, col, want string }{
		{"GET", get, "total", "8"},
		{"GET", get, "recent", "8"},
		{"GET", get, "answered-php", "8"},
		{"GET", get, "answered-go", "0"},
		{"GET", get, "match", "6"},
		{"GET", get, "mismatch", "1"},
		{"GET", get, "delegated", "1"},
		{"GET", get, "go_error", "0"},
		{"GET", get, "skipped", "0"},
		{"GET", get, "unverifiable", "0"},
		{"GET", get, "sampled_out", "0"},
		{"POST", post, "total", "3"},
		{"POST", post, "match", "3"},
		{"POST", post, "mismatch", "0"},
	} {
		if got := cell(c.method, c.pattern, c.col); got != c.want {
			t.Errorf("%s %s %s: page shows %q, want %q", c.method, c.pattern, c.col, got, c.want)
		}
	}
	if got := text(fmt.Sprintf(`tr[data-route=%q] [data-col="mode"]`, "GET "+get)); got != "shadow" {
		t.Errorf("mode %q", got)
	}
	if got := cell("GET", get, "verdict"); !strings.Contains(got, "not ready") || !strings.Contains(got, "1 mismatches") {
		t.Errorf("GET verdict %q", got)
	}
	if got := cell("POST", post, "verdict"); got != "ready to switch to go" {
		t.Errorf("POST verdict %q", got)
	}
	if got := text("#min-matches"); got != "3" {
		t.Errorf("threshold shown %q", got)
	}
	if got := text("#ready-count"); got != "1" {
		t.Errorf("ready count %q", got)
	}
	// Latency: PHP answered 8 reads; the sidecar computed 8 (shadowed reads, the delegated one included).
	lat := func(col string) string {
		return text(fmt.Sprintf(`#latency tr[data-route=%q] td[data-col=%q]`, get, col))
	}
	if lat("php-n") != "8" || lat("go-n") != "8" || !strings.HasSuffix(lat("php-p50"), " ms") || !strings.HasSuffix(lat("go-p99"), " ms") {
		t.Errorf("latency row: php %s %s, sidecar %s %s", lat("php-n"), lat("php-p50"), lat("go-n"), lat("go-p99"))
	}
	if n, err := chromedp.Run(rctx, chromedp.Nodes(chromedp.CSSAll(fmt.Sprintf(`#latency tr[data-route=%q] svg rect`, get)))); err != nil || len(n) != 4 {
		t.Errorf("latency chart: %d bars, %v", len(n), err)
	}
	// The last mismatch with its JSON-path diff; the password in the request is redacted as in the shadow log.
	mm := text("#mismatches")
	for _, want := range []string{`item.email: php "ann@example.com" go "bug@example.com"`, "password=[REDACTED]", "mismatch", "GET " + get} {
		if !strings.Contains(mm, want) {
			t.Errorf("mismatch section lacks %q:\n%s", want, mm)
		}
	}
	if body := text("body"); strings.Contains(body, "hunter2") {
		t.Error("the page shows the password")
	}
	refresh, err := chromedp.Run(rctx, chromedp.AttributeValue(chromedp.CSS(`meta[http-equiv="refresh"]`), "content"))
	if err != nil || refresh.Value != strconv.Itoa(dashRefresh) {
		t.Errorf("meta refresh %+v %v", refresh, err)
	}
	if n, _ := chromedp.Run(rctx, chromedp.Nodes(chromedp.CSSAll("script, link[rel=stylesheet], img[src^=http]"), chromedp.AtLeast(0))); len(n) != 0 {
		t.Errorf("the page has %d scripts or external assets", len(n))
	}

	png, err := chromedp.Run(rctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifactDir(t), "dashboard.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("dashboard screenshot (test artifact): %s", shot)
}
