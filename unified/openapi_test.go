package unified

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// exchange is one request of the scenario tests and the API's answer.
type exchange struct {
	method, target string
	header         map[string]string
	body           string
	status         int
	respHeader     http.Header
	respBody       []byte
}

var (
	exchangesMu sync.Mutex
	exchanges   []exchange
)

// recordExchange keeps every request the scenario tests send (env.signedAt, env.do) and its answer, for
// TestMain's validation against the OpenAPI document.
func recordExchange(method, target string, header map[string]string, body string, rec *httptest.ResponseRecorder) *httptest.ResponseRecorder {
	h := make(map[string]string, len(header))
	for k, v := range header {
		h[k] = v
	}
	exchangesMu.Lock()
	exchanges = append(exchanges, exchange{method: method, target: target, header: h, body: body, status: rec.Code,
		respHeader: rec.Header().Clone(), respBody: append([]byte(nil), rec.Body.Bytes()...)})
	exchangesMu.Unlock()
	return rec
}

// TestMain runs the package's tests, then validates every recorded request and answer against openapi.json:
// every answer must be one the document describes (status, headers, body schema); a request the document calls
// invalid must have been refused (4xx), and every request that succeeded must be valid per the document.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if failures, summary := validateExchanges(); len(failures) > 0 {
			fmt.Fprintf(os.Stderr, "--- FAIL: OpenAPI validation of the scenario tests' exchanges (%s)\n", summary)
			for _, f := range failures {
				fmt.Fprintln(os.Stderr, "    "+f)
			}
			code = 1
		} else {
			fmt.Fprintf(os.Stderr, "openapi: %s\n", summary)
		}
	}
	os.Exit(code)
}

// loadOpenAPI parses and validates the document (OpenAPI 3.1: JSON Schema 2020-12 for the schemas).
func loadOpenAPI() (*openapi3.T, routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPIDocument)
	if err != nil {
		return nil, nil, err
	}
	if !doc.IsOpenAPI31OrLater() {
		return nil, nil, fmt.Errorf("openapi %q: want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, nil, err
	}
	r, err := legacy.NewRouter(doc)
	return doc, r, err
}

func validateExchanges() (failures []string, summary string) {
	exchangesMu.Lock()
	list := append([]exchange(nil), exchanges...)
	exchangesMu.Unlock()
	if len(list) == 0 {
		return nil, "no exchange recorded (tests skipped?)"
	}
	doc, router, err := loadOpenAPI()
	if err != nil {
		return []string{"openapi.json: " + err.Error()}, "document invalid"
	}
	ctx := context.Background()
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	var refused, noRoute int
	statuses := map[int]int{}
	for _, x := range list {
		statuses[x.status]++
		name := fmt.Sprintf("%s %s → %d", x.method, x.target, x.status)
		req := httptest.NewRequest(x.method, x.target, strings.NewReader(x.body))
		for k, v := range x.header {
			req.Header.Set(k, v)
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			// Not a path or method the document describes: WordPress's rest_no_route, in this API's envelope.
			noRoute++
			if x.status != http.StatusNotFound {
				failures = append(failures, name+": the document has no such operation, yet the API answered it")
				continue
			}
			var v any
			if err := json.Unmarshal(x.respBody, &v); err != nil {
				failures = append(failures, name+": body is not JSON")
				continue
			}
			if err := doc.Components.Schemas["Error"].Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
				failures = append(failures, name+": not the error envelope: "+err.Error())
			}
			continue
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
		if reqErr := openapi3filter.ValidateRequest(ctx, in); reqErr != nil {
			if x.status < 400 || x.status >= 500 {
				failures = append(failures, fmt.Sprintf("%s: the document calls the request invalid (%v), yet the API answered %d", name, oneLine(reqErr), x.status))
			} else {
				refused++
			}
		}
		// The request's body was read by ValidateRequest; the response check only needs the route.
		in.Request = httptest.NewRequest(x.method, x.target, strings.NewReader(x.body))
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: x.status, Header: x.respHeader, Options: opts}
		out.SetBodyBytes(x.respBody)
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			failures = append(failures, fmt.Sprintf("%s: answer not as documented: %v\n      body %s", name, oneLine(err), clip(x.respBody)))
		}
	}
	var st []string
	for s, n := range statuses {
		st = append(st, fmt.Sprintf("%d×%d", n, s))
	}
	sort.Strings(st)
	return failures, fmt.Sprintf("%d exchanges validated against openapi.json (statuses %s); %d requests the document calls invalid were refused, %d outside its paths answered 404",
		len(list), strings.Join(st, " "), refused, noRoute)
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// The document is OpenAPI 3.1, valid, and served as is at GET /wp-json/wpsidecar/v1/openapi.json without a
// signature.
func TestOpenAPIDocumentServed(t *testing.T) {
	if _, _, err := loadOpenAPI(); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	e := newEnv(t)
	rec := e.do("GET", "/wp-json/wpsidecar/v1/openapi.json", nil, "")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	var served, kept any
	if err := json.Unmarshal(rec.Body.Bytes(), &served); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(OpenAPIDocument, &kept); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(served, kept) {
		t.Fatal("the served document differs from unified/openapi.json")
	}
	// The repository's copy is the embedded one.
	onDisk, err := os.ReadFile(wptest.RepoRoot() + "/unified/openapi.json")
	if err != nil || !bytes.Equal(onDisk, OpenAPIDocument) {
		t.Fatalf("unified/openapi.json differs from the embedded document: %v", err)
	}
}
