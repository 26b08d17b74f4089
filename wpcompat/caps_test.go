package wpcompat

import (
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
)

func mustUnserialize(t *testing.T, s string) any {
	t.Helper()
	v, err := phpserial.MaybeUnserialize(s)
	if err != nil {
		t.Fatalf("MaybeUnserialize(%q): %v", s, err)
	}
	return v
}

// TestAllCapsSpecTable replays spec §9.1's observed table with the 7.1 default roles.
func TestAllCapsSpecTable(t *testing.T) {
	roles := defaultRoles71()
	tests := []struct {
		name, caps                     string
		roles                          []string
		editPosts, manageOptions, read bool
	}{
		{"editor false still editor", `a:1:{s:6:"editor";b:0;}`, []string{"editor"}, true, false, true},
		{"per-user denial", `a:2:{s:6:"editor";b:1;s:10:"edit_posts";b:0;}`, []string{"editor"}, false, false, true},
		{"per-user grant", `a:2:{s:10:"subscriber";b:1;s:14:"manage_options";b:1;}`, []string{"subscriber"}, false, true, true},
		{"grant as string 1", `a:2:{s:10:"subscriber";b:1;s:14:"manage_options";s:1:"1";}`, []string{"subscriber"}, false, true, true},
		{"denial as string 0", `a:2:{s:6:"editor";b:1;s:10:"edit_posts";s:1:"0";}`, []string{"editor"}, false, false, true},
		{"undefined role", `a:1:{s:9:"ghostrole";b:1;}`, nil, false, false, false},
		{"no caps", `a:0:{}`, nil, false, false, false},
		{"corrupt", `a:1:{s:6:"editor";b:1;`, nil, false, false, false},
		{"administrator", `a:1:{s:13:"administrator";b:1;}`, []string{"administrator"}, true, true, true},
		{"two roles in meta order", `a:2:{s:10:"subscriber";b:1;s:6:"author";b:1;}`, []string{"subscriber", "author"}, true, false, true},
		{"grant as int", `a:2:{s:10:"subscriber";b:1;s:14:"manage_options";i:1;}`, []string{"subscriber"}, false, true, true},
		{"denial as empty string", `a:2:{s:6:"editor";b:1;s:4:"read";s:0:"";}`, []string{"editor"}, true, false, false},
		{"denial as null", `a:2:{s:6:"editor";b:1;s:4:"read";N;}`, []string{"editor"}, true, false, false},
		{"grant as string 0.0 (truthy)", `a:2:{s:10:"subscriber";b:1;s:10:"edit_posts";s:3:"0.0";}`, []string{"subscriber"}, true, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			userCaps, _ := phpserial.MaybeUnserialize(tc.caps) // corrupt gives false: no caps, as in PHP
			names, all := AllCaps(userCaps, roles)
			if strings.Join(names, ",") != strings.Join(tc.roles, ",") {
				t.Errorf("roles = %v, want %v", names, tc.roles)
			}
			for cp, want := range map[string]bool{"edit_posts": tc.editPosts, "manage_options": tc.manageOptions, "read": tc.read} {
				if got := HasCap(all, cp, 7); got != want {
					t.Errorf("HasCap(%s) = %v, want %v", cp, got, want)
				}
			}
			if !HasCap(all, "exist", 7) {
				t.Error("every user has exist")
			}
		})
	}
}

func TestAllCapsMergeOrder(t *testing.T) {
	roles := mustUnserialize(t, `a:3:{s:1:"a";a:2:{s:4:"name";s:1:"A";s:12:"capabilities";a:2:{s:1:"x";b:1;s:1:"y";b:0;}}`+
		`s:1:"b";a:2:{s:4:"name";s:1:"B";s:12:"capabilities";a:1:{s:1:"y";b:1;}}`+
		`s:1:"n";a:1:{s:12:"capabilities";a:1:{s:1:"z";b:1;}}}`)
	// Later roles override earlier ones; the meta overrides both; role names appear as keys.
	names, all := AllCaps(mustUnserialize(t, `a:3:{s:1:"a";b:1;s:1:"b";b:1;s:1:"n";b:1;}`), roles)
	if strings.Join(names, ",") != "a,b" {
		t.Errorf("roles = %v (a role without a name is not a role)", names)
	}
	if got := phpserial.Serialize(all); got != `a:5:{s:1:"x";b:1;s:1:"y";b:1;s:1:"a";b:1;s:1:"b";b:1;s:1:"n";b:1;}` {
		t.Errorf("allcaps = %s", got)
	}
	_, all = AllCaps(mustUnserialize(t, `a:2:{s:1:"b";b:1;s:1:"a";b:1;}`), roles)
	if v, _ := all.Get("y"); v != false {
		t.Errorf("role a merged after b must win for y: %v", v)
	}
	// Integer keys are renumbered and appended, never overwritten (array_merge).
	_, all = AllCaps(mustUnserialize(t, `a:2:{s:1:"a";b:1;i:5;s:1:"q";}`), roles)
	if got := phpserial.Serialize(all); got != `a:4:{s:1:"x";b:1;s:1:"y";b:0;s:1:"a";b:1;i:0;s:1:"q";}` {
		t.Errorf("allcaps with an int key = %s", got)
	}
	// Roles option that is not an array: nobody has a role.
	if names, _ := AllCaps(mustUnserialize(t, `a:1:{s:1:"a";b:1;}`), false); len(names) != 0 {
		t.Errorf("roles from a corrupt option: %v", names)
	}
}

func TestHasCapMetaCaps(t *testing.T) {
	roles := defaultRoles71()
	_, admin := AllCaps(mustUnserialize(t, `a:1:{s:13:"administrator";b:1;}`), roles)
	_, editor := AllCaps(mustUnserialize(t, `a:1:{s:6:"editor";b:1;}`), roles)
	_, none := AllCaps(nil, roles)
	tests := []struct {
		name    string
		all     *phpserial.PHPArray
		cap     string
		user    int64
		targets []int64
		want    bool
	}{
		{"edit own user", editor, "edit_user", 2, []int64{2}, true},
		{"edit own user without any role", none, "edit_user", 9, []int64{9}, true},
		{"edit other user as editor", editor, "edit_user", 2, []int64{3}, false},
		{"edit other user as admin", admin, "edit_user", 1, []int64{3}, true},
		{"edit_user without target", admin, "edit_user", 1, nil, true},
		{"edit_user as user 0", admin, "edit_user", 0, []int64{0}, false},
		{"edit_users as user 0", admin, "edit_users", 0, nil, false},
		{"edit_users self is not special", editor, "edit_users", 2, []int64{2}, false},
		{"delete_user", admin, "delete_user", 1, []int64{3}, true},
		{"delete_users editor", editor, "delete_users", 2, nil, false},
		{"remove_user other", admin, "remove_user", 1, []int64{3}, true},
		{"remove_user self as admin (super admin on single site)", admin, "remove_user", 1, []int64{1}, true},
		{"remove_user self without delete_users", editor, "remove_user", 2, []int64{2}, false},
		{"promote_user", admin, "promote_user", 1, []int64{3}, true},
		{"add_users", editor, "add_users", 2, nil, false},
		{"create_users", admin, "create_users", 1, nil, true},
		{"list_users", admin, "list_users", 1, nil, true},
		{"list_users editor", editor, "list_users", 2, nil, false},
		{"manage_options", admin, "manage_options", 1, nil, true},
		{"role name as capability", editor, "editor", 2, nil, true},
		{"do_not_allow never", admin, "do_not_allow", 1, nil, false},
		{"exist", none, "exist", 0, nil, true},
		{"unknown capability", admin, "fly", 1, nil, false},
	}
	for _, tc := range tests {
		if got := HasCap(tc.all, tc.cap, tc.user, tc.targets...); got != tc.want {
			t.Errorf("%s: HasCap(%s) = %v, want %v", tc.name, tc.cap, got, tc.want)
		}
	}
}
