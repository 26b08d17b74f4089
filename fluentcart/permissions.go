package fluentcart

// FluentCart's own permission rules (app/Http/Policies/CustomerPolicy.php -> Policy::hasRoutePermissions ->
// app/Services/Permission/PermissionManager.php getUserPermissions / hasAnyPermission; spec §1.2):
//
//   - no user                                    -> denied
//   - user_can($user, 'manage_options')           -> every permission
//   - FluentCart Pro not loaded                  -> none
//   - usermeta _fluent_cart_admin_role (no blog prefix) names a role -> that role's permissions
//
// A denial is WordPress's rest_forbidden (401 anonymous, 403 logged in).

import (
	"context"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// Permission keys used by the customers routes (api.php meta 'permissions').
const (
	permView   = "customers/view"
	permManage = "customers/manage"
	permDelete = "customers/delete"
)

// ProPluginBasename is the plugin whose activation stands in for FLUENTCART_PRO_PLUGIN_VERSION being defined.
const ProPluginBasename = "fluent-cart-pro/fluent-cart-pro.php"

// rolePermissions is the customers part of PermissionManager::getAllRoles() in 1.3.25.
var rolePermissions = map[string][]string{
	"super_admin": {permView, permManage, permDelete},
	"manager":     {permView, permManage, permDelete},
	"worker":      {permView},
	"accountant":  {permView},
}

const adminRoleMetaKey = "_fluent_cart_admin_role"

type permissions struct {
	site  *wpcompat.Site
	store *store
	opts  Options
}

// proActive reports whether FluentCart Pro counts as loaded.
func (p *permissions) proActive(ctx context.Context) (bool, error) {
	if p.opts.ProActive != nil {
		return *p.opts.ProActive, nil
	}
	return p.site.PluginActive(ctx, ProPluginBasename)
}

// granted lists the customers permissions of the request's user, memoised on the request (WordPress asks
// every handler of a route for the Allow header).
func (p *permissions) granted(r *rest.Request) (map[string]bool, error) {
	const key = "fluentcart:permissions"
	if v, ok := r.Values[key]; ok {
		return v.(map[string]bool), nil
	}
	out := map[string]bool{}
	u := r.User
	switch {
	case u == nil || u.ID < 1:
	case u.Can("manage_options"):
		for _, k := range rolePermissions["super_admin"] {
			out[k] = true
		}
	default:
		pro, err := p.proActive(r.Ctx())
		if err != nil {
			return nil, err
		}
		if !pro {
			break
		}
		role, err := p.store.userMeta(r.Ctx(), p.site.ReadDB, u.ID, adminRoleMetaKey)
		if err != nil {
			return nil, err
		}
		for _, k := range rolePermissions[role] {
			out[k] = true
		}
	}
	r.Values[key] = out
	return out, nil
}

// require is the permission callback of an admin customers route.
func (p *permissions) require(perm string) func(*rest.Request) error {
	return func(r *rest.Request) error {
		g, err := p.granted(r)
		if err != nil {
			return err
		}
		if g[perm] {
			return nil
		}
		return rest.Forbidden(r)
	}
}

// loggedIn is CustomerFrontendPolicy (storefront routes sharing the admin patterns): is_user_logged_in().
func loggedIn(r *rest.Request) error {
	if r.User != nil && r.User.ID > 0 {
		return nil
	}
	return rest.Forbidden(r)
}
