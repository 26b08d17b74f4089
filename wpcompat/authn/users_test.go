package authn_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// get_user_by semantics (spec §2.3, §12.1 item 9): trim + sanitize_user for logins, the collation decides,
// PHP-falsy values find nobody, ids are (int)-cast, the lowest ID wins among equal matches.
func TestGetUserBy(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{})
	// A second "Admin" row (logins are not unique at SQL level) with a higher ID.
	s.db.Exec(t, `INSERT INTO {prefix}users (ID, user_login, user_pass, user_nicename, user_email, user_registered, display_name)
		VALUES (50, 'Admin', 'x', 'admin-2', 'ADMIN@example.com', '2026-01-01 00:00:00', 'Admin Two')`)
	s.db.Exec(t, `INSERT INTO {prefix}users (ID, user_login, user_pass, user_nicename, user_email, user_registered, display_name)
		VALUES (51, '0', 'x', 'zero', 'zero@example.com', '2026-01-01 00:00:00', 'Zero')`)
	ctx := context.Background()
	for _, c := range []struct {
		field, value string
		want         int64 // 0: nobody
	}{
		{wpcompat.UserByLogin, "admin", uAdmin},
		{wpcompat.UserByLogin, "ADMIN", uAdmin},
		{wpcompat.UserByLogin, "  admin\n", uAdmin},
		{wpcompat.UserByLogin, "admin ", uAdmin},
		{wpcompat.UserByLogin, "<b>admin</b>", uAdmin},
		{wpcompat.UserByLogin, "ad%41min", uAdmin},
		{wpcompat.UserByLogin, "0", 0},
		{wpcompat.UserByLogin, "", 0},
		{wpcompat.UserByLogin, "nobody", 0},
		{wpcompat.UserByEmail, "admin@example.com", uAdmin},
		{wpcompat.UserByEmail, " Admin@Example.com ", uAdmin},
		{wpcompat.UserByID, "1", uAdmin},
		{wpcompat.UserByID, "1.9", uAdmin},
		{wpcompat.UserByID, " 2", uEditor},
		{wpcompat.UserByID, "0", 0},
		{wpcompat.UserByID, "-1", 0},
		{wpcompat.UserByID, "abc", 0},
		{wpcompat.UserBySlug, "admin-2", 50},
	} {
		u, err := s.site.GetUserBy(ctx, c.field, c.value)
		if err != nil {
			t.Fatal(err)
		}
		var got int64
		if u != nil {
			got = u.ID
		}
		if got != c.want {
			t.Errorf("GetUserBy(%s, %q) = %d, want %d", c.field, c.value, got, c.want)
		}
	}
}

// Roles and capabilities as WP_User builds them (spec §9.1 table, §12.1 item 22), through the loader.
func TestUserCapabilities(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{})
	ctx := context.Background()
	for i, c := range []struct {
		caps      string
		roles     string
		editPosts bool
		manage    bool
		read      bool
	}{
		{`a:1:{s:6:"editor";b:0;}`, "[editor]", true, false, true},
		{`a:2:{s:6:"editor";b:1;s:10:"edit_posts";b:0;}`, "[editor]", false, false, true},
		{`a:2:{s:10:"subscriber";b:1;s:14:"manage_options";b:1;}`, "[subscriber]", false, true, true},
		{`a:2:{s:10:"subscriber";b:1;s:14:"manage_options";s:1:"1";}`, "[subscriber]", false, true, true},
		{`a:2:{s:6:"editor";b:1;s:10:"edit_posts";s:1:"0";}`, "[editor]", false, false, true},
		{`a:1:{s:9:"ghostrole";b:1;}`, "[]", false, false, false},
		{`a:0:{}`, "[]", false, false, false},
		{`a:1:{s:6:"editor";b:1;`, "[]", false, false, false}, // corrupt
	} {
		id := 100 + i
		s.db.Exec(t, `INSERT INTO {prefix}users (ID, user_login, user_pass, user_nicename, user_email, user_registered, display_name)
			VALUES (?, ?, 'x', ?, ?, '2026-01-01 00:00:00', 'c')`, id, fmt.Sprint("caps", i), fmt.Sprint("caps", i), fmt.Sprint("caps", i, "@example.com"))
		s.db.Exec(t, "INSERT INTO {prefix}usermeta (user_id, meta_key, meta_value) VALUES (?, 'wpa_capabilities', ?)", id, c.caps)
		u, err := s.site.GetUserBy(ctx, wpcompat.UserByID, fmt.Sprint(id))
		if err != nil || u == nil {
			t.Fatalf("%s: %v", c.caps, err)
		}
		if got := fmt.Sprint(u.Roles); got != c.roles || u.Can("edit_posts") != c.editPosts || u.Can("manage_options") != c.manage ||
			u.Can("read") != c.read || !u.Can("exist") || u.Can("do_not_allow") {
			t.Errorf("%s: roles %s edit_posts %v manage_options %v read %v", c.caps, got, u.Can("edit_posts"), u.Can("manage_options"), u.Can("read"))
		}
	}
	// A role edit is seen once the option cache expires (here: no cache).
	admin, _ := s.site.GetUserBy(ctx, wpcompat.UserByLogin, "admin")
	if !admin.Can("manage_options") {
		t.Fatal("administrator cannot manage_options")
	}
	s.db.Exec(t, `UPDATE {prefix}options SET option_value = REPLACE(option_value, 's:14:"manage_options";b:1;', 's:14:"manage_options";b:0;') WHERE option_name = 'wpa_user_roles'`)
	if admin, _ = s.site.GetUserBy(ctx, wpcompat.UserByLogin, "admin"); admin.Can("manage_options") {
		t.Fatal("role edit not seen")
	}
}
