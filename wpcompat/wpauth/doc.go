// Package wpauth holds WordPress's credential formats as pure functions: every user-password hash format
// (CheckPassword), Application Password hashes, wp_salt/wp_hash, auth cookies (parse, HMAC, names, session
// tokens) and nonces. Nothing here reads the database or a request: the Authenticator that applies these to a
// request and to the site's users (wpcompat.Auth: cookies + nonce, Application Passwords, JWT, the brute-force
// guard) and the capability checks live in wpcompat and are the next to move here.
//
// It imports only wpcompat/php and wpcompat/phpserial; it must not import wpcompat, its REST code or any plugin.
package wpauth
