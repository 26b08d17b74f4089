package latepoint

import (
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// status is GET /status: the connectivity check clients call to validate a key (spec §7; its body is not
// documented). It answers 200 for any usable key with what the key may do and whether LatePoint is there.
func (a *API) status(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	st := a.authenticate(r) // cached: the permission callback already ran
	latepoint := wpjson.NewObject()
	active, err := a.site.PluginActive(ctx, pluginBasename)
	if err != nil {
		return nil, a.logged(r, errNotAvailable(classify(err)))
	}
	tables := false
	if active {
		tables, err = a.site.TableExists(ctx, a.site.Tables.Name("latepoint_customers"))
		if err != nil {
			return nil, a.logged(r, errNotAvailable(classify(err)))
		}
	}
	dbVersion, _, err := a.site.CachedOption(ctx, "latepoint_db_version")
	if err != nil {
		return nil, a.logged(r, errNotAvailable(classify(err)))
	}
	latepoint.Set("available", active && tables).Set("plugin_active", active).Set("db_version", dbVersion)
	perms := make([]any, 0, len(st.key.PermissionList))
	for _, p := range st.key.PermissionList {
		perms = append(perms, p)
	}
	key := wpjson.NewObject().
		Set("id", st.key.ID).
		Set("name", st.key.Name).
		Set("environment", st.key.Environment).
		Set("permissions", perms).
		Set("expires_at", expiryISO(st.key))
	data := wpjson.NewObject().
		Set("api_version", "v1").
		Set("namespace", Namespace).
		Set("authenticated", true).
		Set("key", key).
		Set("latepoint", latepoint)
	if d := st.decision; d != nil {
		data.Set("rate_limit", wpjson.NewObject().Set("window", d.Window).Set("limit", d.Limit).
			Set("remaining", d.Remaining).Set("reset", d.Reset))
	}
	data.Set("server_time", a.site.Clock().UTC().Format(isoLayout))
	return success(200, "API is working", data), nil
}

func expiryISO(k *Key) any {
	if !k.ExpiresAt.Valid || k.ExpiresAt.String == "" {
		return nil
	}
	return k.ExpiresAt.String[:10] + "T" + k.ExpiresAt.String[11:] + "Z"
}
