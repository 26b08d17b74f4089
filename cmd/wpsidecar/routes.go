package main

import (
	"context"

	"github.com/wpsidecar/wpsidecar/fluentcart"
	"github.com/wpsidecar/wpsidecar/latepoint"
	"github.com/wpsidecar/wpsidecar/unified"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// routeOptions are the command-line settings some route packages need.
type routeOptions struct {
	secretsKeyFile    string            // --secrets-key-file: the key of the unified API's client secrets
	auth              authn.AuthOptions // --trusted-proxies, --app-password-errors, --brute-force
	keepOmittedFields bool              // --fluentcart-keep-omitted: FluentCart updates keep omitted fields
}

// registerRoutes registers every route the sidecar owns, in WordPress's registration order. Registration runs no
// query (route tables are also built without a database); opts, when given, carries command-line settings.
// It returns the background work to stop after the HTTP server has shut down (audit rows, rate-limit reservations).
func registerRoutes(rt *rest.Router, site *wpcompat.Site, ro ...routeOptions) []closer {
	var opts routeOptions
	if len(ro) > 0 {
		opts = ro[0]
	}
	_ = site
	authn.RegisterCore(rt, site) // GET /wp/v2/users/me, jwt-auth/v1/token[/validate]
	// FluentCart 1.3.25 admin customers API (fluent-cart/v2/customers…) and the storefront handlers sharing its
	// patterns; plugins register in active_plugins order (fluent-cart before latepoint).
	fluentcart.Register(rt, site, fluentcart.Options{KeepOmittedFields: opts.keepOmittedFields})
	// LatePoint API Extension (latepoint-api/v1): customers, status. Its background work (rate-limit lease
	// give-back, last-used flush, audit writer) runs for the life of the process.
	lp := latepoint.Register(rt, site, latepoint.Options{TrustedProxies: opts.auth.TrustedProxies})
	// Unified customer API (wpsidecar/v1): one uuid per person over users, FluentCart and LatePoint; signed requests.
	unified.Register(rt, site, unified.Options{SecretsKeyFile: opts.secretsKeyFile})
	return []closer{lp}
}

// closer is background work that flushes and stops.
type closer interface {
	Close(ctx context.Context) error
}
