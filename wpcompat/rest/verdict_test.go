package rest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Verdict judges a write the way ServeHTTP would answer it, without running the callback.
func TestVerdictStopsBeforeTheCallback(t *testing.T) {
	rt := NewRouter(nil, nil)
	ran := false
	write := func(*Request) (*Response, error) { ran = true; return OK("written"), nil }
	rt.Register("t/v1", "/items/(?P<id>[0-9]+)",
		Handler{Methods: "GET", Callback: func(*Request) (*Response, error) { return OK("item"), nil }},
		Handler{Methods: "PUT, PATCH", Callback: write, Validate: func(r *Request) error {
			if v, _ := r.ParamString("email"); !strings.Contains(v, "@") {
				return NewError("invalid_email", "Bad email.", http.StatusUnprocessableEntity)
			}
			return nil
		}},
		Handler{Methods: "DELETE", Callback: write, Permission: func(r *Request) error {
			return NewError("rest_forbidden", "Sorry.", http.StatusUnauthorized)
		}},
	)
	rt.Register("t/v1", "/plain", Handler{Methods: "POST", Callback: write})

	req := func(method, target, body string) *http.Request {
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		return r.WithContext(WithDryRun(r.Context()))
	}
	cases := []struct {
		name                 string
		r                    *http.Request
		verifiable, accepted bool
		status               int
	}{
		{"valid", req("PUT", "/wp-json/t/v1/items/3", `{"email":"a@x"}`), true, true, 0},
		{"invalid", req("PATCH", "/wp-json/t/v1/items/3", `{"email":"nope"}`), true, false, 422},
		{"bad JSON is judged before the handler", req("PUT", "/wp-json/t/v1/items/3", `{`), true, false, 400},
		{"permission", req("DELETE", "/wp-json/t/v1/items/3", ""), true, false, 401},
		{"no route", req("PUT", "/wp-json/t/v1/nothing", ""), true, false, 404},
		{"no Validate hook", req("POST", "/wp-json/t/v1/plain", `{}`), false, false, 0},
	}
	for _, tc := range cases {
		v := rt.Verdict(tc.r)
		status := 0
		if v.Response != nil {
			status = v.Response.Status
		}
		if v.Verifiable != tc.verifiable || v.Accepted != tc.accepted || status != tc.status {
			t.Errorf("%s: %+v (status %d)", tc.name, v, status)
		}
	}
	if ran {
		t.Fatal("Verdict ran a callback")
	}
	if !DryRun(cases[0].r.Context()) || DryRun(context.Background()) {
		t.Fatal("DryRun marker")
	}
}

func TestPatternsAndRouteOf(t *testing.T) {
	rt := NewRouter(nil, nil)
	h := func(*Request) (*Response, error) { return OK(nil), nil }
	rt.Register("fluent-cart/v2", "/customers", Handler{Methods: "GET", Callback: h}, Handler{Methods: "POST", Callback: h, Validate: func(*Request) error { return nil }})
	rt.Register("fluent-cart/v2", "/customers/(?P<customerId>[0-9]+)", Handler{Methods: "GET", Callback: h})
	var got []string
	for _, ri := range rt.Patterns() {
		got = append(got, strings.Join(ri.Methods, ",")+" "+ri.Pattern)
		if ri.Validates != (ri.Methods[0] == "POST") {
			t.Errorf("Validates %+v", ri)
		}
	}
	if strings.Join(got, "|") != "GET /fluent-cart/v2/customers|POST /fluent-cart/v2/customers|GET /fluent-cart/v2/customers/(?P<customerId>[0-9]+)" {
		t.Fatalf("patterns %v", got)
	}
	if p, ok := rt.MatchPattern("GET", "/fluent-cart/v2/customers/12"); !ok || p != "/fluent-cart/v2/customers/(?P<customerId>[0-9]+)" {
		t.Fatalf("MatchPattern %q %v", p, ok)
	}
	if _, ok := rt.MatchPattern("DELETE", "/fluent-cart/v2/customers/12"); ok {
		t.Fatal("a method without a handler matched")
	}
	for target, want := range map[string]string{
		"/wp-json/fluent-cart/v2/customers/7":            "GET /fluent-cart/v2/customers/(?P<customerId>[0-9]+)",
		"/?rest_route=/fluent-cart/v2/customers":         "GET /fluent-cart/v2/customers",
		"/wp-json/fluent-cart/v2/customers?_method=POST": "POST /fluent-cart/v2/customers",
		"/index.php/wp-json/fluent-cart/v2/customers/7/": "GET /fluent-cart/v2/customers/(?P<customerId>[0-9]+)",
		"/wp-json/wp/v2/posts":                           "",
		"/about/":                                        "",
	} {
		m, p, ok := rt.RouteOf(httptest.NewRequest("GET", target, nil))
		if got := strings.TrimSpace(m + " " + p); got != want || ok != (want != "") {
			t.Errorf("%s: %q %v, want %q", target, got, ok, want)
		}
	}
}
