package unified

import (
	"errors"
	"net/http"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// findByEmail is GET /wpsidecar/v1/customers/find-by-email?email=…: the person holding the first record with the
// address (a WordPress user, else a FluentCart customer, else a LatePoint customer; case-insensitive), with the
// uuid to use from then on — assigned here when the person had none.
func (s *service) findByEmail(r *rest.Request) (*rest.Response, error) {
	email := strings.TrimSpace(r.Query.Get("email"))
	switch {
	case email == "":
		return nil, validationError([]fieldError{{Field: "email", Message: "email is required"}})
	case len(email) > maxEmail || !validEmail(email):
		return nil, validationError([]fieldError{{Field: "email", Message: "email must be a valid e-mail address"}})
	}
	p, err := s.store.resolveEmail(r.Ctx(), email, s.opts.NewUUID)
	if errors.Is(err, errNotFound) {
		return nil, newAPIError(http.StatusNotFound, codeCustomerNotFound, "No customer has this e-mail address.").detail("email", email)
	}
	if err != nil {
		return nil, internal(err)
	}
	if err := mayRead(r, p); err != nil {
		return nil, err
	}
	return s.respond(r, http.StatusOK, "Customer found.", p)
}
