// Package wpauth holds WordPress's credential formats as pure functions: every user-password hash format
// (CheckPassword), Application Password hashes, wp_salt/wp_hash, auth cookies (parse, HMAC, names, session
// tokens) and nonces. Nothing here reads the database or a request: the authenticator that applies these to a
// request and to the site's users (cookies + nonce, Application Passwords, JWT, the brute-force guard) is
// wpcompat/authn, and the capability checks stay in wpcompat.
//
// It imports only wpcompat/php and wpcompat/phpserial; it must not import wpcompat, wpcompat/rest, wpcompat/authn
// or any plugin.
package wpauth
