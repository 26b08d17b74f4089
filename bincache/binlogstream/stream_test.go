package binlogstream

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/bincache"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// binlogDB is a fresh WordPress database on a server with the binlog on in ROW format. Without it the test skips,
// unless WPSIDECAR_REQUIRE_BINLOG is set (make test), where it fails.
func binlogDB(t *testing.T) *wptest.DB {
	t.Helper()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpb_", Schemas: []string{"wordpress", "wpsidecar"}})
	var logBin, format string
	if err := db.DB.QueryRow("SELECT @@log_bin, @@binlog_format").Scan(&logBin, &format); err != nil {
		t.Fatal(err)
	}
	if logBin != "1" || format != "ROW" {
		msg := "the test server's binlog is off or not ROW (log_bin=" + logBin + ", binlog_format=" + format + "): restart it with .ci/devdb.sh"
		if os.Getenv("WPSIDECAR_REQUIRE_BINLOG") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return db
}

// testServerID is a server_id of this test's own: the binlog is server-wide and test packages run in parallel.
func testServerID() uint32 { return 100000 + rand.Uint32N(1<<30) }

func startStream(t *testing.T, db *wptest.DB, c *bincache.Cache) *Stream {
	t.Helper()
	s, err := NewStream(c, StreamConfig{DSN: db.DSN, ServerID: testServerID(), Heartbeat: 100 * time.Millisecond,
		Log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		ProbeTable: "wpb_wpsidecar_meta",
		Watch:      []Watch{{Table: "wpb_users", Column: -1}, {Table: "wpb_usermeta", Column: 1}, {Table: "wpb_options", Column: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "stream healthy", c.Healthy)
	return s
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// position is the server's binlog position now (after a write has committed).
func position(t *testing.T, db *sql.DB) Position {
	t.Helper()
	var file string
	var pos uint64
	var a, b, c sql.NullString
	if err := db.QueryRow("SHOW MASTER STATUS").Scan(&file, &pos, &a, &b); err != nil {
		if err := db.QueryRow("SHOW MASTER STATUS").Scan(&file, &pos, &a, &b, &c); err != nil {
			t.Fatal(err)
		}
	}
	return Position{File: file, Pos: pos}
}

func applied(t *testing.T, s *Stream, db *sql.DB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.WaitApplied(ctx, position(t, db)); err != nil {
		t.Fatalf("stream did not apply up to %v (at %v): %v", position(t, db), s.Applied(), err)
	}
}

func put(t *testing.T, c *bincache.Cache, key string, deps ...bincache.Dep) {
	t.Helper()
	if !c.Put(c.Begin(), key, key, 10, deps...) {
		t.Fatalf("Put %s refused", key)
	}
}

func has(c *bincache.Cache, key string) bool { _, ok := c.Get(key); return ok }

// Once the binlog event carrying another connection's change has been applied, the entries depending on the changed
// row are gone (the next read goes to MySQL and sees the change); entries on other rows stay. Rotation (FLUSH BINARY
// LOGS) does not interrupt that.
func TestChangesByAnotherConnectionInvalidate(t *testing.T) {
	t.Parallel()
	db := binlogDB(t)
	c := bincache.New(1<<20, 10*time.Second) // generous: the order is proven by applied(), not by time
	c.Settle = 0                             // the tests re-fill right after an invalidation on purpose
	s := startStream(t, db, c)

	put(t, c, "user:1", bincache.Dep{Table: "wpb_usermeta", Row: "1"}, bincache.Dep{Table: "wpb_users", Row: ""})
	put(t, c, "user:2", bincache.Dep{Table: "wpb_usermeta", Row: "2"}, bincache.Dep{Table: "wpb_users", Row: ""})
	put(t, c, "option:siteurl", bincache.Dep{Table: "wpb_options", Row: "siteurl"})
	db.Exec(t, "INSERT INTO {prefix}usermeta (user_id, meta_key, meta_value) VALUES (1, 'session_tokens', 'x')")
	applied(t, s, db.DB)
	if has(c, "user:1") || !has(c, "user:2") || !has(c, "option:siteurl") {
		t.Fatalf("after a usermeta insert for user 1: user:1 %v user:2 %v option %v", has(c, "user:1"), has(c, "user:2"), has(c, "option:siteurl"))
	}
	// Update and delete are seen through both row images.
	put(t, c, "user:1", bincache.Dep{Table: "wpb_usermeta", Row: "1"})
	db.Exec(t, "UPDATE {prefix}usermeta SET user_id = 3 WHERE user_id = 1")
	applied(t, s, db.DB)
	if has(c, "user:1") {
		t.Fatal("a usermeta row moved away from user 1 left user:1 cached")
	}
	db.Exec(t, "INSERT INTO {prefix}options (option_name, option_value, autoload) VALUES ('siteurl', 'http://x', 'on') ON DUPLICATE KEY UPDATE option_value = 'http://y'")
	applied(t, s, db.DB)
	if has(c, "option:siteurl") || !has(c, "user:2") {
		t.Fatal("an options write did not invalidate exactly its option")
	}
	// Any change to users invalidates every entry that depends on the table (logins and e-mails can move).
	db.Exec(t, "INSERT INTO {prefix}users (user_login, user_pass, user_nicename, user_email, user_url, user_registered, display_name) VALUES ('new', '', 'new', 'n@example.com', '', NOW(), 'new')")
	applied(t, s, db.DB)
	if has(c, "user:2") {
		t.Fatal("a users insert left user:2 cached")
	}

	// Rotation: the stream follows into the next file.
	put(t, c, "user:5", bincache.Dep{Table: "wpb_usermeta", Row: "5"})
	if _, err := db.DB.Exec("FLUSH BINARY LOGS"); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, "DELETE FROM {prefix}usermeta WHERE user_id = 5 OR meta_key = 'nothing'")
	db.Exec(t, "INSERT INTO {prefix}usermeta (user_id, meta_key, meta_value) VALUES (5, 'k', 'v')")
	applied(t, s, db.DB)
	if has(c, "user:5") || !c.Healthy() {
		t.Fatalf("after rotation: user:5 cached %v, healthy %v, %+v, lag %v", has(c, "user:5"), c.Healthy(), c.Stats(), c.Lag())
	}
	// Idle: heartbeats keep it healthy (and agree with the stream's position).
	time.Sleep(500 * time.Millisecond)
	if st := c.Stats(); st.Drops != 0 || !st.Healthy {
		t.Fatalf("idle stream: %+v", st)
	}
}

// Killing the stream's connection drops the cache and bypasses it until the stream is back; it then fills again.
func TestStreamLossDropsAndBypasses(t *testing.T) {
	t.Parallel()
	db := binlogDB(t)
	c := bincache.New(1<<20, 10*time.Second) // generous: the order is proven by applied(), not by time
	c.Settle = 0                             // the tests re-fill right after an invalidation on purpose
	s := startStream(t, db, c)
	put(t, c, "user:1", bincache.Dep{Table: "wpb_usermeta", Row: "1"})
	id := s.ConnectionID()
	if _, err := db.DB.Exec("KILL CONNECTION ?", id); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "cache dropped after KILL", func() bool { return c.Stats().Drops > 0 })
	if has(c, "user:1") {
		t.Fatal("an entry survived the loss of the stream")
	}
	waitFor(t, "stream back", func() bool { return c.Healthy() && s.ConnectionID() != id })
	put(t, c, "user:1", bincache.Dep{Table: "wpb_usermeta", Row: "1"})
	db.Exec(t, "UPDATE {prefix}usermeta SET meta_value = 'y' WHERE user_id = 1")
	db.Exec(t, "INSERT INTO {prefix}usermeta (user_id, meta_key, meta_value) VALUES (1, 'k2', 'v')")
	applied(t, s, db.DB)
	if has(c, "user:1") {
		t.Fatal("the reconnected stream did not invalidate")
	}
}

// privateServer starts a MariaDB of the test's own (RESET MASTER is server-wide: it must not run on the shared
// server) with the binlog on, and returns its DSN. Skips when mariadbd is not installed.
func privateServer(t *testing.T) string {
	t.Helper()
	install, err1 := exec.LookPath("mariadb-install-db")
	server, err2 := exec.LookPath("mariadbd")
	if err1 != nil || err2 != nil {
		if os.Getenv("WPSIDECAR_REQUIRE_BINLOG") != "" {
			t.Fatal("mariadbd not installed")
		}
		t.Skip("mariadbd not installed")
	}
	dir, err := os.MkdirTemp("", "bincache-reset")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "mysqld.sock")
	if out, err := exec.Command(install, "--no-defaults", "--user=root", "--datadir="+data, "--auth-root-authentication-method=normal",
		"--skip-test-db").CombinedOutput(); err != nil {
		t.Fatalf("mariadb-install-db: %v\n%s", err, out)
	}
	cmd := exec.Command(server, "--no-defaults", "--user=root", "--datadir="+data, "--socket="+sock, "--skip-networking",
		"--log-error="+filepath.Join(dir, "err.log"), "--pid-file="+filepath.Join(dir, "pid"),
		"--log-bin=private-bin", "--binlog-format=ROW", "--server-id=7", "--innodb-buffer-pool-size=16M")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	dsn := "root@unix(" + sock + ")/"
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for deadline := time.Now().Add(30 * time.Second); db.Ping() != nil; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "err.log"))
			t.Fatalf("private mariadbd did not start:\n%s", log)
		}
	}
	if _, err := db.Exec("CREATE DATABASE t"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE t.wpb_wpsidecar_meta (meta_key varchar(191) NOT NULL PRIMARY KEY, meta_value text NOT NULL, updated_at datetime NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE t.wpb_usermeta (umeta_id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id bigint unsigned NOT NULL DEFAULT 0, meta_key varchar(255), meta_value longtext)"); err != nil {
		t.Fatal(err)
	}
	return dsn + "t"
}

// RESET MASTER under a running stream (binlog files deleted, numbering restarted): the stream notices, the cache is
// dropped and bypassed, and once the stream is back on the new binlog, changes invalidate again.
func TestResetMasterDropsAndRecovers(t *testing.T) {
	t.Parallel()
	dsn := privateServer(t)
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := bincache.New(1<<20, 2*time.Second)
	c.Settle = 0
	s, err := NewStream(c, StreamConfig{DSN: dsn, ServerID: testServerID(), Heartbeat: 100 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Watch: []Watch{{Table: "wpb_usermeta", Column: 1}},
		ProbeTable: "wpb_wpsidecar_meta"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "stream healthy", c.Healthy)
	for i := 0; i < 3; i++ {
		if _, err := db.Exec("INSERT INTO wpb_usermeta (user_id, meta_key, meta_value) VALUES (9, 'k', 'v')"); err != nil {
			t.Fatal(err)
		}
	}
	applied(t, s, db)
	put(t, c, "user:1", bincache.Dep{Table: "wpb_usermeta", Row: "1"})
	if _, err := db.Exec("RESET MASTER"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "cache dropped after RESET MASTER", func() bool { return c.Stats().Drops > 0 })
	if has(c, "user:1") {
		t.Fatal("an entry survived RESET MASTER")
	}
	waitFor(t, "stream back", c.Healthy)
	put(t, c, "user:1", bincache.Dep{Table: "wpb_usermeta", Row: "1"})
	if _, err := db.Exec("INSERT INTO wpb_usermeta (user_id, meta_key, meta_value) VALUES (1, 'k', 'v')"); err != nil {
		t.Fatal(err)
	}
	applied(t, s, db)
	if has(c, "user:1") {
		t.Fatal("after RESET MASTER the stream no longer invalidates")
	}
}
