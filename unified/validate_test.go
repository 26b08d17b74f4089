package unified

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidEmail(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"jane.doe@example.com", true}, {"Mixed.Case@Example.COM", true}, {"a+tag@sub.example.co.uk", true},
		{"o'brien@example.ie", true}, {"plainaddress", false}, {"a@b", false}, {"a@b.1x", false}, {"a..b@example.com", false},
		{".a@example.com", false}, {"a@-example.com", false}, {"a@example..com", false}, {"josé@example.com", false},
		{"a b@example.com", false}, {strings.Repeat("a", 65) + "@example.com", false}, {"Jane <jane@example.com>", false},
	} {
		if got := validEmail(c.in); got != c.ok {
			t.Errorf("validEmail(%q) = %v", c.in, got)
		}
	}
}

func TestSplitName(t *testing.T) {
	for _, c := range [][3]string{
		{"Mary Ann Smith", "Mary Ann", "Smith"}, {"Cher", "Cher", ""}, {"Acme  Corp", "Acme", "Corp"}, {"芳 王", "芳", "王"},
	} {
		if f, l := splitName(c[0]); f != c[1] || l != c[2] {
			t.Errorf("splitName(%q) = %q, %q", c[0], f, l)
		}
	}
}

func TestSanitizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"+1 (555) 123-4567 x89": "+15551234567", "555.123.4567": "5551234567", "": "", " +44 20 7946 0958 ": "+442079460958",
		"(0)30 1234 X 5": "0301234",
	} {
		if got := sanitizePhone(in); got != want {
			t.Errorf("sanitizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsCountry(t *testing.T) {
	n := 0
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if isCountry(string([]rune{a, b})) {
				n++
			}
		}
	}
	if n != 249 {
		t.Errorf("%d codes, want 249", n)
	}
	for _, c := range []string{"US", "GB", "DE", "ZW", "AX"} {
		if !isCountry(c) {
			t.Errorf("%s refused", c)
		}
	}
	for _, c := range []string{"UK", "XX", "S ", " U", "us"} {
		if isCountry(c) {
			t.Errorf("%q accepted", c)
		}
	}
}

// FuzzParsePatch: any body either validates into values that fit their columns or is refused with this API's
// envelope; it never panics.
func FuzzParsePatch(f *testing.F) {
	for _, s := range []string{`{}`, `{"customer":"A B"}`, `{"email":"a@b.co","mainPhone":null,"website":""}`,
		`{"billingAddress":{"street":"x","city":"y","country":"us"},"shippingAddress":null}`, `{"contacts":[]}`, `[1]`, `{"customer":`,
		`{"status":"inactive","customer":"` + strings.Repeat("é", 191) + `"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := parsePatch(body)
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || ae.status != 400 {
				t.Fatalf("error %v is not a 400 envelope", err)
			}
			return
		}
		if p.name != nil && (utf8.RuneCountInString(*p.name) > maxName || *p.name == "") {
			t.Fatalf("name %q", *p.name)
		}
		if p.email != nil && (len(*p.email) > maxEmail || !validEmail(*p.email)) {
			t.Fatalf("email %q", *p.email)
		}
		if p.phone.set && utf8.RuneCountInString(p.phone.val) > maxPhone {
			t.Fatalf("phone %q", p.phone.val)
		}
		for _, a := range []optAddress{p.billing, p.shipping} {
			if a.val != nil && (a.val.Country == nil || !isCountry(*a.val.Country) || a.val.Street == nil || a.val.City == nil) {
				t.Fatalf("address %+v", a.val)
			}
		}
	})
}
