package wpcompat

import (
	"math"
	"net/url"
	"strings"
	"testing"
)

// Round trips and agreement with the WordPress 7.1 vectors (testdata/wpcompat/vectors.json, no PHP at fuzz time).
// Run them for a while with `make fuzz`; plain `go test` runs their seeds.

// FuzzSerializeRoundTrip: any value built of PHP scalars and arrays serializes to a string that unserializes to
// the same value (same bytes again, same float bits, the key found where PHP's key normalisation put it), and
// maybe_serialize / maybe_unserialize give back any string unchanged (checked in WordPress 7.1 on 100,000 random
// strings of serialize fragments).
func FuzzSerializeRoundTrip(f *testing.F) {
	f.Add("é", "k", int64(10), 0.1, true)
	f.Add(`a:1:{i:0;i:1;}`, "01", int64(-1), 1e25, false)
	f.Add("s:1:\"x\";", "5", int64(math.MinInt64), math.Inf(-1), true)
	f.Add("", "-0", int64(0), math.Copysign(0, -1), false)
	f.Add("b:1;", "9223372036854775808", int64(math.MaxInt64), 5e-324, true)
	for _, v := range loadWPVectors(f).Serialized {
		f.Add(v.Serialized, v.PHP, int64(len(v.PHP)), 1.0, false)
	}
	f.Fuzz(func(t *testing.T, s, key string, i int64, x float64, b bool) {
		arr := NewPHPArray().Set(key, s)
		top := PHPList(arr, PHPList(i, x, b, nil, s))
		ser := Serialize(top)
		v, err := Unserialize(ser)
		if err != nil {
			t.Fatalf("Serialize gave %q, which does not unserialize: %v", ser, err)
		}
		if again := Serialize(v); again != ser {
			t.Fatalf("round trip %q -> %q", ser, again)
		}
		outer, _ := v.(*PHPArray)
		first, _ := outer.Get(int64(0))
		got, ok := first.(*PHPArray).Get(key)
		if !ok || got != s {
			t.Fatalf("key %q: got %#v %v after the round trip of %q", key, got, ok, ser)
		}
		second, _ := outer.Get(int64(1))
		gx, _ := second.(*PHPArray).Get(int64(1))
		fx, isFloat := gx.(float64)
		if !isFloat || !(math.Float64bits(fx) == math.Float64bits(x) || math.IsNaN(fx) && math.IsNaN(x)) {
			t.Fatalf("float %v (bits %x) came back as %#v from %q", x, math.Float64bits(x), gx, ser)
		}
		gi, _ := second.(*PHPArray).Get(int64(0))
		if gi != i {
			t.Fatalf("int %d came back as %#v", i, gi)
		}
		stored := MaybeSerialize(s)
		back, err := MaybeUnserialize(stored)
		if err != nil || back != s {
			t.Fatalf("maybe_serialize(%q) = %q reads back as %#v (%v)", s, stored, back, err)
		}
	})
}

// FuzzCheckPasswordVectors: never accepting what the 7.1 vectors reject. For every recorded (password, hash) pair
// that WordPress accepts with a cheap hash (MD5, phpass), any other password is refused and the recorded one
// accepted; a hash WordPress refuses ($H$) refuses every password.
func FuzzCheckPasswordVectors(f *testing.F) {
	v := loadWPVectors(f)
	type pair struct {
		password, hash string
		check          bool
	}
	var cheap []pair
	for _, p := range v.Passwords {
		switch PasswordHashKind(p.Hash) {
		case HashKindMD5, HashKindPhpass:
			cheap = append(cheap, pair{p.Password, p.Hash, p.Check})
		}
		if strings.HasPrefix(p.Hash, "$H$") {
			cheap = append(cheap, pair{p.Password, p.Hash, p.Check})
		}
	}
	if len(cheap) < 4 {
		f.Fatalf("only %d cheap vectors (kinds: %q)", len(cheap), PasswordHashKind(v.Passwords[0].Hash))
	}
	for _, p := range v.Passwords {
		f.Add(p.Password)
		f.Add(" " + p.Password)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		for _, p := range cheap {
			want := p.check && pw == p.password
			if got := CheckPassword(pw, p.hash); got != want {
				t.Fatalf("CheckPassword(%q, %q) = %v, want %v (WordPress 7.1 recorded %q -> %v)", pw, p.hash, got, want, p.password, p.check)
			}
		}
	})
}

// FuzzAuthCookieVectors: never accepting what the 7.1 vectors reject. A cookie assembled from a recorded row with
// any fuzzed field changed (login, expiration, token or hmac) fails the HMAC check; only the recorded fields pass.
// The cookie value also goes through ParseAuthCookie as a browser would send it (URL-encoded).
func FuzzAuthCookieVectors(f *testing.F) {
	v := loadWPVectors(f)
	salts := vectorSalts(v)
	exp, token := v.CookieCommon.Expiration, v.CookieCommon.Token
	for i, c := range v.Cookies {
		f.Add(uint8(i), c.Login, exp, token, c.HMAC)
		f.Add(uint8(i), c.Login, exp+"0", token, c.HMAC)
		f.Add(uint8(i), c.Login, exp, token, strings.ToUpper(c.HMAC))
	}
	f.Fuzz(func(t *testing.T, row uint8, login, expiration, tok, mac string) {
		c := v.Cookies[int(row)%len(v.Cookies)]
		salt := mustSalt(t, salts, c.Scheme)
		recorded := login == c.Login && expiration == exp && tok == token && mac == c.HMAC
		raw := url.PathEscape(login) + "%7C" + url.PathEscape(expiration) + "%7C" + url.PathEscape(tok) + "%7C" + url.PathEscape(mac)
		ck, err := ParseAuthCookie(raw)
		if err != nil {
			if recorded {
				t.Fatalf("the recorded cookie %q does not parse: %v", raw, err)
			}
			return
		}
		if got := ck.ValidHMAC(c.UserPass, salt); got != recorded {
			t.Fatalf("ValidHMAC(%+v) = %v for row %d (%s/%s), want %v", ck, got, int(row)%len(v.Cookies), c.Login, c.Scheme, recorded)
		}
	})
}
