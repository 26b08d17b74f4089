package authn_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest/phpsite"
)

// sidecarFor serves the same database and wp-config.php as the real site.
func sidecarFor(t testing.TB, db *wptest.DB, php *phpsite.Site, opts authn.AuthOptions) (*rest.Router, *authn.Auth, *wpcompat.Site) {
	t.Helper()
	cfg, err := phpconfig.ParseConfigFile(php.ConfigPath, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("parse %s: %v", php.ConfigPath, err)
	}
	tables, err := wpcompat.NewTables(cfg.TablePrefix)
	if err != nil {
		t.Fatal(err)
	}
	site := wpcompat.NewSite(db.DB, db.DB, tables, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	site.OptionTTL = 0
	auth := authn.NewAuthenticator(site, opts)
	rt := rest.NewRouter(site, auth)
	authn.RegisterCore(rt, site)
	t.Cleanup(auth.WaitUsage)
	return rt, auth, site
}

type exchange struct {
	status int
	header http.Header
	body   []byte
}

func serveSidecar(rt http.Handler, method, path string, header http.Header) exchange {
	req := httptest.NewRequest(method, path, nil)
	req.RemoteAddr = "127.0.0.1:40000"
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	rec := httptest.NewRecorder()
	rt.ServeHTTP(rec, req)
	return exchange{rec.Code, rec.Header(), rec.Body.Bytes()}
}

// comparable drops what WordPress 6.1 and 7.1 render differently on purpose: avatar_urls (6.1: md5 and
// N.gravatar.com over http; 7.1: sha256 and secure.gravatar.com) and _links (targetHints are 6.7+).
func comparable(t testing.TB, body []byte) string {
	t.Helper()
	v, err := wpjson.DecodeOrdered(body)
	if err != nil {
		return string(body)
	}
	if o, ok := v.(*wpjson.Object); ok {
		o.Delete("avatar_urls")
		o.Delete("_links")
	}
	b, _ := wpjson.MarshalJSON(v)
	return string(b)
}

const (
	cacheControl61 = "no-cache, must-revalidate, max-age=0"
	cacheControl71 = "no-cache, must-revalidate, max-age=0, no-store, private"
)

// headersCompared are the headers authentication decides.
var headersCompared = []string{"X-WP-Nonce", "Cache-Control", "Expires", "Allow", "Vary"}

type credCase struct {
	name   string
	method string
	path   string
	header http.Header
	want   int // expected status (both must also agree with each other)
}

func compareWithWordPress(t *testing.T, php *phpsite.Site, rt http.Handler, cases []credCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method := c.method
			if method == "" {
				method = http.MethodGet
			}
			wp := php.Do(t, method, c.path, c.header, "")
			sc := serveSidecar(rt, method, c.path, c.header)
			if wp.Status != sc.status {
				t.Errorf("status: WordPress %d, sidecar %d\nWordPress: %s\nsidecar:   %s", wp.Status, sc.status, wp.Body, sc.body)
			}
			if c.want != 0 && wp.Status != c.want {
				t.Errorf("WordPress answered %d, the test expects %d: %s", wp.Status, c.want, wp.Body)
			}
			if got, want := comparable(t, sc.body), comparable(t, wp.Body); got != want {
				t.Errorf("body differs\n sidecar:   %s\n WordPress: %s\n%s", got, want, wptest.FirstDiff(got, want))
			}
			for _, name := range headersCompared {
				got, want := sc.header.Get(name), wp.Header.Get(name)
				if name == "Cache-Control" && want == cacheControl61 {
					want = cacheControl71 // [VER] wp_get_nocache_headers: 6.3 added no-store, private
				}
				if got != want {
					t.Errorf("header %s: sidecar %q, WordPress %q", name, got, want)
				}
			}
		})
	}
}

func basicHeader(user, pass string) http.Header {
	return http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))}}
}

func withHeader(hs ...http.Header) http.Header {
	out := http.Header{}
	for _, h := range hs {
		for k, vs := range h {
			out[k] = append(out[k], vs...)
		}
	}
	return out
}

func hdr(kv ...string) http.Header {
	out := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Add(kv[i], kv[i+1])
	}
	return out
}

// Credentials created by WordPress 6.1's own PHP are accepted and refused by the sidecar exactly where WordPress
// accepts and refuses them, with the same status, body (minus version-specific avatar_urls/_links) and auth headers.
func TestAgainstWordPressCredentials(t *testing.T) {
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpc_", Schemas: []string{"wordpress"}})
	php := phpsite.Start(t, db, phpsite.Options{})
	php.Install(t)
	rt, _, _ := sidecarFor(t, db, php, authn.AuthOptions{})

	alice := php.CreateUser(t, "alice", "alice@example.com", "alice-login-pass", "editor")
	bob := php.CreateUser(t, "bob", "bob@example.com", "bob-login-pass", "administrator")
	nora := php.CreateUser(t, "nora", "nora@example.com", "nora-login-pass", "")
	pat := php.CreateUser(t, "pat", "o'brien@example.com", "pat-login-pass", "subscriber")
	mail := php.CreateUser(t, "mail@example.org", "other@example.com", "mail-login-pass", "author")
	carl := php.CreateUser(t, "carl", "carl@example.com", "carl-login-pass", "contributor")

	apAlice := php.CreateAppPassword(t, alice, "first")
	apAlice2 := php.CreateAppPassword(t, alice, "second")
	apBob := php.CreateAppPassword(t, bob, "bob")
	apNora := php.CreateAppPassword(t, nora, "nora")
	apPat := php.CreateAppPassword(t, pat, "pat")
	apMail := php.CreateAppPassword(t, mail, "mail")
	revoked := php.CreateAppPassword(t, alice, "revoked")
	php.PHP(t, fmt.Sprintf(`WP_Application_Passwords::delete_application_password( %d, %q );`, alice, revoked.UUID))
	chunk := func(p string) string {
		var parts []string
		for i := 0; i < len(p); i += 4 {
			parts = append(parts, p[i:min(i+4, len(p))])
		}
		return strings.Join(parts, " ")
	}

	cAlice := php.AuthCookie(t, alice, "logged_in", 0)
	nAlice := php.Nonce(t, alice, cAlice, "wp_rest")
	cBob := php.AuthCookie(t, bob, "logged_in", 0)
	nBob := php.Nonce(t, bob, cBob, "wp_rest")
	cAuth := php.AuthCookie(t, alice, "auth", 0)
	nAuth := php.Nonce(t, alice, phpsite.Cookie{}, "wp_rest")
	cExpired := php.AuthCookie(t, alice, "logged_in", time.Now().Unix()-100)
	nExpired := php.Nonce(t, alice, cExpired, "wp_rest")
	cGone := php.AuthCookie(t, bob, "logged_in", 0)
	nGone := php.Nonce(t, bob, cGone, "wp_rest")
	php.PHP(t, fmt.Sprintf(`WP_Session_Tokens::get_instance( %d )->destroy( %q );`, bob, cGone.Token))
	cCarl := php.AuthCookie(t, carl, "logged_in", 0)
	nCarl := php.Nonce(t, carl, cCarl, "wp_rest")
	php.PHP(t, fmt.Sprintf(`wp_set_password( 'carl-new-pass', %d );`, carl))
	nAnon := php.Nonce(t, 0, phpsite.Cookie{}, "wp_rest")
	tampered := phpsite.Cookie{Name: cAlice.Name, Value: cAlice.Value[:len(cAlice.Value)-1] + "0"}
	if tampered.Value == cAlice.Value {
		tampered.Value = cAlice.Value[:len(cAlice.Value)-1] + "1"
	}

	me := "/wp-json/wp/v2/users/me"
	cookie := func(c phpsite.Cookie) http.Header { return hdr("Cookie", c.Header()) }
	nonce := func(n string) http.Header { return hdr("X-WP-Nonce", n) }
	cases := []credCase{
		// Application Passwords (6.1 stores them as phpass $P$ hashes).
		{name: "app password", path: me, header: basicHeader("alice", apAlice.Password), want: 200},
		{name: "app password, edit context", path: me + "?context=edit", header: basicHeader("alice", apAlice.Password), want: 200},
		{name: "app password, embed context", path: me + "?context=embed", header: basicHeader("bob", apBob.Password), want: 200},
		{name: "bad context", path: me + "?context=nope", header: basicHeader("bob", apBob.Password), want: 400},
		{name: "bad context, anonymous (validation first)", path: me + "?context=nope", want: 400},
		{name: "second app password", path: me, header: basicHeader("alice", apAlice2.Password), want: 200},
		{name: "administrator edit context", path: me + "?context=edit", header: basicHeader("bob", apBob.Password), want: 200},
		{name: "chunked", path: me, header: basicHeader("alice", chunk(apAlice.Password)), want: 200},
		{name: "upper-case login", path: me, header: basicHeader("ALICE", apAlice.Password), want: 200},
		{name: "padded login", path: me, header: basicHeader(" alice ", apAlice.Password), want: 200},
		{name: "email", path: me, header: basicHeader("alice@example.com", apAlice.Password), want: 200},
		{name: "email, upper-case domain", path: me, header: basicHeader("alice@EXAMPLE.COM", apAlice.Password), want: 200},
		{name: "user without role, edit context", path: me + "?context=edit", header: basicHeader("nora", apNora.Password), want: 200},
		{name: "login that looks like an email", path: me + "?context=edit", header: basicHeader("mail@example.org", apMail.Password), want: 200},
		{name: "its email", path: me, header: basicHeader("other@example.com", apMail.Password), want: 200},
		{name: "email with an apostrophe", path: me, header: basicHeader("o'brien@example.com", apPat.Password), want: 401},
		{name: "its login", path: me, header: basicHeader("pat", apPat.Password), want: 200},
		{name: "password cut at NUL", path: me, header: basicHeader("alice", apAlice.Password+"\x00junk"), want: 200},
		{name: "lower-case scheme", path: me, header: hdr("Authorization", "basic "+base64.StdEncoding.EncodeToString([]byte("alice:"+apAlice.Password))), want: 200},
		{name: "wrong app password", path: me, header: basicHeader("alice", strings.ToUpper(apAlice.Password)), want: 401},
		{name: "another user's app password", path: me, header: basicHeader("alice", apBob.Password), want: 401},
		{name: "revoked app password", path: me, header: basicHeader("alice", revoked.Password), want: 401},
		{name: "login password", path: me, header: basicHeader("alice", "alice-login-pass"), want: 401},
		{name: "unknown user", path: me, header: basicHeader("zed", apAlice.Password), want: 401},
		{name: "unknown email", path: me, header: basicHeader("zed@example.com", apAlice.Password), want: 401},
		{name: "not base64", path: me, header: hdr("Authorization", "Basic !!!"), want: 401},
		{name: "no colon", path: me, header: hdr("Authorization", "Basic YWxpY2U="), want: 401},
		{name: "Bearer", path: me, header: hdr("Authorization", "Bearer abc"), want: 401},
		{name: "rest_route form", path: "/?rest_route=/wp/v2/users/me", header: basicHeader("alice", apAlice.Password), want: 200},
		{name: "anonymous", path: me, want: 401},
		// Logged-in cookies and nonces made by wp_generate_auth_cookie / wp_create_nonce.
		{name: "cookie + nonce", path: me, header: withHeader(cookie(cAlice), nonce(nAlice)), want: 200},
		{name: "cookie + nonce, edit context", path: me + "?context=edit", header: withHeader(cookie(cBob), nonce(nBob)), want: 200},
		{name: "cookie + _wpnonce", path: me + "?_wpnonce=" + nAlice, header: cookie(cAlice), want: 200},
		{name: "cookie without nonce", path: me, header: cookie(cAlice), want: 401},
		{name: "cookie + wrong nonce", path: me, header: withHeader(cookie(cAlice), nonce("0123456789")), want: 403},
		{name: "cookie + empty nonce", path: me, header: withHeader(cookie(cAlice), nonce("")), want: 403},
		{name: "cookie + another user's nonce", path: me, header: withHeader(cookie(cAlice), nonce(nBob)), want: 403},
		{name: "tampered cookie + nonce", path: me, header: withHeader(cookie(tampered), nonce(nAlice)), want: 403},
		{name: "tampered cookie", path: me, header: cookie(tampered), want: 401},
		{name: "auth-scheme cookie + nonce", path: me, header: withHeader(cookie(cAuth), nonce(nAuth)), want: 200},
		{name: "expired cookie + nonce", path: me, header: withHeader(cookie(cExpired), nonce(nExpired)), want: 403},
		{name: "destroyed session + nonce", path: me, header: withHeader(cookie(cGone), nonce(nGone)), want: 403},
		{name: "password changed + nonce", path: me, header: withHeader(cookie(cCarl), nonce(nCarl)), want: 403},
		{name: "logged-out nonce", path: me, header: nonce(nAnon), want: 401},
		{name: "wrong nonce, anonymous", path: me, header: nonce("abc"), want: 403},
		{name: "duplicate cookie, garbage first", path: me, header: withHeader(hdr("Cookie", cAlice.Name+"=garbage; "+cAlice.Header()), nonce(nAlice)), want: 403},
		{name: "duplicate cookie, valid first", path: me, header: withHeader(hdr("Cookie", cAlice.Header()+"; "+cAlice.Name+"=garbage"), nonce(nAlice)), want: 200},
		{name: "cookie beats Basic, no nonce", path: me, header: withHeader(cookie(cAlice), basicHeader("bob", apBob.Password)), want: 401},
		{name: "cookie beats Basic, nonce", path: me, header: withHeader(cookie(cAlice), nonce(nAlice), basicHeader("bob", apBob.Password)), want: 200},
		{name: "tampered cookie + Basic", path: me, header: withHeader(cookie(tampered), basicHeader("bob", apBob.Password)), want: 200},
		{name: "Basic + garbage nonce", path: me, header: withHeader(basicHeader("bob", apBob.Password), nonce("garbage")), want: 200},
	}
	compareWithWordPress(t, php, rt, cases)
}

// What the sidecar writes (last_used/last_ip of an Application Password) WordPress reads back, and WordPress
// keeps accepting the password; a second use the same day writes nothing.
func TestAgainstWordPressUsageRecord(t *testing.T) {
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpu_", Schemas: []string{"wordpress"}})
	php := phpsite.Start(t, db, phpsite.Options{})
	php.Install(t)
	rt, auth, _ := sidecarFor(t, db, php, authn.AuthOptions{})
	id := php.CreateUser(t, "ursula", "ursula@example.com", "ursula-login", "editor")
	first := php.CreateAppPassword(t, id, "first")
	second := php.CreateAppPassword(t, id, "second")
	raw := func() string {
		return db.QueryString(t, "SELECT meta_value FROM {prefix}usermeta WHERE user_id = ? AND meta_key = '_application_passwords'", id)
	}

	before := time.Now().Unix()
	resp := serveSidecar(rt, "GET", "/wp-json/wp/v2/users/me", withHeader(basicHeader("ursula", second.Password), hdr("X-Forwarded-For", "203.0.113.9")))
	if resp.status != 200 {
		t.Fatalf("sidecar: %d %s", resp.status, resp.body)
	}
	auth.WaitUsage()
	written := raw()

	var items []struct {
		UUID     string  `json:"uuid"`
		Name     string  `json:"name"`
		LastUsed *int64  `json:"last_used"`
		LastIP   *string `json:"last_ip"`
	}
	php.PHPJSON(t, fmt.Sprintf(`echo json_encode( array_values( WP_Application_Passwords::get_user_application_passwords( %d ) ) );`, id), &items)
	if len(items) != 2 || items[1].UUID != second.UUID || items[1].LastUsed == nil || *items[1].LastUsed < before ||
		items[1].LastIP == nil || *items[1].LastIP != "127.0.0.1" || items[0].LastUsed != nil {
		t.Fatalf("WordPress reads back %+v from %s", items, written)
	}
	// Byte-level: the sidecar's value equals what PHP's serialize() makes of the same array.
	reserialized := php.PHP(t, fmt.Sprintf(`echo serialize( get_user_meta( %d, '_application_passwords', true ) );`, id))
	if reserialized != written {
		t.Fatalf("not PHP's serialization:\n sidecar: %s\n PHP:     %s", written, reserialized)
	}
	if got := php.Do(t, "GET", "/wp-json/wp/v2/users/me", basicHeader("ursula", second.Password), ""); got.Status != 200 {
		t.Fatalf("WordPress refuses the password after the sidecar's write: %d %s", got.Status, got.Body)
	}
	// WordPress's own use of the first password keeps the sidecar's record of the second.
	if got := php.Do(t, "GET", "/wp-json/wp/v2/users/me", basicHeader("ursula", first.Password), ""); got.Status != 200 {
		t.Fatalf("WordPress: %d %s", got.Status, got.Body)
	}
	afterPHP := raw()
	if !strings.Contains(afterPHP, `s:7:"last_ip";s:9:"127.0.0.1";}}`) {
		t.Fatalf("second item lost its record after PHP's write: %s", afterPHP)
	}
	// Within a day: no second write by the sidecar.
	serveSidecar(rt, "GET", "/wp-json/wp/v2/users/me", basicHeader("ursula", second.Password))
	auth.WaitUsage()
	if got := raw(); got != afterPHP {
		t.Fatalf("rewritten within a day:\n%s\n%s", afterPHP, got)
	}
	if !bytes.Contains([]byte(afterPHP), []byte(second.UUID)) {
		t.Fatal("uuid missing")
	}
}

// phpDump is a script the harness's php-fpm runs without WordPress: what PHP's SAPI made of the headers.
const phpDump = `<?php
$out = array( 'user' => null, 'pw' => null, 'cookies' => array() );
if ( isset( $_SERVER['PHP_AUTH_USER'] ) ) { $out['user'] = base64_encode( $_SERVER['PHP_AUTH_USER'] ); }
if ( isset( $_SERVER['PHP_AUTH_PW'] ) ) { $out['pw'] = base64_encode( $_SERVER['PHP_AUTH_PW'] ); }
foreach ( $_COOKIE as $k => $v ) { $out['cookies'][ base64_encode( (string) $k ) ] = is_array( $v ) ? 'ARRAY' : base64_encode( $v ); }
$out['cookies'] = (object) $out['cookies'];
header( 'Content-Type: application/json' );
echo json_encode( $out );
`

// The Basic and Cookie header parsers agree with php-fpm itself on edge cases and random inputs.
func TestAgainstPHPHeaderParsing(t *testing.T) {
	db := wptest.NewDB(t, wptest.Options{Prefix: "wph_", Schemas: []string{"wordpress"}})
	php := phpsite.Start(t, db, phpsite.Options{})
	if err := os.WriteFile(filepath.Join(php.Docroot, "dump.php"), []byte(phpDump), 0o644); err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	randBytes := func(n int, alphabet string) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rnd.IntN(len(alphabet))]
		}
		return string(b)
	}
	const printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
	auths := []string{"Basic " + b64("admin:x"), "basic " + b64("a:b:c"), "Basic  " + b64("u:p"), "Basic " + b64("u\x00x:p"),
		"Basic " + b64("u:p\x00q"), "Basic YWRtaW46eHk=QQ", "Basic !!!", "Basic YWRtaW4=", "Basic", "Basic " + b64(":"),
		"BASIC " + b64("é:ü"), "Basic " + b64(":pw"), "Basic " + b64("u:"), "Basic " + b64("u:\x00"), "Basic " + b64("admin:xyz") + "Q", "Basic\t" + b64("a:b"), "Bearer x"}
	for i := 0; i < 150; i++ {
		raw := randBytes(rnd.IntN(20), "ab:\x00\xff"+printable[:20])
		auths = append(auths, "Basic "+randBytes(rnd.IntN(3), " =*")+base64.StdEncoding.EncodeToString([]byte(raw))+randBytes(rnd.IntN(3), "=Q "))
	}
	cookies := []string{"a=1; b=2", "a=1;b=2;;", "a=first; a=second", "a.b=1; a b=2", "a[x]=1; a=2", "a[x=1", "=x; a",
		"a==b", "w=u%7C1%7Ct%7Ch%2B+", "a=1 ; b=2", " \t a=1", "a[=1", "a]=1", "x[]=1; x[]=2", "k=%zz%4"}
	for i := 0; i < 150; i++ {
		cookies = append(cookies, randBytes(1+rnd.IntN(30), "ab=; .[]%7C+"))
	}
	type dump struct {
		User    *string           `json:"user"`
		PW      *string           `json:"pw"`
		Cookies map[string]string `json:"cookies"`
	}
	get := func(h http.Header) dump {
		resp := php.Do(t, "GET", "/dump.php", h, "")
		var d dump
		if err := json.Unmarshal(resp.Body, &d); err != nil {
			t.Fatalf("dump: %s", resp.Body)
		}
		return d
	}
	unb64 := func(s string) string { b, _ := base64.StdEncoding.DecodeString(s); return string(b) }
	for _, a := range auths {
		a = strings.Trim(a, " \t") // servers (nginx, net/http) strip the header value's surrounding whitespace
		d := get(http.Header{"Authorization": {a}})
		user, pass, ok := authn.ParseBasicAuth(a)
		phpOK := d.User != nil && d.PW != nil
		if ok != phpOK || (ok && (unb64(*d.User) != user || unb64(*d.PW) != pass)) {
			t.Errorf("Authorization %q: PHP %v, sidecar %q %q %v", a, d, user, pass, ok)
		}
	}
	for _, c := range cookies {
		c = strings.Trim(c, " \t")
		d := get(http.Header{"Cookie": {c}})
		got := authn.ParseCookieHeader(c)
		want := map[string]string{}
		for k, v := range d.Cookies {
			if v == "ARRAY" {
				want[unb64(k)] = "ARRAY"
			} else {
				want[unb64(k)] = unb64(v)
			}
		}
		mine := map[string]string{}
		for k, v := range got.Values {
			mine[k] = phpRawURLDecode(v)
		}
		for k := range got.Arrays {
			mine[k] = "ARRAY"
		}
		if fmt.Sprint(mine) != fmt.Sprint(want) {
			t.Errorf("Cookie %q: PHP %q, sidecar %q", c, want, mine)
		}
	}
}

// phpRawURLDecode is PHP's rawurldecode (test-local).
func phpRawURLDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// earlyUserPlugin is a must-use plugin of this test (not WordPress code): it asks for the current user at
// rest_authentication_errors priority 10, as some security plugins do, so the Application Password error is
// recorded before rest_application_password_check_errors (90) looks — the §5.9 plugin variant.
const earlyUserPlugin = `<?php
add_filter( 'rest_authentication_errors', function ( $result ) { is_user_logged_in(); return $result; }, 10 );
`

// AuthOptions.AppPasswordErrors reproduces what such a site answers.
func TestAgainstWordPressPluginVariant(t *testing.T) {
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpv_", Schemas: []string{"wordpress"}})
	php := phpsite.Start(t, db, phpsite.Options{MuPlugins: map[string]string{"early-user.php": earlyUserPlugin}})
	php.Install(t)
	rt, _, _ := sidecarFor(t, db, php, authn.AuthOptions{AppPasswordErrors: true})
	id := php.CreateUser(t, "vera", "vera@example.com", "vera-login-pass", "editor")
	ap := php.CreateAppPassword(t, id, "v")
	me := "/wp-json/wp/v2/users/me"
	compareWithWordPress(t, php, rt, []credCase{
		{name: "correct", path: me, header: basicHeader("vera", ap.Password), want: 200},
		{name: "wrong password", path: me, header: basicHeader("vera", "nope"), want: 401},
		{name: "login password", path: me, header: basicHeader("vera", "vera-login-pass"), want: 401},
		{name: "unknown user", path: me, header: basicHeader("zed", "x"), want: 401},
		{name: "unknown email", path: me, header: basicHeader("zed@example.com", "x"), want: 401},
		{name: "no credentials", path: me, want: 401},
	})
}
