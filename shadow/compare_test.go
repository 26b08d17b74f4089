package shadow

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

func jsonAnswer(status int, body string, kv ...string) Answer {
	h := http.Header{"Content-Type": {"application/json; charset=UTF-8"}}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return Answer{Status: status, Header: h, Body: []byte(body)}
}

func diffLines(ds []Diff) string {
	var s []string
	for _, d := range ds {
		s = append(s, d.String())
	}
	return strings.Join(s, "\n")
}

func rulesFor(t *testing.T, c CompareConfig) *Rules {
	t.Helper()
	r, err := newRules(c, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCompareDiffNamesJSONPaths(t *testing.T) {
	r := DefaultRules()
	php := `{"customers":{"total":4,"data":[{"id":"1","email":"a@x"},{"id":"2","email":"b@x"},{"id":"3","email":"c@x"},{"id":"4","email":"a@x","tags":[]}]}}`
	if d := Compare(jsonAnswer(200, php), jsonAnswer(200, php), false, r); len(d) != 0 {
		t.Fatalf("identical answers differ: %s", diffLines(d))
	}
	// Whitespace and escaping differences are not differences of structure.
	pretty := strings.ReplaceAll(strings.ReplaceAll(php, ",", ", "), `"a@x"`, `"a\u0040x"`)
	if d := Compare(jsonAnswer(200, php), jsonAnswer(200, pretty), false, r); len(d) != 0 {
		t.Fatalf("same structure reported different: %s", diffLines(d))
	}
	gov := `{"customers":{"total":"4","data":[{"id":"1","email":"a@x"},{"id":"2","email":"b@x"},{"id":"3","email":"c@x"},{"id":"4","email":"b@x","tags":{}}],"extra":null}}`
	got := diffLines(Compare(jsonAnswer(200, php, "X-WP-Total", "4"), jsonAnswer(200, gov, "X-WP-Total", "5"), false, r))
	want := strings.Join([]string{
		`header X-WP-Total: php "4" go "5"`,
		`customers.total: php 4 go "4"`,
		`customers.data[3].email: php "a@x" go "b@x"`,
		`customers.data[3].tags: php [] go {}`,
		`customers.extra: php (absent) go null`,
	}, "\n")
	if got != want {
		t.Fatalf("diff:\n%s\nwant:\n%s", got, want)
	}
	ds := Compare(jsonAnswer(200, php), jsonAnswer(200, gov), false, r)
	if ds[1].Field != "customers.data[*].email" || ds[1].Path != "customers.data[3].email" {
		t.Fatalf("field %+v", ds[1])
	}
}

func TestCompareStatusHeadersAndShapes(t *testing.T) {
	r := DefaultRules()
	cases := []struct {
		name     string
		php, gov Answer
		head     bool
		want     string
	}{
		{"status", jsonAnswer(200, `{}`), jsonAnswer(404, `{}`), false, `status: php 200 go 404`},
		{"content type", jsonAnswer(200, `1`), jsonAnswer(200, `1`, "Content-Type", "application/json"), false,
			`header Content-Type: php "application/json; charset=UTF-8" go "application/json"`},
		{"absent header", jsonAnswer(200, `[]`, "Allow", "GET, POST"), jsonAnswer(200, `[]`), false, `header Allow: php "GET, POST" go (absent)`},
		{"uncompared header", jsonAnswer(200, `[]`, "Date", "x", "X-Request-Id", "1"), jsonAnswer(200, `[]`, "Date", "y"), false, ``},
		{"array length", jsonAnswer(200, `[1,2,3]`), jsonAnswer(200, `[1,2]`), false, `(body): php 3 items go 2 items`},
		{"root type", jsonAnswer(200, `[]`), jsonAnswer(200, `{}`), false, `(body): php [] go {}`},
		{"number text", jsonAnswer(200, `{"a":1.0}`), jsonAnswer(200, `{"a":1}`), false, `a: php 1.0 go 1`},
		{"bool vs int", jsonAnswer(200, `{"a":true}`), jsonAnswer(200, `{"a":1}`), false, `a: php true go 1`},
		{"key order", jsonAnswer(200, `{"o":{"a":1,"b":2}}`), jsonAnswer(200, `{"o":{"b":2,"a":1}}`), false, `o (key order): php a,b go b,a`},
		{"odd key", jsonAnswer(200, `{"a.b":1}`), jsonAnswer(200, `{"a.b":2}`), false, `["a.b"]: php 1 go 2`},
		{"non-JSON", Answer{Status: 200, Header: http.Header{"Content-Type": {"application/json; charset=UTF-8"}}, Body: []byte("<html>")}, jsonAnswer(200, `{}`), false,
			`(body): php non-JSON 6 bytes "<html>" go JSON 2 bytes "{}"`},
		{"HEAD ignores bodies", jsonAnswer(200, ``), jsonAnswer(200, `{"a":1}`), true, ``},
		{"credential values are not written", jsonAnswer(200, `{"user":{"password":"hunter2"}}`), jsonAnswer(200, `{"user":{"password":"x"}}`), false,
			`user.password: php [REDACTED] go [REDACTED]`},
	}
	for _, tc := range cases {
		if got := diffLines(Compare(tc.php, tc.gov, tc.head, r)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	noOrder := false
	r2 := rulesFor(t, CompareConfig{KeyOrder: &noOrder, Headers: []string{"x-custom"}})
	if d := Compare(jsonAnswer(200, `{"a":1,"b":2}`, "X-Custom", "1"), jsonAnswer(200, `{"b":2,"a":1}`, "X-Custom", "1"), false, r2); len(d) != 0 {
		t.Errorf("key_order=false still compares order: %s", diffLines(d))
	}
}

// The normalisation list: ignored values and request-generated times do not count; everything else does.
func TestCompareNormalisation(t *testing.T) {
	r := rulesFor(t, CompareConfig{Ignore: []string{"meta.generated", "items[*].cache_key"}, Timestamps: []string{"**.now", "[*].at"}, TimeTolerance: 2 * time.Second})
	php := `{"nonce":"abc","meta":{"generated":"x","now":"2026-05-01T10:00:00+00:00","request_id":"r1"},"items":[{"cache_key":"k1","id":1}],"deep":{"x":{"_wpnonce":"n1"}}}`
	gov := `{"nonce":"def","meta":{"generated":"y","now":"2026-05-01 10:00:01","request_id":"r2"},"items":[{"cache_key":"k2","id":1}],"deep":{"x":{"_wpnonce":"n2"}}}`
	if d := Compare(jsonAnswer(200, php), jsonAnswer(200, gov), false, r); len(d) != 0 {
		t.Fatalf("normalised values reported: %s", diffLines(d))
	}
	late := strings.Replace(gov, "10:00:01", "10:00:03", 1)
	if got := diffLines(Compare(jsonAnswer(200, php), jsonAnswer(200, late), false, r)); got != `meta.now: php "2026-05-01T10:00:00+00:00" go "2026-05-01 10:00:03"` {
		t.Fatalf("time outside the tolerance: %q", got)
	}
	// An ignored key must still exist on both sides (a nonce is a credential: its value is not written).
	missing := strings.Replace(gov, `"nonce":"def",`, "", 1)
	if got := diffLines(Compare(jsonAnswer(200, php), jsonAnswer(200, missing), false, r)); got != `nonce: php [REDACTED] go (absent)` {
		t.Fatalf("missing ignored key: %q", got)
	}
	// Unix timestamps (seconds / milliseconds) at timestamp paths.
	if d := Compare(jsonAnswer(200, `[{"at":1700000000}]`), jsonAnswer(200, `[{"at":1700000001000}]`), false, r); len(d) != 0 {
		t.Fatalf("unix times: %s", diffLines(d))
	}
}

func TestCompareCapsDiffs(t *testing.T) {
	var a, b []string
	for i := 0; i < 80; i++ {
		a = append(a, `"a"`)
		b = append(b, `"b"`)
	}
	ds := Compare(jsonAnswer(200, "["+strings.Join(a, ",")+"]"), jsonAnswer(200, "["+strings.Join(b, ",")+"]"), false, DefaultRules())
	if len(ds) != maxDiffs+1 || ds[maxDiffs].String() != "…: php 30 more differences go not listed" {
		t.Fatalf("%d diffs, last %v", len(ds), ds[len(ds)-1])
	}
}

func TestPathPatterns(t *testing.T) {
	p := func(keys ...any) jsonPath {
		var out jsonPath
		for _, k := range keys {
			if i, ok := k.(int); ok {
				out = out.at(i)
			} else {
				out = out.key(k.(string))
			}
		}
		return out
	}
	cases := []struct {
		pattern string
		path    jsonPath
		want    bool
	}{
		{"a.b", p("a", "b"), true},
		{"$.a.b", p("a", "b"), true},
		{"a.b", p("a", "b", "c"), false},
		{"a[*].b", p("a", 7, "b"), true},
		{"a[*].b", p("a", "x", "b"), false},
		{"a[2].b", p("a", 2, "b"), true},
		{"a[2].b", p("a", 3, "b"), false},
		{"*.b", p("x", "b"), true},
		{"*.b", p(0, "b"), true},
		{"**.nonce", p("nonce"), true},
		{"**.nonce", p("a", 1, "b", "nonce"), true},
		{"**.nonce", p("a", "nonce", "x"), false},
		{"a.**", p("a", "b", "c"), true},
		{`["a.b"].c`, p("a.b", "c"), true},
		{"[*]", p(3), true},
	}
	for _, tc := range cases {
		pat, err := parsePattern(tc.pattern)
		if err != nil {
			t.Fatalf("%s: %v", tc.pattern, err)
		}
		if got := pat.match(tc.path); got != tc.want {
			t.Errorf("%s ~ %s: %v, want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
	for _, bad := range []string{"", "a..b", "a[", "a[x]", `["a`} {
		if _, err := parsePattern(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCompareVerdict(t *testing.T) {
	refused := func(status int, code string) rest.Verdict {
		return rest.Verdict{Verifiable: true, Response: rest.NewError(code, "msg", status).Response()}
	}
	cases := []struct {
		name string
		php  Answer
		v    rest.Verdict
		want string
	}{
		{"both accept", jsonAnswer(201, `{"id":5}`), rest.Verdict{Verifiable: true, Accepted: true}, ``},
		{"both refuse alike", jsonAnswer(400, `{"code":"rest_invalid_param","message":"m","data":{"status":400}}`), refused(400, "rest_invalid_param"), ``},
		{"PHP accepts, Go refuses", jsonAnswer(200, `{"id":5}`), refused(422, "invalid_email"), `verdict: php accepted (200) go refused (422 invalid_email)`},
		{"PHP refuses, Go accepts", jsonAnswer(403, `{"code":"rest_forbidden"}`), rest.Verdict{Verifiable: true, Accepted: true}, `verdict: php refused (403 rest_forbidden) go accepted`},
		{"other code", jsonAnswer(400, `{"code":"a"}`), refused(400, "b"), `code: php "a" go "b"`},
		{"other status", jsonAnswer(401, `{"code":"a"}`), refused(403, "a"), `status: php 401 go 403`},
	}
	for _, tc := range cases {
		if got := diffLines(CompareVerdict(tc.php, tc.v)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
