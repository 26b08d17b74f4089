package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest/phpsite"
)

// Requests for owned routes that the sidecar cannot answer exactly are handed to PHP before anything is written:
// behind nginx through the delegate location, in front-proxy mode through --upstream; a standalone sidecar answers
// 501. PHP here is Debian's WordPress with testdata/e2e/wpsidecar-e2e.php, a must-use plugin that registers the
// FluentCart route shapes and records every call it receives, so each case shows the request reached PHP exactly
// once with its method and body intact, and that the sidecar wrote nothing.

// delegatedCase is one request of a shape the sidecar hands to PHP (see DEVIATIONS.md, "handed to PHP").
type delegatedCase struct {
	name, method, path, body, reason string
	route                            string // the PHP route the mu-plugin records
	pattern                          string // the sidecar's route pattern (metrics label)
	setup                            string // SQL run before the request ({prefix} replaced)
}

// delegatedCases are shapes the sidecar still cannot answer exactly, over the demo seed: an Order relation it does
// not serialise, and an update of a linked customer that would change the WordPress user's e-mail
// (customer 4 is linked to user 6, whose e-mail the setup makes differ from the customer's: the update would
// copy the customer's e-mail to the user, and WordPress's e-mail change handling is not reproduced).
var delegatedCases = []delegatedCase{
	{name: "orders with an unsupported relation", method: "GET", path: "/wp-json/fluent-cart/v2/customers/1/orders?per_page=10&page=1&with%5B%5D=orderTaxRates",
		route: "/fluent-cart/v2/customers/1/orders", reason: "order_relation",
		pattern: `/fluent-cart/v2/customers/(?P<customerId>[^\s(?!/)]+)/orders`},
	{name: "linked user's e-mail change", method: "PUT", path: "/wp-json/fluent-cart/v2/customers/4",
		body:  `{"id":4,"full_name":"Walt Brooks","email":"walt.brooks@example.com","user_id":6}`,
		route: "/fluent-cart/v2/customers/4", reason: "linked_user_email_change",
		pattern: `/fluent-cart/v2/customers/(?P<customerId>[^\s(?!/)]+)`, setup: "UPDATE {prefix}users SET user_email = 'walter@example.org' WHERE ID = 6"},
}

type phpCall struct {
	Method string         `json:"method"`
	Route  string         `json:"route"`
	Query  map[string]any `json:"query"`
	Body   string         `json:"body"`
}

func phpCalls(t *testing.T, siteURL string) []phpCall {
	t.Helper()
	a := fetch(t, "GET", siteURL+"/wp-json/wpsidecar-e2e/v1/calls", nil, "")
	var calls []phpCall
	if err := json.Unmarshal([]byte(a.body), &calls); err != nil {
		t.Fatalf("calls: %v: %s", err, a.body)
	}
	var out []phpCall // the mu-plugin's own routes are not part of the story
	for _, c := range calls {
		if !strings.HasPrefix(c.Route, "/wpsidecar-e2e/") {
			out = append(out, c)
		}
	}
	return out
}

// sidecarWrites is the state a delegated write must leave alone: the customer and its linked user.
func sidecarWrites(t *testing.T, db *wptest.DB) string {
	t.Helper()
	var s string
	if err := db.DB.QueryRow(strings.ReplaceAll("SELECT CONCAT_WS('|', c.first_name, c.last_name, c.email, c.updated_at, u.user_email, u.display_name, u.user_nicename) "+
		"FROM {prefix}fct_customers c JOIN {prefix}users u ON u.ID = c.user_id WHERE c.id = 4", "{prefix}", db.Prefix)).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// checkDelegated sends each case through base (nginx or the front proxy) and checks PHP answered it, once, with the
// same method and body, and that the database is unchanged.
func checkDelegated(t *testing.T, base, siteURL string, db *wptest.DB) {
	t.Helper()
	admin := map[string]string{"Authorization": basicAuth(adminBasic), "Content-Type": "application/json"}
	for _, c := range delegatedCases {
		fetch(t, "DELETE", siteURL+"/wp-json/wpsidecar-e2e/v1/calls", nil, "")
		if c.setup != "" {
			db.Exec(t, c.setup)
		}
		before := sidecarWrites(t, db)
		a := fetch(t, c.method, base+c.path, admin, c.body)
		if !a.byPHP || a.status != 200 || !strings.Contains(a.body, `"answered_by":"php"`) || !strings.Contains(a.body, `"method":"`+c.method+`"`) {
			t.Errorf("%s: want PHP's answer, got %d byPHP=%v %.300s", c.name, a.status, a.byPHP, a.body)
			continue
		}
		calls := phpCalls(t, siteURL)
		if len(calls) != 1 {
			t.Errorf("%s: PHP received %d calls, want exactly 1: %+v", c.name, len(calls), calls)
			continue
		}
		got := calls[0]
		if got.Method != c.method || got.Route != c.route || got.Body != c.body {
			t.Errorf("%s: PHP received %s %s body %q, want %s %s body %q", c.name, got.Method, got.Route, got.Body, c.method, c.route, c.body)
		}
		if c.method == "GET" {
			if w, _ := got.Query["with"].([]any); len(w) != 1 || w[0] != "orderTaxRates" {
				t.Errorf("%s: PHP received query %v", c.name, got.Query)
			}
		}
		if after := sidecarWrites(t, db); after != before {
			t.Errorf("%s: the sidecar wrote: %s → %s", c.name, before, after)
		}
	}
}

// delegationCount reads wpsidecar_delegations_total for a route and reason from an admin listener.
func delegationCount(t *testing.T, adminURL, route, reason string) int {
	t.Helper()
	resp, err := http.Get(adminURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	prefix := fmt.Sprintf(`wpsidecar_delegations_total{reason=%q,route=%q} `, reason, route)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			n, _ := strconv.ParseFloat(v, 64)
			return int(n)
		}
	}
	return 0
}

func TestDelegationBehindNginx(t *testing.T) {
	phpsite.Require(t)
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpd_", Seed: true})
	port, adminPort := freeTCPPort(t), freeTCPPort(t)
	site := phpsite.Start(t, db, deployNginx(t, []int{port}))
	site.Install(t)
	sc := startSidecar(t, db.DSN, "wpd_", site.ConfigPath, port, "--admin-listen", fmt.Sprintf("127.0.0.1:%d", adminPort))
	checkDelegated(t, site.URL, site.URL, db)

	adminURL := fmt.Sprintf("http://127.0.0.1:%d", adminPort)
	for _, c := range delegatedCases {
		if n := delegationCount(t, adminURL, c.pattern, c.reason); n != 1 {
			t.Errorf("%s: wpsidecar_delegations_total{route=%q,reason=%q} = %d, want 1", c.name, c.pattern, c.reason, n)
		}
	}
	time.Sleep(100 * time.Millisecond) // the access log line is written after the answer
	log := readFile(t, sc.log)
	if !strings.Contains(log, `"answered_by":"php-delegated"`) || !strings.Contains(log, `"delegated_reason":"linked_user_email_change"`) ||
		!strings.Contains(log, `"class":"delegated"`) || strings.Contains(log, `"class":"server_error"`) {
		t.Errorf("the access log does not say PHP answered:\n%s", log)
	}
	// Supported shapes are still answered by the sidecar itself.
	if a := fetch(t, "GET", site.URL+"/wp-json/fluent-cart/v2/customers/1/orders?per_page=10&page=1", map[string]string{"Authorization": basicAuth(adminBasic)}, ""); a.byPHP || a.status != 200 {
		t.Errorf("orders without relations: %d byPHP=%v %.200s", a.status, a.byPHP, a.body)
	}
}

func TestDelegationFrontProxy(t *testing.T) {
	phpsite.Require(t)
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpf_", Seed: true})
	site := phpsite.Start(t, db, phpsite.Options{
		MuPlugins: map[string]string{"wpsidecar-e2e.php": mustRead(t, wptest.RepoRoot()+"/testdata/e2e/wpsidecar-e2e.php")},
	})
	site.Install(t)
	port := freeTCPPort(t)
	startSidecar(t, db.DSN, "wpf_", site.ConfigPath, port, "--upstream", site.URL)
	checkDelegated(t, fmt.Sprintf("http://127.0.0.1:%d", port), site.URL, db)

	// Standalone (no --upstream, no nginx delegate location): the sidecar answers 501 and still writes nothing.
	alone := freeTCPPort(t)
	startSidecar(t, db.DSN, "wpf_", site.ConfigPath, alone)
	admin := map[string]string{"Authorization": basicAuth(adminBasic), "Content-Type": "application/json"}
	for _, c := range delegatedCases {
		if c.setup != "" {
			db.Exec(t, c.setup)
		}
		before := sidecarWrites(t, db)
		a := fetch(t, c.method, fmt.Sprintf("http://127.0.0.1:%d%s", alone, c.path), admin, c.body)
		if a.byPHP || a.status != 501 || !strings.Contains(a.body, `"code":"wpsidecar_not_implemented"`) {
			t.Errorf("standalone %s: %d byPHP=%v %s", c.name, a.status, a.byPHP, a.body)
		}
		if after := sidecarWrites(t, db); after != before {
			t.Errorf("standalone %s: the sidecar wrote: %s → %s", c.name, before, after)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	return mustRead(t, path)
}
