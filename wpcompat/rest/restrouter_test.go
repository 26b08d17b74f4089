package rest_test

import (
	"net/http"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// fakeUser authenticates "Bearer-less" test requests by header, so router behaviour can be tested apart from the
// real credential checks (which have their own tests against real WordPress data).
type headerAuth struct{}

func (headerAuth) Authenticate(r *rest.Request) error {
	switch r.HTTP.Header.Get("X-Test-User") {
	case "admin":
		r.User = &wpcompat.User{ID: 1, Login: "admin", AllCaps: map[string]bool{"manage_options": true, "read": true}}
	case "sub":
		r.User = &wpcompat.User{ID: 3, Login: "sub", AllCaps: map[string]bool{"read": true}}
	}
	return nil
}

func testRouter(t *testing.T) (*rest.Router, *wptest.DB) {
	t.Helper()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Schemas: []string{"wordpress"}})
	db.Exec(t, "INSERT INTO {prefix}options (option_name, option_value, autoload) VALUES ('home','http://example.test','on'), ('siteurl','http://example.test','on'), ('permalink_structure','/%postname%/','on')")
	rt := rest.NewRouter(db.Site, headerAuth{})
	echo := func(name string) func(*rest.Request) (*rest.Response, error) {
		return func(r *rest.Request) (*rest.Response, error) {
			body := wpjson.NewObject().Set("handler", name).Set("method", r.Method).Set("route", r.Route)
			params := wpjson.NewObject()
			for _, k := range []string{"id", "name", "q", "with"} {
				if v, ok := r.Param(k); ok {
					params.Set(k, v)
				}
			}
			body.Set("params", params)
			return rest.OK(body), nil
		}
	}
	admin := func(r *rest.Request) error {
		if r.User.Can("manage_options") {
			return nil
		}
		return rest.Forbidden(r)
	}
	rt.Register("test/v1", "/items", rest.Handler{Methods: "GET", Callback: echo("list")},
		rest.Handler{Methods: "POST", Permission: admin, Callback: echo("create")})
	rt.Register("test/v1", "/items/static", rest.Handler{Methods: "GET", Callback: echo("static")})
	rt.Register("test/v1", "/items/(?P<id>[0-9]+)", rest.Handler{Methods: "GET", Callback: echo("get")},
		rest.Handler{Methods: "PUT, PATCH", Permission: admin, Callback: echo("update")})
	rt.Register("test/v1", "/items/(?P<name>[^\\s(?!/)]+)", rest.Handler{Methods: "GET, DELETE", Callback: echo("byname")})
	return rt, db
}

func TestRouterMatchesLikeWordPress(t *testing.T) {
	t.Parallel()
	rt, _ := testRouter(t)
	noRoute := `{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`
	wptest.Run(t, rt, []wptest.Scenario{
		{Name: "pretty", URL: "/wp-json/test/v1/items/12", Status: 200,
			WantBody: `{"handler":"get","method":"GET","route":"\/test\/v1\/items\/(?P<id>[0-9]+)","params":{"id":"12"}}`},
		{Name: "index.php form", URL: "/index.php/wp-json/test/v1/items/12", Status: 200,
			WantBody: `{"handler":"get","method":"GET","route":"\/test\/v1\/items\/(?P<id>[0-9]+)","params":{"id":"12"}}`},
		{Name: "rest_route form", URL: "/?rest_route=/test/v1/items/12&q=x", Status: 200,
			WantBody: `{"handler":"get","method":"GET","route":"\/test\/v1\/items\/(?P<id>[0-9]+)","params":{"id":"12","q":"x"}}`},
		{Name: "trailing slash and case", URL: "/wp-json/TEST/V1/ITEMS/12/", Status: 200,
			WantBody: `{"handler":"get","method":"GET","route":"\/test\/v1\/items\/(?P<id>[0-9]+)","params":{"id":"12"}}`},
		{Name: "static before param (registration order)", URL: "/wp-json/test/v1/items/static", Status: 200,
			WantBody: `{"handler":"static","method":"GET","route":"\/test\/v1\/items\/static","params":{}}`},
		{Name: "digits route misses, later default-regex route answers", URL: "/wp-json/test/v1/items/12abc", Status: 200,
			WantBody: `{"handler":"byname","method":"GET","route":"\/test\/v1\/items\/(?P<name>[^\\s(?!\/)]+)","params":{"name":"12abc"}}`},
		{Name: "method not on first matching route falls through", Method: "DELETE", URL: "/wp-json/test/v1/items/12", Status: 200,
			WantBody: `{"handler":"byname","method":"DELETE","route":"\/test\/v1\/items\/(?P<name>[^\\s(?!\/)]+)","params":{"name":"12"}}`},
		{Name: "no handler for method anywhere is 404 not 405", Method: "POST", URL: "/wp-json/test/v1/items/12", Status: 404, WantBody: noRoute},
		{Name: "unknown route", URL: "/wp-json/test/v1/nope", Status: 404, WantBody: noRoute},
		{Name: "rest_route without leading slash", URL: "/?rest_route=test/v1/items", Status: 404, WantBody: noRoute},
		{Name: "rest_route array", URL: "/?rest_route[]=x", Status: 400,
			WantBody: `{"code":"rest_path_invalid_type","message":"The REST route parameter must be a string.","data":{"status":400}}`},
		{Name: "_method override", Method: "GET", URL: "/wp-json/test/v1/items/12?_method=delete", Status: 200,
			WantBody: `{"handler":"byname","method":"DELETE","route":"\/test\/v1\/items\/(?P<name>[^\\s(?!\/)]+)","params":{"name":"12"}}`},
		{Name: "header override", Method: "POST", URL: "/wp-json/test/v1/items/12", Header: map[string]string{"X-HTTP-Method-Override": "PUT", "X-Test-User": "admin"}, Status: 200,
			WantBody: `{"handler":"update","method":"PUT","route":"\/test\/v1\/items\/(?P<id>[0-9]+)","params":{"id":"12"}}`},
		{Name: "anonymous forbidden 401", Method: "POST", URL: "/wp-json/test/v1/items", Status: 401,
			WantBody:   `{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":401}}`,
			WantHeader: map[string]string{"Allow": "GET"}},
		{Name: "logged in forbidden 403", Method: "POST", URL: "/wp-json/test/v1/items", Header: map[string]string{"X-Test-User": "sub"}, Status: 403,
			WantBody:   `{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":403}}`,
			WantHeader: map[string]string{"Allow": "GET", "Cache-Control": "no-cache, must-revalidate, max-age=0, no-store, private"}},
		{Name: "allow lists permitted methods", URL: "/wp-json/test/v1/items/5", Header: map[string]string{"X-Test-User": "admin"}, Status: 200,
			WantHeader: map[string]string{"Allow": "GET, PUT, PATCH"}},
		{Name: "invalid JSON is 400 before permission", Method: "POST", URL: "/wp-json/test/v1/items", Header: map[string]string{"Content-Type": "application/json"}, Body: `{"name":`, Status: 400,
			WantBody: `{"code":"rest_invalid_json","message":"Invalid JSON body passed.","data":{"status":400,"json_error_code":4,"json_error_message":"Syntax error"}}`},
		{Name: "param precedence json > query", Method: "POST", URL: "/wp-json/test/v1/items?name=query&q=fromquery", Header: map[string]string{"Content-Type": "application/json", "X-Test-User": "admin"}, Body: `{"name":"json"}`, Status: 200,
			WantBody: `{"handler":"create","method":"POST","route":"\/test\/v1\/items","params":{"name":"json","q":"fromquery"}}`},
		{Name: "form body over query", Method: "PUT", URL: "/wp-json/test/v1/items/3?name=query", Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "X-Test-User": "admin"}, Body: `name=form&with[]=a&with[]=b`, Status: 200,
			WantBody: `{"handler":"update","method":"PUT","route":"\/test\/v1\/items\/(?P<id>[0-9]+)","params":{"id":"3","name":"form","with":["a","b"]}}`},
		{Name: "_fields", URL: "/wp-json/test/v1/items/12?_fields=handler,params.id", Status: 200,
			WantBody: `{"handler":"get","params":{"id":"12"}}`},
		{Name: "_envelope", URL: "/wp-json/test/v1/items?_envelope", Status: 200,
			WantBody: `{"body":{"handler":"list","method":"GET","route":"\/test\/v1\/items","params":{}},"status":200,"headers":{"Allow":"GET"}}`},
		{Name: "_envelope error", Method: "POST", URL: "/wp-json/test/v1/items?_envelope=1", Status: 200,
			WantBody: `{"body":{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":401}},"status":401,"headers":{"Allow":"GET"}}`},
		{Name: "_jsonp disabled", URL: "/wp-json/test/v1/items?_jsonp=cb", Status: 400,
			WantBody: `{"code":"rest_callback_disabled","message":"JSONP support is disabled on this site."}`},
		{Name: "HEAD has no body", Method: "HEAD", URL: "/wp-json/test/v1/items", Status: 200, WantBody: ""},
		{Name: "always headers", URL: "/wp-json/test/v1/items", Status: 200, WantHeader: map[string]string{
			"Content-Type": "application/json; charset=UTF-8", "X-Robots-Tag": "noindex", "X-Content-Type-Options": "nosniff",
			"Link":                          `<http://example.test/wp-json/>; rel="https://api.w.org/"`,
			"Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
			"Access-Control-Allow-Headers":  "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type",
			"Vary":                          "Origin", "Cache-Control": "", "Allow": "GET"}},
		{Name: "CORS echoes origin", URL: "/wp-json/test/v1/items", Header: map[string]string{"Origin": "https://app.example"}, Status: 200, WantHeader: map[string]string{
			"Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Credentials": "true",
			"Access-Control-Allow-Methods": "OPTIONS, GET, POST, PUT, PATCH, DELETE"}},
		{Name: "OPTIONS describes the route", Method: "OPTIONS", URL: "/wp-json/test/v1/items", Status: 200,
			WantBody:   `{"namespace":"test\/v1","methods":["GET","POST"],"endpoints":[{"methods":["GET"],"args":[]},{"methods":["POST"],"args":[]}],"_links":{"self":[{"href":"http:\/\/example.test\/wp-json\/test\/v1\/items"}]}}`,
			WantHeader: map[string]string{"Allow": "GET"}},
		{Name: "OPTIONS unknown route", Method: "OPTIONS", URL: "/wp-json/test/v1/zzz", Status: 200, WantBody: `[]`, WantHeader: map[string]string{"Allow": ""}},
		{Name: "not a REST URL", URL: "/about/", Status: 404, WantBody: noRoute},
	})
}

func TestRouterOwns(t *testing.T) {
	t.Parallel()
	rt, _ := testRouter(t)
	for _, c := range []struct {
		method, url string
		want        bool
	}{
		{"GET", "/wp-json/test/v1/items/3", true},
		{"POST", "/wp-json/test/v1/items/3", false},
		{"GET", "/?rest_route=/test/v1/items", true},
		{"GET", "/wp-json/wp/v2/posts", false},
		{"GET", "/wp-admin/", false},
	} {
		req, _ := http.NewRequest(c.method, "http://x"+c.url, nil)
		if got := rt.Owns(req); got != c.want {
			t.Errorf("Owns(%s %s) = %v", c.method, c.url, got)
		}
	}
}
