// Package phpsite runs a real WordPress (Debian's `wordpress` package, 6.1.x, under /usr/share/wordpress) on
// loopback behind its own nginx and php-fpm, against a wptest database, so tests can send the same request to
// WordPress and to the sidecar and compare the answers, and can use WordPress's own PHP functions to create users,
// passwords, Application Passwords, cookies and nonces.
//
// Nothing system-wide is touched: every site gets a private directory with its wp-config.php, a front controller,
// a php-fpm pool (unix socket, pm static) and an nginx server on a free loopback port. `make test` installs the
// packages (.ci/php.sh); without them and without root, tests that need a site skip.
package phpsite

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// WordPressDir is where Debian's wordpress package installs WordPress.
const WordPressDir = "/usr/share/wordpress"

// Admin account created by Install on a fresh database.
const (
	AdminLogin    = "admin"
	AdminEmail    = "admin@example.com"
	AdminPassword = "phpsite-admin-pass"
)

// DefaultSalts are the eight keys and salts written to wp-config.php (with characters a PHP parser must escape).
var DefaultSalts = map[string]string{
	"AUTH_KEY":         `phpsite auth key: 'quoted' \backslash\ $dollar`,
	"SECURE_AUTH_KEY":  "phpsite-secure-auth-key",
	"LOGGED_IN_KEY":    `phpsite-logged-in-key-"double"`,
	"NONCE_KEY":        "phpsite-nonce-key",
	"AUTH_SALT":        "phpsite-auth-salt",
	"SECURE_AUTH_SALT": "phpsite-secure-auth-salt",
	"LOGGED_IN_SALT":   "phpsite-logged-in-salt",
	"NONCE_SALT":       "phpsite-nonce-salt",
}

// Options configure a site.
type Options struct {
	// Salts replace DefaultSalts (keys absent here are not defined at all).
	Salts map[string]string
	// EnvironmentType is WP_ENVIRONMENT_TYPE ("local" by default; "-" leaves it undefined).
	EnvironmentType string
	// ExtraConfig is PHP inserted into wp-config.php before WordPress is loaded (defines of the test's own).
	ExtraConfig string
	// MuPlugins are must-use plugins written for this site (file name → PHP source written by the test).
	MuPlugins map[string]string
	// Workers is the php-fpm pool size (default 2).
	Workers int
	// NginxServer, when set, returns the body of nginx's server {} block instead of the default one; it gets the
	// site (Dir, Docroot, FPMSocket, Port are set).
	NginxServer func(s *Site) string
	// NginxHTTP, when set, returns directives added to nginx's http {} context (upstream, map blocks).
	NginxHTTP func(s *Site) string
}

// Site is one running WordPress.
type Site struct {
	URL        string // http://127.0.0.1:<port>
	Port       int
	Dir        string // private directory (config, sockets, logs)
	Docroot    string // nginx root: index.php and wp-config.php
	ConfigPath string // the wp-config.php (parse it for the sidecar's Config)
	FPMSocket  string
	DB         *wptest.DB
	Salts      map[string]string

	procs []*exec.Cmd
}

var (
	ensureOnce sync.Once
	ensureErr  error
)

// Missing reports what is not installed ("" when everything is).
func Missing() string {
	var miss []string
	for _, bin := range []string{"php", "nginx", fpmBinary()} {
		if _, err := exec.LookPath(bin); err != nil {
			miss = append(miss, bin)
		}
	}
	if _, err := os.Stat(filepath.Join(WordPressDir, "wp-settings.php")); err != nil {
		miss = append(miss, "wordpress ("+WordPressDir+")")
	}
	return strings.Join(miss, ", ")
}

func fpmBinary() string {
	for _, c := range []string{"php-fpm8.2", "php-fpm", "php-fpm8.3", "php-fpm8.4", "php-fpm8.1"} {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
		if p := "/usr/sbin/" + c; fileExists(p) {
			return p
		}
	}
	return "php-fpm"
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// Require skips t when the packages are missing and this is not root, installs them (once, .ci/php.sh) when root,
// and fails t when that did not help.
func Require(t testing.TB) {
	t.Helper()
	if Missing() == "" {
		return
	}
	if os.Geteuid() != 0 {
		t.Skipf("real-WordPress comparison skipped: %s not installed and not root (run `sudo bash .ci/php.sh` or `make test`)", Missing())
	}
	ensureOnce.Do(func() {
		cmd := exec.Command("bash", filepath.Join(wptest.RepoRoot(), ".ci", "php.sh"))
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		ensureErr = cmd.Run()
	})
	if m := Missing(); m != "" {
		t.Fatalf("phpsite: %s still missing after .ci/php.sh (%v)", m, ensureErr)
	}
}

// Start runs WordPress for db and stops it when t ends.
func Start(t testing.TB, db *wptest.DB, opts Options) *Site {
	t.Helper()
	Require(t)
	s, err := start(db, opts)
	if s != nil {
		t.Cleanup(s.stop)
	}
	if err != nil {
		t.Fatalf("phpsite: %v", err)
	}
	return s
}

func start(db *wptest.DB, opts Options) (*Site, error) {
	// A short private directory: unix socket paths are limited to ~108 bytes.
	dir, err := os.MkdirTemp("", "phpsite")
	if err != nil {
		return nil, err
	}
	s := &Site{Dir: dir, Docroot: filepath.Join(dir, "www"), FPMSocket: filepath.Join(dir, "fpm.sock"), DB: db}
	s.ConfigPath = filepath.Join(s.Docroot, "wp-config.php")
	s.Salts = opts.Salts
	if s.Salts == nil {
		s.Salts = DefaultSalts
	}
	if opts.Workers <= 0 {
		opts.Workers = 2
	}
	for _, d := range []string{s.Docroot, "wp-content/mu-plugins", "wp-content/plugins", "wp-content/uploads", "tmp"} {
		if !filepath.IsAbs(d) {
			d = filepath.Join(dir, d)
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return s, err
		}
	}
	_ = os.Chmod(dir, 0o755)
	port, err := FreePort()
	if err != nil {
		return s, err
	}
	s.Port = port
	s.URL = fmt.Sprintf("http://127.0.0.1:%d", port)

	cfg, err := s.wpConfig(opts)
	if err != nil {
		return s, err
	}
	files := map[string]string{
		s.ConfigPath:                          cfg,
		filepath.Join(s.Docroot, "index.php"): frontController,
		filepath.Join(dir, "php-fpm.conf"):    s.fpmConfig(opts),
		filepath.Join(dir, "nginx.conf"):      s.nginxConfig(opts),
	}
	for name, src := range opts.MuPlugins {
		files[filepath.Join(dir, "wp-content", "mu-plugins", filepath.Base(name))] = src
	}
	for name, content := range files {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			return s, err
		}
	}

	fpmArgs := []string{"--nodaemonize", "--fpm-config", filepath.Join(dir, "php-fpm.conf")}
	if os.Geteuid() == 0 {
		fpmArgs = append(fpmArgs, "--allow-to-run-as-root")
	}
	if err := s.run(fpmBinary(), fpmArgs...); err != nil {
		return s, err
	}
	if err := s.run("nginx", "-e", filepath.Join(dir, "nginx-error.log"), "-p", dir, "-c", filepath.Join(dir, "nginx.conf")); err != nil {
		return s, err
	}
	if err := s.waitReady(15 * time.Second); err != nil {
		return s, err
	}
	return s, nil
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Site) run(bin string, args ...string) error {
	cmd := exec.Command(bin, args...)
	logf, err := os.Create(filepath.Join(s.Dir, filepath.Base(bin)+".out"))
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start %s: %w", bin, err)
	}
	s.procs = append(s.procs, cmd)
	go func() { _ = cmd.Wait(); logf.Close() }()
	return nil
}

func (s *Site) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if fileExists(s.FPMSocket) {
			if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port), 200*time.Millisecond); err == nil {
				c.Close()
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("nginx/php-fpm did not come up on port %d within %s:\n%s", s.Port, limit, s.Logs())
}

// Logs returns the tails of the site's logs (for failure messages).
func (s *Site) Logs() string {
	var b strings.Builder
	for _, f := range []string{"nginx-error.log", "php-fpm.log", "php-errors.log", "nginx.out", filepath.Base(fpmBinary()) + ".out"} {
		data, err := os.ReadFile(filepath.Join(s.Dir, f))
		if err != nil || len(data) == 0 {
			continue
		}
		if len(data) > 4000 {
			data = data[len(data)-4000:]
		}
		fmt.Fprintf(&b, "--- %s\n%s\n", f, data)
	}
	return b.String()
}

func (s *Site) stop() {
	for i := len(s.procs) - 1; i >= 0; i-- {
		if p := s.procs[i].Process; p != nil {
			_ = p.Kill()
		}
	}
	time.Sleep(20 * time.Millisecond)
	_ = os.RemoveAll(s.Dir)
}

// frontController is the site's index.php: this site's wp-config.php loads WordPress from /usr/share/wordpress
// (our ABSPATH), then the request runs as in wp-blog-header.php, without a theme.
const frontController = `<?php
// wpsidecar test harness front controller (not WordPress code).
define( 'WP_USE_THEMES', false );
require __DIR__ . '/wp-config.php';
wp();
`

func phpQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// dbHost turns the test database's DSN into DB_HOST / DB_USER / DB_PASSWORD / DB_NAME.
func (s *Site) dbParams() (host, user, pass, name string, err error) {
	cfg, err := mysql.ParseDSN(s.DB.DSN)
	if err != nil {
		return "", "", "", "", err
	}
	switch cfg.Net {
	case "unix":
		host = "localhost:" + cfg.Addr
	case "tcp", "":
		host = cfg.Addr
	default:
		return "", "", "", "", fmt.Errorf("unsupported DSN network %q", cfg.Net)
	}
	return host, cfg.User, cfg.Passwd, cfg.DBName, nil
}

func (s *Site) wpConfig(opts Options) (string, error) {
	host, user, pass, name, err := s.dbParams()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("<?php\n// wp-config.php written by wpsidecar's test harness (wpcompat/wptest/phpsite).\n")
	def := func(k, v string) { fmt.Fprintf(&b, "define( %s, %s );\n", phpQuote(k), v) }
	def("DB_NAME", phpQuote(name))
	def("DB_USER", phpQuote(user))
	def("DB_PASSWORD", phpQuote(pass))
	def("DB_HOST", phpQuote(host))
	def("DB_CHARSET", phpQuote("utf8mb4"))
	def("DB_COLLATE", phpQuote(""))
	for _, k := range []string{"AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"} {
		if v, ok := s.Salts[k]; ok {
			def(k, phpQuote(v))
		}
	}
	fmt.Fprintf(&b, "$table_prefix = %s;\n", phpQuote(s.DB.Prefix))
	env := opts.EnvironmentType
	if env == "" {
		env = "local"
	}
	if env != "-" {
		def("WP_ENVIRONMENT_TYPE", phpQuote(env))
	}
	def("WP_CONTENT_DIR", phpQuote(filepath.Join(s.Dir, "wp-content")))
	def("DISABLE_WP_CRON", "true")
	def("AUTOMATIC_UPDATER_DISABLED", "true")
	def("WP_HTTP_BLOCK_EXTERNAL", "true")
	def("WP_DEBUG", "false")
	if opts.ExtraConfig != "" {
		b.WriteString(opts.ExtraConfig)
		b.WriteString("\n")
	}
	b.WriteString("if ( ! defined( 'ABSPATH' ) ) {\n\tdefine( 'ABSPATH', '" + WordPressDir + "/' );\n}\n")
	b.WriteString("require_once ABSPATH . 'wp-settings.php';\n")
	return b.String(), nil
}

func (s *Site) fpmConfig(opts Options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[global]\npid = %s\nerror_log = %s\ndaemonize = no\n\n[site]\n", filepath.Join(s.Dir, "php-fpm.pid"), filepath.Join(s.Dir, "php-fpm.log"))
	if os.Geteuid() == 0 {
		b.WriteString("user = root\ngroup = root\n")
	}
	fmt.Fprintf(&b, "listen = %s\nlisten.mode = 0666\npm = static\npm.max_children = %d\nclear_env = yes\ncatch_workers_output = yes\n", s.FPMSocket, opts.Workers)
	fmt.Fprintf(&b, "php_admin_value[error_log] = %s\nphp_admin_flag[log_errors] = on\nphp_admin_flag[display_errors] = off\n", filepath.Join(s.Dir, "php-errors.log"))
	b.WriteString("php_admin_value[sendmail_path] = /bin/true\n")
	return b.String()
}

func (s *Site) nginxConfig(opts Options) string {
	server := fmt.Sprintf(`
        listen 127.0.0.1:%d;
        server_name _;
        root %s;
        index index.php;
        location / {
            try_files $uri $uri/ /index.php?$args;
        }
        location ~ \.php$ {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
            fastcgi_pass unix:%s;
        }
`, s.Port, s.Docroot, s.FPMSocket)
	if opts.NginxServer != nil {
		server = opts.NginxServer(s)
	}
	userLine := "" // not root: nginx keeps the invoking user
	if os.Geteuid() == 0 {
		userLine = "user root root;"
	}
	tmp := filepath.Join(s.Dir, "tmp")
	httpExtra := ""
	if opts.NginxHTTP != nil {
		httpExtra = opts.NginxHTTP(s)
	}
	return fmt.Sprintf(`%s
worker_processes 1;
daemon off;
pid %s;
error_log %s warn;
events { worker_connections 1024; }
http {
    access_log %s;
    client_body_temp_path %s/body;
    fastcgi_temp_path %s/fastcgi;
    proxy_temp_path %s/proxy;
    uwsgi_temp_path %s/uwsgi;
    scgi_temp_path %s/scgi;
    default_type application/octet-stream;
%s
    server {%s    }
}
`, userLine, filepath.Join(s.Dir, "nginx.pid"), filepath.Join(s.Dir, "nginx-error.log"), filepath.Join(s.Dir, "nginx-access.log"),
		tmp, tmp, tmp, tmp, tmp, httpExtra, server)
}

// PHP runs PHP code with WordPress loaded (this site's wp-config.php) in the CLI and returns its standard output.
// The code runs after WordPress's init; echo json_encode(...) to return structured data.
func (s *Site) PHP(t testing.TB, code string) string {
	t.Helper()
	return s.PHPWith(t, "", code)
}

// PHPWith is PHP with pre code run before WordPress loads (e.g. define( 'WP_INSTALLING', true );).
func (s *Site) PHPWith(t testing.TB, pre, code string) string {
	t.Helper()
	out, err := s.runPHP(pre, code)
	if err != nil {
		t.Fatalf("phpsite: %v", err)
	}
	return out
}

func (s *Site) runPHP(pre, code string) (string, error) {
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	script := filepath.Join(s.Dir, "cli-"+hex.EncodeToString(rnd[:])+".php")
	src := fmt.Sprintf(`<?php
$_SERVER['HTTP_HOST'] = '127.0.0.1:%d';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['SERVER_PORT'] = '%d';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
%s
define( 'WP_USE_THEMES', false );
require %s;
%s
`, s.Port, s.Port, pre, phpQuote(s.ConfigPath), code)
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		return "", err
	}
	defer os.Remove(script)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "php", "-d", "sendmail_path=/bin/true", "-d", "display_errors=stderr",
		"-d", "error_reporting=E_ALL & ~E_DEPRECATED & ~E_NOTICE & ~E_WARNING", "-f", script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("php: %v\nstdout: %s\nstderr: %s\ncode:\n%s", err, stdout.String(), stderr.String(), code)
	}
	return stdout.String(), nil
}

// PHPJSON runs code that echoes json_encode(...) and decodes the output into v.
func (s *Site) PHPJSON(t testing.TB, code string, v any) {
	t.Helper()
	out := s.PHP(t, code)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("phpsite: decoding PHP output %q: %v", out, err)
	}
}

// Install makes the database a working WordPress 6.1 site: wp_install() (tables, options, roles, the admin
// account AdminLogin/AdminPassword) on a database without a site, home/siteurl set to s.URL, pretty permalinks;
// on a database that already holds a site only the missing core tables are created. Empty core tables loaded
// from sql/ without a seed are dropped first, so the site gets WordPress 6.1's own schema and data.
func (s *Site) Install(t testing.TB) {
	t.Helper()
	s.dropEmptySchema(t)
	out := s.PHPWith(t, "define( 'WP_INSTALLING', true );", fmt.Sprintf(`
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
if ( is_blog_installed() ) {
	make_db_current_silent();
	echo 'existing';
	return;
}
$r = wp_install( 'phpsite', %s, %s, true, '', %s );
update_option( 'siteurl', %s );
update_option( 'home', %s );
echo 'installed:' . $r['user_id'];
`, phpQuote(AdminLogin), phpQuote(AdminEmail), phpQuote(AdminPassword), phpQuote(s.URL), phpQuote(s.URL)))
	if strings.HasPrefix(out, "installed:") {
		s.PHP(t, `global $wp_rewrite; $wp_rewrite->set_permalink_structure( '/%postname%/' ); flush_rewrite_rules( false ); echo 'ok';`)
	} else if !strings.HasPrefix(out, "existing") {
		t.Fatalf("phpsite: install: unexpected output %q", out)
	}
}

// coreTables are WordPress 6.1's single-site tables (wpdb::$tables, $global_tables).
var coreTables = []string{"posts", "comments", "links", "options", "postmeta", "terms", "term_taxonomy",
	"term_relationships", "termmeta", "commentmeta", "users", "usermeta"}

// dropEmptySchema drops the core tables when they hold no site (no siteurl option, no users): WordPress refuses to
// install over existing tables (is_blog_installed → dead_db).
func (s *Site) dropEmptySchema(t testing.TB) {
	t.Helper()
	var siteurl, users int
	_ = s.DB.DB.QueryRow("SELECT COUNT(*) FROM " + s.DB.Table("options") + " WHERE option_name = 'siteurl'").Scan(&siteurl)
	if err := s.DB.DB.QueryRow("SELECT COUNT(*) FROM " + s.DB.Table("users")).Scan(&users); err != nil || siteurl > 0 || users > 0 {
		return
	}
	for _, tbl := range coreTables {
		s.DB.Exec(t, "DROP TABLE IF EXISTS `"+s.DB.Table(tbl)+"`")
	}
}

// CreateUser inserts a user with wp_insert_user (WordPress 6.1 hashes the password with phpass $P$) and returns
// its ID.
func (s *Site) CreateUser(t testing.TB, login, email, password, role string) int64 {
	t.Helper()
	var id int64
	s.PHPJSON(t, fmt.Sprintf(`$id = wp_insert_user( array( 'user_login' => %s, 'user_email' => %s, 'user_pass' => %s, 'role' => %s ) );
if ( is_wp_error( $id ) ) { fwrite( STDERR, $id->get_error_message() ); exit( 1 ); }
echo json_encode( $id );`, phpQuote(login), phpQuote(email), phpQuote(password), phpQuote(role)), &id)
	return id
}

// SetPassword is wp_set_password (6.1: a phpass $P$ hash; it also ends the user's sessions' cookies' validity
// through pass_frag).
func (s *Site) SetPassword(t testing.TB, userID int64, password string) {
	t.Helper()
	s.PHP(t, fmt.Sprintf(`wp_set_password( %s, %d );`, phpQuote(password), userID))
}

// UpdateOption is update_option(name, value) with value given as a PHP expression (e.g. `'1'`, `array( 'a' )`).
func (s *Site) UpdateOption(t testing.TB, name, phpValue string) {
	t.Helper()
	s.PHP(t, fmt.Sprintf(`update_option( %s, %s );`, phpQuote(name), phpValue))
}

// AppPassword is an Application Password created by WordPress.
type AppPassword struct {
	Password string `json:"password"` // plain, 24 characters
	UUID     string `json:"uuid"`
}

// CreateAppPassword is WP_Application_Passwords::create_new_application_password (sets
// using_application_passwords on first use).
func (s *Site) CreateAppPassword(t testing.TB, userID int64, name string) AppPassword {
	t.Helper()
	var ap AppPassword
	s.PHPJSON(t, fmt.Sprintf(`$r = WP_Application_Passwords::create_new_application_password( %d, array( 'name' => %s ) );
if ( is_wp_error( $r ) ) { fwrite( STDERR, $r->get_error_message() ); exit( 1 ); }
echo json_encode( array( 'password' => $r[0], 'uuid' => $r[1]['uuid'] ) );`, userID, phpQuote(name)), &ap)
	return ap
}

// Cookie is an auth cookie made by WordPress (name and URL-encoded value as a browser would send them).
type Cookie struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Token  string `json:"token"`
	Scheme string `json:"scheme"`
}

// Header is the Cookie header line for c.
func (c Cookie) Header() string { return c.Name + "=" + c.Value }

// AuthCookie makes a session (WP_Session_Tokens::create) and wp_generate_auth_cookie for it; scheme is
// logged_in, auth or secure_auth; expiration is a unix time (0: now + 2 days).
func (s *Site) AuthCookie(t testing.TB, userID int64, scheme string, expiration int64) Cookie {
	t.Helper()
	var c Cookie
	exp := "time() + 2 * DAY_IN_SECONDS"
	if expiration != 0 {
		exp = fmt.Sprintf("%d", expiration)
	}
	s.PHPJSON(t, fmt.Sprintf(`$exp = %s;
$manager = WP_Session_Tokens::get_instance( %d );
$token = $manager->create( $exp );
$scheme = %s;
$names = array( 'logged_in' => LOGGED_IN_COOKIE, 'auth' => AUTH_COOKIE, 'secure_auth' => SECURE_AUTH_COOKIE );
$value = wp_generate_auth_cookie( %d, $exp, $scheme, $token );
echo json_encode( array( 'name' => $names[ $scheme ], 'value' => rawurlencode( $value ), 'token' => $token, 'scheme' => $scheme ) );`,
		exp, userID, phpQuote(scheme), userID), &c)
	return c
}

// Nonce is wp_create_nonce(action) for a user as WordPress computes it during a request carrying the logged-in
// cookie c (its session token enters the nonce); userID 0 with an empty cookie is the logged-out nonce.
func (s *Site) Nonce(t testing.TB, userID int64, c Cookie, action string) string {
	t.Helper()
	var n string
	s.PHPJSON(t, fmt.Sprintf(`if ( %s !== '' ) { $_COOKIE[ LOGGED_IN_COOKIE ] = rawurldecode( %s ); }
wp_set_current_user( %d );
echo json_encode( wp_create_nonce( %s ) );`, phpQuote(c.Value), phpQuote(c.Value), userID, phpQuote(action)), &n)
	return n
}

// Response is an answer from the site.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends a request to WordPress (path with query, e.g. "/wp-json/wp/v2/users/me").
func (s *Site) Do(t testing.TB, method, path string, header http.Header, body string) Response {
	t.Helper()
	resp, err := s.do(method, path, header, body)
	if err != nil {
		t.Fatalf("phpsite: %s %s: %v\n%s", method, path, err, s.Logs())
	}
	return resp
}

var client = &http.Client{
	Timeout:       60 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func (s *Site) do(method, path string, header http.Header, body string) (Response, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		return Response{}, err
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return Response{}, err
	}
	if resp.StatusCode >= 500 {
		return Response{resp.StatusCode, resp.Header, b}, errors.New("server error " + resp.Status + ": " + string(b))
	}
	return Response{resp.StatusCode, resp.Header, b}, nil
}
