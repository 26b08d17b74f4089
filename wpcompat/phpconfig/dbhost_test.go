package phpconfig

import (
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
)

// Every row of spec wordpress-auth-and-rest.md §1.2 (observed wpdb::parse_db_host results), plus
// edge cases derived from the two regexes in wp-includes/class-wpdb.php.
func TestParseDBHost(t *testing.T) {
	tests := []struct {
		in     string
		host   string
		port   int
		socket string
		ipv6   bool
	}{
		// spec §1.2 table
		{"localhost", "localhost", 0, "", false},
		{"127.0.0.1", "127.0.0.1", 0, "", false},
		{"db.example.com:3307", "db.example.com", 3307, "", false},
		{"localhost:3307", "localhost", 3307, "", false},
		{"localhost:/var/run/mysqld/mysqld.sock", "localhost", 0, "/var/run/mysqld/mysqld.sock", false},
		{"127.0.0.1:3306:/tmp/x.sock", "127.0.0.1", 3306, "/tmp/x.sock", false},
		{":/tmp/mysql.sock", "", 0, "/tmp/mysql.sock", false},
		{"[::1]:3306", "::1", 3306, "", true},
		{"::1", "::1", 0, "", true},
		{"2001:db8::1:3306", "2001:db8::1:3306", 0, "", true},
		{"db:abc", "db", 0, "", false},
		{"p:localhost", "p", 0, "", false},
		// edge cases of the same regexes
		{"", "", 0, "", false},
		{"db:0", "db", 0, "", false},  // empty("0") → null
		{"db:00", "db", 0, "", false}, // absint("00") = 0
		{"0", "", 0, "", false},       // empty("0") host
		{"db:3307abc", "db", 3307, "", false},
		{"db/x:3307", "db", 0, "", false}, // host stops at '/'
		{"[::1]", "::1", 0, "", true},
		{"[::1]:abc", "::1", 0, "", true},
		{"[fe80::1%eth0]:3306", "fe80::1", 0, "", true},
		{"x::y", "x::y", 0, "", false}, // regex fails: wpdb keeps the raw host
		{"db:99999999999999999999", "db", int(^uint(0) >> 1), "", false},
		{"localhost:/a:/b", "localhost", 0, "/a:/b", false},
		{"[::1]:3306:/run/s.sock", "::1", 3306, "/run/s.sock", true},
	}
	for _, tt := range tests {
		host, port, socket, ipv6 := ParseDBHost(tt.in)
		if host != tt.host || port != tt.port || socket != tt.socket || ipv6 != tt.ipv6 {
			t.Errorf("ParseDBHost(%q) = %q, %d, %q, %v; want %q, %d, %q, %v",
				tt.in, host, port, socket, ipv6, tt.host, tt.port, tt.socket, tt.ipv6)
		}
	}
}

func dbConfig(host, charset string) *Config {
	c := &Config{Path: "wp-config.php", Consts: map[string]ConfigValue{
		"DB_NAME": {V: "wp"}, "DB_USER": {V: "user"}, "DB_PASSWORD": {V: "pw"}, "DB_HOST": {V: host},
	}}
	if charset != "" {
		c.Consts["DB_CHARSET"] = ConfigValue{V: charset}
	}
	return c
}

// mysqli semantics (spec §1.2): localhost/empty host is a Unix socket, port ignored; any other
// host is TCP on 3306 by default and a socket given with it is ignored.
func TestConfigDSNHostForms(t *testing.T) {
	tests := []struct {
		host, defaultSocket, want string
	}{
		{"localhost", "", "user:pw@unix(/run/mysqld/mysqld.sock)/wp?charset=utf8mb4"},
		{"localhost", "/tmp/mysql.sock", "user:pw@unix(/tmp/mysql.sock)/wp?charset=utf8mb4"},
		{"LocalHost:3307", "", "user:pw@unix(/run/mysqld/mysqld.sock)/wp?charset=utf8mb4"},
		{"", "", "user:pw@unix(/run/mysqld/mysqld.sock)/wp?charset=utf8mb4"},
		{"localhost:/var/run/mysqld/mysqld.sock", "/ignored", "user:pw@unix(/var/run/mysqld/mysqld.sock)/wp?charset=utf8mb4"},
		{":/tmp/mysql.sock", "", "user:pw@unix(/tmp/mysql.sock)/wp?charset=utf8mb4"},
		{"127.0.0.1", "", "user:pw@tcp(127.0.0.1:3306)/wp?charset=utf8mb4"},
		{"db.example.com:3307", "", "user:pw@tcp(db.example.com:3307)/wp?charset=utf8mb4"},
		{"127.0.0.1:3306:/tmp/x.sock", "", "user:pw@tcp(127.0.0.1:3306)/wp?charset=utf8mb4"},
		{"[::1]:3306", "", "user:pw@tcp([::1]:3306)/wp?charset=utf8mb4"},
		{"::1", "", "user:pw@tcp([::1]:3306)/wp?charset=utf8mb4"},
		{"2001:db8::1:3306", "", "user:pw@tcp([2001:db8::1:3306]:3306)/wp?charset=utf8mb4"},
		{"db:abc", "", "user:pw@tcp(db:3306)/wp?charset=utf8mb4"},
		{"p:localhost", "", "user:pw@tcp(p:3306)/wp?charset=utf8mb4"},
	}
	for _, tt := range tests {
		got, err := dbConfig(tt.host, "").DSN(tt.defaultSocket)
		if err != nil || got != tt.want {
			t.Errorf("DB_HOST %q: DSN = %q, %v; want %q", tt.host, got, err, tt.want)
		}
	}
}

func TestConfigDSNParams(t *testing.T) {
	for charset, want := range map[string]string{"": "utf8mb4", "utf8": "utf8mb4", "utf8mb4": "utf8mb4", "latin1": "latin1"} {
		cfg, err := dbConfig("db", charset).MySQLConfig("")
		if err != nil {
			t.Fatal(err)
		}
		dsn := cfg.FormatDSN()
		back, err := mysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(dsn, "charset="+want) || back.ParseTime || back.Loc.String() != "UTC" {
			t.Errorf("DB_CHARSET %q: %q parseTime=%v loc=%v", charset, dsn, back.ParseTime, back.Loc)
		}
	}
}

func TestConfigDSNEscaping(t *testing.T) {
	for _, pw := range []string{"p@ss:w/rd", "a)b(c", "x?y&z=1#f", "@@@", "with space", `back\slash'quote"`, "%41/"} {
		c := dbConfig("db:3307", "")
		c.Consts["DB_PASSWORD"] = ConfigValue{V: pw}
		c.Consts["DB_USER"] = ConfigValue{V: "us@er"}
		c.Consts["DB_NAME"] = ConfigValue{V: "we?ird/db"}
		dsn, err := c.DSN("")
		if err != nil {
			t.Fatalf("password %q: %v", pw, err)
		}
		back, err := mysql.ParseDSN(dsn)
		if err != nil || back.Passwd != pw || back.User != "us@er" || back.DBName != "we?ird/db" || back.Addr != "db:3307" {
			t.Errorf("password %q: DSN %q parses back to %+v, %v", pw, dsn, back, err)
		}
	}
	c := dbConfig("db", "")
	c.Consts["DB_USER"] = ConfigValue{V: "user:name"}
	if _, err := c.DSN(""); err == nil {
		t.Error("a user with ':' cannot be carried in a DSN; want error")
	}
	if cfg, err := c.MySQLConfig(""); err != nil || cfg.User != "user:name" {
		t.Errorf("MySQLConfig: %v", err)
	}
}

func TestConfigDSNErrors(t *testing.T) {
	c := dbConfig("db", "")
	delete(c.Consts, "DB_HOST")
	delete(c.Consts, "DB_PASSWORD")
	if _, err := c.DSN(""); err == nil || !strings.Contains(err.Error(), "does not define DB_PASSWORD, DB_HOST") {
		t.Errorf("err = %v", err)
	}
	c = dbConfig("db", "")
	c.Consts["DB_NAME"] = ConfigValue{V: nil, Prov: ProvEnv, Source: "DB_NAME", Line: 7}
	if _, err := c.DSN(""); err == nil || !strings.Contains(err.Error(), "wp-config.php:7: DB_NAME is empty (from environment variable DB_NAME)") {
		t.Errorf("err = %v", err)
	}
}

func FuzzParseDBHost(f *testing.F) {
	for _, s := range []string{"localhost", "[::1]:3306", "127.0.0.1:3306:/tmp/x.sock", ":/s", "2001:db8::1:3306", "db:abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		host, port, socket, _ := ParseDBHost(s)
		if port < 0 {
			t.Fatalf("negative port %d", port)
		}
		if socket != "" && !strings.Contains(s, ":"+socket) {
			t.Fatalf("socket %q not from %q", socket, s)
		}
		if !strings.Contains(s, host) {
			t.Fatalf("host %q not from %q", host, s)
		}
		c := dbConfig(s, "")
		_, _ = c.DSN("")
	})
}
