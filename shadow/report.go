package shadow

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// ReportOptions are the report's window and readiness thresholds.
type ReportOptions struct {
	Since         time.Duration // only records newer than this (0: the whole log)
	Now           time.Time
	MinMatches    int64 // a route is ready with at least this many matches …
	MaxMismatches int64 // … at most this many mismatches …
	MaxGoErrors   int64 // … and at most this many sidecar errors
	TopFields     int   // mismatching fields listed per route
}

// FieldCount is how many mismatch records named a field.
type FieldCount struct {
	Field string
	N     int64
}

// RouteReport is one route's line of the report.
type RouteReport struct {
	Method, Route string
	Mode          string // the mode in the newest config record ("" when the log has none)
	Counts        RouteCounts
	Fields        []FieldCount
	Ready         bool
	Why           string // why not ready
}

// MatchRate is matches over compared requests (match + mismatch + go_error); ok is false when none were compared.
func (r RouteReport) MatchRate() (rate float64, ok bool) {
	n := r.Counts.Match + r.Counts.Mismatch + r.Counts.GoError
	if n == 0 {
		return 0, false
	}
	return float64(r.Counts.Match) / float64(n), true
}

// Report is the digest of a mismatch log.
type Report struct {
	Files    []string
	From, To time.Time // first and last record in the window
	Routes   []RouteReport
	Records  int
	BadLines int
}

type reportLine struct {
	Type   string        `json:"type"`
	Time   time.Time     `json:"time"`
	Method string        `json:"method"`
	Route  string        `json:"route"`
	Fields []string      `json:"fields"`
	Counts []RouteCounts `json:"counts"`
	Modes  []string      `json:"modes"`
}

// ReadReport reads the log files (oldest first, as LogFiles lists them) and builds the report.
func ReadReport(files []string, opts ReportOptions) (*Report, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.TopFields <= 0 {
		opts.TopFields = 3
	}
	var cutoff time.Time
	if opts.Since > 0 {
		cutoff = opts.Now.Add(-opts.Since)
	}
	rep := &Report{Files: files}
	type acc struct {
		counts            RouteCounts
		recMismatch, recG int64
		fields            map[string]int64
	}
	routes := map[routeKey]*acc{}
	get := func(method, route string) *acc {
		k := routeKey{method, route}
		a := routes[k]
		if a == nil {
			a = &acc{counts: RouteCounts{Method: method, Route: route}, fields: map[string]int64{}}
			routes[k] = a
		}
		return a
	}
	var modes []string
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		br := bufio.NewReaderSize(f, 1<<16)
		for {
			line, err := br.ReadBytes('\n')
			if len(strings.TrimSpace(string(line))) > 0 {
				var l reportLine
				if jerr := json.Unmarshal(line, &l); jerr != nil {
					rep.BadLines++
				} else if l.Type == "config" {
					modes = l.Modes // the newest configuration wins, whatever the window
				} else if cutoff.IsZero() || !l.Time.Before(cutoff) {
					rep.Records++
					if rep.From.IsZero() || l.Time.Before(rep.From) {
						rep.From = l.Time
					}
					if l.Time.After(rep.To) {
						rep.To = l.Time
					}
					switch l.Type {
					case "counts":
						for _, c := range l.Counts {
							get(c.Method, c.Route).counts.merge(c)
						}
					case "mismatch":
						a := get(l.Method, l.Route)
						a.recMismatch++
						seen := map[string]bool{}
						for _, fl := range l.Fields {
							if !seen[fl] {
								seen[fl] = true
								a.fields[fl]++
							}
						}
					case "go_error":
						get(l.Method, l.Route).recG++
					}
				}
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				f.Close()
				return nil, err
			}
		}
		f.Close()
	}
	modeOf := parseModes(modes)
	for _, a := range routes {
		// A crash can lose the last counts record; the individual records still count.
		a.counts.Mismatch = max(a.counts.Mismatch, a.recMismatch)
		a.counts.GoError = max(a.counts.GoError, a.recG)
		rr := RouteReport{Method: a.counts.Method, Route: a.counts.Route, Counts: a.counts, Mode: modeOf(a.counts.Method, a.counts.Route)}
		for f, n := range a.fields {
			rr.Fields = append(rr.Fields, FieldCount{f, n})
		}
		sort.Slice(rr.Fields, func(i, j int) bool {
			if rr.Fields[i].N != rr.Fields[j].N {
				return rr.Fields[i].N > rr.Fields[j].N
			}
			return rr.Fields[i].Field < rr.Fields[j].Field
		})
		if len(rr.Fields) > opts.TopFields {
			rr.Fields = rr.Fields[:opts.TopFields]
		}
		rr.Ready, rr.Why = readiness(rr.Counts, opts)
		rep.Routes = append(rep.Routes, rr)
	}
	sort.Slice(rep.Routes, func(i, j int) bool {
		if rep.Routes[i].Route != rep.Routes[j].Route {
			return rep.Routes[i].Route < rep.Routes[j].Route
		}
		return rep.Routes[i].Method < rep.Routes[j].Method
	})
	return rep, nil
}

// Thresholds are the options' readiness thresholds.
func (o ReportOptions) Thresholds() Thresholds {
	return Thresholds{MinMatches: o.MinMatches, MaxMismatches: o.MaxMismatches, MaxGoErrors: o.MaxGoErrors}
}

func readiness(c RouteCounts, o ReportOptions) (bool, string) { return Readiness(c, o.Thresholds()) }

// Readiness is the verdict on one route's counts: ready to switch to go, or why not. `shadow report` and the
// migration dashboard both judge with it.
func Readiness(c RouteCounts, o Thresholds) (bool, string) {
	var why []string
	if c.Match < o.MinMatches {
		why = append(why, fmt.Sprintf("%d matched (needs %d)", c.Match, o.MinMatches))
	}
	if c.Mismatch > o.MaxMismatches {
		why = append(why, fmt.Sprintf("%d mismatches", c.Mismatch))
	}
	if c.GoError > o.MaxGoErrors {
		why = append(why, fmt.Sprintf("%d sidecar errors", c.GoError))
	}
	if c.Unverifiable > 0 {
		why = append(why, fmt.Sprintf("%d writes could not be judged (no Validate hook)", c.Unverifiable))
	}
	return len(why) == 0, strings.Join(why, ", ")
}

// parseModes reads a config record's "METHOD PATTERN → mode" lines ("* mode" is the default).
func parseModes(lines []string) func(method, route string) string {
	def := ""
	m := map[routeKey]string{}
	for _, l := range lines {
		if strings.HasPrefix(l, "* ") && !strings.Contains(l, " → ") {
			def = strings.TrimPrefix(l, "* ")
			continue
		}
		left, mode, ok := strings.Cut(l, " → ")
		if !ok {
			continue
		}
		method, pattern, _ := strings.Cut(left, " ")
		m[routeKey{method, pattern}] = mode
	}
	return func(method, route string) string {
		if v, ok := m[routeKey{method, route}]; ok {
			return v
		}
		if v, ok := m[routeKey{"GET", route}]; ok && method == "HEAD" {
			return v
		}
		if v, ok := m[routeKey{"*", route}]; ok {
			return v
		}
		return def
	}
}

// Write prints the report: a per-route table, then which routes are ready to switch to go.
func (r *Report) Write(w io.Writer, o ReportOptions) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Shadow log: %s\n", strings.Join(r.Files, ", "))
	if r.Records == 0 {
		fmt.Fprintln(bw, "No shadow results in the window.")
		return bw.Flush()
	}
	window := "whole log"
	if o.Since > 0 {
		window = "last " + humanDuration(o.Since)
	}
	fmt.Fprintf(bw, "Window: %s (%s → %s)\n", window, r.From.UTC().Format(time.RFC3339), r.To.UTC().Format(time.RFC3339))
	if r.BadLines > 0 {
		fmt.Fprintf(bw, "%d unreadable lines skipped\n", r.BadLines)
	}
	fmt.Fprintln(bw)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROUTE\tMODE\tSEEN\tMATCH\tMISMATCH\tGO_ERROR\tDELEGATED\tSKIPPED\tUNVERIFIABLE\tSAMPLED_OUT\tMATCH RATE")
	for _, rr := range r.Routes {
		rate := "-"
		if v, ok := rr.MatchRate(); ok {
			rate = fmt.Sprintf("%.2f%%", v*100)
		}
		mode := rr.Mode
		if mode == "" {
			mode = "?"
		}
		c := rr.Counts
		fmt.Fprintf(tw, "%s %s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", rr.Method, rr.Route, mode, c.Seen(), c.Match,
			c.Mismatch, c.GoError, c.Delegated, c.Skipped, c.Unverifiable, c.SampledOut, rate)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var anyFields bool
	for _, rr := range r.Routes {
		if len(rr.Fields) > 0 || len(rr.Counts.SkipReasons) > 0 {
			if !anyFields {
				fmt.Fprintln(bw, "\nTop mismatching fields and skip reasons:")
				anyFields = true
			}
			fmt.Fprintf(bw, "  %s %s\n", rr.Method, rr.Route)
			for _, f := range rr.Fields {
				plural := "s"
				if f.N == 1 {
					plural = ""
				}
				fmt.Fprintf(bw, "      %-50s in %d mismatching request%s\n", f.Field, f.N, plural)
			}
			if len(rr.Counts.SkipReasons) > 0 {
				var rs []string
				for k, v := range rr.Counts.SkipReasons {
					rs = append(rs, fmt.Sprintf("%s %d", k, v))
				}
				sort.Strings(rs)
				fmt.Fprintf(bw, "      skipped: %s\n", strings.Join(rs, ", "))
			}
		}
	}
	fmt.Fprintf(bw, "\nReady to switch to go (>= %d matched, <= %d mismatches, <= %d sidecar errors):\n", o.MinMatches, o.MaxMismatches, o.MaxGoErrors)
	n := 0
	for _, rr := range r.Routes {
		if rr.Ready {
			n++
			note := ""
			if rr.Mode == string(ModeGo) {
				note = "  (already go)"
			}
			fmt.Fprintf(bw, "  %s %s%s\n", rr.Method, rr.Route, note)
		}
	}
	if n == 0 {
		fmt.Fprintln(bw, "  none yet")
	}
	first := true
	for _, rr := range r.Routes {
		if !rr.Ready {
			if first {
				fmt.Fprintln(bw, "Not ready:")
				first = false
			}
			fmt.Fprintf(bw, "  %s %s: %s\n", rr.Method, rr.Route, rr.Why)
		}
	}
	return bw.Flush()
}

// humanDuration writes whole days as "7d", other durations as Go does without zero units ("36h", "90m").
func humanDuration(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
