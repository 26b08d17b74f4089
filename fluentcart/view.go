package fluentcart

// Rows -> the JSON PHP emits for them: Model::toArray() of Customer with its appended fields (avatar, admin URLs),
// which need the site's options and the request (vendor/wpfluent/framework/src/WPFluent/Database/Orm/Concerns/
// HasAttributes.php attributesToArray: date attributes, then get-mutators, then casts, then $appends; relations
// after that). The other models (addresses, labels, users, orders, items, subscriptions) are in fluentcart/models.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/wpsidecar/wpsidecar/fluentcart/models"
	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpformat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Date and JSON-column conversions shared with the order and subscription models (fluentcart/models).
var (
	phpDate       = models.PHPDate
	isoDate       = models.ISODate
	phpJSONDecode = models.JSONDecode
	phpArrayValue = models.ArrayValue
)

// phpDateTimeObject is a PHP DateTime serialized by json_encode (its public properties).
type phpDateTimeObject struct{ t time.Time }

func (d phpDateTimeObject) MarshalJSON() ([]byte, error) {
	t := d.t
	return []byte(fmt.Sprintf(`{"date":"%04d-%02d-%02d %02d:%02d:%02d.000000","timezone_type":3,"timezone":"UTC"}`,
		t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second())), nil
}

// viewCtx carries what the computed fields need besides the row: avatar options, the admin URL base and the
// custom photo meta of the users the rows link to.
type viewCtx struct {
	avatarDefault any    // Gravatar d= value ("mm"), or false
	avatarRating  string // r= value
	initials      bool   // avatar_default is "initials"
	adminBase     string // admin_url('') : siteurl + "/wp-admin/"
	photos        map[int64]string
}

// newViewCtx reads the options the appended fields depend on.
func newViewCtx(ctx context.Context, site *wpcompat.Site, r *rest.Request) (*viewCtx, error) {
	def, found, err := site.CachedOption(ctx, "avatar_default")
	if err != nil {
		return nil, err
	}
	if !found || def == "" {
		def = "mystery"
	}
	rating, _, err := site.CachedOption(ctx, "avatar_rating")
	if err != nil {
		return nil, err
	}
	siteURL, err := site.SiteURL(ctx)
	if err != nil {
		return nil, err
	}
	vc := &viewCtx{avatarRating: strings.ToLower(rating), photos: map[int64]string{}}
	switch def {
	case "mm", "mystery", "mysteryman":
		vc.avatarDefault = "mm"
	case "gravatar_default":
		vc.avatarDefault = false
	default:
		vc.avatarDefault = def
	}
	vc.initials = def == "initials"
	scheme := "http"
	if isSSL(r) || site.Config.Bool("FORCE_SSL_ADMIN") {
		scheme = "https"
	}
	vc.adminBase = withScheme(siteURL, scheme) + "/wp-admin/"
	return vc, nil
}

// isSSL is WordPress is_ssl(): as wpcompat's authenticator decided it for the request (TLS, or a trusted
// proxy's X-Forwarded-Proto, or wp-config forcing HTTPS), else whether the connection itself is TLS.
func isSSL(r *rest.Request) bool {
	if r == nil {
		return false
	}
	if v, ok := r.Values["wpcompat.is_ssl"].(bool); ok { // wpcompat/authn/auth.go valueIsSSL
		return v
	}
	return r.HTTP != nil && (r.HTTP.TLS != nil || strings.EqualFold(r.HTTP.URL.Scheme, "https"))
}

// withScheme is set_url_scheme() for an explicit scheme.
func withScheme(url, scheme string) string {
	url = php.Trim(url)
	if strings.HasPrefix(url, "//") {
		url = "http:" + url
	}
	// regexp `^\w+://` replaced by scheme+"://", without the regexp machinery (this runs for every customer).
	i := 0
	for i < len(url) && (url[i] >= 'a' && url[i] <= 'z' || url[i] >= 'A' && url[i] <= 'Z' || url[i] >= '0' && url[i] <= '9' || url[i] == '_') {
		i++
	}
	if i > 0 && strings.HasPrefix(url[i:], "://") {
		return scheme + "://" + url[i+3:]
	}
	return url
}

// gravatar is esc_url(get_avatar_url($email, ['size' => 100])) for an e-mail string (wp-includes/link-template.php
// get_avatar_data: SHA-256 of the trimmed, lower-cased address; s, d, f, r query arguments, empty ones dropped).
func (vc *viewCtx) gravatar(email *string) string {
	hash := ""
	if email != nil && *email != "" {
		sum := sha256.Sum256([]byte(strings.ToLower(php.Trim(*email))))
		hash = hex.EncodeToString(sum[:])
	}
	q := "s=100"
	if d, ok := vc.avatarDefault.(string); ok && d != "" && d != "0" {
		q += "&d=" + php.RawURLEncode(d)
	}
	if vc.avatarRating != "" && vc.avatarRating != "0" {
		q += "&r=" + php.RawURLEncode(vc.avatarRating)
	}
	if vc.initials && email != nil && strings.Contains(*email, "@") {
		if in := avatarInitials(*email); in != "" && in != "0" {
			q += "&initials=" + php.RawURLEncode(in)
		}
	}
	return escGravatar(hash, q)
}

const (
	gravatarBase = "https://secure.gravatar.com/avatar/"
	// gravatarMarker stands for the hash while esc_url runs once per query string.
	gravatarMarker = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

var (
	gravatarEsc  sync.Map // query string → [2]string: esc_url's output before and after the hash
	gravatarEscN atomic.Int32
)

// escGravatar is esc_url(gravatarBase.hash."?".q) for display. The hash is lower-case hex (or empty) between "/"
// and "?", which none of esc_url's rewrites can reach across, so the escaped text around it depends on q alone
// and is computed once per q (a site has one or a few; with the initials default, one per name — at most 256
// are kept). TestEscGravatarIsEscURL holds it to the direct call.
func escGravatar(hash, q string) string {
	if v, ok := gravatarEsc.Load(q); ok {
		p := v.([2]string)
		return p[0] + hash + p[1]
	}
	full := wpformat.EscURL(gravatarBase+gravatarMarker+"?"+q, true)
	before, after, found := strings.Cut(full, gravatarMarker)
	if !found || strings.Contains(after, gravatarMarker) {
		return wpformat.EscURL(gravatarBase+hash+"?"+q, true)
	}
	if gravatarEscN.Add(1) <= 256 {
		gravatarEsc.Store(q, [2]string{before, after})
	}
	return before + hash + after
}

// avatarInitials is the 'initials' default's name handling for an e-mail address without a WordPress user.
func avatarInitials(email string) string {
	name := email[:strings.IndexByte(email, '@')]
	name = strings.NewReplacer(".", " ", "_", " ", "-", " ").Replace(name)
	if name == "" {
		return ""
	}
	cjk := false
	for _, r := range name {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			cjk = true
			break
		}
	}
	if !strings.Contains(name, " ") || cjk {
		n := 0
		for i := range name {
			if n == 2 {
				return name[:i]
			}
			n++
		}
		return name
	}
	first, _ := utf8.DecodeRuneInString(name)
	last, _ := utf8.DecodeRuneInString(name[strings.LastIndexByte(name, ' ')+1:])
	out := string(first)
	if last != utf8.RuneError {
		out += string(last)
	}
	return out
}

// photo is Customer::getPhotoAttribute: the linked user's fc_customer_photo_url meta when it survives esc_url,
// else the Gravatar URL.
func (vc *viewCtx) photo(a *attrs) string {
	uv, _ := a.get("user_id")
	if uid := intval(uv); uid > 0 {
		if p := wpformat.EscURL(vc.photos[uid], true); p != "" {
			return p
		}
	}
	return vc.gravatar(a.strPtr("email"))
}

// customerUserIDs collects the linked user ids whose photo meta the view needs.
func customerUserIDs(list []*attrs) []int64 {
	var ids []int64
	seen := map[int64]bool{}
	for _, a := range list {
		uv, _ := a.get("user_id")
		if uid := intval(uv); uid > 0 && !seen[uid] {
			seen[uid] = true
			ids = append(ids, uid)
		}
	}
	return ids
}

// fullName is Customer::getFullNameAttribute.
func fullName(a *attrs) string {
	f, _ := a.str("first_name")
	l, _ := a.str("last_name")
	return php.Trim(f + " " + l)
}

// truthy is PHP's boolean conversion of an attribute value.
func truthy(v any) bool { return !phpEmpty(v) }

// keyedValue is one extra attribute or loaded relation placed on a model.
type keyedValue struct {
	key string
	val any
}

// customer is Customer::toArray(): columns (dates ISO, purchase_value decoded, id int), extra attributes set by
// the controller (selected_labels), the five appended fields, then relations in load order.
func (vc *viewCtx) customer(a *attrs, extra []keyedValue, rels []keyedValue) *wpjson.Object {
	out := wpjson.NewObject()
	for i, k := range a.keys {
		v := a.vals[i]
		switch k {
		case "id":
			if v != nil {
				v = intval(v)
			}
		case "created_at", "updated_at":
			if v != nil {
				v = isoDate(v)
			}
		case "purchase_value":
			v = purchaseValue(v)
		}
		out.Set(k, v)
	}
	for _, e := range extra {
		out.Set(e.key, e.val)
	}
	country := a.strPtr("country")
	out.Set("full_name", fullName(a))
	out.Set("photo", vc.photo(a))
	cv, _ := a.get("country")
	cs, isStr := cv.(string)
	out.Set("country_name", models.CountryName(cs, isStr))
	fa := wpjson.NewObject()
	if country != nil && truthy(*country) {
		fa.Set("country", models.CountryName(*country, true))
	} else {
		fa.Set("country", "")
	}
	fa.Set("state", models.StateName(a.strPtr("state"), country))
	city, _ := a.get("city")
	postcode, _ := a.get("postcode")
	first, _ := a.get("first_name")
	last, _ := a.get("last_name")
	fa.Set("city", city).Set("postcode", postcode).Set("first_name", first).Set("last_name", last).Set("full_name", fullName(a))
	out.Set("formatted_address", fa)
	uv, _ := a.get("user_id")
	if truthy(uv) {
		s, _ := scalarString(uv)
		out.Set("user_link", vc.adminBase+"user-edit.php?user_id="+s)
	} else {
		out.Set("user_link", "")
	}
	for _, r := range rels {
		out.Set(r.key, r.val)
	}
	return out
}

// purchaseValue is Customer::getPurchaseValueAttribute: empty -> null, else json_decode(..., true).
func purchaseValue(v any) any {
	s, ok := v.(string)
	if !ok || s == "" || s == "0" {
		return nil
	}
	return purchaseValues.Get(s, func(raw string) any {
		d, ok := phpJSONDecode(raw)
		if !ok {
			return nil
		}
		return d
	})
}

// purchaseValues memoises the decoded purchase_value per stored value: a customer's is decoded once per version,
// not on every GET (encoding/json's token reader was 4 % of a cached GET's allocations). Results are shared and
// only ever read (the view puts them into the answer, the encoder writes them).
var purchaseValues wpcompat.DecodeMemo[any]

// The address, label and user rows of the customer answers are serialised by fluentcart/models.
func address(a *attrs) *wpjson.Object       { return models.Address(a.row()) }
func addressMeta(a *attrs) any              { return models.AddressMeta(a.row()) }
func labelRelation(a *attrs) *wpjson.Object { return models.LabelRelationship(a.row()) }
func wpUser(a *attrs) *wpjson.Object        { return models.User(a.row()) }
