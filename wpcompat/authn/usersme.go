package authn

// GET /wp/v2/users/me, the route clients call to test a connection (spec §11; WordPress 7.1
// wp-includes/rest-api/endpoints/class-wp-rest-users-controller.php get_current_item /
// prepare_item_for_response / prepare_links / get_item_schema, wp-includes/link-template.php get_avatar_data,
// wp-includes/author-template.php get_author_posts_url, wp-includes/class-wp-rest-user-meta-fields.php).

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// RegisterCore registers the WordPress core and core-adjacent routes the sidecar serves: GET /wp/v2/users/me and
// the JWT plugin's jwt-auth/v1 routes (these answer rest_no_route while the plugin is inactive).
func RegisterCore(rt *rest.Router, site *wpcompat.Site) {
	rt.Register("wp/v2", "/users/me", rest.Handler{Methods: http.MethodGet, Callback: usersMe,
		UserMeta: append(append([]string{}, userProfileMeta...), site.Tables.Prefix+"persisted_preferences")})
	rt.Hook("/wp/v2/users/me", usersMeAllow)
	auth, _ := rt.Auth.(*Auth)
	if auth == nil {
		auth = NewAuthenticator(site, AuthOptions{})
	}
	rt.Register("jwt-auth/v1", "/token", rest.Handler{Methods: http.MethodPost, Callback: auth.jwtToken})
	rt.Register("jwt-auth/v1", "/token/validate", rest.Handler{Methods: http.MethodPost, Callback: auth.jwtValidate})
}

const msgNotLoggedIn = "You are not currently logged in."

// usersMeAllow fixes the Allow header of /wp/v2/users/me: WordPress also registers the update and delete handlers
// (served by PHP, not here), whose permission checks pass for any logged-in user (edit_user on oneself) and for
// delete_user respectively.
func usersMeAllow(r *rest.Request, resp *rest.Response) {
	if !strings.EqualFold(r.Route, "/wp/v2/users/me") || resp.Header.Get("Allow") == "" {
		return
	}
	allow := "GET"
	if r.User != nil && r.User.ID > 0 {
		allow += ", POST, PUT, PATCH"
		if r.User.Can("delete_user", r.User.ID) {
			allow += ", DELETE"
		}
	}
	resp.Header.Set("Allow", allow)
}

// restContext validates the context argument (get_context_param: string, enum view/embed/edit, default view)
// the way WP_REST_Request::has_valid_params reports it.
func restContext(r *rest.Request) (string, error) {
	v, ok := r.Param("context")
	if !ok || v == nil {
		return "view", nil
	}
	s, isStr := v.(string)
	var detail *wpjson.Object
	var msg string
	switch {
	case !isStr:
		msg = "context is not of type string."
		detail = wpjson.NewObject().Set("code", "rest_invalid_type").Set("message", msg).Set("data", wpjson.NewObject().Set("param", "context"))
	case s == "view" || s == "embed" || s == "edit":
		return s, nil
	default:
		msg = "context is not one of view, embed, and edit."
		detail = wpjson.NewObject().Set("code", "rest_not_in_enum").Set("message", msg).Set("data", nil)
	}
	return "", rest.NewError("rest_invalid_param", "Invalid parameter(s): context", http.StatusBadRequest).
		With("params", wpjson.NewObject().Set("context", msg)).
		With("details", wpjson.NewObject().Set("context", detail))
}

// usersMe is WP_REST_Users_Controller::get_current_item.
func usersMe(r *rest.Request) (*rest.Response, error) {
	ctxName, err := restContext(r)
	if err != nil {
		return nil, err
	}
	if r.User == nil || r.User.ID < 1 {
		return nil, rest.NewError("rest_not_logged_in", msgNotLoggedIn, http.StatusUnauthorized)
	}
	if r.Method == http.MethodHead {
		return rest.OK([]any{}), nil
	}
	body, err := prepareUser(r, r.User, ctxName)
	if err != nil {
		return nil, err
	}
	return rest.OK(body), nil
}

// Meta keys prepare_item_for_response reads through WP_User's magic properties.
var userProfileMeta = []string{"first_name", "last_name", "description", "nickname", "locale"}

// prepareUser builds the user item in schema order, keeping the fields of ctxName (filter_response_by_context).
func prepareUser(r *rest.Request, u *wpcompat.User, ctxName string) (*wpjson.Object, error) {
	ctx := r.Ctx()
	site := r.Site
	prefsKey := site.Tables.Prefix + "persisted_preferences"
	meta, err := site.CurrentUserMetas(ctx, u, append(append([]string{}, userProfileMeta...), prefsKey)...)
	if err != nil {
		return nil, err
	}
	metaString := func(key string) any {
		raw, ok := meta[key]
		if !ok {
			return ""
		}
		v, _ := phpserial.MaybeUnserialize(raw)
		return wpcompat.PHPJSONValue(v)
	}
	ssl := requestIsSSL(r)
	edit := ctxName == "edit"
	view := edit || ctxName == "view" || ctxName == "embed"

	o := wpjson.NewObject()
	o.Set("id", u.ID)
	if edit {
		o.Set("username", u.Login)
	}
	o.Set("name", u.DisplayName)
	if edit {
		o.Set("first_name", metaString("first_name"))
		o.Set("last_name", metaString("last_name"))
		o.Set("email", u.Email)
	}
	o.Set("url", u.URL)
	o.Set("description", metaString("description"))
	link, err := authorPostsURL(ctx, site, u, ssl)
	if err != nil {
		return nil, err
	}
	o.Set("link", link)
	if edit {
		locale, err := userLocale(ctx, site, meta["locale"])
		if err != nil {
			return nil, err
		}
		o.Set("locale", locale)
		o.Set("nickname", metaString("nickname"))
	}
	o.Set("slug", u.Nicename)
	if edit {
		// Always for oneself: current_user_can('edit_user', own id) holds for every logged-in user.
		o.Set("roles", u.Roles)
		o.Set("registered_date", registeredDate(u.Registered))
		o.Set("capabilities", orEmptyObject(u.AllCapsObj))
		o.Set("extra_capabilities", orEmptyObject(u.RawCaps))
	}
	if show, _, err := site.CachedOption(ctx, "show_avatars"); err != nil {
		return nil, err
	} else if phpserial.PHPTruthy(show) {
		urls, err := avatarURLs(ctx, site, u, meta)
		if err != nil {
			return nil, err
		}
		o.Set("avatar_urls", urls)
	}
	if view && ctxName != "embed" {
		if edit {
			o.Set("meta", wpjson.NewObject().Set("persisted_preferences", persistedPreferences(meta, prefsKey)))
		} else {
			o.Set("meta", []any{})
		}
	}
	self, err := restURLFor(ctx, site, "wp/v2/users/"+strconv.FormatInt(u.ID, 10), ssl)
	if err != nil {
		return nil, err
	}
	coll, err := restURLFor(ctx, site, "wp/v2/users", ssl)
	if err != nil {
		return nil, err
	}
	o.Set("_links", wpjson.NewObject().
		Set("self", []any{wpjson.NewObject().Set("href", self).Set("targetHints", wpjson.NewObject().Set("allow", userItemAllow(r.User, u)))}).
		Set("collection", []any{wpjson.NewObject().Set("href", coll)}))
	return o, nil
}

func orEmptyObject(o *wpjson.Object) *wpjson.Object {
	if o == nil {
		return wpjson.NewObject()
	}
	return o
}

// userItemAllow is the Allow list of /wp/v2/users/<id> for the current user (targetHints, 6.7+): GET for
// oneself, POST/PUT/PATCH with edit_user, DELETE with delete_user.
func userItemAllow(cur, target *wpcompat.User) []string {
	allow := []string{}
	if cur == nil {
		return allow
	}
	if cur.ID == target.ID || cur.Can("list_users") {
		allow = append(allow, "GET")
	}
	if cur.Can("edit_user", target.ID) {
		allow = append(allow, "POST", "PUT", "PATCH")
	}
	if cur.Can("delete_user", target.ID) {
		allow = append(allow, "DELETE")
	}
	return allow
}

// requestIsSSL is is_ssl() as the authenticator decided it for this request.
func requestIsSSL(r *rest.Request) bool {
	v, _ := r.Values[valueIsSSL].(bool)
	return v
}

// homeURLScheme applies home_url()'s scheme rule: https when the request is, else the option's own.
func homeURLScheme(u string, ssl bool) string {
	if ssl {
		if rest, ok := strings.CutPrefix(u, "http://"); ok {
			return "https://" + rest
		}
	}
	return u
}

// restURLFor is rest_url(path) with the request's scheme.
func restURLFor(ctx context.Context, site *wpcompat.Site, path string, ssl bool) (string, error) {
	u, err := site.RESTURL(ctx, path)
	return homeURLScheme(u, ssl), err
}

// authorPostsURL is get_author_posts_url(id, nicename) with WP_Rewrite's author structure
// (front . "author/%author%", trailing slash per the permalink structure) or "?author=<id>".
func authorPostsURL(ctx context.Context, site *wpcompat.Site, u *wpcompat.User, ssl bool) (string, error) {
	home, err := site.HomeURL(ctx)
	if err != nil {
		return "", err
	}
	home = homeURLScheme(home, ssl)
	perma, _, err := site.CachedOption(ctx, "permalink_structure")
	if err != nil {
		return "", err
	}
	if perma == "" {
		return home + "/?author=" + strconv.FormatInt(u.ID, 10), nil
	}
	front := ""
	if i := strings.IndexByte(perma, '%'); i > 0 {
		front = perma[:i]
	}
	link := front + "author/" + u.Nicename
	if strings.HasSuffix(perma, "/") {
		link = strings.TrimRight(link, `/\`) + "/"
	} else {
		link = strings.TrimRight(link, `/\`)
	}
	return home + "/" + strings.TrimLeft(link, "/"), nil
}

// userLocale is get_user_locale(): the user's locale meta, else get_locale() (WPLANG option when it exists,
// else the WPLANG constant, en_US when empty).
func userLocale(ctx context.Context, site *wpcompat.Site, raw string) (string, error) {
	if v, _ := phpserial.MaybeUnserialize(raw); phpserial.PHPTruthy(v) {
		if s, ok := v.(string); ok {
			return s, nil
		}
	}
	locale, _ := site.Config.String("WPLANG")
	opt, found, err := site.CachedOption(ctx, "WPLANG")
	if err != nil {
		return "", err
	}
	if found {
		locale = opt
	}
	if locale == "" {
		locale = "en_US"
	}
	return locale, nil
}

// registeredDate is gmdate('c', strtotime(user_registered)) for the column's "Y-m-d H:i:s" (UTC), with PHP's
// date normalisation (0000-00-00 00:00:00 is -0001-11-30T00:00:00+00:00) and the epoch for unparsable values.
func registeredDate(s string) string {
	var y, mo, d, h, mi, sec int
	t := time.Unix(0, 0).UTC()
	if len(s) == 19 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' && s[16] == ':' {
		parts := []*int{&y, &mo, &d, &h, &mi, &sec}
		offs := []int{0, 5, 8, 11, 14, 17}
		ok := true
		for i, p := range parts {
			n := 4
			if i > 0 {
				n = 2
			}
			v, err := strconv.Atoi(s[offs[i] : offs[i]+n])
			if err != nil {
				ok = false
				break
			}
			*p = v
		}
		if ok && mo <= 12 && d <= 31 && h <= 23 && mi <= 59 && sec <= 59 {
			t = time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
		}
	}
	year := t.Year()
	ys := strconv.Itoa(year)
	if year < 0 {
		ys = "-" + leftPad(strconv.Itoa(-year), 4)
	} else {
		ys = leftPad(ys, 4)
	}
	return ys + t.Format("-01-02T15:04:05") + "+00:00"
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

// avatarSizes is rest_get_avatar_sizes() without its filter.
var avatarSizes = []int{24, 48, 96}

// avatarURLs is rest_get_avatar_urls($user): get_avatar_url for sizes 24, 48, 96.
func avatarURLs(ctx context.Context, site *wpcompat.Site, u *wpcompat.User, meta map[string]string) (*wpjson.Object, error) {
	// get_option('avatar_default', 'mystery'): the stored value when the option exists.
	def, found, err := site.CachedOption(ctx, "avatar_default")
	if err != nil {
		return nil, err
	}
	if !found {
		def = "mystery"
	}
	switch def {
	case "mm", "mystery", "mysteryman":
		def = "mm"
	case "gravatar_default":
		def = ""
	}
	rating, _, err := site.CachedOption(ctx, "avatar_rating")
	if err != nil {
		return nil, err
	}
	rating = asciiLower(rating)
	hash := ""
	if email := asciiLower(php.Trim(u.Email)); email != "" {
		hash = sha256Hex(email)
	}
	initials := ""
	if def == "initials" {
		initials = avatarInitials(u, meta)
	}
	out := wpjson.NewObject()
	for _, size := range avatarSizes {
		q := "s=" + strconv.Itoa(size)
		if phpserial.PHPTruthy(def) {
			q += "&d=" + php.RawURLEncode(def)
		}
		if phpserial.PHPTruthy(rating) {
			q += "&r=" + php.RawURLEncode(rating)
		}
		if phpserial.PHPTruthy(initials) {
			q += "&initials=" + php.RawURLEncode(initials)
		}
		out.Set(strconv.Itoa(size), "https://secure.gravatar.com/avatar/"+hash+"?"+q)
	}
	return out, nil
}

var cjkRe = regexp.MustCompile(`\p{Han}|\p{Hiragana}|\p{Katakana}|\p{Hangul}`)

// avatarInitials is the 'initials' default of get_avatar_data (7.0+), including its mix of a byte offset
// (strrpos) used as a character offset (mb_substr).
func avatarInitials(u *wpcompat.User, meta map[string]string) string {
	name := u.DisplayName
	if name == "" {
		first, _ := phpserial.MaybeUnserialize(meta["first_name"])
		last, _ := phpserial.MaybeUnserialize(meta["last_name"])
		fs, _ := first.(string)
		ls, _ := last.(string)
		if fs != "" && ls != "" {
			name = fs + " " + ls
		} else {
			name = u.Login
		}
	}
	if name == "" || !utf8.ValidString(name) {
		return ""
	}
	runes := []rune(name)
	if !strings.Contains(name, " ") || cjkRe.MatchString(name) {
		return string(runes[:min(2, len(runes))])
	}
	first := string(runes[:1])
	idx := strings.LastIndex(name, " ") + 1
	last := ""
	if idx < len(runes) {
		last = string(runes[idx : idx+1])
	}
	return first + last
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 32
		}
		return r
	}, s)
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// persistedPreferences is the edit-context value of meta.persisted_preferences: the stored array when it is a
// valid object for the schema (a date-time _modified if present), [] when there is none, null when invalid.
func persistedPreferences(meta map[string]string, key string) any {
	raw, ok := meta[key]
	if !ok {
		return []any{}
	}
	v, _ := phpserial.MaybeUnserialize(raw)
	switch x := v.(type) {
	case string:
		if x == "" {
			return []any{} // rest_is_object('') holds; rest_sanitize_object('') is array()
		}
		return nil
	case *phpserial.PHPArray:
		if m, ok := x.Get("_modified"); ok {
			s, isStr := m.(string)
			if !isStr || !restDateRe.MatchString(s) {
				return nil
			}
		}
		if x.Len() == 0 {
			return []any{}
		}
		return wpcompat.PHPJSONValue(x)
	}
	return nil
}

// restDateRe is rest_parse_date's RFC 3339 pattern.
var restDateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}(?::\d{2})?)?$`)
