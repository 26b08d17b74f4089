package fluentcart

// GET /customers/attachable-user — CustomerController::getAttachableUser: every user without a customer whose
// user_id is its ID, as {"users":[{"ID":int,"display_name","user_email"}]} (User model casts ID; no ordering
// clause in PHP, MySQL returns primary-key order) (spec §5.8).

import (
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

func (a *api) attachableUsers(r *rest.Request) (*rest.Response, error) {
	rows, err := a.store.attachableUsers(r.Ctx())
	if err != nil {
		return nil, err
	}
	users := []any{}
	for _, u := range rows {
		id, _ := u.get("ID")
		name, _ := u.get("display_name")
		email, _ := u.get("user_email")
		users = append(users, wpjson.NewObject().Set("ID", intval(id)).Set("display_name", name).Set("user_email", email))
	}
	return rest.OK(wpjson.NewObject().Set("users", model(users))), nil
}
