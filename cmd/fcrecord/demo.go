package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// demoCase is one scenario of fluentcart/*_test.go as FLUENTCART_DUMP_CASES writes it (main_test.go dumpCases).
type demoCase struct {
	Name, Method, URL, Body, CT, User, Setup string
	Write                                    bool
	Headers                                  map[string]string
}

// loadDemoCases reads every dumped case table of dir, in file-name order then table order.
func loadDemoCases(dir string) ([]demoCase, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var all []demoCase
	seen := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var cs []demoCase
		if err := json.Unmarshal(b, &cs); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, c := range cs {
			if seen[c.Name] {
				return nil, fmt.Errorf("case %s twice", c.Name)
			}
			seen[c.Name] = true
			all = append(all, c)
		}
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no cases in %s (run FLUENTCART_DUMP_CASES=%s go test ./fluentcart/)", dir, dir)
	}
	return all, nil
}

// loadDemoSeed puts the demo site into the reference database: the prefixed tables are dropped, then
// sql/wordpress-7.1.sql, sql/fluentcart-1.3.25.sql, testdata/seed/00_wordpress.sql and 10_fluentcart.sql are loaded
// with the prefix (wptest.Load, the same loader the tests use).
func (r *ref) loadDemoSeed(ctx context.Context) error {
	if err := r.dropPrefixed(ctx); err != nil {
		return err
	}
	return wptest.Load(ctx, r.dsn, wptest.Options{Prefix: r.prefix, Schemas: []string{"wordpress", "fluentcart"}, Seed: true})
}

// recordDemo replays the demo cases against the reference and rewrites out/<name>.json (the masked body and a
// newline, as fluentcart/main_test.go reads it) and out/raw/<name>.http.
func recordDemo(ctx context.Context, r *ref, cases []demoCase, out string, only map[string]bool) error {
	if err := os.MkdirAll(filepath.Join(out, "raw"), 0o755); err != nil {
		return err
	}
	dirty := true
	for _, c := range cases {
		if len(only) > 0 && !only[c.Name] {
			continue
		}
		// Write and setup cases start from a freshly loaded seed; reads need the seed as loaded.
		if c.Write || c.Setup != "" || dirty {
			if err := r.loadDemoSeed(ctx); err != nil {
				return fmt.Errorf("%s: load seed: %w", c.Name, err)
			}
			dirty = false
		}
		if c.Setup != "" {
			for _, q := range strings.Split(c.Setup, ";\n") {
				if err := r.exec(ctx, q); err != nil {
					return fmt.Errorf("%s: setup: %w", c.Name, err)
				}
			}
		}
		before, err := r.uuids(ctx)
		if err != nil {
			return err
		}
		a, err := r.do(ctx, request{Method: c.Method, Target: c.URL, User: c.User, ContentType: c.CT, Headers: c.Headers, Body: c.Body})
		if err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
		if c.Method != "GET" && c.Method != "OPTIONS" || c.Write {
			dirty = true
		}
		m, err := r.masksFor(ctx, a, before)
		if err != nil {
			return err
		}
		body := m.body(a.Body)
		if err := os.WriteFile(filepath.Join(out, c.Name+".json"), append(body, '\n'), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "raw", c.Name+".http"), rawFile(a, m, body), 0o644); err != nil {
			return err
		}
		fmt.Printf("%-40s %d %s\n", c.Name, a.Status, strings.Join(uniq(m.applied), ","))
	}
	if len(only) > 0 {
		return nil
	}
	keep := map[string]bool{}
	for _, c := range cases {
		keep[c.Name] = true
	}
	return prune(out, keep)
}

// masksFor finds the customers the request created (uuids absent before it, present after it).
func (r *ref) masksFor(ctx context.Context, a *answer, before map[string]bool) (*masks, error) {
	after, err := r.uuids(ctx)
	if err != nil {
		return nil, err
	}
	m := &masks{newUUIDs: map[string]bool{}, from: a.Started.UTC(), to: a.Ended.UTC()}
	for u := range after {
		if !before[u] {
			m.newUUIDs[u] = true
		}
	}
	return m, nil
}

// prune removes goldens (and raw files) of names no longer recorded, after a full run.
func prune(out string, keep map[string]bool) error {
	for _, pat := range []string{filepath.Join(out, "*.json"), filepath.Join(out, "raw", "*.http")} {
		files, err := filepath.Glob(pat)
		if err != nil {
			return err
		}
		for _, f := range files {
			name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(f), ".json"), ".http")
			if !keep[name] {
				fmt.Println("removed", f)
				if err := os.Remove(f); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
