package wpcompat

// Roles and capabilities as WP_User resolves them on a single site (spec §9; wp-includes/class-wp-user.php
// get_role_caps/has_cap, class-wp-roles.php init_roles/is_role, capabilities.php map_meta_cap/is_super_admin),
// without the user_has_cap and map_meta_cap filters.

import "strconv"
import "github.com/wpsidecar/wpsidecar/wpcompat/phpserial"

// AllCaps is WP_User::get_role_caps over the unserialized {prefix}capabilities meta and {prefix}user_roles
// option: roles are the meta keys naming a defined role (whatever their value), allcaps is array_merge of
// those roles' capabilities in meta order with the meta itself on top (per-user grants and denials).
func AllCaps(userCaps, roles any) ([]string, *phpserial.PHPArray) {
	caps, _ := userCaps.(*phpserial.PHPArray) // not an array (missing, corrupt) means no caps
	defs, _ := roles.(*phpserial.PHPArray)
	var names []string
	allcaps := phpserial.NewPHPArray()
	for key := range caps.All() {
		def, ok := roleDefinition(defs, key)
		if !ok {
			continue
		}
		names = append(names, phpKeyString(key))
		c, _ := def.Get("capabilities")
		phpArrayMergeInto(allcaps, phpArrayCast(c))
	}
	phpArrayMergeInto(allcaps, caps)
	return names, allcaps
}

// roleDefinition is WP_Roles::is_role + get_role: the role entry exists and its 'name' is set (isset).
func roleDefinition(defs *phpserial.PHPArray, key any) (*phpserial.PHPArray, bool) {
	v, ok := defs.Get(key)
	if !ok {
		return nil, false
	}
	def, ok := v.(*phpserial.PHPArray)
	if !ok {
		return nil, false
	}
	name, ok := def.Get("name")
	return def, ok && name != nil
}

// HasCap is WP_User::has_cap: every primitive capability map_meta_cap yields must be PHP-truthy in allcaps;
// "exist" is always granted and "do_not_allow" never. targetIDs are map_meta_cap's $args (user ids).
func HasCap(allcaps *phpserial.PHPArray, cap string, userID int64, targetIDs ...int64) bool {
	for _, p := range mapMetaCap(allcaps, cap, userID, targetIDs) {
		switch p {
		case "exist":
			continue
		case "do_not_allow":
			return false
		}
		if v, ok := allcaps.Get(p); !ok || !phpserial.PHPTruthy(v) {
			return false
		}
	}
	return true
}

// metaCapRenames are the single-site map_meta_cap cases that only rename.
var metaCapRenames = map[string]string{
	"delete_user":  "delete_users",
	"delete_users": "delete_users",
	"promote_user": "promote_users",
	"add_users":    "promote_users",
}

// mapMetaCap covers the users-route cases of map_meta_cap (spec §9.3); other capabilities map to themselves.
func mapMetaCap(allcaps *phpserial.PHPArray, cp string, userID int64, args []int64) []string {
	self := len(args) > 0 && args[0] == userID
	switch cp {
	case "edit_user", "edit_users":
		switch {
		case userID < 1:
			return []string{"do_not_allow"}
		case cp == "edit_user" && self:
			return nil // users may edit themselves
		}
		return []string{"edit_users"}
	case "remove_user":
		// Single-site is_super_admin() is has_cap('delete_users').
		if v, _ := allcaps.Get("delete_users"); self && !phpserial.PHPTruthy(v) {
			return []string{"do_not_allow"}
		}
		return []string{"remove_users"}
	}
	if to, ok := metaCapRenames[cp]; ok {
		return []string{to}
	}
	return []string{cp}
}

// phpArrayMergeInto appends src to dst like array_merge: string keys overwrite, integer keys are renumbered.
func phpArrayMergeInto(dst, src *phpserial.PHPArray) {
	for k, v := range src.All() {
		if _, isInt := k.(int64); isInt {
			dst.Append(v)
		} else {
			dst.Set(k, v)
		}
	}
}

// phpArrayCast is PHP's (array) cast: null is empty, a scalar becomes a one-element list.
func phpArrayCast(v any) *phpserial.PHPArray {
	switch x := v.(type) {
	case nil:
		return phpserial.NewPHPArray()
	case *phpserial.PHPArray:
		return x
	}
	return phpserial.PHPList(v)
}

func phpKeyString(k any) string {
	if i, ok := k.(int64); ok {
		return strconv.FormatInt(i, 10)
	}
	return k.(string)
}
