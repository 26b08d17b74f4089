package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Demo users' Application Passwords (testdata/seed/00_wordpress.sql, README "Demo credentials"); the FluentCart
// store dump keeps the same users.
var appPasswords = map[string]string{
	"admin": "AdmN 1234 AbCd 5678 EfGh 9012", "editor": "EdiT 1234 AbCd 5678 EfGh 9012",
	"subscriber": "SubS 1234 AbCd 5678 EfGh 9012", "oldadmin": "OldA 1234 AbCd 5678 EfGh 9012",
	"fcmanager": "MgrS 1234 AbCd 5678 EfGh 9012", "fcworker": "WrkS 1234 AbCd 5678 EfGh 9012",
	"fcaccountant": "AccT 1234 AbCd 5678 EfGh 9012",
}

// ref is the PHP reference site: its base URL and its database.
type ref struct {
	base   *url.URL
	dsn    string // go-sql-driver DSN of the reference's database
	prefix string
	db     *sql.DB
}

func openRef(baseURL, dsn, prefix string) (*ref, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("reference URL %q: want http://host:port", baseURL)
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if cfg.DBName == "" {
		return nil, fmt.Errorf("DSN %q names no database", dsn)
	}
	cfg.MultiStatements = true
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(2)
	if err := db.Ping(); err != nil {
		return nil, err
	}
	return &ref{base: u, dsn: dsn, prefix: prefix, db: db}, nil
}

// dropPrefixed drops every table of the reference database that carries the prefix (the recorder owns them).
func (r *ref) dropPrefixed(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ?",
		strings.ReplaceAll(strings.ReplaceAll(r.prefix, `\`, `\\`), "_", `\_`)+"%")
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		names = append(names, "`"+strings.ReplaceAll(n, "`", "``")+"`")
	}
	rows.Close()
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	_, err = r.db.ExecContext(ctx, "SET FOREIGN_KEY_CHECKS = 0; DROP TABLE IF EXISTS "+strings.Join(names, ", ")+"; SET FOREIGN_KEY_CHECKS = 1")
	return err
}

// exec runs statements with {prefix} replaced.
func (r *ref) exec(ctx context.Context, q string) error {
	_, err := r.db.ExecContext(ctx, strings.ReplaceAll(q, "{prefix}", r.prefix))
	return err
}

// strings1 returns the first column of a query as strings.
func (r *ref) strings1(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := r.db.QueryContext(ctx, strings.ReplaceAll(q, "{prefix}", r.prefix), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s.String)
	}
	return out, rows.Err()
}

// uuids lists the customer uuids present now (to find the ones a request creates).
func (r *ref) uuids(ctx context.Context) (map[string]bool, error) {
	list, err := r.strings1(ctx, "SELECT uuid FROM {prefix}fct_customers WHERE uuid IS NOT NULL")
	if err != nil {
		return nil, err
	}
	m := make(map[string]bool, len(list))
	for _, u := range list {
		m[u] = true
	}
	return m, nil
}

// request is one HTTP request as sent on the wire.
type request struct {
	Method      string            // on the wire
	Target      string            // path?query
	User        string            // Application Password login ("" = anonymous)
	ContentType string            // "" = none
	Headers     map[string]string // extra request headers (X-HTTP-Method-Override)
	Body        string
}

// answer is PHP's answer: the raw head (status line and header lines as received), parsed headers, decoded body.
type answer struct {
	Status  int
	Head    string
	Header  http.Header
	Body    []byte
	Started time.Time
	Ended   time.Time
	Request string // the request as sent, Authorization value replaced
}

// do sends one request over a fresh connection (Connection: close) and keeps the answer's head bytes as received.
func (r *ref) do(ctx context.Context, q request) (*answer, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", q.Method, q.Target)
	fmt.Fprintf(&b, "Host: %s\r\n", r.base.Host)
	b.WriteString("User-Agent: fcrecord\r\nAccept: application/json, */*;q=0.1\r\n")
	auth := ""
	if q.User != "" {
		pw, ok := appPasswords[q.User]
		if !ok {
			return nil, fmt.Errorf("no application password for %q", q.User)
		}
		auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(q.User+":"+pw))
		b.WriteString("Authorization: " + auth + "\r\n")
	}
	keys := make([]string, 0, len(q.Headers))
	for k := range q.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\r\n", k, q.Headers[k])
	}
	if q.ContentType != "" {
		fmt.Fprintf(&b, "Content-Type: %s\r\n", q.ContentType)
	}
	if q.Body != "" || q.Method == "POST" || q.Method == "PUT" || q.Method == "DELETE" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(q.Body))
	}
	b.WriteString("Connection: close\r\n\r\n")
	b.WriteString(q.Body)
	wire := b.String()

	d := net.Dialer{Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	conn, err := d.DialContext(ctx, "tcp", r.base.Host)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	a := &answer{Started: time.Now()}
	if _, err := io.WriteString(conn, wire); err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(conn)
	a.Ended = time.Now()
	if err != nil {
		return nil, err
	}
	i := bytes.Index(raw, []byte("\r\n\r\n"))
	if i < 0 {
		return nil, fmt.Errorf("%s %s: no header end in %d bytes", q.Method, q.Target, len(raw))
	}
	a.Head = string(raw[:i+2])
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), &http.Request{Method: q.Method})
	if err != nil {
		return nil, err
	}
	a.Body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	a.Status, a.Header = resp.StatusCode, resp.Header
	if auth != "" {
		wire = strings.Replace(wire, auth, "Basic <"+q.User+" application password, README>", 1)
	}
	a.Request = wire
	return a, nil
}

var (
	isoTime  = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00`)
	objTime  = regexp.MustCompile(`"date":"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.000000"`)
	uuidProp = regexp.MustCompile(`"uuid":"([0-9a-f]{32})"`)
	dateHdr  = regexp.MustCompile(`(?mi)^(Date: ).*\r$`)
)

// masks replaces what the request itself created: uuids of customers that did not exist before it (newUUIDs), and
// timestamps of "now" (UTC, within the request's own time window, one second of slack either side).
type masks struct {
	newUUIDs map[string]bool
	from, to time.Time
	applied  []string
}

func (m *masks) inWindow(s, layout string) bool {
	t, err := time.ParseInLocation(layout, s, time.UTC)
	return err == nil && !t.Before(m.from.Truncate(time.Second).Add(-time.Second)) && !t.After(m.to.Add(time.Second))
}

func (m *masks) body(b []byte) []byte {
	s := string(b)
	s = uuidProp.ReplaceAllStringFunc(s, func(x string) string {
		if m.newUUIDs[uuidProp.FindStringSubmatch(x)[1]] {
			m.applied = append(m.applied, "uuid")
			return `"uuid":"__UUID__"`
		}
		return x
	})
	s = isoTime.ReplaceAllStringFunc(s, func(x string) string {
		if m.inWindow(x, "2006-01-02T15:04:05-07:00") {
			m.applied = append(m.applied, "now")
			return "__NOW__"
		}
		return x
	})
	s = objTime.ReplaceAllStringFunc(s, func(x string) string {
		if m.inWindow(objTime.FindStringSubmatch(x)[1], "2006-01-02 15:04:05") {
			m.applied = append(m.applied, "now")
			return `"date":"__NOW__"`
		}
		return x
	})
	return []byte(s)
}

// head masks the Date header (the server's clock) in the raw head.
func (m *masks) head(h string) string {
	return dateHdr.ReplaceAllString(h, "${1}__NOW__\r")
}

// rawFile is the .http file kept beside a golden: the request as sent, a blank line, then the answer's head as
// received (status line and header lines in wire order, Date masked), a blank line and the decoded body (masked
// like the golden: maskedBody).
func rawFile(a *answer, m *masks, maskedBody []byte) []byte {
	var b bytes.Buffer
	b.WriteString(a.Request)
	b.WriteString("\r\n\r\n")
	b.WriteString(m.head(a.Head))
	b.WriteString("\r\n")
	b.Write(maskedBody)
	b.WriteString("\n")
	return b.Bytes()
}

func itoa(i int) string { return strconv.Itoa(i) }
