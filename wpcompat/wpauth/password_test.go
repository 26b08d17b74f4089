package wpauth

import (
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

const (
	testPW        = "correct horse battery staple"
	testWPHash    = "$wp$2y$10$/BYYU.3ZhH1EaEHaFchF7OZDmi66wJMb16jmX3uY0BGppS7S1gfsa"
	testPhpass    = "$P$BABCDEFGH8V2Z2SVO7ujn5wUtglfRD."
	testMD5       = "9cc2ae8a1ba7a93da39b46fc1019c481"
	testBcrypt    = "$2y$10$ZF4WJb4EoG/ssKT9vqMBGerUrK2uLmLJmLPE.Wi82iOSjJE5FtS7C"
	testArgon2id  = "$argon2id$v=19$m=65536,t=4,p=1$Z1h5WmJMNXpOb0NyR0pYSQ$CxNTDJn1AKBU2Y1bHi7t6HZV0YNSvdXTMABUd/8xh2I"
	testSha512    = "$6$rounds=5000$saltsalt$CPgxBHZBXfhC6lX1yxpdEsbQfXmg3WXVj8AoVwyNFLfb5AtbfM8k6A8yehv1z6sgzoH/DUIs7YK9hVnGhTjhW/"
	testSha256Ref = "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5" // Drepper's reference vector
)

// testVanillaBcrypt hashes like PHP password_hash(PASSWORD_BCRYPT) (first 72 bytes, "$2y$").
func testVanillaBcrypt(t testing.TB, password string, cost int) string {
	t.Helper()
	if len(password) > 72 {
		password = password[:72]
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		t.Fatal(err)
	}
	return "$2y$" + string(h[4:])
}

// TestCheckPasswordBranches walks wp_check_password's branches in 7.1 order (spec §4.1).
func TestCheckPasswordBranches(t *testing.T) {
	long := strings.Repeat("x", 4097)
	longMD5 := md5Hex(long)
	tests := []struct {
		name, password, hash string
		want                 bool
	}{
		{"md5", testPW, testMD5, true},
		{"md5 wrong", testPW + "!", testMD5, false},
		{"md5 uppercase never matches", testPW, strings.ToUpper(testMD5), false},
		{"md5 of a >4096-byte password still matches", long, longMD5, true},
		{"empty hash", "", "", false},
		{"star hash", testPW, "*", false},
		{"short non-md5", testPW, "abc", false},
		{">4096 bytes against $wp", long, testWPHash, false},
		{"wp", testPW, testWPHash, true},
		{"wp wrong", testPW + " ", testWPHash, false},
		{"wp not trimmed on check", " " + testPW, testWPHash, false},
		{"wp prefix on a broken bcrypt", testPW, "$wp" + testBcrypt[:59], false},
		{"wp with a vanilla hash of the prehash", testPW, "$wp" + testVanillaBcrypt(t, wpPrehash(testPW), 4), true},
		{"wpX prefix", testPW, "$wpX" + testWPHash[3:], false},
		{"phpass", testPW, testPhpass, true},
		{"phpass wrong", "Correct horse battery staple", testPhpass, false},
		{"phpass extra byte", testPW, testPhpass + "x", false},
		{"phpass bad count char", testPW, "$P$!ABCDEFGH8V2Z2SVO7ujn5wUtglfRD.", false},
		{"phpass count below 7", testPW, "$P$4ABCDEFGH8V2Z2SVO7ujn5wUtglfRD.", false},
		{"phpass short salt", testPW, "$P$BABCD", false},
		{"phpBB $H$ rejected in 7.1", testPW, "$H$" + testPhpass[3:], false},
		{"bcrypt $2y$", testPW, testBcrypt, true},
		{"bcrypt $2b$", testPW, "$2b$" + testBcrypt[4:], true},
		{"bcrypt $2a$", testPW, "$2a$" + testBcrypt[4:], true},
		{"bcrypt $2x$ unsupported", testPW, "$2x$" + testBcrypt[4:], false},
		{"bcrypt wrong", testPW + ".", testBcrypt, false},
		{"bcrypt trailing byte", testPW, testBcrypt + "x", false},
		{"bcrypt non-canonical salt char", testPW, testBcrypt[:28] + "f" + testBcrypt[29:], false},
		{"bcrypt cost 3", testPW, "$2y$03" + testBcrypt[6:], false},
		{"bcrypt cost 32", testPW, "$2y$32" + testBcrypt[6:], false},
		{"bcrypt cost over the sidecar's cap", testPW, "$2y$17" + testBcrypt[6:], false},
		{"argon2id", testPW, testArgon2id, true},
		{"argon2id wrong", testPW + "x", testArgon2id, false},
		{"argon2 without version", testPW, strings.Replace(testArgon2id, "v=19$", "", 1), false},
		{"argon2 memory over cap", testPW, strings.Replace(testArgon2id, "m=65536", "m=1048576", 1), false},
		{"argon2 garbage", testPW, "$argon2id$v=19$m=65536,t=4,p=1$!!$!!", false},
		{"sha512-crypt", testPW, testSha512, true},
		{"sha512-crypt wrong", testPW + "x", testSha512, false},
		{"sha256-crypt reference", "Hello world!", testSha256Ref, true},
		{"md5-crypt unsupported", "password", "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/", false},
		{"DES unsupported", "password", "abJnggxhB/yWI" + strings.Repeat("x", 20), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CheckPassword(tc.password, tc.hash); got != tc.want {
				t.Errorf("CheckPassword = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckPasswordNULBytes(t *testing.T) {
	// crypt() reads the password as a C string, so bytes after a NUL are ignored by PHP for bcrypt.
	h := testVanillaBcrypt(t, "abc", 4)
	if !CheckPassword("abc\x00anything", h) {
		t.Error("bcrypt: password with NUL should compare up to the NUL, as PHP crypt() does")
	}
	// The $wp$ prehash sees every byte.
	wp, _ := HashPassword71("abc", 4)
	if CheckPassword("abc\x00anything", wp) {
		t.Error("$wp$: bytes after NUL must matter")
	}
}

func TestBcrypt2aNonASCII(t *testing.T) {
	h := testVanillaBcrypt(t, "pässword", 4)
	if !CheckPassword("pässword", h) {
		t.Error("$2y$ with a non-ASCII password")
	}
	if CheckPassword("pässword", "$2a$"+h[4:]) {
		t.Error("$2a$ with a non-ASCII password must be refused (crypt_blowfish safety countermeasure)")
	}
}

func TestHashPassword71(t *testing.T) {
	h, err := HashPassword71("  "+testPW+"\n", 4)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$wp$2y$04$") || len(h) != 63 {
		t.Fatalf("hash %q: want $wp$2y$04$ and 63 characters", h)
	}
	if !CheckPassword(testPW, h) {
		t.Error("hashing trims, so the trimmed password verifies")
	}
	if CheckPassword("  "+testPW+"\n", h) {
		t.Error("checking does not trim")
	}
	if h2, _ := HashPassword71(strings.Repeat("x", 4097), 4); h2 != "*" {
		t.Errorf(">4096 bytes: %q, want *", h2)
	}
	if h3, _ := HashPassword71("p", 0); !strings.HasPrefix(h3, "$wp$2y$10$") {
		t.Errorf("default cost: %q", h3)
	}
	if PassFrag(h) != h[len(h)-4:] {
		t.Error("7.1 pass_frag of a $wp$ hash is its last 4 characters")
	}
}

func TestHashPhpass(t *testing.T) {
	if got := HashPhpass(testPW, "ABCDEFGH"); got != testPhpass {
		t.Errorf("HashPhpass = %q, want %q", got, testPhpass)
	}
	if got := HashPhpass("password", "12345678"); got != "$P$B12345678Eg2z6eqcenWjcSosVt4mZ." {
		t.Errorf("HashPhpass(password) = %q", got)
	}
	if got := phpassCrypt("p", "$P$9zzzzzzzz"); got != "$P$9zzzzzzzzdv0oK/XKi7abhQO0Ez29O1" {
		t.Errorf("2048 rounds: %q", got)
	}
	if got := HashPhpass("x", "short"); got != "*0" {
		t.Errorf("short salt gives %q, want *0", got)
	}
	if got := phpassCrypt("x", "*0xxxxxxxxxxxxxxxx"); got != "*1" {
		t.Errorf("setting starting *0 gives %q, want *1", got)
	}
	if got := phpassCrypt("x", "$P$Zsaltsalt"); got != "*0" {
		t.Errorf("log2 31 gives %q, want *0", got)
	}
}

func TestPhpassEncode64(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte{0}, ".."},
		{[]byte{0xff}, "z1"},
		{[]byte{1, 2}, "/6.."[:3]},
		{[]byte{1, 2, 3}, "/6k."},
		{make([]byte, 16), strings.Repeat(".", 22)},
	}
	for _, tc := range tests {
		if got := phpassEncode64(tc.in); got != tc.want {
			t.Errorf("encode64(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestShaCryptReferenceVectors(t *testing.T) {
	// Drepper, "Unix crypt using SHA-256 and SHA-512", test vectors (also in php-src crypt_sha512.c).
	tests := []struct{ setting, key, want string }{
		{"$5$saltstring", "Hello world!", testSha256Ref},
		{"$5$rounds=10000$saltstringsaltstring", "Hello world!",
			"$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA"},
		{"$6$saltstring", "Hello world!",
			"$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"},
		{"$6$rounds=10000$saltstringsaltstring", "Hello world!",
			"$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."},
		{"$6$rounds=5000$toolongsaltstring", "This is just a test",
			"$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0"},
		{"$6$rounds=1400$anotherlongsaltstring",
			"a very much longer text to encrypt.  This one even stretches over morethan one line.",
			"$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1"},
		{"$6$rounds=77777$short", "we have a short salt string but not a short password",
			"$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0"},
		{"$6$rounds=123456$asaltof16chars..", "a short string",
			"$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1"},
	}
	for _, tc := range tests {
		if got := shaCrypt(tc.key, tc.setting); got != tc.want {
			t.Errorf("shaCrypt(%q, %q)\n got %s\nwant %s", tc.key, tc.setting, got, tc.want)
		}
	}
	if got := shaCrypt("x", "$6$rounds=10$roundstoolow"); !strings.HasPrefix(got, "$6$rounds=1000$roundstoolow$") {
		t.Errorf("rounds below the minimum clamp to 1000: %q", got)
	}
	if got := shaCrypt("x", "$6$rounds=2000000$s"); got != "" {
		t.Errorf("rounds over the sidecar's cap must be refused, got %q", got)
	}
}

func TestArgon2iGenerated(t *testing.T) {
	salt := []byte("0123456789abcdef")
	key := argon2.Key([]byte(testPW), salt, 2, 1024, 1, 32)
	h := "$argon2i$v=19$m=1024,t=2,p=1$" + base64.RawStdEncoding.EncodeToString(salt) + "$" +
		base64.RawStdEncoding.EncodeToString(key)
	if !CheckPassword(testPW, h) {
		t.Error("argon2i hash does not verify")
	}
	if CheckPassword(testPW, strings.Replace(h, "$argon2i$", "$argon2id$", 1)) {
		t.Error("argon2i hash verified as argon2id")
	}
	if CheckPassword(testPW, strings.Replace(h, "m=1024,t=2,p=1", "t=2,m=1024,p=1", 1)) {
		t.Error("parameters out of order accepted")
	}
}

func TestPasswordHashKind(t *testing.T) {
	tests := map[string]string{
		testMD5: HashKindMD5, "": HashKindMD5, testWPHash: HashKindWP, testPhpass: HashKindPhpass,
		testBcrypt: HashKindBcrypt, testArgon2id: HashKindArgon2, testSha512: HashKindShaCrypt,
		"$H$" + testPhpass[3:]: HashKindUnsupported, "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/": HashKindUnsupported,
	}
	for h, want := range tests {
		if got := PasswordHashKind(h); got != want {
			t.Errorf("PasswordHashKind(%q) = %q, want %q", h, got, want)
		}
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	cases := []struct{ name, hash string }{
		{"md5", testMD5}, {"wp-bcrypt-10", testWPHash}, {"phpass-8192", testPhpass},
		{"bcrypt-10", testBcrypt}, {"argon2id-64MiB", testArgon2id}, {"sha512crypt-5000", testSha512},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !CheckPassword(testPW, c.hash) {
					b.Fatal("no match")
				}
			}
		})
	}
}
