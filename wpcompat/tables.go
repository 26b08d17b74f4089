package wpcompat

import (
	"fmt"
	"regexp"
	"sync"
)

var validPrefix = regexp.MustCompile(`^[A-Za-z0-9_]*$`)

// Tables turns base table names into the site's real ones. WordPress prefixes every table with $table_prefix
// (class-wpdb.php set_prefix); CUSTOM_USER_TABLE / CUSTOM_USER_META_TABLE replace the user tables entirely.
type Tables struct {
	Prefix         string
	CustomUsers    string
	CustomUsermeta string
}

// NewTables validates the prefix the way wpdb::set_prefix does (letters, digits, underscores only).
func NewTables(prefix string) (Tables, error) {
	if !validPrefix.MatchString(prefix) {
		return Tables{}, fmt.Errorf("table prefix %q may only contain numbers, letters, and underscores", prefix)
	}
	return Tables{Prefix: prefix}, nil
}

// Name returns the prefixed name of a table, e.g. Name("fct_customers") = "wp_fct_customers".
func (t Tables) Name(base string) string { return t.Prefix + base }

// Users is {prefix}users unless CUSTOM_USER_TABLE is defined.
func (t Tables) Users() string {
	if t.CustomUsers != "" {
		return t.CustomUsers
	}
	return t.Prefix + "users"
}

// Usermeta is {prefix}usermeta unless CUSTOM_USER_META_TABLE is defined.
func (t Tables) Usermeta() string {
	if t.CustomUsermeta != "" {
		return t.CustomUsermeta
	}
	return t.Prefix + "usermeta"
}

// Options is {prefix}options.
func (t Tables) Options() string { return t.Prefix + "options" }

// CapabilitiesKey is the usermeta key holding a user's roles and caps on this (single) site.
// (Read several times per authenticated request: the concatenation is kept per prefix.)
func (t Tables) CapabilitiesKey() string {
	if v, ok := capsKeys.Load(t.Prefix); ok {
		return v.(string)
	}
	k := t.Prefix + "capabilities"
	capsKeys.Store(t.Prefix, k)
	return k
}

var capsKeys sync.Map // prefix → prefix + "capabilities"

// UserRolesOption is the option holding role definitions; the prefix is part of the option name.
func (t Tables) UserRolesOption() string { return t.Prefix + "user_roles" }
