package wpcompat

import "net/netip"

// AuthOptions configures how the sidecar decides the current user.
type AuthOptions struct {
	// TrustedProxies are the peers whose X-Forwarded-Proto / X-Forwarded-For are believed (is_ssl behind a proxy).
	TrustedProxies []netip.Prefix
	// APIKeyNamespaces are REST namespaces where a Bearer value starting with "lp_" is an API key, never a JWT.
	APIKeyNamespaces []string
}

// Auth is the WordPress authenticator: logged-in cookie + nonce, Application Passwords, JWT (spec §5–§8).
type Auth struct {
	site *Site
	opts AuthOptions
}

// NewAuthenticator makes the authenticator for a site.
func NewAuthenticator(site *Site, opts AuthOptions) *Auth {
	return &Auth{site: site, opts: opts}
}

// Authenticate decides r.User. Until the credential checks land (issue 4), every request is anonymous.
func (a *Auth) Authenticate(r *Request) error {
	return nil
}
