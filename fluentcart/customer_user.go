package fluentcart

// Linking customers to WordPress users (spec §5.8):
//
//	POST /customers/{customerId}/attachable-user  CustomerController::setAttachableUser (AttachUserRequest)
//	POST /customers/{customerId}/detach-user      CustomerController::detachCustomer

import (
	"context"
	"database/sql"
	"errors"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

func (a *api) attachUser(r *wpcompat.Request) (*wpcompat.Response, error) {
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
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT `ID` FROM `"+st.users+"` WHERE `ID` = ?", cu).Scan(&id)
		if err == nil {
			return nil, messageError("Can not attach user")
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	if changed(uid, c, "user_id") {
		if _, err := tx.ExecContext(ctx, "UPDATE `"+st.customers+"` SET `user_id` = ?, `updated_at` = ? WHERE `id` = ?", uid, a.now(), c.id()); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return wpcompat.OK(wpcompat.NewObject().Set("message", "User attached successfully")), nil
}

// userAndCustomer reports whether the user exists and whether a customer has it as user_id.
func (a *api) userAndCustomer(ctx context.Context, uid int64) (exists, linked bool, err error) {
	st := a.store
	var id int64
	err = a.site.DB.QueryRowContext(ctx, "SELECT `ID` FROM `"+st.users+"` WHERE `ID` = ? LIMIT 1", uid).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	var cid int64
	err = a.site.DB.QueryRowContext(ctx, "SELECT `id` FROM `"+st.customers+"` WHERE `user_id` = ? LIMIT 1", uid).Scan(&cid)
	if errors.Is(err, sql.ErrNoRows) {
		return true, false, nil
	}
	return true, err == nil, err
}

func (a *api) detachUser(r *wpcompat.Request) (*wpcompat.Response, error) {
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
		if _, err := a.site.DB.ExecContext(ctx, "UPDATE `"+st.customers+"` SET `user_id` = ?, `updated_at` = ? WHERE `id` = ?", "", a.now(), c.id()); err != nil {
			return nil, err
		}
	}
	return wpcompat.OK(wpcompat.NewObject().Set("message", "User detached successfully")), nil
}
