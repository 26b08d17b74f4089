package wpcompat

import "github.com/wpsidecar/wpsidecar/wpcompat/wpjson"

// User is an authenticated WordPress user with the capabilities user_can would resolve for this site.
type User struct {
	ID          int64
	Login       string
	Pass        string // the stored hash (needed for cookie pass_frag); never logged or rendered
	Nicename    string
	Email       string
	URL         string
	Registered  string // users.user_registered as stored (UTC)
	DisplayName string

	Roles      []string        // role keys from {prefix}capabilities that are defined roles, in stored order
	AllCaps    map[string]bool // role caps merged with per-user grants and denials (WP_User::$allcaps, truthy only)
	RawCaps    *wpjson.Object  // the {prefix}capabilities map as stored (extra_capabilities)
	AllCapsObj *wpjson.Object  // allcaps in PHP order with values as stored (for /users/me context=edit)

	Via             string // how the user was authenticated: "cookie", "application_password", "jwt"
	AppPasswordUUID string // the application password item used, when Via is application_password

	// meta holds the usermeta values read with the user row (lowest umeta_id per key) for the keys in metaKeys;
	// a key in metaKeys but not in meta has no row. Read through Site.CurrentUserMetas.
	meta     map[string]string
	metaKeys []string
}

// Can is user_can($user, $cap) for primitive and the few meta capabilities the sidecar's routes check
// (map_meta_cap, spec §9.3). A nil user can nothing.
func (u *User) Can(cap string, args ...int64) bool {
	if u == nil || u.ID < 1 {
		return false
	}
	var prims []string
	switch cap {
	case "exist":
		return true
	case "edit_user":
		if len(args) > 0 && args[0] == u.ID {
			return true
		}
		prims = []string{"edit_users"}
	case "delete_user", "delete_users":
		prims = []string{"delete_users"}
	case "promote_user", "add_users":
		prims = []string{"promote_users"}
	case "remove_user":
		if len(args) > 0 && args[0] == u.ID {
			return false
		}
		prims = []string{"remove_users"}
	default:
		prims = []string{cap}
	}
	for _, p := range prims {
		if p == "do_not_allow" || !u.AllCaps[p] {
			return false
		}
	}
	return true
}
