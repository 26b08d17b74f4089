package main

import (
	"github.com/wpsidecar/wpsidecar/latepoint"
	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// registerRoutes registers every route the sidecar owns, in WordPress's registration order.
func registerRoutes(rt *wpcompat.Router, site *wpcompat.Site) {
	_ = site
	wpcompat.RegisterCore(rt, site) // GET /wp/v2/users/me, jwt-auth/v1/token[/validate]
	// LatePoint API Extension (latepoint-api/v1): customers, status. Its background work (rate-limit lease
	// give-back, last-used flush, audit writer) runs for the life of the process.
	latepoint.Register(rt, site, latepoint.Options{})
}
