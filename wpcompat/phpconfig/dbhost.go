package phpconfig

import (
	"errors"
	"fmt"
	"math"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// DefaultDBSocket is the Unix socket used for DB_HOST "localhost" (or empty) without an explicit
// socket, like mysqli's compiled default on Debian/Ubuntu (spec §1.2). Callers may override it.
const DefaultDBSocket = "/run/mysqld/mysqld.sock"

// ParseDBHost reproduces wpdb::parse_db_host() (wp-includes/class-wpdb.php, WordPress 7.1):
// the socket is everything after the ':' of the first ":/"; a remainder with more than one ':'
// is IPv6 (a port only in the "[addr]:port" form); otherwise HOST[:DIGITS] where a non-numeric
// port is ignored. port 0 means "none" (PHP null). When the PHP regex does not match, wpdb keeps
// the raw string as host, and so does this.
func ParseDBHost(s string) (host string, port int, socket string, ipv6 bool) {
	rest := s
	if i := strings.Index(rest, ":/"); i >= 0 {
		socket = rest[i+1:]
		rest = rest[:i]
	}
	var digits string
	if strings.Count(rest, ":") > 1 {
		// #^(?:\[)?(?P<host>[0-9a-fA-F:]+)(?:\]:(?P<port>[\d]+))?#
		ipv6 = true
		r := strings.TrimPrefix(rest, "[")
		n := 0
		for n < len(r) && (isHexDigit(r[n]) || r[n] == ':') {
			n++
		}
		if n == 0 {
			return s, 0, "", false // preg_match failed: parse_db_host returns false
		}
		host = r[:n]
		if strings.HasPrefix(r[n:], "]:") {
			digits = leadingDigits(r[n+2:])
		}
	} else {
		// #^(?P<host>[^:/]*)(?::(?P<port>[\d]+))?#
		n := strings.IndexAny(rest, ":/")
		if n < 0 {
			n = len(rest)
		}
		host = rest[:n]
		if strings.HasPrefix(rest[n:], ":") {
			digits = leadingDigits(rest[n+1:])
		}
	}
	if host == "0" { // ! empty( $matches['host'] )
		host = ""
	}
	if digits != "" && digits != "0" { // ! empty( $matches['port'] ) ? absint(...) : null
		port = phpDigitsToInt(digits)
	}
	return host, port, socket, ipv6
}

func isHexDigit(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func leadingDigits(s string) string {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return s[:n]
}

// phpDigitsToInt is absint() of a digit string: saturates at PHP_INT_MAX like intval().
func phpDigitsToInt(d string) int {
	n, err := strconv.ParseInt(d, 10, 64)
	if err != nil || n > math.MaxInt {
		return math.MaxInt
	}
	return int(n)
}

// DBCharset is the connection charset WordPress would use: DB_CHARSET with "utf8" upgraded to
// "utf8mb4" (wpdb::determine_charset). An empty or undefined DB_CHARSET leaves the server default
// in WordPress; wpsidecar uses utf8mb4 then.
func (c *Config) DBCharset() string {
	cs, _ := c.String("DB_CHARSET")
	if cs == "" || cs == "utf8" {
		return "utf8mb4"
	}
	return cs
}

// MySQLConfig builds a go-sql-driver configuration from DB_NAME, DB_USER, DB_PASSWORD, DB_HOST and
// DB_CHARSET. DB_HOST "localhost" or empty means a Unix socket, as with mysqli: the socket given in
// DB_HOST, else defaultSocket (DefaultDBSocket when empty); any other host is TCP (default port
// 3306), and a socket given with it is ignored. parseTime stays off (WordPress datetimes are naive
// strings) and times are UTC.
func (c *Config) MySQLConfig(defaultSocket string) (*mysql.Config, error) {
	if c == nil {
		return nil, errors.New("no wp-config.php: give --dsn or --wp-config")
	}
	var missing []string
	for _, k := range []string{"DB_NAME", "DB_USER", "DB_PASSWORD", "DB_HOST"} {
		if !c.Defined(k) {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s does not define %s (or give --dsn)", c.Path, strings.Join(missing, ", "))
	}
	dbName, _ := c.String("DB_NAME")
	if dbName == "" {
		v, _ := c.Value("DB_NAME")
		return nil, fmt.Errorf("%s:%d: DB_NAME is empty%s", c.Path, v.Line, describeSource(v))
	}
	user, _ := c.String("DB_USER")
	pass, _ := c.String("DB_PASSWORD")
	dbHost, _ := c.String("DB_HOST")
	host, port, socket, _ := ParseDBHost(dbHost)

	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.DBName = user, pass, dbName
	if host == "" || strings.EqualFold(host, "localhost") {
		cfg.Net = "unix"
		switch {
		case socket != "":
			cfg.Addr = socket
		case defaultSocket != "":
			cfg.Addr = defaultSocket
		default:
			cfg.Addr = DefaultDBSocket
		}
	} else {
		if port == 0 {
			port = 3306
		}
		cfg.Net = "tcp"
		cfg.Addr = net.JoinHostPort(host, strconv.Itoa(port)) // brackets IPv6 hosts
	}
	if err := cfg.Apply(mysql.Charset(c.DBCharset(), "")); err != nil {
		return nil, err
	}
	cfg.ParseTime = false
	cfg.Loc = time.UTC
	return cfg, nil
}

// DSN is MySQLConfig as a go-sql-driver DSN. go-sql-driver does not escape user or password
// (it splits at the last '@' and the first ':'), so the DSN is parsed back and compared; a
// DB_USER with ':' cannot be expressed and is an error (use MySQLConfig with mysql.NewConnector).
func (c *Config) DSN(defaultSocket string) (string, error) {
	cfg, err := c.MySQLConfig(defaultSocket)
	if err != nil {
		return "", err
	}
	dsn := cfg.FormatDSN()
	back, err := mysql.ParseDSN(dsn)
	if err != nil || back.User != cfg.User || back.Passwd != cfg.Passwd || back.Net != cfg.Net ||
		back.Addr != cfg.Addr || back.DBName != cfg.DBName {
		return "", errors.New("DB_USER, DB_PASSWORD or DB_HOST contain characters a go-sql-driver DSN cannot carry; connect with MySQLConfig instead")
	}
	return dsn, nil
}

func describeSource(v ConfigValue) string {
	switch v.Prov {
	case ProvEnv:
		return " (from environment variable " + v.Source + ")"
	case ProvDefault:
		return " (" + v.Source + " is not set; default used)"
	case ProvFile:
		return " (from file " + v.Source + ")"
	}
	return ""
}
