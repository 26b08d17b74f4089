package wpauth

import (
	"strings"
	"testing"
)

func TestFastHashShape(t *testing.T) {
	h := FastHash("abcdABCD1234efghEFGH5678")
	if len(h) != len("$generic$")+40 || strings.ContainsAny(h[9:], "+/=") {
		t.Errorf("FastHash = %q: want $generic$ + 40 base64url characters", h)
	}
	if FastHash("a") == FastHash("b") {
		t.Error("different messages hash alike")
	}
}

func TestNormalizeAppPassword(t *testing.T) {
	tests := map[string]string{
		"zFvM 9nrV 0MsK sczP zqAX 3lEr":     "zFvM9nrV0MsKsczPzqAX3lEr",
		"zFvM-9nrV-0MsK-sczP-zqAX-3lEr":     "zFvM9nrV0MsKsczPzqAX3lEr",
		"  zFvM\t9nrV_0MsK.sczP/zqAX\n3lEr": "zFvM9nrV0MsKsczPzqAX3lEr",
		"ä€zFvM":                            "zFvM", // any non-ASCII byte goes
		"":                                  "",
		"!@#$%":                             "",
	}
	for in, want := range tests {
		if got := NormalizeAppPassword(in); got != want {
			t.Errorf("NormalizeAppPassword(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckAppPasswordHash(t *testing.T) {
	plain := "abcdABCD1234efghEFGH5678"
	tests := []struct {
		name, plain, stored string
		want                bool
	}{
		{"generic", plain, "$generic$m3p-vGVHJEquVtpOZroIk-ieMdJ7txFHWU5XUhH-", true},
		{"generic case-sensitive", strings.ToUpper(plain), "$generic$m3p-vGVHJEquVtpOZroIk-ieMdJ7txFHWU5XUhH-", false},
		{"generic truncated hash", plain, "$generic$m3p-vGVHJEquVtpOZroIk-ieMdJ7txFHWU5XUhH", false},
		{"generic prefix only", plain, "$generic$", false},
		{"legacy phpass", plain, "$P$BM2.3n5onx0PFi/kJ5D5OvW0R7Tvqt/", true},
		{"legacy phpass wrong", plain + "x", "$P$BM2.3n5onx0PFi/kJ5D5OvW0R7Tvqt/", false},
		{"other formats via wp_check_password", plain, "$wp" + mustHash71(t, plain), true},
		{"md5 via wp_check_password", plain, md5Hex(plain), true},
		{"empty stored", plain, "", false},
	}
	for _, tc := range tests {
		if got := CheckAppPasswordHash(tc.plain, tc.stored); got != tc.want {
			t.Errorf("%s: CheckAppPasswordHash = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func mustHash71(t *testing.T, pw string) string {
	t.Helper()
	h, err := HashPassword71(pw, 4)
	if err != nil {
		t.Fatal(err)
	}
	return h[3:] // callers prepend "$wp" themselves to make the test table readable
}

func BenchmarkFastHash(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		FastHash("zFvM9nrV0MsKsczPzqAX3lEr")
	}
}

func BenchmarkCheckAppPasswordHash(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if !CheckAppPasswordHash("zFvM9nrV0MsKsczPzqAX3lEr", "$generic$kks6wO46p9hXfwOPmizV7uy_wfv8DW24jqlowLB_") {
			b.Fatal("no match")
		}
	}
}
