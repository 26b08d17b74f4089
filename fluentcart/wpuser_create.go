package fluentcart

// Creating the WordPress user of a new customer (POST /customers with wp_user=yes and no user owning the
// e-mail): app/Services/AuthService.php createUserFromCustomer / createUserNameFromStrings / registerNewUser ->
// wp_insert_user (WordPress 7.1 wp-includes/user.php) -> WP_User::set_role(default_role), then the
// user_register listener of app/Hooks/Handlers/UserHandler.php (links the customer found by e-mail and copies
// non-empty names). WordPress's register_new_user e-mails (and the password-reset key they store) are not sent
// by the sidecar (DEVIATIONS.md).

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpauth"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpformat"
)

// errUserCreateFailed stands for registerNewUser's WP_Error (FluentCart answers 423 "Failed to create user.").
var errUserCreateFailed = errors.New("registerNewUser failed")

// reservedUserNames is AuthService::getReservedUserNames (filter fluent_community/reserved_usernames).
var reservedUserNames = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`admin administrator me moderator mod superuser root system official staff support
	helpdesk user guest anonymous everyone anybody someone webmaster postmaster hostmaster abuse security ssl firewall
	no-reply noreply mail email mailer smtp pop imap ftp sftp ssh ceo cfo cto founder cofounder owner president
	vicepresident director manager supervisor executive info contact sales marketing billing accounting finance hr
	humanresources legal compliance it itsupport customerservice customersupport dev developer api sdk app bot
	chatbot sysadmin devops infosec test testing beta alpha staging production development home about faq help news
	blog forum community events calendar shop store cart checkout social follow like share tweet post status privacy
	terms copyright trademark policy all none null undefined true false default example sample demo temporary delete
	remove profanity explicit offensive yourappname yourbrandname yourdomain`) {
		reservedUserNames[n] = true
	}
}

var notLoginChars = regexp.MustCompile(`[^a-zA-Z0-9_]`)
var notFallbackChars = regexp.MustCompile(`[^a-zA-Z0-9_-]`)

// loginFromEmail is AuthService::createUserNameFromStrings($email, [$first, $last]).
func (a *api) loginFromEmail(ctx context.Context, q querier, email string, fallbacks []string) (string, error) {
	local, _, _ := strings.Cut(email, "@")
	clean := func(u string) string {
		u = strings.ToLower(u)
		u, _, _ = strings.Cut(u, "@")
		return notLoginChars.ReplaceAllString(wpformat.SanitizeUser(u), "")
	}
	available := func(u string) (bool, error) {
		u = strings.ToLower(u)
		if len(u) < 3 || reservedUserNames[u] {
			return false, nil
		}
		taken, err := a.store.usernameExists(ctx, q, u)
		return !taken, err
	}
	if u := clean(local); true {
		if ok, err := available(u); err != nil || ok {
			return u, err
		}
	}
	for _, f := range fallbacks {
		u := clean(notFallbackChars.ReplaceAllString(f, ""))
		if ok, err := available(u); err != nil || ok {
			return u, err
		}
	}
	base := strings.ToLower(local)
	u := base
	for counter := 2; ; counter++ {
		ok, err := available(u)
		if err != nil || ok {
			return u, err
		}
		u = fmt.Sprintf("%s%d", base, counter)
		if counter > 1000 {
			return "", errUserCreateFailed
		}
	}
}

const passwordChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// generatePassword is wp_generate_password(8, false).
func generatePassword() (string, error) {
	b := make([]byte, 8)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(passwordChars))))
		if err != nil {
			return "", err
		}
		b[i] = passwordChars[n.Int64()]
	}
	return string(b), nil
}

// createWPUser creates the user of customer c (AuthService::createUserFromCustomer) and runs FluentCart's
// user_register listener. It returns errUserCreateFailed where PHP's registerNewUser returns a WP_Error.
func (a *api) createWPUser(ctx context.Context, tx *sql.Tx, c *attrs) error {
	st := a.store
	email, _ := c.str("email")
	first, _ := c.str("first_name")
	last, _ := c.str("last_name")
	login, err := a.loginFromEmail(ctx, tx, email, []string{first, last})
	if err != nil {
		return err
	}
	// registerNewUser
	login = wpformat.SanitizeUser(login)
	if login == "" {
		return errUserCreateFailed
	}
	if taken, err := st.usernameExists(ctx, tx, login); err != nil || taken {
		if err != nil {
			return err
		}
		return errUserCreateFailed
	}
	if email == "" || !wpformat.IsEmail(email) {
		return errUserCreateFailed
	}
	if _, exists, err := st.userIDByEmail(ctx, tx, email); err != nil || exists {
		if err != nil {
			return err
		}
		return errUserCreateFailed
	}
	pass, err := generatePassword()
	if err != nil {
		return err
	}
	var firstName, lastName string
	if !phpEmpty(first) {
		firstName = wpformat.SanitizeTextField(first)
	}
	if !phpEmpty(last) {
		lastName = wpformat.SanitizeTextField(last)
	}
	// wp_insert_user (insert path)
	userLogin := php.Trim(wpformat.SanitizeUserStrict(login))
	if userLogin == "" || utf8.RuneCountInString(userLogin) > 60 {
		return errUserCreateFailed
	}
	nicename := wpformat.SanitizeTitleASCII(string([]rune(userLogin)[:min(50, utf8.RuneCountInString(userLogin))]))
	if nicename == "" || utf8.RuneCountInString(nicename) > 50 {
		return errUserCreateFailed
	}
	if nicename, err = st.uniqueNicename(ctx, tx, nicename, userLogin); err != nil {
		return err
	}
	userEmail := ksesText(wpformat.SanitizeEmail(php.Trim(email)))
	if userEmail != "" {
		if _, exists, err := st.userIDByEmail(ctx, tx, userEmail); err != nil || exists {
			if err != nil {
				return err
			}
			return errUserCreateFailed
		}
	}
	hash, err := wpauth.HashPassword71(pass, 0)
	if err != nil {
		return err
	}
	metaFirst, metaLast := userNameFilter(firstName, false), userNameFilter(lastName, false)
	display := userLogin
	switch {
	case metaFirst != "" && metaLast != "":
		display = metaFirst + " " + metaLast
	case metaFirst != "":
		display = metaFirst
	case metaLast != "":
		display = metaLast
	}
	display = userNameFilter(display, false)
	now := a.now()
	uid, err := st.insertUser(ctx, tx, hash, nicename, userEmail, now, display, userLogin)
	if err != nil {
		return err
	}
	role, _, err := a.site.CachedOption(ctx, "default_role")
	if err != nil {
		return err
	}
	level, err := a.roleLevel(ctx, role)
	if err != nil {
		return err
	}
	caps := "a:0:{}"
	if role != "" {
		caps = fmt.Sprintf(`a:1:{s:%d:"%s";b:1;}`, len(role), role)
	}
	metas := [][2]string{
		{"nickname", userNameFilter(userLogin, false)}, {"first_name", metaFirst}, {"last_name", metaLast},
		{"description", ""}, {"rich_editing", "true"}, {"syntax_highlighting", "true"}, {"infinite_scrolling", "true"},
		{"comment_shortcuts", "false"}, {"admin_color", "modern"}, {"use_ssl", "0"}, {"show_admin_bar_front", "true"},
		{"locale", ""}, {a.site.Tables.CapabilitiesKey(), caps}, {a.site.Tables.Prefix + "user_level", itoa(level)},
	}
	addMeta := func(metas [][2]string) error { return st.addUserMeta(ctx, tx, uid, metas) }
	if err := addMeta(metas); err != nil {
		return err
	}
	// user_register listeners, in registration order: wp_maybe_update_user_counts (default-filters.php),
	// FluentCart's UserHandler::userRegistrationHandler, WP_Internal_Pointers::dismiss_pointers_for_new_users
	// (wp-admin/includes/admin-filters.php, loaded by FluentCart in this request).
	if err := a.store.refreshUserCount(ctx, tx); err != nil {
		return err
	}
	if err := a.linkRegisteredUser(ctx, tx, uid, userEmail, metaFirst, metaLast, now); err != nil {
		return err
	}
	// dismissed_wp_pointers, then registerNewUser's default_password_nag.
	if err := addMeta([][2]string{{"dismissed_wp_pointers", ""}, {"default_password_nag", "1"}}); err != nil {
		return err
	}
	// register_new_user -> wp_send_new_user_notifications: the user's e-mail carries a password-reset link whose
	// key get_password_reset_key stores (time:wp_fast_hash(key)). The sidecar stores a key the same way but sends
	// no e-mail (DEVIATIONS.md): the user resets the password from the login screen.
	key, err := generatePassword20()
	if err != nil {
		return err
	}
	return st.setActivationKey(ctx, tx, uid, itoa(a.site.Clock().Unix())+":"+wpauth.FastHash(key))
}

// generatePassword20 is wp_generate_password(20, false).
func generatePassword20() (string, error) {
	a, err := generatePassword()
	if err != nil {
		return "", err
	}
	b, err := generatePassword()
	if err != nil {
		return "", err
	}
	c, err := generatePassword()
	if err != nil {
		return "", err
	}
	return (a + b + c)[:20], nil
}

// linkRegisteredUser is UserHandler::userRegistrationHandler: the first customer with the new user's e-mail gets
// its user_id and the user's non-empty first/last name.
func (a *api) linkRegisteredUser(ctx context.Context, tx *sql.Tx, uid int64, userEmail, metaFirst, metaLast, now string) error {
	st := a.store
	owner, err := st.firstCustomerByEmail(ctx, tx, userEmail)
	if err != nil || owner == nil {
		return err
	}
	var cols []string
	var args []any
	if changed(uid, owner, "user_id") {
		cols, args = append(cols, "user_id"), append(args, uid)
	}
	if !phpEmpty(metaFirst) && changed(metaFirst, owner, "first_name") {
		cols, args = append(cols, "first_name"), append(args, metaFirst)
	}
	if !phpEmpty(metaLast) && changed(metaLast, owner, "last_name") {
		cols, args = append(cols, "last_name"), append(args, metaLast)
	}
	if len(cols) == 0 {
		return nil
	}
	return st.updateByID(ctx, tx, st.customers, owner.id(), append(cols, "updated_at"), append(args, now))
}

// roleLevel is WP_User::update_user_level_from_caps for a user holding only role: the highest level_N capability
// the role grants.
func (a *api) roleLevel(ctx context.Context, role string) (int64, error) {
	roles, err := a.site.RoleDefinitions(ctx)
	if err != nil || roles == nil || role == "" {
		return 0, err
	}
	def, ok := roles.Get(role)
	if !ok {
		return 0, nil
	}
	da, ok := def.(*phpserial.PHPArray)
	if !ok {
		return 0, nil
	}
	capsV, _ := da.Get("capabilities")
	capsA, ok := capsV.(*phpserial.PHPArray)
	if !ok {
		return 0, nil
	}
	var level int64
	for k, v := range capsA.All() {
		name, _ := k.(string)
		if n, found := strings.CutPrefix(name, "level_"); found && phpserial.PHPTruthy(v) {
			if l := stringToInt(n); l > level {
				level = l
			}
		}
	}
	return level, nil
}
