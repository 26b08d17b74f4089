package unified

import (
	_ "embed"
	"sync"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// OpenAPIDocument is the OpenAPI 3.1 description of this API, kept beside the code (openapi.json) and served at
// GET /wp-json/wpsidecar/v1/openapi.json. The scenario tests validate every request and answer against it, so the
// document cannot drift from the code.
//
//go:embed openapi.json
var OpenAPIDocument []byte

const routeOpenAPI = `/openapi\.json`

var (
	openAPIOnce sync.Once
	openAPIBody any
	openAPIErr  error
)

// serveOpenAPI answers the document (public: partners read it before they have a client id).
func serveOpenAPI(*rest.Request) (*rest.Response, error) {
	openAPIOnce.Do(func() { openAPIBody, openAPIErr = wpjson.DecodeOrdered(OpenAPIDocument) })
	if openAPIErr != nil {
		return nil, openAPIErr
	}
	return rest.OK(openAPIBody), nil
}
