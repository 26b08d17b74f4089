package main

import "github.com/wpsidecar/wpsidecar/wpcompat"

// registerRoutes registers every route the sidecar owns, in WordPress's registration order.
func registerRoutes(rt *wpcompat.Router, site *wpcompat.Site) {
	_ = site
	wpcompat.RegisterCore(rt, site) // GET /wp/v2/users/me, jwt-auth/v1/token[/validate]
}
