package latepoint

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// OsUtilHelper::sanitize_phone_number (lib/helpers/util_helper.php): extension dropped, digits kept, leading +.
func TestSanitizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"+1 (555) 123-4567 x89": "+15551234567",
		"555.123.4567":          "5551234567",
		"+44 7700 900123":       "+447700900123",
		"ext only x12":          "",
		"0":                     "",
		"":                      "",
		"1-800-FLOWERS":         "1800",
	} {
		if got := sanitizePhone(in); got != want {
			t.Errorf("sanitizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for _, e := range []string{"a@b.co", "first.last+tag@example.com", "o'brien@example.ie", "x@sub.domain.example", "a_b-c@ex-ample.org"} {
		if !validEmail(e) {
			t.Errorf("%q refused", e)
		}
	}
	for _, e := range []string{"", "plain", "a@b", "a@b.", "a@.b.com", ".a@b.com", "a.@b.com", "a..b@c.com", "a b@c.com", "a@b_c.com",
		"a@-b.com", "a@b.1com", "é@example.com", "a@exämple.com", "\"quoted\"@example.com", "Name <a@b.com>",
		strings.Repeat("a", 65) + "@example.com"} {
		if validEmail(e) {
			t.Errorf("%q accepted", e)
		}
	}
}

func TestCheckName(t *testing.T) {
	for name, want := range map[string]string{
		"Al": "", "Seán": "", "O'Brien": "", "Anne-Marie": "", "D’Angelo": "", "佐藤": "", "Zoë": "", "José María": "",
		"A": msgNameShort, strings.Repeat("é", 51): msgNameLong, strings.Repeat("é", 50): "",
		"R2D2": msgNameChars, "Dr.": msgNameChars, "a_b": msgNameChars, "🍀 x": msgNameChars, "": msgRequired,
	} {
		if got := checkName(collapseSpaces(name)); got != want {
			t.Errorf("checkName(%q) = %q, want %q", name, got, want)
		}
	}
	if got := collapseSpaces("  Mary \t  Jane\n"); got != "Mary Jane" {
		t.Errorf("collapseSpaces: %q", got)
	}
}

func TestBirthDate(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(dayLayout, s); return d }
	cases := []struct{ dob, today, want string }{
		{"2013-11-23", "2026-11-23", ""},
		{"2013-11-24", "2026-11-23", "Customer must be at least 13 years old"},
		{"2026-11-23", "2026-11-23", "Customer must be at least 13 years old"},
		{"2026-11-24", "2026-11-23", msgDateFuture},
		{"2012-02-29", "2025-02-28", ""}, // 13th birthday in a common year falls on 28 February
		{"2012-02-29", "2025-02-27", "Customer must be at least 13 years old"},
		{"2012-02-30", "2025-02-27", msgDateFormat},
		{"2012-2-3", "2025-02-27", msgDateFormat},
	}
	for _, c := range cases {
		if got := checkBirthDate(c.dob, day(c.today), 13); got != c.want {
			t.Errorf("dob %s on %s: %q, want %q", c.dob, c.today, got, c.want)
		}
	}
}

func TestCountryCodes(t *testing.T) {
	for _, c := range []string{"US", "DE", "GB", "AX", "ZW", "AD"} {
		if !isCountryCode(c) {
			t.Errorf("%s refused", c)
		}
	}
	for _, c := range []string{"UK", "XK", "EU", "D ", "DA", "us", "USA", ""} {
		if isCountryCode(c) {
			t.Errorf("%q accepted", c)
		}
	}
	if n := len(strings.Fields(iso3166Alpha2)); n != 249 {
		t.Errorf("%d codes, want 249", n)
	}
}

// FuzzValidateCustomer: any JSON body validates without panicking, and whatever is accepted obeys the rules.
func FuzzValidateCustomer(f *testing.F) {
	for _, s := range []string{
		`{"first_name":"Al","last_name":"Li"}`,
		`{"first_name":" Mary  Jane ","last_name":"O'Neil","email":"A@B.CO","phone":"+1 (555) 123-4567","status":"pending","date_of_birth":"2000-02-29","country":"us","zipcode":"12345","custom_fields":{"k":[1,{"a":null}],"x":true}}`,
		`{"first_name":123,"last_name":null,"email":["x"],"is_guest":"maybe","wordpress_user_id":"-1","custom_fields":"x"}`,
		`{"custom_fields":[],"avatar_image_id":1e3}`,
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body string, update bool) {
		v, err := wpjson.DecodeOrdered([]byte(body))
		if err != nil {
			return
		}
		obj, ok := v.(*wpjson.Object)
		if !ok {
			return
		}
		params := map[string]any{}
		for _, k := range obj.Keys() {
			params[k], _ = obj.Get(k)
		}
		in, val := validateCustomer(params, update, today, validationRules{MinAge: 13})
		if len(val.errs) > 0 {
			if val.details().Len() != len(val.errs) {
				t.Fatalf("details lost errors: %v", val.errs)
			}
			return
		}
		for _, n := range []string{in.FirstName, in.LastName} {
			if (n != "" || !update) && checkName(n) != "" {
				t.Fatalf("accepted name %q", n)
			}
		}
		if in.Email != "" && (!validEmail(in.Email) || in.Email != strings.ToLower(in.Email) || utf8.RuneCountInString(in.Email) > emailMax) {
			t.Fatalf("accepted e-mail %q", in.Email)
		}
		if utf8.RuneCountInString(in.Notes) > notesMax || strings.ContainsAny(strings.TrimPrefix(in.Phone, "+"), "+ ()-.") {
			t.Fatalf("accepted notes/phone %q %q", in.Notes, in.Phone)
		}
		for _, m := range append(in.Meta, in.CustomFields...) {
			if !m.Delete && m.Value == "" {
				t.Fatalf("empty meta value for %s would be refused by LatePoint", m.Key)
			}
		}
	})
}

// FuzzIncludes and the key header parser never panic.
func FuzzParseHeaders(f *testing.F) {
	f.Add("stats,bookings,,AVATAR , x", "Bearer lp_live_abc")
	f.Fuzz(func(t *testing.T, inc, auth string) {
		parseIncludes(inc)
		h := map[string][]string{"Authorization": {auth}}
		if k := presentedKey(h); k != "" && !strings.HasPrefix(k, "lp_") {
			t.Fatalf("non-lp_ Bearer value taken as a key: %q", k)
		}
	})
}
