package latepoint

import (
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Validation rules of the API Extension's create/update pages (seeds 000/001, spec §6.9/§6.10, issue 6).
// Pure functions: database checks (uniqueness, existence) run in the store, inside the write transaction.

const (
	nameMin, nameMax = 2, 50
	emailMax         = 100
	phoneMax         = 20
	notesMax         = 1000
	textMax          = 255   // address, city, state
	zipMax           = 20    // zipcode
	longTextMax      = 65535 // TEXT columns (admin_notes, custom field values), in bytes
)

// Messages for details (field → message). The documentation shows the codes, not these texts.
const (
	msgRequired       = "This field is required"
	msgNotString      = "Must be a string"
	msgNameShort      = "Must be at least 2 characters"
	msgNameLong       = "Must not exceed 50 characters"
	msgNameChars      = "Only letters, spaces, hyphens and apostrophes are allowed"
	msgEmailInvalid   = "Invalid email format"
	msgEmailLong      = "Must not exceed 100 characters"
	msgEmailTaken     = "Email already exists"
	msgEmailWPTaken   = "Email already used by another WordPress user"
	msgPhoneInvalid   = "Invalid phone format"
	msgPhoneLong      = "Must not exceed 20 characters"
	msgStatusCreate   = "Must be one of: active, inactive, pending"
	msgStatusUpdate   = "Must be one of: active, inactive, pending_verification, blocked"
	msgDateFormat     = "Invalid date format. Use YYYY-MM-DD"
	msgDateFuture     = "Date of birth cannot be in the future"
	msgGender         = "Must be one of: male, female, other, prefer_not_to_say"
	msgCountry        = "Invalid country code. Use ISO 3166-1 alpha-2"
	msgZipFormat      = "Postal code does not match the country format"
	msgNotesLong      = "Must not exceed 1000 characters"
	msgTooLong        = "Value is too long"
	msgBool           = "Must be a boolean"
	msgInteger        = "Must be a non-negative integer"
	msgWPUserMissing  = "WordPress user not found"
	msgWPUserLinked   = "WordPress user is already linked to another customer"
	msgAvatarInvalid  = "Must be the ID of an image in the media library"
	msgCustomObject   = "Must be an object"
	msgCustomKey      = "Invalid custom field key"
	msgCustomReserved = "Reserved key"
	msgCustomOption   = "Not one of the field's options"
	msgNoFields       = "No fields to update"
)

// customerInput is a validated create or update body. Present reports which fields the request carried.
type customerInput struct {
	Present map[string]bool

	FirstName, LastName string
	Email               string // lower-cased; "" = none
	Phone               string // normalised the way LatePoint stores it (§3.3)
	Status              string // stored value (pending → pending_verification)
	Notes, AdminNotes   string
	IsGuest             bool
	WordPressUserID     int64 // 0 = none / unlink
	AvatarImageID       int64 // 0 = none / clear
	Meta                []metaChange
	CustomFields        []metaChange
}

// metaChange is one customer meta key to set (Value) or delete (Delete).
type metaChange struct {
	Key    string
	Value  string
	Delete bool
}

// Profile fields kept in customer meta (spec §6.12.1 [REC]; LatePoint core has no columns for them).
var profileMetaKeys = []string{"date_of_birth", "gender", "address", "city", "state", "zipcode", "country"}

// reservedMetaKeys may not be written as custom fields: LatePoint core's own keys and the profile keys.
var reservedMetaKeys = map[string]bool{
	"timezone_name": true, "stripe_connect_customer_id": true, "stripe_connect_customer_id_dev": true,
	"date_of_birth": true, "gender": true, "address": true, "city": true, "state": true, "zipcode": true, "country": true,
}

var (
	customKeyRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,110}$`)
	dateRE      = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	phoneRE     = regexp.MustCompile(`^\+?[0-9 ().\-]+$`)
	// emailRE approximates PHP's FILTER_VALIDATE_EMAIL (without FILTER_FLAG_EMAIL_UNICODE): an ASCII dot-atom
	// local part and a dotted domain of LDH labels whose last label starts with a letter (spec §3.1 [REC]).
	emailRE = regexp.MustCompile(`^[A-Za-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_` + "`" + `{|}~-]+)*@` +
		`(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
)

// validator collects field errors in a fixed field order (not request order), so answers are deterministic.
type validator struct {
	errs map[string]string
}

var fieldOrder = []string{"first_name", "last_name", "email", "phone", "status", "date_of_birth", "gender",
	"address", "city", "state", "zipcode", "country", "notes", "admin_notes", "is_guest", "wordpress_user_id",
	"avatar_image_id", "custom_fields"}

func (v *validator) add(field, msg string) {
	if v.errs == nil {
		v.errs = map[string]string{}
	}
	if _, ok := v.errs[field]; !ok {
		v.errs[field] = msg
	}
}

func (v *validator) has(field string) bool { _, ok := v.errs[field]; return ok }

// details renders the errors as an ordered object (known fields first, then custom_fields.<key> in key order).
func (v *validator) details() *wpjson.Object {
	if len(v.errs) == 0 {
		return nil
	}
	o := wpjson.NewObject()
	seen := map[string]bool{}
	for _, f := range fieldOrder {
		if m, ok := v.errs[f]; ok {
			o.Set(f, m)
			seen[f] = true
		}
	}
	var rest []string
	for f := range v.errs {
		if !seen[f] {
			rest = append(rest, f)
		}
	}
	sort.Strings(rest)
	for _, f := range rest {
		o.Set(f, v.errs[f])
	}
	return o
}

// validationRules are the configurable parts of the rules.
type validationRules struct {
	MinAge       int  // minimum age for date_of_birth (default 13)
	RequireEmail bool // e-mail required on create (default false: optional for the API, seed 001)
}

// validateCustomer checks a create (update=false) or partial update body. today is the site-local date.
func validateCustomer(params map[string]any, update bool, today time.Time, rules validationRules) (*customerInput, *validator) {
	in := &customerInput{Present: map[string]bool{}}
	v := &validator{}
	get := func(k string) (any, bool) {
		val, ok := params[k]
		if ok {
			in.Present[k] = true
		}
		return val, ok
	}

	for _, f := range []string{"first_name", "last_name"} {
		raw, ok := get(f)
		if !ok || raw == nil {
			if !update || ok {
				v.add(f, msgRequired)
			}
			continue
		}
		s, isStr := raw.(string)
		if !isStr {
			v.add(f, msgNotString)
			continue
		}
		name := collapseSpaces(s)
		if msg := checkName(name); msg != "" {
			v.add(f, msg)
			continue
		}
		if f == "first_name" {
			in.FirstName = name
		} else {
			in.LastName = name
		}
	}

	if raw, ok := get("email"); ok && raw != nil {
		if s, isStr := raw.(string); !isStr {
			v.add("email", msgNotString)
		} else if e := strings.ToLower(strings.TrimSpace(s)); e != "" {
			switch {
			case utf8.RuneCountInString(e) > emailMax:
				v.add("email", msgEmailLong)
			case !validEmail(e):
				v.add("email", msgEmailInvalid)
			default:
				in.Email = e
			}
		}
	}
	if in.Email == "" && rules.RequireEmail && !update && !v.has("email") {
		v.add("email", msgRequired)
	}

	if raw, ok := get("phone"); ok && raw != nil {
		s, isStr := scalarString(raw)
		s = strings.TrimSpace(s)
		switch {
		case !isStr:
			v.add("phone", msgNotString)
		case s == "":
		case utf8.RuneCountInString(s) > phoneMax:
			v.add("phone", msgPhoneLong)
		case !validPhone(s):
			v.add("phone", msgPhoneInvalid)
		default:
			in.Phone = sanitizePhone(s)
		}
	}

	if raw, ok := get("status"); ok {
		s, _ := raw.(string)
		s = strings.ToLower(strings.TrimSpace(s))
		st, valid := "", false
		if update {
			switch s {
			case "active", "inactive", "pending_verification", "blocked":
				st, valid = s, true
			case "pending":
				st, valid = "pending_verification", true
			}
		} else {
			switch s {
			case "active", "inactive":
				st, valid = s, true
			case "pending":
				st, valid = "pending_verification", true
			}
		}
		if !valid {
			if update {
				v.add("status", msgStatusUpdate)
			} else {
				v.add("status", msgStatusCreate)
			}
		}
		in.Status = st
	} else if !update {
		in.Status = "active"
	}

	// Profile meta.
	var country string
	for _, k := range profileMetaKeys {
		raw, ok := get(k)
		if !ok {
			continue
		}
		if raw == nil {
			if update {
				in.Meta = append(in.Meta, metaChange{Key: k, Delete: true})
			}
			continue
		}
		s, isStr := scalarString(raw)
		if !isStr {
			v.add(k, msgNotString)
			continue
		}
		s = strings.TrimSpace(s)
		if s == "" {
			if update {
				in.Meta = append(in.Meta, metaChange{Key: k, Delete: true})
			}
			continue
		}
		switch k {
		case "date_of_birth":
			if msg := checkBirthDate(s, today, rules.MinAge); msg != "" {
				v.add(k, msg)
				continue
			}
		case "gender":
			s = strings.ToLower(s)
			switch s {
			case "male", "female", "other", "prefer_not_to_say":
			default:
				v.add(k, msgGender)
				continue
			}
		case "country":
			s = strings.ToUpper(s)
			if !isCountryCode(s) {
				v.add(k, msgCountry)
				continue
			}
			country = s
		case "zipcode":
			if utf8.RuneCountInString(s) > zipMax {
				v.add(k, msgTooLong)
				continue
			}
		default:
			if utf8.RuneCountInString(s) > textMax {
				v.add(k, msgTooLong)
				continue
			}
		}
		in.Meta = append(in.Meta, metaChange{Key: k, Value: s})
	}
	// Postal code against the country's format, for the countries whose format is simple and known.
	for _, m := range in.Meta {
		if m.Key == "zipcode" && !m.Delete && country != "" && !postalCodeMatches(country, m.Value) {
			v.add("zipcode", msgZipFormat)
		}
	}

	if raw, ok := get("notes"); ok {
		s, isStr := scalarString(raw)
		switch {
		case raw == nil:
		case !isStr:
			v.add("notes", msgNotString)
		case utf8.RuneCountInString(s) > notesMax:
			v.add("notes", msgNotesLong)
		default:
			in.Notes = s
		}
	}
	if raw, ok := get("admin_notes"); ok {
		s, isStr := scalarString(raw)
		switch {
		case raw == nil:
		case !isStr:
			v.add("admin_notes", msgNotString)
		case len(s) > longTextMax:
			v.add("admin_notes", msgTooLong)
		default:
			in.AdminNotes = s
		}
	}

	if raw, ok := get("is_guest"); ok {
		b, valid := parseBool(raw)
		if !valid {
			v.add("is_guest", msgBool)
		}
		in.IsGuest = b
	} else if !update {
		in.IsGuest = true // LatePoint's before_create default (§3.2)
	}

	for _, f := range []string{"wordpress_user_id", "avatar_image_id"} {
		raw, ok := get(f)
		if !ok {
			continue
		}
		n, valid := parseID(raw)
		if !valid {
			v.add(f, msgInteger)
			continue
		}
		if f == "wordpress_user_id" {
			in.WordPressUserID = n
		} else {
			in.AvatarImageID = n
		}
	}

	if raw, ok := get("custom_fields"); ok && raw != nil {
		in.CustomFields = parseCustomFields(raw, update, v)
	}
	return in, v
}

func parseCustomFields(raw any, update bool, v *validator) []metaChange {
	var out []metaChange
	var keys []string
	vals := map[string]any{}
	switch t := raw.(type) {
	case *wpjson.Object:
		keys = t.Keys()
		for _, k := range keys {
			vals[k], _ = t.Get(k)
		}
	case []any:
		if len(t) != 0 { // PHP clients send [] for an empty object
			v.add("custom_fields", msgCustomObject)
		}
		return nil
	default:
		v.add("custom_fields", msgCustomObject)
		return nil
	}
	for _, k := range keys {
		field := "custom_fields." + k
		if !customKeyRE.MatchString(k) {
			v.add(field, msgCustomKey)
			continue
		}
		if reservedMetaKeys[k] || strings.HasPrefix(k, "_") {
			v.add(field, msgCustomReserved)
			continue
		}
		val := vals[k]
		var s string
		switch t := val.(type) {
		case nil:
		case string:
			s = t
		case json.Number:
			s = t.String()
		case bool:
			if t {
				s = "on"
			} else {
				s = "off"
			}
		default: // arrays and objects are stored as JSON text, as PHP's json_encode would write them
			b, err := wpjson.MarshalJSON(t)
			if err != nil {
				v.add(field, msgNotString)
				continue
			}
			s = string(b)
		}
		if len(s) > longTextMax {
			v.add(field, msgTooLong)
			continue
		}
		if s == "" {
			// null or "" removes the key on update (seed 000); on create there is nothing to store.
			if update {
				out = append(out, metaChange{Key: k, Delete: true})
			}
			continue
		}
		out = append(out, metaChange{Key: k, Value: s})
	}
	return out
}

// collapseSpaces trims and turns every run of white space into one space ("extra spaces are removed", seed 001).
func collapseSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkName applies the seed's name rule: 2–50 characters of letters (any script, with combining marks),
// spaces, hyphens and apostrophes.
func checkName(name string) string {
	n := utf8.RuneCountInString(name)
	if n == 0 {
		return msgRequired
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.Is(unicode.M, r) || r == ' ' || r == '-' || r == '\'' || r == '’') {
			return msgNameChars
		}
	}
	if n < nameMin {
		return msgNameShort
	}
	if n > nameMax {
		return msgNameLong
	}
	return ""
}

func validEmail(e string) bool {
	local, _, ok := strings.Cut(e, "@")
	return ok && len(local) <= 64 && len(e) <= 254 && emailRE.MatchString(e)
}

// validPhone: digits with the usual separators, an optional leading +, and 7–15 digits (E.164 allows at most 15).
func validPhone(s string) bool {
	if !phoneRE.MatchString(s) || strings.LastIndex(s, "+") > 0 {
		return false
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits >= 7 && digits <= 15
}

// sanitizePhone is LatePoint's OsUtilHelper::sanitize_phone_number (lib/helpers/util_helper.php, §3.3): empty
// stays empty, everything from the first x/X is dropped, non-digits removed, a leading + kept.
func sanitizePhone(s string) string {
	if s == "" || s == "0" {
		return ""
	}
	plus := strings.HasPrefix(s, "+")
	if i := strings.IndexAny(s, "xX"); i >= 0 {
		s = s[:i]
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	if plus {
		return "+" + b.String()
	}
	return b.String()
}

// checkBirthDate: YYYY-MM-DD, a real calendar date, not after today, and at least minAge years before today
// (someone born exactly minAge years ago today passes).
func checkBirthDate(s string, today time.Time, minAge int) string {
	if !dateRE.MatchString(s) {
		return msgDateFormat
	}
	d, err := time.Parse(dayLayout, s)
	if err != nil {
		return msgDateFormat
	}
	t := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if d.After(t) {
		return msgDateFuture
	}
	if minAge > 0 && addYears(d, minAge).After(t) {
		return "Customer must be at least " + strconv.Itoa(minAge) + " years old"
	}
	return ""
}

// addYears moves a date by whole years; 29 February becomes 28 February in common years (the birthday is
// reached on the 28th, not on 1 March).
func addYears(d time.Time, n int) time.Time {
	y := d.Year() + n
	day := d.Day()
	if d.Month() == time.February && day == 29 && !isLeap(y) {
		day = 28
	}
	return time.Date(y, d.Month(), day, 0, 0, 0, 0, time.UTC)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// scalarString converts JSON scalars to the string PHP would see; arrays/objects are not scalar.
func scalarString(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case nil:
		return "", true
	}
	return "", false
}

// parseBool accepts JSON booleans and the usual string/number spellings.
func parseBool(v any) (bool, bool) {
	switch t := v.(type) {
	case bool:
		return t, true
	case json.Number:
		switch t.String() {
		case "1":
			return true, true
		case "0":
			return false, true
		}
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "1", "true", "yes", "on":
			return true, true
		case "0", "false", "no", "off", "":
			return false, true
		}
	}
	return false, false
}

// parseID accepts a non-negative integer (JSON number or digit string); null means 0 (none).
func parseID(v any) (int64, bool) {
	switch t := v.(type) {
	case nil:
		return 0, true
	case json.Number:
		n, err := strconv.ParseInt(t.String(), 10, 64)
		return n, err == nil && n >= 0
	case string:
		t = strings.TrimSpace(t)
		if t == "" {
			return 0, true
		}
		n, err := strconv.ParseInt(t, 10, 64)
		return n, err == nil && n >= 0
	}
	return 0, false
}
