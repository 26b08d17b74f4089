// Package fluentcart answers FluentCart 1.3.25's admin customers REST API (namespace fluent-cart/v2) from the
// plugin's own fct_* tables, byte for byte like the PHP plugin (contract: shared/spec/fluentcart-customers.md).
package fluentcart

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Namespace is FluentCart's REST namespace (config/app.php rest_namespace + rest_version).
const Namespace = "fluent-cart/v2"

// Path regexes of the framework's Route::compileRoute: ->int() gives digits, everything else the default class
// (one or more characters that are neither whitespace nor one of "(?!/)").
const (
	reDigits  = `[0-9]+`
	reDefault = `[^\s(?!/)]+`
)

// Route patterns of app/Http/Routes/api.php (group "customers"), in registration order. Paths are relative to
// the namespace.
const (
	PathCustomers       = "/customers"
	PathStats           = "/customers/get-stats/(?P<customer>" + reDefault + ")"
	PathAttachableUsers = "/customers/attachable-user"
	PathAttachUser      = "/customers/(?P<customerId>" + reDefault + ")/attachable-user"
	PathDetachUser      = "/customers/(?P<customerId>" + reDefault + ")/detach-user"
	PathCustomerDigits  = "/customers/(?P<customerId>" + reDigits + ")"
	PathCustomerOrder   = "/customers/(?P<customerId>" + reDigits + ")/order"
	PathCustomer        = "/customers/(?P<customerId>" + reDefault + ")"
	PathAdditionalInfo  = "/customers/(?P<customerId>" + reDefault + ")/additional-info"
	PathBulkAction      = "/customers/do-bulk-action"
	PathCustomerOrders  = "/customers/(?P<customerId>" + reDefault + ")/orders"
	PathAddress         = "/customers/(?P<customerId>" + reDefault + ")/address"
	PathAddressPrimary  = "/customers/(?P<customerId>" + reDefault + ")/address/make-primary"
	PathRecalculateLTV  = "/customers/(?P<customerId>" + reDigits + ")/recalculate-ltv"
)

// Options tunes the FluentCart routes.
type Options struct {
	// KeepOmittedFields makes PUT /customers/{id} and PUT /customers/{id}/address keep the stored value of every
	// field the request omits. Off by default: PHP writes '' / 0 for omitted fields (spec §5.4, DEVIATIONS.md).
	KeepOmittedFields bool
	// ProActive overrides whether FluentCart Pro counts as loaded (PHP checks FLUENTCART_PRO_PLUGIN_VERSION).
	// nil reads active_plugins for fluent-cart-pro/fluent-cart-pro.php.
	ProActive *bool

	testHooks *testHooks // failpoints, set only by tests (export_test.go); nil in production
}

// api holds the dependencies of every handler.
type api struct {
	site  *wpcompat.Site
	store *store
	perm  *permissions
	opts  Options
}

// Register adds the customers routes to rt in FluentCart's registration order, then the storefront handlers
// that app/Http/Routes/frontend_routes.php registers on the same patterns (they answer GET /customers/{x} for
// non-digit x and take part in the Allow header), and FluentCart's 404 decorator.
func Register(rt *rest.Router, site *wpcompat.Site, opts Options) {
	st := newStore(site)
	a := &api{site: site, store: st, perm: &permissions{site: site, store: st, opts: opts}, opts: opts}
	view, manage, del := a.perm.require(permView), a.perm.require(permManage), a.perm.require(permDelete)
	h := func(method string, perm func(*rest.Request) error, cb func(*rest.Request) (*rest.Response, error)) rest.Handler {
		return rest.Handler{Methods: method, Permission: perm, Callback: withFields(cb)}
	}
	reg := func(path string, hs ...rest.Handler) {
		// Route::compileRoute declares every path parameter to WordPress as required (shown by OPTIONS).
		if m := groupNames.FindAllStringSubmatch(path, -1); m != nil {
			args := wpjson.NewObject()
			for _, g := range m {
				args.Set(g[1], wpjson.NewObject().Set("required", true))
			}
			for i := range hs {
				hs[i].Args = args
			}
		}
		rt.Register(Namespace, path, hs...)
	}
	reg(PathCustomers, h("GET", view, a.listCustomers), h("POST", manage, a.createCustomer))
	reg(PathStats, h("GET", view, a.customerStats))
	reg(PathAttachableUsers, h("GET", manage, a.attachableUsers))
	reg(PathAttachUser, h("POST", manage, a.attachUser))
	reg(PathDetachUser, h("POST", manage, a.detachUser))
	getOne := h("GET", view, a.getCustomer)
	getOne.Prefetch = func(r *rest.Request) *wpcompat.Prefetch {
		// The admin screen's request, without `with`: the customer and its labels in one statement
		// (findCustomerWithLabels) that can ride with the authentication query.
		for k := range r.Query {
			if strings.HasPrefix(k, "with") {
				return nil
			}
		}
		return st.customerPrefetch(r.URLParams["customerId"])
	}
	reg(PathCustomerDigits, getOne)
	reg(PathCustomerOrder, h("GET", view, a.customerOrder))
	reg(PathCustomer, h("PUT", manage, a.updateCustomer))
	reg(PathAdditionalInfo, h("PUT", manage, a.updateLabels))
	reg(PathBulkAction, h("POST", manage, a.bulkAction))
	reg(PathCustomerOrders, h("GET", view, a.customerOrders))
	reg(PathAddress, h("GET", view, a.listAddresses), h("PUT", manage, a.updateAddress),
		h("POST", manage, a.createAddress), h("DELETE", del, a.deleteAddress))
	reg(PathAddressPrimary, h("POST", manage, a.makePrimary))
	reg(PathRecalculateLTV, h("POST", manage, a.recalculateLTV))

	// Storefront (frontend_routes.php, CustomerFrontendPolicy). Only getDetails is ever dispatched: on the other
	// shared patterns an admin handler with the same method comes first.
	reg(PathCustomer, h("GET", loggedIn, a.storefrontDetails), h("PUT", loggedIn, shadowed))
	reg(PathCustomerOrders, h("GET", loggedIn, shadowed))
	reg(PathAddress, h("PUT", loggedIn, shadowed), h("DELETE", loggedIn, shadowed))
	reg(PathAddressPrimary, h("POST", loggedIn, shadowed))

	rt.Hook("/fluent-cart", a.decorateNotFound)
}

var groupNames = regexp.MustCompile(`\(\?P<(\w+)>`)

// shadowed is a storefront handler that WordPress never dispatches (an earlier handler on its pattern takes the
// method); it exists so the Allow header lists what PHP lists.
func shadowed(*rest.Request) (*rest.Response, error) {
	return nil, rest.NoRoute()
}

// decorateNotFound is the framework's rest_pre_serve_request filter (Foundation/Application.php preServeRequest,
// customizeNotFoundResponse): a 404 whose route starts with "fluent-cart" gets data.wpfluent. It runs after
// _envelope in PHP, so enveloped answers (status 200) are left alone.
func (a *api) decorateNotFound(r *rest.Request, resp *rest.Response) {
	if resp == nil || resp.Status != http.StatusNotFound {
		return
	}
	if !strings.HasPrefix(strings.TrimLeft(r.Path, "/"), "fluent-cart") { // str_starts_with: case-sensitive
		return
	}
	if _, env := r.QueryParams().Get("_envelope"); env {
		return
	}
	if strings.HasSuffix(r.Path, "__endpoints") {
		resp.Status = http.StatusOK
		resp.Body = []any{}
		return
	}
	body, ok := resp.Body.(*wpjson.Object)
	if !ok {
		return
	}
	wpf := wpjson.NewObject()
	if a.site.Config.Bool("WP_DEBUG") {
		wpf.Set("env", "dev").Set("method", r.Method).Set("request_url", requestURL(r, a.site)).
			Set("route_params", urlParams(r)).Set("query_params", phpParams(r.QueryParams())).
			Set("body_params", phpParams(r.BodyParams()))
	} else {
		wpf.Set("env", "production")
	}
	data, _ := body.Get("data")
	switch d := data.(type) {
	case *wpjson.Object:
		d.Set("wpfluent", wpf)
	case nil:
		body.Set("data", wpjson.NewObject().Set("wpfluent", wpf))
	}
}

func urlParams(r *rest.Request) any {
	if len(r.URLParams) == 0 {
		return []any{}
	}
	o := wpjson.NewObject()
	for k, v := range r.URLParams {
		o.Set(k, v)
	}
	return o
}

// phpParams is a parameter bag as json_encode prints a PHP array (empty -> []).
func phpParams(o *wpjson.Object) any {
	if o.Len() == 0 {
		return []any{}
	}
	return o
}

// requestURL is the framework's Request::url(): get_site_url() + rtrim(REQUEST_URI, '/') without the query.
func requestURL(r *rest.Request, site *wpcompat.Site) string {
	siteURL, _ := site.SiteURL(r.Ctx())
	scheme := "http"
	if isSSL(r) {
		scheme = "https"
	}
	uri := r.HTTP.RequestURI
	if uri == "" {
		uri = r.HTTP.URL.RequestURI()
	}
	u := withScheme(siteURL, scheme) + strings.TrimRight(uri, "/")
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	return u
}
