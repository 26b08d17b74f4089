package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// goldenHeaders are the response headers a store golden keeps: the ones WordPress's REST server (and FluentCart)
// set, whose values do not depend on the clock or the web server. Date, Server, Connection, Content-Length,
// Transfer-Encoding and X-Powered-By stay in the raw .http file only.
var goldenHeaders = []string{
	"Content-Type", "Allow", "X-WP-Total", "X-WP-TotalPages", "Link", "Location",
	"Expires", "Cache-Control", "X-Robots-Tag", "X-Content-Type-Options",
	"Access-Control-Expose-Headers", "Access-Control-Allow-Headers",
}

type goldenRequest struct {
	Method      string            `json:"method"`
	Path        string            `json:"path"`
	Query       string            `json:"query"`
	ContentType string            `json:"content_type"`
	Body        string            `json:"body"`
	Headers     map[string]string `json:"headers,omitempty"`
}

type storeGolden struct {
	Name    string            `json:"name"`
	User    string            `json:"user"`
	Request goldenRequest     `json:"request"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// loadStore puts the store into the reference database the way the repository's loader does (wptest, as the Go
// tests load it): the prefixed tables are dropped, sql/wordpress-7.1.sql, sql/fluentcart-1.3.25.sql and
// testdata/seed/00_wordpress.sql are loaded, then the dump (data only, `{prefix}` replaced).
func (r *ref) loadStore(ctx context.Context, dump string) error {
	if err := r.dropPrefixed(ctx); err != nil {
		return err
	}
	if err := wptest.Load(ctx, r.dsn, wptest.Options{Prefix: r.prefix, Schemas: []string{"wordpress", "fluentcart"}}); err != nil {
		return err
	}
	for _, f := range []string{filepath.Join(wptest.RepoRoot(), "testdata", "seed", "00_wordpress.sql"), dump} {
		if err := wptest.ExecFile(ctx, r.db, f, r.prefix); err != nil {
			return err
		}
	}
	return nil
}

func readRequestList(path string) (*requestList, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var l requestList
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, err
	}
	return &l, nil
}

// recordStore replays the request list against the reference loaded with the dump and writes out/<name>.json and
// out/raw/<name>.http. The dump is loaded before the first request and again before every write, so every request
// sees the dump as committed.
func recordStore(ctx context.Context, r *ref, dump string, l *requestList, out string, only map[string]bool) error {
	if err := os.MkdirAll(filepath.Join(out, "raw"), 0o755); err != nil {
		return err
	}
	// Reads first (they all see the dump as loaded once), then each write on a freshly loaded dump: the order of
	// the list does not change any answer, only how often the dump is loaded.
	var ordered []storeRequest
	for _, writes := range []bool{false, true} {
		for _, q := range l.Requests {
			if q.Writes == writes && (len(only) == 0 || only[q.Name]) {
				ordered = append(ordered, q)
			}
		}
	}
	dirty := true
	for _, q := range ordered {
		if q.Writes || dirty {
			if err := r.loadStore(ctx, dump); err != nil {
				return fmt.Errorf("%s: %w", q.Name, err)
			}
			dirty = false
		}
		before, err := r.uuids(ctx)
		if err != nil {
			return err
		}
		target := q.Path
		if q.Query != "" {
			target += "?" + q.Query
		}
		a, err := r.do(ctx, request{Method: q.WireMethod, Target: target, User: q.User, ContentType: q.ContentType, Headers: q.Headers, Body: q.Body})
		if err != nil {
			return fmt.Errorf("%s: %w", q.Name, err)
		}
		if q.Writes {
			dirty = true
		}
		m, err := r.masksFor(ctx, a, before)
		if err != nil {
			return err
		}
		body := m.body(a.Body)
		if !utf8.Valid(body) {
			return fmt.Errorf("%s: the body is not UTF-8: a JSON string cannot hold it byte for byte", q.Name)
		}
		g := storeGolden{Name: q.Name, User: q.User, Status: a.Status, Headers: map[string]string{}, Body: string(body),
			Request: goldenRequest{Method: q.Method, Path: q.Path, Query: q.Query, ContentType: q.ContentType, Body: q.Body, Headers: q.Headers}}
		for _, h := range goldenHeaders {
			if vs := a.Header.Values(h); len(vs) > 0 {
				g.Headers[h] = strings.Join(vs, ", ")
			}
		}
		gb, err := marshalNoEscape(g, " ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, q.Name+".json"), append(gb, '\n'), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "raw", q.Name+".http"), rawFile(a, m, body), 0o644); err != nil {
			return err
		}
		fmt.Printf("%-55s %d %s\n", q.Name, a.Status, strings.Join(uniq(m.applied), ","))
	}
	if len(only) > 0 {
		return nil
	}
	keep := map[string]bool{}
	for _, q := range l.Requests {
		keep[q.Name] = true
	}
	return prune(out, keep)
}
