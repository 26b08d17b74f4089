package authn_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// The Appendix A site (wordpress-auth-and-rest.md A.1): its salts, siteurl, users whose user_pass are the A.2 /
// A.4 hashes, the A.5 session and the A.3 application passwords, on a clock fixed at t = 1800000000 (A.6, A.7).
const (
	vecSiteURL    = "http://127.0.0.1:8071"
	vecCookieName = "wordpress_logged_in_473c880099f4ebba446c4a65430d8811"
	vecToken      = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"
	vecNow        = 1800000000
	vecSessions   = `a:1:{s:64:"46a2199782c8827f0ac56f503be9d39efee97f40a736b92cc7d7c5f825cfd851";a:2:{s:10:"expiration";i:2000000000;s:5:"login";i:1700000000;}}`
	vecWPHash     = "$wp$2y$10$/BYYU.3ZhH1EaEHaFchF7OZDmi66wJMb16jmX3uY0BGppS7S1gfsa" // "correct horse battery staple"
	vecAPPlain    = "abcdABCD1234efghEFGH5678"
	vecAPGeneric  = "$generic$m3p-vGVHJEquVtpOZroIk-ieMdJ7txFHWU5XUhH-"
	vecAPLegacy   = "$P$BM2.3n5onx0PFi/kJ5D5OvW0R7Tvqt/" // same plain, WordPress <= 6.7 form
	vecAP2Plain   = "zFvM9nrV0MsKsczPzqAX3lEr"
	vecAP2Generic = "$generic$kks6wO46p9hXfwOPmizV7uy_wfv8DW24jqlowLB_"
	vecJWTSecret  = "jwt-test-secret"
	vecJWT        = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjgwNzEiLCJpYXQiOjE4MDAwMDAwMDAsIm5iZiI6MTgwMDAwMDAwMCwiZXhwIjoxODAwNjA0ODAwLCJkYXRhIjp7InVzZXIiOnsiaWQiOiIxIn19fQ.H1u1McSNHM9iV5QUek_DLytFb9_7fuSqo4WAn2seOeA"
)

// vecConfig is the A.1 wp-config.php.
const vecConfig = `<?php
define( 'DB_NAME', 'unused' );
define( 'AUTH_KEY', 'test-auth-key' );
define( 'AUTH_SALT', 'test-auth-salt' );
define( 'SECURE_AUTH_KEY', 'test-secure-auth-key' );
define( 'SECURE_AUTH_SALT', 'test-secure-auth-salt' );
define( 'LOGGED_IN_KEY', 'test-logged-in-key' );
define( 'LOGGED_IN_SALT', 'test-logged-in-salt' );
define( 'NONCE_KEY', 'test-nonce-key' );
define( 'NONCE_SALT', 'test-nonce-salt' );
define( 'JWT_AUTH_SECRET_KEY', 'jwt-test-secret' );
$table_prefix = 'wpa_';
%s
require_once ABSPATH . 'wp-settings.php';
`

func apItem(uuid, name, hash string, lastUsed string) string {
	return fmt.Sprintf(`a:7:{s:4:"uuid";s:36:"%s";s:6:"app_id";s:0:"";s:4:"name";s:%d:"%s";s:8:"password";s:%d:"%s";s:7:"created";i:1795455843;s:9:"last_used";%s;s:7:"last_ip";N;}`,
		uuid, len(name), name, len(hash), hash, lastUsed)
}

func apList(items ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "a:%d:{", len(items))
	for i, it := range items {
		fmt.Fprintf(&b, "i:%d;%s", i, it)
	}
	b.WriteString("}")
	return b.String()
}

// Fixture users of the Appendix A site.
const (
	uAdmin     = 1  // administrator, $generic$ app password vecAPPlain
	uEditor    = 2  // editor, $generic$ app password vecAP2Plain
	uLegacy    = 3  // subscriber, legacy $P$ app password vecAPPlain
	uVecWP     = 6  // editor, cookie vectors ($wp$ user_pass), nonce vectors (uid 6)
	uVecPhpass = 7  // cookie vector $P$
	uVecBcrypt = 8  // cookie vector $2y$
	uVecMD5    = 9  // cookie vector MD5
	uNoRole    = 10 // a:0:{} capabilities, app password vecAP2Plain
	uMailLogin = 11 // login "mail@example.org", e-mail other@example.com, app password vecAP2Plain
	uQuote     = 12 // e-mail o'brien@example.com, app password vecAP2Plain
)

type authSite struct {
	db   *wptest.DB
	site *wpcompat.Site
	auth *authn.Auth
	rt   *rest.Router
	now  *time.Time
}

type authSiteOptions struct {
	extraConfig string            // PHP lines for wp-config.php (e.g. WP_ENVIRONMENT_TYPE)
	jwt         bool              // the JWT plugin is active
	auth        authn.AuthOptions // authenticator options
}

func newAuthSite(t testing.TB, o authSiteOptions) *authSite {
	t.Helper()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpa_", Schemas: []string{"wordpress"}})
	if o.extraConfig == "" {
		o.extraConfig = "define( 'WP_ENVIRONMENT_TYPE', 'local' );"
	}
	cfg, err := phpconfig.ParseConfig("wp-config.php", []byte(fmt.Sprintf(vecConfig, o.extraConfig)),
		func(string) (string, bool) { return "", false }, nil)
	if err != nil {
		t.Fatal(err)
	}
	roles, err := os.ReadFile(filepath.Join(wptest.RepoRoot(), "testdata", "wpcompat", "serialized", "user_roles_71.txt"))
	if err != nil {
		t.Fatal(err)
	}
	plugins := `a:0:{}`
	if o.jwt {
		plugins = fmt.Sprintf(`a:1:{i:0;s:%d:"%s";}`, len(authn.JWTPluginBasename), authn.JWTPluginBasename)
	}
	opt := func(name, value string) {
		db.Exec(t, "INSERT INTO {prefix}options (option_name, option_value, autoload) VALUES (?, ?, 'on')", name, value)
	}
	opt("siteurl", vecSiteURL)
	opt("home", vecSiteURL)
	opt("permalink_structure", "/%postname%/")
	opt("wpa_user_roles", strings.TrimSpace(string(roles)))
	opt("using_application_passwords", "1")
	opt("show_avatars", "1")
	opt("avatar_default", "mystery")
	opt("avatar_rating", "G")
	opt("active_plugins", plugins)
	opt("WPLANG", "")

	user := func(id int, login, pass, email, display string) {
		db.Exec(t, `INSERT INTO {prefix}users (ID, user_login, user_pass, user_nicename, user_email, user_url, user_registered, display_name)
			VALUES (?, ?, ?, ?, ?, '', '2026-11-23 17:43:52', ?)`, id, login, pass, strings.ReplaceAll(strings.ReplaceAll(login, "@", ""), ".", "-"), email, display)
	}
	// The spec's observed users/me examples (§11.1): admin's URL, editor1's registration time.
	defer db.Exec(t, "UPDATE {prefix}users SET user_url = 'http://127.0.0.1:8071/site71' WHERE ID = 1")
	defer db.Exec(t, "UPDATE {prefix}users SET user_registered = '2026-11-23 17:44:03' WHERE ID = 2")
	meta := func(id int, key, value string) {
		db.Exec(t, "INSERT INTO {prefix}usermeta (user_id, meta_key, meta_value) VALUES (?, ?, ?)", id, key, value)
	}
	caps := func(id int, role string) {
		if role == "" {
			meta(id, "wpa_capabilities", "a:0:{}")
			return
		}
		meta(id, "wpa_capabilities", fmt.Sprintf(`a:1:{s:%d:"%s";b:1;}`, len(role), role))
	}
	user(uAdmin, "admin", vecWPHash, "admin@example.com", "admin")
	caps(uAdmin, "administrator")
	meta(uAdmin, "_application_passwords", apList(apItem("973018fc-15ad-4c41-b7b6-23a5a663fe9e", "sidecar-admin", vecAPGeneric, "N")))
	user(uEditor, "editor1", vecWPHash, "editor1@example.com", "Elena Ruiz")
	caps(uEditor, "editor")
	meta(uEditor, "first_name", "Elena")
	meta(uEditor, "last_name", "Ruiz")
	meta(uEditor, "_application_passwords", apList(
		apItem("11111111-1111-4111-8111-111111111111", "old", "$generic$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "N"),
		apItem("22222222-2222-4222-8222-222222222222", "laptop", vecAP2Generic, "i:1795455848")))
	user(uLegacy, "legacy", vecWPHash, "legacy@example.com", "legacy")
	caps(uLegacy, "subscriber")
	meta(uLegacy, "_application_passwords", apList(apItem("33333333-3333-4333-8333-333333333333", "legacy integration", vecAPLegacy, "N")))
	for _, u := range []struct {
		id          int
		login, pass string
	}{
		{uVecWP, "vec_wp", vecWPHash},
		{uVecPhpass, "vec_phpass", "$P$BABCDEFGH8V2Z2SVO7ujn5wUtglfRD."},
		{uVecBcrypt, "vec_bcrypt", "$2y$10$ZF4WJb4EoG/ssKT9vqMBGerUrK2uLmLJmLPE.Wi82iOSjJE5FtS7C"},
		{uVecMD5, "vec_md5", "9cc2ae8a1ba7a93da39b46fc1019c481"},
	} {
		user(u.id, u.login, u.pass, u.login+"@example.com", u.login)
		caps(u.id, "editor")
		meta(u.id, "session_tokens", vecSessions)
	}
	user(uNoRole, "norole", vecWPHash, "norole@example.com", "norole")
	caps(uNoRole, "")
	meta(uNoRole, "_application_passwords", apList(apItem("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "x", vecAP2Generic, "N")))
	user(uMailLogin, "mail@example.org", vecWPHash, "other@example.com", "Mail Login")
	caps(uMailLogin, "subscriber")
	meta(uMailLogin, "_application_passwords", apList(apItem("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", "x", vecAP2Generic, "N")))
	user(uQuote, "obrien", vecWPHash, "o'brien@example.com", "Pat O'Brien")
	caps(uQuote, "subscriber")
	meta(uQuote, "_application_passwords", apList(apItem("cccccccc-cccc-4ccc-8ccc-cccccccccccc", "x", vecAP2Generic, "N")))

	tables, _ := wpcompat.NewTables("wpa_")
	site := wpcompat.NewSite(db.DB, db.DB, tables, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	site.OptionTTL = 0
	now := time.Unix(vecNow, 0)
	s := &authSite{db: db, site: site, now: &now}
	site.Now = func() time.Time { return *s.now }
	s.auth = authn.NewAuthenticator(site, o.auth)
	s.rt = rest.NewRouter(site, s.auth)
	authn.RegisterCore(s.rt, site)
	t.Cleanup(s.auth.WaitUsage)
	return s
}

func basic(user, pass string) string {
	return "Basic " + b64(user+":"+pass)
}

// vecCookie is the A.4 logged-in cookie of a vector user, as a browser sends it (| as %7C).
func vecCookie(login, hmac string) string {
	return vecCookieName + "=" + login + "%7C2000000000%7C" + vecToken + "%7C" + hmac
}

const (
	hmacVecWP       = "90a270d8fe89017e9c51a0ed6d151597c6bc7253917af4379ee10341ef31eb34"
	hmacVecPhpass   = "05af6bf40bae1843bdfd59e260fd9dfdf1107bc5c33b271422080522ccb7c090"
	hmacVecBcrypt   = "3a5158d418a243dc9d1e51359b0ad6e979cbc26294449f91dfc9a599a6b27601"
	hmacVecMD5      = "25675ae572f95453a04bf6afb4c508c7ad1f88d8ccb1367961c515646b1bc507"
	hmacVecWPAuth   = "f71313476fead02811c613bdc81bdba8f8fce4da9e47d7dfe177db774adcd71f"
	hmacVecWPSecure = "0e5e71d90d9081945d4770c5de76a4d188d17fe2952c3afd42e97f57c6502bec"
	nonceUID6T0     = "77fa1fefd9" // A.6: t=1800000000, uid 6, vecToken
	nonceUID0T0     = "9473496ca9" // A.6: t=1800000000, uid 0, no token
	nonceUID6T1     = "fdb23bf614" // A.6: t=1800021600, uid 6
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func mustPrefixes(s ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range s {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}
