package wptest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Scenario is one request through the full router and what must come back.
type Scenario struct {
	Name       string
	Method     string
	URL        string            // path and query, e.g. "/wp-json/fluent-cart/v2/customers?page=1"
	Header     map[string]string // request headers
	Body       string
	Status     int               // expected HTTP status
	Golden     string            // file under testdata/golden/ whose bytes the body must equal exactly
	WantBody   string            // or: the exact body inline
	WantHeader map[string]string // headers that must have exactly these values ("" = must be absent)
	Setup      func(t *testing.T)
	Check      func(t *testing.T, rec *httptest.ResponseRecorder)
}

// Do sends one request to h and returns the recorded answer.
func Do(h http.Handler, method, url string, header map[string]string, body string) *httptest.ResponseRecorder {
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	var req *http.Request
	if rd != nil {
		req = httptest.NewRequest(method, url, rd)
	} else {
		req = httptest.NewRequest(method, url, nil)
	}
	req.RemoteAddr = "127.0.0.1:40000"
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// Run runs scenarios as subtests, comparing status, headers and the exact body bytes.
func Run(t *testing.T, h http.Handler, scenarios []Scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			if sc.Setup != nil {
				sc.Setup(t)
			}
			method := sc.Method
			if method == "" {
				method = http.MethodGet
			}
			rec := Do(h, method, sc.URL, sc.Header, sc.Body)
			if sc.Status != 0 && rec.Code != sc.Status {
				t.Errorf("%s %s: status %d, want %d; body %s", method, sc.URL, rec.Code, sc.Status, rec.Body.String())
			}
			want := sc.WantBody
			if sc.Golden != "" {
				want = string(Golden(t, sc.Golden))
			}
			if sc.Golden != "" || sc.WantBody != "" {
				if got := rec.Body.String(); got != want {
					t.Errorf("%s %s: body differs\n got: %s\nwant: %s\n%s", method, sc.URL, got, want, FirstDiff(got, want))
				}
			}
			for k, v := range sc.WantHeader {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s %s: header %s = %q, want %q", method, sc.URL, k, got, v)
				}
			}
			if sc.Check != nil {
				sc.Check(t, rec)
			}
		})
	}
}

// Golden reads testdata/golden/<name> (trailing newlines are not part of the body).
func Golden(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(RepoRoot(), "testdata", "golden", name))
	if err != nil {
		t.Fatalf("golden file: %v", err)
	}
	return bytes.TrimRight(b, "\r\n")
}

// FirstDiff describes where two strings first differ.
func FirstDiff(got, want string) string {
	n := len(got)
	if len(want) < n {
		n = len(want)
	}
	for i := 0; i < n; i++ {
		if got[i] != want[i] {
			lo := i - 40
			if lo < 0 {
				lo = 0
			}
			return "first difference at byte " + itoa(i) + ": got …" + clip(got[lo:], 80) + " want …" + clip(want[lo:], 80)
		}
	}
	return "lengths differ: got " + itoa(len(got)) + " want " + itoa(len(want))
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }
