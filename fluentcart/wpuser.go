package fluentcart

// Updating the WordPress user linked to a customer: CustomerResource::updateUser -> wp_update_user ->
// wp_insert_user (WordPress 7.1 wp-includes/user.php), with the default pre_user_* filters of
// wp-includes/default-filters.php (sanitize_text_field, wp_filter_kses, _wp_specialchars for names; trim,
// sanitize_email, wp_filter_kses for the e-mail; wp_strip_all_tags, sanitize_url, wp_filter_kses for the URL).

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpformat"
)

// errUserUpdateFailed stands for a WP_Error from wp_update_user (FluentCart answers 423 "Failed to update user.").
var errUserUpdateFailed = errors.New("wp_update_user failed")

// userMetaKeys is _get_additional_user_keys() without contact methods (none by default since 3.6), which
// wp_insert_user writes back with update_user_meta.
var userMetaKeys = []string{"nickname", "first_name", "last_name", "description", "rich_editing",
	"syntax_highlighting", "infinite_scrolling", "comment_shortcuts", "admin_color", "use_ssl",
	"show_admin_bar_front", "locale"}

// stripslashes is PHP stripslashes().
func stripslashes(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			if i+1 < len(s) {
				i++
				if s[i] == '0' {
					b.WriteByte(0)
					continue
				}
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ksesText is wp_filter_kses + _wp_specialchars(ENT_NOQUOTES) for text that holds no tags any more: entities
// normalised, stray ">" and "<" escaped; the surrounding addslashes/wp_unslash pair cancels out.
func ksesText(s string) string {
	s = wpformat.NormalizeEntities(stripslashes(s))
	s = strings.ReplaceAll(s, "<", "&lt;")
	return strings.ReplaceAll(s, ">", "&gt;")
}

// userNameFilter is the pre_user_first_name / last_name / nickname / display_name chain. Values taken from the
// stored user were add_magic_quotes'd by wp_update_user first.
func userNameFilter(s string, stored bool) string {
	if stored {
		s = addslashes(s)
	}
	return ksesText(wpformat.SanitizeTextField(s))
}

func addslashes(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`, `"`, `\"`, "\x00", `\0`).Replace(s)
}

// linkedUserUpdate carries what wp_update_user needs from the customer update.
type linkedUserUpdate struct {
	firstName, lastName, email, userURL string
}

// updateLinkedUser is CustomerResource::updateUser for user id uid. It returns errUserUpdateFailed where PHP's
// wp_update_user returns a WP_Error, and a hand-off to PHP (delegate) when the update would change the user's e-mail (that
// sends WordPress's e-mail-change notice and moves customer data through FluentCart's profile_update handler,
// which the sidecar leaves to PHP).
func (a *api) updateLinkedUser(ctx context.Context, tx *sql.Tx, acting *wpcompat.User, uid int64, u linkedUserUpdate) error {
	first, last := wpformat.SanitizeTextField(u.firstName), wpformat.SanitizeTextField(u.lastName)
	name := php.Trim(first + " " + last)
	if phpEmpty(name) {
		return nil // updateUser returns false: no WordPress update, the customer update goes on
	}
	st := a.store
	old, err := st.userRow(ctx, tx, uid)
	if err != nil {
		return err
	}
	if old == nil {
		return errUserUpdateFailed // invalid_user_id
	}
	oldLogin, _ := old.str("user_login")
	oldEmail, _ := old.str("user_email")
	oldURL, _ := old.str("user_url")
	metas, err := st.userMetaValues(ctx, tx, uid)
	if err != nil {
		return err
	}
	// $data after array_filter, merged over the stored user.
	login := oldLogin
	email := oldEmail
	allowEmail := acting.Can("manage_options")
	if !allowEmail && acting != nil {
		cur := strings.ToLower(acting.Email)
		allowEmail = cur != "" && cur == strings.ToLower(oldEmail)
	}
	if allowEmail {
		e := wpformat.SanitizeEmail(u.email)
		if e != "" {
			email, login = e, e
		} else {
			email, login = "", ""
		}
	}
	url := oldURL
	if !phpEmpty(u.userURL) {
		url = u.userURL
	}
	// wp_insert_user
	login = php.Trim(wpformat.SanitizeUserStrict(login))
	if login == "" || utf8.RuneCountInString(login) > 60 {
		return errUserUpdateFailed
	}
	nicename := wpformat.SanitizeTitleASCII(wpformat.SanitizeUserStrict(name))
	if nicename == "" || utf8.RuneCountInString(nicename) > 50 {
		return errUserUpdateFailed
	}
	nicename, err = st.uniqueNicename(ctx, tx, nicename, login)
	if err != nil {
		return err
	}
	newEmail := ksesText(wpformat.SanitizeEmail(php.Trim(email)))
	if newEmail != oldEmail {
		return delegate("linked_user_email_change")
	}
	url = ksesText(wpformat.EscURL(wpformat.StripAllTags(url), false))
	if utf8.RuneCountInString(url) > 100 {
		return errUserUpdateFailed
	}
	display := userNameFilter(name, false)
	meta := map[string]string{
		"nickname":   userNameFilter(name, false),
		"first_name": userNameFilter(first, false),
		"last_name":  userNameFilter(last, false),
	}
	if phpEmpty(first) { // array_filter dropped it: the stored value goes through the filters again
		meta["first_name"] = userNameFilter(metas.get("first_name"), true)
	}
	if phpEmpty(last) {
		meta["last_name"] = userNameFilter(metas.get("last_name"), true)
	}
	meta["description"] = ksesText(metas.get("description"))
	orDefault := func(k, def string) {
		v := metas.get(k)
		if phpEmpty(v) {
			v = def
		}
		meta[k] = v
	}
	orDefault("rich_editing", "true")
	orDefault("syntax_highlighting", "true")
	orDefault("infinite_scrolling", "true")
	if cs := metas.get("comment_shortcuts"); phpEmpty(cs) || cs == "false" {
		meta["comment_shortcuts"] = "false"
	} else {
		meta["comment_shortcuts"] = "true"
	}
	ac := metas.get("admin_color")
	if phpEmpty(ac) {
		ac = "modern"
	}
	meta["admin_color"] = adminColorChars.ReplaceAllString(ac, "")
	if phpEmpty(metas.get("use_ssl")) {
		meta["use_ssl"] = "0"
	} else {
		meta["use_ssl"] = "1"
	}
	orDefault("show_admin_bar_front", "true")
	meta["locale"] = metas.get("locale")

	if err := st.updateUserProfile(ctx, tx, uid, nicename, newEmail, url, display); err != nil {
		return err
	}
	for _, k := range userMetaKeys {
		if err := st.updateUserMeta(ctx, tx, uid, k, meta[k], metas); err != nil {
			return err
		}
	}
	return nil
}

var adminColorChars = regexp.MustCompile(`(?i)[^a-z0-9 _.\-@]`)

// storedMetas is a user's meta rows: key -> values in umeta_id order.
type storedMetas map[string][]string

func (m storedMetas) get(k string) string {
	if v := m[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}
