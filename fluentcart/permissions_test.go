package fluentcart_test

// Permission matrix through WordPress's real authenticator: every customers route × administrator, editor,
// subscriber and the three FluentCart roles (with and without FluentCart Pro) × Application Password (Basic),
// logged-in cookie + wp_rest nonce, and JWT (Tmeister plugin active), plus anonymous.
// Rules: app/Http/Policies/CustomerPolicy.php -> Policy::hasRoutePermissions ->
// app/Services/Permission/PermissionManager.php getUserPermissions (manage_options -> all; no Pro -> none;
// _fluent_cart_admin_role -> the role's list) and api.php's per-route meta; denial 401/403 (spec §1.2).

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/fluentcart"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpauth"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// matrixRoute is one request per route; when permitted it reaches the handler without writing (validation
// failures, unknown ids).
type matrixRoute struct {
	method, path, body string
	perm               string // customers/view, customers/manage, customers/delete
}

var matrixRoutes = []matrixRoute{
	{"GET", "/customers", "", "view"},
	{"POST", "/customers", `{}`, "manage"},
	{"GET", "/customers/get-stats/1", "", "view"},
	{"GET", "/customers/attachable-user", "", "manage"},
	{"POST", "/customers/999/attachable-user", `{}`, "manage"},
	{"POST", "/customers/999/detach-user", "", "manage"},
	{"GET", "/customers/1", "", "view"},
	{"GET", "/customers/1/order", "", "view"},
	{"PUT", "/customers/999", `{}`, "manage"},
	{"PUT", "/customers/999/additional-info", `{"labels":[1]}`, "manage"},
	{"POST", "/customers/do-bulk-action", `{}`, "manage"},
	{"GET", "/customers/1/orders", "", "view"},
	{"GET", "/customers/1/address", "", "view"},
	{"PUT", "/customers/1/address", `{}`, "manage"},
	{"POST", "/customers/1/address", `{}`, "manage"},
	{"DELETE", "/customers/1/address", `{}`, "delete"},
	{"POST", "/customers/999/address/make-primary", `{"addressId":1,"type":"billing"}`, "manage"},
	{"POST", "/customers/999/recalculate-ltv", "", "manage"},
}

// granted is the expected FluentCart permission set of a demo user.
func granted(login string, pro bool) map[string]bool {
	all := map[string]bool{"view": true, "manage": true, "delete": true}
	switch login {
	case "admin":
		return all
	case "fcmanager":
		if pro {
			return all
		}
	case "fcworker", "fcaccountant":
		if pro {
			return map[string]bool{"view": true}
		}
	}
	return map[string]bool{}
}

const jwtSecret = "fluentcart-matrix-secret"

type matrixSite struct {
	db   *wptest.DB
	site *wpcompat.Site
	auth *authn.Auth
	rt   *rest.Router
	uids map[string]int64
	pass map[string]string
}

func newMatrixSite(t *testing.T) *matrixSite {
	t.Helper()
	db := wptest.NewDB(t, wptest.Options{Prefix: "fcm_", Schemas: []string{"wordpress", "fluentcart"}, Seed: true})
	src, err := os.ReadFile(filepath.Join(wptest.RepoRoot(), "testdata", "demo", "wp-config.php"))
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.Replace(string(src), "/* Site-specific settings go above this line. */",
		"define( 'JWT_AUTH_SECRET_KEY', '"+jwtSecret+"' );\n/* Site-specific settings go above this line. */", 1)
	cfg, err := phpconfig.ParseConfig("wp-config.php", []byte(conf), func(string) (string, bool) { return "", false }, nil)
	if err != nil {
		t.Fatal(err)
	}
	tables, _ := wpcompat.NewTables("fcm_")
	site := wpcompat.NewSite(db.DB, db.DB, tables, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	site.OptionTTL = 0
	site.Now = func() time.Time { return testNow }
	auth := authn.NewAuthenticator(site, authn.AuthOptions{})
	rt := rest.NewRouter(site, auth)
	fluentcart.Register(rt, site, fluentcart.Options{})
	t.Cleanup(auth.WaitUsage)
	m := &matrixSite{db: db, site: site, auth: auth, rt: rt, uids: map[string]int64{}, pass: map[string]string{}}
	rows, err := db.DB.Query("SELECT ID, user_login, user_pass FROM fcm_users")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var login, pass string
		if err := rows.Scan(&id, &login, &pass); err != nil {
			t.Fatal(err)
		}
		m.uids[login], m.pass[login] = id, pass
		// A live session for the logged-in cookie (wp_get_session_token / WP_Session_Tokens).
		sess := fmt.Sprintf(`a:1:{s:64:"%s";a:2:{s:10:"expiration";i:%d;s:5:"login";i:%d;}}`,
			wpauth.SessionVerifier(sessionToken), testNow.Unix()+86400, testNow.Unix())
		db.Exec(t, "INSERT INTO {prefix}usermeta (user_id, meta_key, meta_value) VALUES (?, 'session_tokens', ?)", id, sess)
	}
	return m
}

const sessionToken = "fluentcartMatrixSessionToken0123456789abcdefg"

// setPlugins writes active_plugins with FluentCart, LatePoint, the JWT plugin and optionally Pro.
func (m *matrixSite) setPlugins(t *testing.T, pro bool) {
	plugins := []string{"fluent-cart/fluent-cart.php", "jwt-authentication-for-wp-rest-api/jwt-auth.php", "latepoint/latepoint.php"}
	if pro {
		plugins = append(plugins, fluentcart.ProPluginBasename)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "a:%d:{", len(plugins))
	for i, p := range plugins {
		fmt.Fprintf(&b, `i:%d;s:%d:"%s";`, i, len(p), p)
	}
	b.WriteString("}")
	m.db.Exec(t, "UPDATE {prefix}options SET option_value = ? WHERE option_name = 'active_plugins'", b.String())
}

// headers returns the credentials of login under a scheme ("basic", "cookie", "jwt").
func (m *matrixSite) headers(t *testing.T, login, scheme string) map[string]string {
	h := map[string]string{"Content-Type": "application/json"}
	if login == "" {
		return h
	}
	cfgStr := func(name string) string { v, _ := m.site.Config.String(name); return v }
	switch scheme {
	case "basic":
		h["Authorization"] = basicAuth(login)
	case "cookie":
		exp := testNow.Unix() + 3600
		val := wpauth.GenerateAuthCookie(login, m.pass[login], exp, sessionToken, cfgStr("LOGGED_IN_KEY")+cfgStr("LOGGED_IN_SALT"))
		name := "wordpress_logged_in_" + wpauth.CookieHash("http://127.0.0.1:8080")
		h["Cookie"] = name + "=" + strings.ReplaceAll(val, "|", "%7C")
		h["X-WP-Nonce"] = wpauth.CreateNonce("wp_rest", m.uids[login], sessionToken, cfgStr("NONCE_KEY")+cfgStr("NONCE_SALT"), testNow)
	case "jwt":
		payload := fmt.Sprintf(`{"iss":"http://127.0.0.1:8080","iat":%d,"nbf":%d,"exp":%d,"data":{"user":{"id":"%d"}}}`,
			testNow.Unix(), testNow.Unix(), testNow.Unix()+3600, m.uids[login])
		in := base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT","alg":"HS256"}`)) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload))
		mac := hmac.New(sha256.New, []byte(jwtSecret))
		mac.Write([]byte(in))
		h["Authorization"] = "Bearer " + in + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	}
	return h
}

func TestPermissionMatrix(t *testing.T) {
	m := newMatrixSite(t)
	users := []string{"", "admin", "editor", "subscriber", "fcmanager", "fcworker", "fcaccountant"}
	forbidden := map[int]string{
		401: `{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":401}}`,
		403: `{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":403}}`,
	}
	for _, pro := range []bool{false, true} {
		m.setPlugins(t, pro)
		for _, scheme := range []string{"basic", "cookie", "jwt"} {
			for _, login := range users {
				if login == "" && scheme != "basic" {
					continue
				}
				g := granted(login, pro)
				for _, rt := range matrixRoutes {
					name := fmt.Sprintf("pro=%v/%s/%s/%s_%s", pro, scheme, login, rt.method, rt.path)
					rec := wptest.Do(m.rt, rt.method, "/wp-json/fluent-cart/v2"+rt.path, m.headers(t, login, scheme), rt.body)
					m.auth.WaitUsage()
					switch {
					case g[rt.perm]:
						if rec.Code == 401 || rec.Code == 403 {
							t.Errorf("%s: refused %d %s", name, rec.Code, rec.Body.String())
						}
					case login == "":
						if rec.Code != 401 || rec.Body.String() != forbidden[401] {
							t.Errorf("%s: %d %s, want 401 rest_forbidden", name, rec.Code, rec.Body.String())
						}
					default:
						if rec.Code != 403 || rec.Body.String() != forbidden[403] {
							t.Errorf("%s: %d %s, want 403 rest_forbidden", name, rec.Code, rec.Body.String())
						}
					}
				}
			}
		}
	}
}

// The permission check runs before FluentCart's request validation (an invalid body is still a 403) and the
// Allow header lists the methods whose permission passes, storefront handlers included.
func TestPermissionBeforeValidationAndAllow(t *testing.T) {
	m := newMatrixSite(t)
	m.setPlugins(t, true)
	cases := []struct {
		login, method, path, body string
		status                    int
		allow                     string
	}{
		{"fcworker", "PUT", "/customers/1", `{"full_name":["x"]}`, 403, "PUT, GET"},
		{"fcworker", "GET", "/customers/1/address", "", 200, "GET, PUT, DELETE"},
		{"fcmanager", "GET", "/customers/1/address", "", 200, "GET, PUT, POST, DELETE"},
		{"fcaccountant", "POST", "/customers", `{}`, 403, "GET"},
		{"subscriber", "GET", "/customers/1", "", 403, ""},
		{"", "PUT", "/customers/1", `{}`, 401, ""},
	}
	for _, c := range cases {
		rec := wptest.Do(m.rt, c.method, "/wp-json/fluent-cart/v2"+c.path, m.headers(t, c.login, "basic"), c.body)
		m.auth.WaitUsage()
		if rec.Code != c.status || rec.Header().Get("Allow") != c.allow {
			t.Errorf("%s %s %s: %d Allow %q, want %d %q (%s)", c.login, c.method, c.path, rec.Code, rec.Header().Get("Allow"), c.status, c.allow, rec.Body.String())
		}
	}
}
