package unified

import (
	"errors"
	"net/http"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// getCustomer is GET /wpsidecar/v1/customers/{uuid}.
func (s *service) getCustomer(r *rest.Request) (*rest.Response, error) {
	uuid := r.URLParams["uuid"]
	p, err := s.store.resolveUUID(r.Ctx(), uuid, s.opts.NewUUID)
	if errors.Is(err, errNotFound) {
		return nil, notFound(uuid)
	}
	if err != nil {
		return nil, internal(err)
	}
	if err := mayRead(r, p); err != nil {
		return nil, err
	}
	return s.respond(r, http.StatusOK, "Customer retrieved successfully.", p)
}

// respond renders a person in the success envelope.
func (s *service) respond(r *rest.Request, status int, message string, p *person) (*rest.Response, error) {
	loc, err := s.site.Location(r.Ctx())
	if err != nil {
		return nil, internal(err)
	}
	return success(status, message, view(p, loc)), nil
}
