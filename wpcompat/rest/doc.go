// Package rest is WordPress's REST server as the sidecar runs it: the Router (REST path from /wp-json/ or
// ?rest_route=, _method, authentication through an Authenticator, route match in registration order, permission
// callback, handler), the WP_REST_Request/WP_REST_Response types, the WP_Error envelope, _fields/_envelope/CORS,
// handing a request to PHP (Delegate), shadow-mode verdicts and the answers to database faults.
//
// It imports wpcompat (site, users, database faults) and wpcompat/wpjson; it must not import the authenticator
// (wpcompat/authn plugs in through the Authenticator interface), any plugin package or cmd/.
package rest
