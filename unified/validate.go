package unified

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Field limits: each value must fit every column it lands in (README "Where each field lives").
const (
	maxName    = 190 // fct_customers.first_name/last_name varchar(192); users.display_name 250; LatePoint 255
	maxEmail   = 100 // users.user_email varchar(100) (LatePoint 110, FluentCart 192)
	maxPhone   = 50  // the contract's limit; fits LatePoint phone 255 and fct_customer_addresses.phone 192
	maxWebsite = 100 // users.user_url varchar(100)
	maxAddrCol = 192 // fct_customer_addresses address_1/address_2/city/state varchar(192)
	maxPostal  = 32  // fct_customer_addresses.postcode varchar(32)
)

// optString is a nullable field of a partial update: set says it was in the body; "" removes the value.
type optString struct {
	set bool
	val string
}

// optAddress is an address of a partial update: set says it was in the body; nil removes the address.
type optAddress struct {
	set bool
	val *addressView
}

// patch is a validated PUT body: only what was sent.
type patch struct {
	name     *string
	first    string
	last     string
	email    *string
	phone    optString
	website  optString
	status   *string
	billing  optAddress
	shipping optAddress
}

func (p *patch) empty() bool {
	return p.name == nil && p.email == nil && !p.phone.set && !p.website.set && p.status == nil && !p.billing.set && !p.shipping.set
}

// writable are the body keys, in the order errors are listed.
var writable = []string{"customer", "email", "mainPhone", "website", "status", "billingAddress", "shippingAddress"}

// parsePatch validates a PUT body, listing every failing field. contacts in the body is refused with its own code
// (the contract: contacts are managed elsewhere), still listing every other failing field.
func parsePatch(body []byte) (*patch, error) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, newAPIError(http.StatusBadRequest, codeInvalidBody, "The request body must be a JSON object.")
	}
	v, err := wpjson.DecodeOrdered(body)
	if err != nil {
		return nil, newAPIError(http.StatusBadRequest, codeInvalidJSON, "The request body is not valid JSON.")
	}
	obj, ok := v.(*wpjson.Object)
	if !ok {
		return nil, newAPIError(http.StatusBadRequest, codeInvalidBody, "The request body must be a JSON object.")
	}
	p := &patch{}
	var errs []fieldError
	bad := func(field, msg string) { errs = append(errs, fieldError{Field: field, Message: msg}) }

	if raw, ok := obj.Get("customer"); ok {
		if s, msg := requiredString("customer", raw, maxName); msg != "" {
			bad("customer", msg)
		} else {
			p.name = &s
			p.first, p.last = splitName(s)
		}
	}
	if raw, ok := obj.Get("email"); ok {
		s, msg := requiredString("email", raw, maxEmail)
		if msg == "" && !validEmail(s) {
			msg = "email must be a valid e-mail address"
		}
		if msg != "" {
			bad("email", msg)
		} else {
			p.email = &s
		}
	}
	if raw, ok := obj.Get("mainPhone"); ok {
		s, msg := optionalString("mainPhone", raw, maxPhone)
		if msg == "" && s != "" && !strings.ContainsAny(s, "0123456789") {
			msg = "mainPhone must contain at least one digit"
		}
		if msg != "" {
			bad("mainPhone", msg)
		} else {
			p.phone = optString{set: true, val: s}
		}
	}
	if raw, ok := obj.Get("website"); ok {
		s, msg := optionalString("website", raw, maxWebsite)
		if msg == "" && s != "" && !validWebsite(s) {
			msg = "website must be an absolute http:// or https:// URL"
		}
		if msg != "" {
			bad("website", msg)
		} else {
			p.website = optString{set: true, val: s}
		}
	}
	if raw, ok := obj.Get("status"); ok {
		if s, isStr := raw.(string); isStr && (s == "active" || s == "inactive") {
			p.status = &s
		} else {
			bad("status", "status must be one of: active, inactive")
		}
	}
	for _, f := range []struct {
		key string
		dst *optAddress
	}{{"billingAddress", &p.billing}, {"shippingAddress", &p.shipping}} {
		raw, ok := obj.Get(f.key)
		if !ok {
			continue
		}
		a, aerrs := parseAddress(f.key, raw)
		errs = append(errs, aerrs...)
		if len(aerrs) == 0 {
			*f.dst = optAddress{set: true, val: a}
		}
	}
	_, contacts := obj.Get("contacts")
	if contacts {
		bad("contacts", "contacts cannot be updated through this endpoint; manage contacts separately")
	}
	for _, k := range obj.Keys() {
		if k != "contacts" && !isWritable(k) {
			bad(k, k+" is not a writable field")
		}
	}
	if len(errs) == 0 {
		return p, nil
	}
	e := validationError(errs)
	if contacts {
		e.code = codeContactsReadOnly
		e.message = "Contacts are read-only here: remove contacts from the body."
	}
	return nil, e
}

func isWritable(k string) bool {
	for _, w := range writable {
		if w == k {
			return true
		}
	}
	return false
}

// requiredString accepts a non-empty string of at most max characters (after trimming surrounding white space).
func requiredString(field string, raw any, max int) (string, string) {
	s, isStr := raw.(string)
	switch {
	case raw == nil:
		return "", field + " cannot be null"
	case !isStr:
		return "", field + " must be a string"
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", field + " must not be empty"
	}
	return s, checkText(field, s, max)
}

// optionalString accepts null or "" (both: remove) or a string of at most max characters.
func optionalString(field string, raw any, max int) (string, string) {
	if raw == nil {
		return "", ""
	}
	s, isStr := raw.(string)
	if !isStr {
		return "", field + " must be a string or null"
	}
	s = strings.TrimSpace(s)
	return s, checkText(field, s, max)
}

func checkText(field, s string, max int) string {
	if utf8.RuneCountInString(s) > max {
		return field + " must be at most " + strconv.Itoa(max) + " characters"
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return field + " must not contain control characters"
		}
	}
	return ""
}

// splitName splits a name at its last space: "Mary Ann Smith" → "Mary Ann" + "Smith"; one word → first name only.
func splitName(s string) (first, last string) {
	i := strings.LastIndex(s, " ")
	if i < 0 {
		return s, ""
	}
	return strings.TrimSpace(s[:i]), s[i+1:]
}

var (
	emailLocal = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
	emailLabel = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
)

// validEmail approximates PHP's FILTER_VALIDATE_EMAIL as WordPress and LatePoint use it (latepoint-customers.md
// §3.1): ASCII only, dot-atom local part of at most 64 characters, a domain of at least two labels whose last
// starts with a letter.
func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at < 1 || at > 64 || at == len(s)-1 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if !emailLocal.MatchString(local) {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !emailLabel.MatchString(l) {
			return false
		}
	}
	tld := labels[len(labels)-1]
	return (tld[0] >= 'a' && tld[0] <= 'z') || (tld[0] >= 'A' && tld[0] <= 'Z')
}

// normalizeEmail is the form e-mails are compared and locked by: trimmed, lower-cased (addresses are ASCII).
func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validWebsite(s string) bool {
	if strings.ContainsAny(s, " \t") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return (scheme == "http" || scheme == "https") && u.Host != ""
}

var addressFields = []string{"street", "street2", "city", "state", "postalCode", "country"}

// parseAddress validates a whole address (null removes it): street, city and country are required, street2,
// state and postalCode optional; country is an ISO 3166-1 alpha-2 code (stored upper-case).
func parseAddress(key string, raw any) (*addressView, []fieldError) {
	if raw == nil {
		return nil, nil
	}
	obj, ok := raw.(*wpjson.Object)
	if !ok {
		return nil, []fieldError{{Field: key, Message: key + " must be an object or null"}}
	}
	var errs []fieldError
	a := &addressView{}
	str := func(name string, required bool, max int) *string {
		field := key + "." + name
		v, present := obj.Get(name)
		if !present || v == nil {
			if required {
				errs = append(errs, fieldError{Field: field, Message: field + " is required"})
			}
			return nil
		}
		var s, msg string
		if required {
			s, msg = requiredString(field, v, max)
		} else {
			s, msg = optionalString(field, v, max)
		}
		if msg != "" {
			errs = append(errs, fieldError{Field: field, Message: msg})
			return nil
		}
		return strPtr(s)
	}
	a.Street = str("street", true, maxAddrCol)
	a.Street2 = str("street2", false, maxAddrCol)
	a.City = str("city", true, maxAddrCol)
	a.State = str("state", false, maxAddrCol)
	a.PostalCode = str("postalCode", false, maxPostal)
	if c := str("country", true, 100); c != nil {
		up := strings.ToUpper(*c)
		if !isCountry(up) {
			errs = append(errs, fieldError{Field: key + ".country", Message: key + ".country must be an ISO 3166-1 alpha-2 country code"})
		} else {
			a.Country = &up
		}
	}
	for _, k := range obj.Keys() {
		known := false
		for _, f := range addressFields {
			known = known || f == k
		}
		if !known {
			errs = append(errs, fieldError{Field: key + "." + k, Message: key + "." + k + " is not an address field"})
		}
	}
	return a, errs
}

// addressJSON is the fallback column's value for an address (NULL when removed).
func addressJSON(a *addressView) any {
	if a == nil {
		return nil
	}
	b, _ := json.Marshal(a)
	return string(b)
}
