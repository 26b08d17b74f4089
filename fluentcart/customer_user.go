package fluentcart

// Linking customers to WordPress users (spec §5.8):
//
//	POST /customers/{customerId}/attachable-user  CustomerController::setAttachableUser (AttachUserRequest)
//	POST /customers/{customerId}/detach-user      CustomerController::detachCustomer

import (
	"context"
	"errors"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

func (a *api) attachUser(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	in := newInput(r)
	st := a.store
	// AttachUserRequest::rules: User::with('customer')->find(absint(user_id)) before validating.
	uv, _ := in.get("user_id")
	uid := intval(uv)
	if uid < 0 {
		uid = -uid
	}
	userExists, linked, err := a.userAndCustomer(ctx, uid)
	if err != nil {
		return nil, err
	}
	fields := []fieldRules{{"user_id", append(parseRules("required|string|maxLength:50"), rule{key: "3",
		fn: func(any, bool) (string, error) {
			if !userExists {
				return "User not found.", nil
			}
			if linked {
				return "User already linked to a customer.", nil
			}
			return "", nil
		}})}}
	v := &validator{in: in, messages: map[string]string{"user_id.required": "User is required.", "user_id.exists": "User not found."}}
	if err := v.run(fields); err != nil {
		return nil, err
	}
	tx, err := a.site.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := st.findCustomer(ctx, tx, r.URLParams["customerId"])
	if errors.Is(err, ErrNotFound) {
		return nil, messageError("Customer not found.")
	}
	if err != nil {
		return nil, err
	}
	// Customer::with('wpUser'): an existing linked user blocks the attach.
	cu, _ := c.get("user_id")
	if cu != nil {
		linked, err := st.userExists(ctx, tx, cu)
		if err != nil {
			return nil, err
		}
		if linked {
			return nil, messageError("Can not attach user")
		}
	}
	if changed(uid, c, "user_id") {
		if err := st.updateByID(ctx, tx, st.customers, c.id(), []string{"user_id", "updated_at"}, []any{uid, a.now()}); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return rest.OK(wpjson.NewObject().Set("message", "User attached successfully")), nil
}

// userAndCustomer reports whether the user exists and whether a customer has it as user_id.
func (a *api) userAndCustomer(ctx context.Context, uid int64) (exists, linked bool, err error) {
	if exists, err = a.store.userExists(ctx, a.site.DB, uid); err != nil || !exists {
		return exists, false, err
	}
	linked, err = a.store.userHasCustomer(ctx, a.site.DB, uid)
	return true, linked, err
}

func (a *api) detachUser(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	st := a.store
	c, err := st.findCustomer(ctx, a.site.DB, r.URLParams["customerId"])
	if errors.Is(err, ErrNotFound) {
		return nil, messageError("Customer not found.")
	}
	if err != nil {
		return nil, err
	}
	// $customer->user_id = null; save(): written ('' -> 0) unless the column is already NULL.
	if cu, _ := c.get("user_id"); cu != nil {
		if err := st.updateByID(ctx, a.site.DB, st.customers, c.id(), []string{"user_id", "updated_at"}, []any{"", a.now()}); err != nil {
			return nil, err
		}
	}
	return rest.OK(wpjson.NewObject().Set("message", "User detached successfully")), nil
}
