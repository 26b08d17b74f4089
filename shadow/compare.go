package shadow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Answer is one side's response to a request.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Diff is one difference between PHP's and the sidecar's answers.
type Diff struct {
	Path  string `json:"path"`  // "status", "header X-WP-Total", "customers.data[3].email", "(body)"
	Field string `json:"field"` // Path with every index as [*]: what the report groups by
	PHP   string `json:"php"`   // rendered value ("(absent)" when missing)
	Go    string `json:"go"`
}

// String is the readable line: `customers.data[3].email: php "a@x" go "b@x"`.
func (d Diff) String() string { return d.Path + ": php " + d.PHP + " go " + d.Go }

// Rules are the compiled normalisation list.
type Rules struct {
	headers    []string
	ignore     []*pathPattern
	timestamps []*pathPattern
	tolerance  time.Duration
	keyOrder   bool
}

// maxDiffs bounds one comparison's diff list; the rest is summarised in one line.
const maxDiffs = 50

func newRules(c CompareConfig, extraIgnore, extraTimestamps []string) (*Rules, error) {
	r := &Rules{tolerance: c.TimeTolerance, keyOrder: true}
	headers := c.Headers
	if headers == nil {
		headers = DefaultHeaders
	}
	for _, h := range headers {
		r.headers = append(r.headers, strings.TrimSpace(h))
	}
	if r.tolerance <= 0 {
		r.tolerance = 5 * time.Second
	}
	if c.KeyOrder != nil {
		r.keyOrder = *c.KeyOrder
	}
	ignore := append(append(append([]string{}, DefaultIgnore...), c.Ignore...), extraIgnore...)
	for _, s := range ignore {
		p, err := parsePattern(s)
		if err != nil {
			return nil, fmt.Errorf("compare.ignore: %w", err)
		}
		r.ignore = append(r.ignore, p)
	}
	for _, s := range append(append([]string{}, c.Timestamps...), extraTimestamps...) {
		p, err := parsePattern(s)
		if err != nil {
			return nil, fmt.Errorf("compare.timestamps: %w", err)
		}
		r.timestamps = append(r.timestamps, p)
	}
	return r, nil
}

// DefaultRules are the rules of an empty configuration.
func DefaultRules() *Rules {
	r, _ := newRules(CompareConfig{}, nil, nil)
	return r
}

// Compare lists the differences between PHP's and the sidecar's answers to one read: status, the compared
// headers, and (unless head) the bodies — JSON structurally after normalisation, anything else byte for byte.
func Compare(php, gov Answer, head bool, r *Rules) []Diff {
	c := &comparer{rules: r}
	if php.Status != gov.Status {
		c.add(Diff{Path: "status", Field: "status", PHP: strconv.Itoa(php.Status), Go: strconv.Itoa(gov.Status)})
	}
	for _, h := range r.headers {
		pv, gv := php.Header.Values(h), gov.Header.Values(h)
		if strings.Join(pv, ", ") != strings.Join(gv, ", ") {
			d := Diff{Path: "header " + h, Field: "header " + h, PHP: renderHeader(pv), Go: renderHeader(gv)}
			if sensitiveHeaders[http.CanonicalHeaderKey(h)] {
				d.PHP, d.Go = Redacted, Redacted
			}
			c.add(d)
		}
	}
	if !head {
		c.bodies(php.Body, gov.Body)
	}
	return c.out()
}

func renderHeader(v []string) string {
	if len(v) == 0 {
		return "(absent)"
	}
	return strconv.Quote(strings.Join(v, ", "))
}

type comparer struct {
	rules   *Rules
	diffs   []Diff
	dropped int
}

func (c *comparer) add(d Diff) {
	if len(c.diffs) >= maxDiffs {
		c.dropped++
		return
	}
	c.diffs = append(c.diffs, d)
}

func (c *comparer) out() []Diff {
	if c.dropped > 0 {
		c.diffs = append(c.diffs, Diff{Path: "…", Field: "…", PHP: strconv.Itoa(c.dropped) + " more differences", Go: "not listed"})
	}
	return c.diffs
}

func (c *comparer) bodies(pb, gb []byte) {
	pv, perr := wpjson.DecodeOrdered(pb)
	gv, gerr := wpjson.DecodeOrdered(gb)
	if perr == nil && gerr == nil {
		c.value(nil, pv, gv)
		return
	}
	if !bytes.Equal(pb, gb) {
		c.add(Diff{Path: "(body)", Field: "(body)", PHP: renderRaw(pb, perr == nil), Go: renderRaw(gb, gerr == nil)})
	}
}

func renderRaw(b []byte, isJSON bool) string {
	if len(b) == 0 {
		return "(empty)"
	}
	kind := "non-JSON"
	if isJSON {
		kind = "JSON"
	}
	return fmt.Sprintf("%s %d bytes %s", kind, len(b), truncate(strconv.Quote(string(b)), 100))
}

func (c *comparer) matches(ps []*pathPattern, p jsonPath) bool {
	for _, pat := range ps {
		if pat.match(p) {
			return true
		}
	}
	return false
}

// value compares two decoded JSON values at path p (DecodeOrdered: *Object, []any, string, json.Number, bool, nil).
func (c *comparer) value(p jsonPath, a, b any) {
	if len(p) > 0 && c.matches(c.rules.ignore, p) {
		return
	}
	if len(p) > 0 && c.matches(c.rules.timestamps, p) {
		ta, oka := asTime(a)
		tb, okb := asTime(b)
		if oka && okb {
			if d := ta.Sub(tb); d <= c.rules.tolerance && d >= -c.rules.tolerance {
				return
			}
		}
	}
	switch av := a.(type) {
	case *wpjson.Object:
		bv, ok := b.(*wpjson.Object)
		if !ok {
			c.differ(p, a, b)
			return
		}
		c.object(p, av, bv)
	case []any:
		bv, ok := b.([]any)
		if !ok {
			c.differ(p, a, b)
			return
		}
		if len(av) != len(bv) {
			c.add(Diff{Path: p.String(), Field: p.Field(), PHP: fmt.Sprintf("%d items", len(av)), Go: fmt.Sprintf("%d items", len(bv))})
		}
		for i := 0; i < len(av) && i < len(bv); i++ {
			c.value(p.at(i), av[i], bv[i])
		}
	case json.Number:
		if bv, ok := b.(json.Number); !ok || av.String() != bv.String() {
			c.differ(p, a, b)
		}
	default: // string, bool, nil
		if a != b {
			c.differ(p, a, b)
		}
	}
}

func (c *comparer) object(p jsonPath, a, b *wpjson.Object) {
	same := a.Len() == b.Len()
	for _, k := range a.Keys() {
		av, _ := a.Get(k)
		bv, ok := b.Get(k)
		if !ok {
			same = false
			c.at(p.key(k), render(av), "(absent)")
			continue
		}
		c.value(p.key(k), av, bv)
	}
	for _, k := range b.Keys() {
		if _, ok := a.Get(k); !ok {
			bv, _ := b.Get(k)
			c.at(p.key(k), "(absent)", render(bv))
		}
	}
	if same && c.rules.keyOrder && strings.Join(a.Keys(), "\x00") != strings.Join(b.Keys(), "\x00") {
		c.add(Diff{Path: p.String() + " (key order)", Field: p.Field() + " (key order)",
			PHP: truncate(strings.Join(a.Keys(), ","), 100), Go: truncate(strings.Join(b.Keys(), ","), 100)})
	}
}

func (c *comparer) differ(p jsonPath, a, b any) { c.at(p, render(a), render(b)) }

// at records a body difference; values under a credential key are never written out.
func (c *comparer) at(p jsonPath, php, gov string) {
	if p.sensitive() {
		if php != "(absent)" {
			php = Redacted
		}
		if gov != "(absent)" {
			gov = Redacted
		}
	}
	c.add(Diff{Path: p.String(), Field: p.Field(), PHP: php, Go: gov})
}

// render is a value's compact JSON (objects in their order), shortened for the log line.
func render(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return truncate(strings.TrimSuffix(buf.String(), "\n"), 100)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", time.RFC1123, time.RFC1123Z}

// asTime reads a JSON value as a time: the common WordPress/MySQL/HTTP string forms, or a Unix timestamp
// (seconds, or milliseconds when it is that large).
func asTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case string:
		for _, l := range timeLayouts {
			if tm, err := time.Parse(l, t); err == nil {
				return tm, true
			}
		}
		if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			return unixTime(n), true
		}
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return unixTime(n), true
		}
	}
	return time.Time{}, false
}

func unixTime(n int64) time.Time {
	if n > 1e12 || n < -1e12 {
		return time.UnixMilli(n)
	}
	return time.Unix(n, 0)
}

// CompareVerdict compares PHP's answer to a write with the sidecar's verdict on it: accepted or refused, and when
// both refuse, the status and the error code.
func CompareVerdict(php Answer, v rest.Verdict) []Diff {
	phpOK := php.Status < 400
	phpCode := errorCode(php.Body)
	if phpOK != v.Accepted {
		return []Diff{{Path: "verdict", Field: "verdict", PHP: verdictText(phpOK, php.Status, phpCode), Go: goVerdictText(v)}}
	}
	if phpOK {
		return nil
	}
	var diffs []Diff
	goStatus, goCode := verdictStatusCode(v)
	if php.Status != goStatus {
		diffs = append(diffs, Diff{Path: "status", Field: "status", PHP: strconv.Itoa(php.Status), Go: strconv.Itoa(goStatus)})
	}
	if phpCode != goCode {
		diffs = append(diffs, Diff{Path: "code", Field: "code", PHP: strconv.Quote(phpCode), Go: strconv.Quote(goCode)})
	}
	return diffs
}

func verdictStatusCode(v rest.Verdict) (int, string) {
	if v.Response == nil {
		return 0, ""
	}
	b, err := wpjson.MarshalJSON(v.Response.Body)
	if err != nil {
		return v.Response.Status, ""
	}
	return v.Response.Status, errorCode(b)
}

// errorCode is the "code" of a WordPress error envelope ("" when the body has none).
func errorCode(body []byte) string {
	v, err := wpjson.DecodeOrdered(body)
	if err != nil {
		return ""
	}
	o, ok := v.(*wpjson.Object)
	if !ok {
		return ""
	}
	c, _ := o.Get("code")
	switch t := c.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	}
	return ""
}

func verdictText(ok bool, status int, code string) string {
	if ok {
		return fmt.Sprintf("accepted (%d)", status)
	}
	return fmt.Sprintf("refused (%d %s)", status, code)
}

func goVerdictText(v rest.Verdict) string {
	if v.Accepted {
		return "accepted"
	}
	s, c := verdictStatusCode(v)
	return verdictText(false, s, c)
}
