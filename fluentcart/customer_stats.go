package fluentcart

// GET /customers/get-stats/{customer} — CustomerController::getStats: the fluent_cart/widgets/single_customer
// filter over [] (no listener in the free plugin), so always {"widgets":[]}; no 404 for an unknown id (§5.6).

import (
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

func (a *api) customerStats(r *rest.Request) (*rest.Response, error) {
	return rest.OK(wpjson.NewObject().Set("widgets", []any{})), nil
}
