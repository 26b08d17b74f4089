package shadow

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeLog(t *testing.T, path string, recs ...any) {
	t.Helper()
	var b bytes.Buffer
	for _, r := range recs {
		if s, ok := r.(string); ok {
			b.WriteString(s + "\n")
			continue
		}
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(line, '\n'))
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

const (
	one  = "/fluent-cart/v2/customers/(?P<customerId>[0-9]+)"
	list = "/fluent-cart/v2/customers"
)

func TestReportTableAndReadiness(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shadow.jsonl")
	now := time.Date(2026, 5, 2, 12, 0, 0, 0, time.UTC)
	old := now.Add(-48 * time.Hour)
	recent := now.Add(-time.Hour)
	mismatch := func(at time.Time, fields ...string) Record {
		return Record{Type: "mismatch", Time: at, Method: "GET", Route: list, Fields: fields}
	}
	// The rotated file holds the older half.
	writeLog(t, path+".1",
		Record{Type: "config", Time: old, Modes: []string{"* php", "GET " + one + " → shadow", "GET " + list + " → shadow", "PUT " + one + " → shadow"}},
		Record{Type: "counts", Time: old, Counts: []RouteCounts{{Method: "GET", Route: one, Match: 5000}, {Method: "GET", Route: list, Match: 100, Mismatch: 1}}},
		mismatch(old, "customers.total"),
		Record{Type: "counts", Time: recent, Counts: []RouteCounts{{Method: "GET", Route: one, Match: 6000, Skipped: 7, SkipReasons: map[string]int64{"queue_full": 7}}}},
	)
	writeLog(t, path,
		Record{Type: "counts", Time: recent, Counts: []RouteCounts{
			{Method: "GET", Route: list, Match: 880, Mismatch: 3, SampledOut: 90000},
			{Method: "PUT", Route: one, Match: 12000, Unverifiable: 4},
		}},
		mismatch(recent, "customers.data[*].email", "customers.data[*].email", "header X-WP-Total"),
		mismatch(recent, "customers.data[*].email"),
		mismatch(recent, "header X-WP-Total"),
		`{"type":"counts","time":"2026-05-02T11:`, // a line cut short by a crash
		Record{Type: "config", Time: recent, Modes: []string{"* php", "GET " + one + " → go", "GET " + list + " → shadow", "PUT " + one + " → shadow"}},
	)
	files, err := LogFiles(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := ReportOptions{Now: now, MinMatches: 10000, TopFields: 3}
	rep, err := ReadReport(files, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.BadLines != 1 || len(rep.Routes) != 3 {
		t.Fatalf("report %+v", rep)
	}
	byName := map[string]RouteReport{}
	for _, r := range rep.Routes {
		byName[r.Method+" "+r.Route] = r
	}
	g := byName["GET "+one]
	if g.Counts.Match != 11000 || g.Counts.Skipped != 7 || g.Mode != "go" || !g.Ready {
		t.Fatalf("GET one: %+v", g)
	}
	l := byName["GET "+list]
	if l.Counts.Match != 980 || l.Counts.Mismatch != 4 || l.Counts.Seen() != 90984 || l.Ready || l.Mode != "shadow" {
		t.Fatalf("GET list: %+v", l)
	}
	if rate, _ := l.MatchRate(); rate < 0.9959 || rate > 0.9960 {
		t.Fatalf("rate %v", rate)
	}
	wantFields := []FieldCount{{"customers.data[*].email", 2}, {"header X-WP-Total", 2}, {"customers.total", 1}}
	if len(l.Fields) != 3 || l.Fields[0] != wantFields[0] || l.Fields[1] != wantFields[1] || l.Fields[2] != wantFields[2] {
		t.Fatalf("fields %+v", l.Fields)
	}
	if p := byName["PUT "+one]; p.Ready || !strings.Contains(p.Why, "4 writes could not be judged") {
		t.Fatalf("PUT: %+v", p)
	}

	var out bytes.Buffer
	if err := rep.Write(&out, opts); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"ROUTE", "MATCH RATE",
		"99.59%",
		"customers.data[*].email                            in 2 mismatching requests",
		"Ready to switch to go (>= 10000 matched, <= 0 mismatches, <= 0 sidecar errors):\n  GET " + one + "  (already go)\n",
		"GET " + list + ": 980 matched (needs 10000), 4 mismatches",
		"1 unreadable lines skipped",
		"skipped: queue_full 7",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}

	var row []string
	for _, line := range strings.Split(text, "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[1] == list {
			row = f
		}
	}
	if strings.Join(row, " ") != "GET "+list+" shadow 90984 980 4 0 0 0 0 90000 99.59%" {
		t.Errorf("row %q", row)
	}

	// --since keeps only the recent records.
	opts.Since = 24 * time.Hour
	rep, err = ReadReport(files, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Routes {
		if r.Method == "GET" && r.Route == one && (r.Counts.Match != 6000 || r.Ready) {
			t.Fatalf("since 24h: %+v", r)
		}
		if r.Method == "GET" && r.Route == list && (r.Counts.Mismatch != 3 || len(r.Fields) != 2) {
			t.Fatalf("since 24h: %+v", r)
		}
	}
}

// A mismatch line whose counts line was lost (crash before the summary) still blocks the route.
func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{7 * 24 * time.Hour: "7d", 36 * time.Hour: "36h", 90 * time.Minute: "1h30m", 45 * time.Second: "45s", 30 * time.Minute: "30m"} {
		if got := humanDuration(d); got != want {
			t.Errorf("%s: %s, want %s", d, got, want)
		}
	}
}

func TestReportCountsMismatchRecordsWithoutCounts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shadow.jsonl")
	writeLog(t, path,
		Record{Type: "counts", Time: time.Now(), Counts: []RouteCounts{{Method: "GET", Route: one, Match: 20000}}},
		Record{Type: "mismatch", Time: time.Now(), Method: "GET", Route: one, Fields: []string{"x"}},
		Record{Type: "go_error", Time: time.Now(), Method: "GET", Route: one},
	)
	rep, err := ReadReport([]string{path}, ReportOptions{MinMatches: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Routes[0]; r.Ready || r.Counts.Mismatch != 1 || r.Counts.GoError != 1 {
		t.Fatalf("%+v", r)
	}
}
