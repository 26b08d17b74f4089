// Package authn is WordPress's determine_current_user for the sidecar: the Authenticator (Auth) that applies
// cookies + nonce, Application Passwords and JWT to a request in WordPress's filter order, the brute-force guard,
// Application Password usage recording, and the routes that belong to authentication (wp/v2/users/me, jwt-auth/v1).
// The credential formats themselves are pure functions in wpcompat/wpauth; users, usermeta and capabilities come
// from wpcompat.
//
// It imports wpcompat, wpcompat/rest and the leaf packages; it must not import any plugin package or cmd/, and
// neither wpcompat nor wpcompat/rest may import it.
package authn
