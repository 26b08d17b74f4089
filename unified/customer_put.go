package unified

import (
	"errors"
	"net/http"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// putCustomer is PUT (or PATCH) /wpsidecar/v1/customers/{uuid}: a partial update — only the fields in the body
// change, in every table they live in, in one transaction.
func (s *service) putCustomer(r *rest.Request) (*rest.Response, error) {
	uuid := r.URLParams["uuid"]
	p, err := parsePatch(r.Body)
	if err != nil {
		return nil, err
	}
	ctx := r.Ctx()
	per, err := s.store.resolveUUID(ctx, uuid, s.opts.NewUUID)
	if errors.Is(err, errNotFound) {
		return nil, notFound(uuid)
	}
	if err != nil {
		return nil, internal(err)
	}
	if err := mayWrite(r, per); err != nil {
		return nil, err
	}
	if p.empty() {
		return s.respond(r, http.StatusOK, "Customer is already up to date.", per)
	}
	loc, err := s.site.Location(ctx)
	if err != nil {
		return nil, internal(err)
	}
	fcOn, lpOn, err := s.store.plugins(ctx)
	if err != nil {
		return nil, internal(err)
	}
	changed, err := s.store.update(ctx, per.Link.UUID, p, updateEnv{
		loc: loc, fcOn: fcOn, lpOn: lpOn, allowPrivileged: r.User != nil, lockWait: s.opts.LockWait,
	})
	switch {
	case errors.Is(err, errNotFound):
		return nil, notFound(uuid)
	case errors.Is(err, errDuplicate):
		return nil, emailTaken(*p.email)
	case errors.Is(err, errPrivileged):
		return nil, newAPIError(http.StatusForbidden, codePrivilegedUser,
			"This customer's WordPress account can manage users or the site; only a request acting as a WordPress user allowed to edit it (Authorization) may change it.")
	case errors.Is(err, errLockWait):
		return nil, newAPIError(http.StatusServiceUnavailable, codeBusy, "Another update to the same e-mail address is in progress; retry.")
	case err != nil:
		var ae *apiError
		if errors.As(err, &ae) {
			return nil, ae
		}
		return nil, internal(err)
	}
	after, err := s.store.resolveUUID(wpcompat.WithPrimary(ctx), per.Link.UUID, s.opts.NewUUID)
	if err != nil {
		return nil, internal(err)
	}
	msg := "Customer is already up to date."
	if changed {
		msg = "Customer updated successfully."
	}
	return s.respond(r, http.StatusOK, msg, after)
}
