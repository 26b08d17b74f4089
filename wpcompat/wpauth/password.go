package wpauth

// User password hashes as WordPress 7.1 wp_check_password accepts them (spec §4; wp-includes/pluggable.php
// wp_check_password/wp_hash_password, wp-includes/class-phpass.php crypt_private/encode64). Verification only:
// the sidecar never writes user_pass.

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"math"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
)

// Work limits for hashes read from the database (deviation: PHP would grind through any setting).
const (
	maxBcryptCost     = 16      // bcrypt allows 31; PHP's default is 10 (12 from PHP 8.4)
	maxPhpassLog2     = 20      // phpass allows 30 (2^30 MD5 rounds); WordPress always wrote 13 ("B")
	maxShaCryptRounds = 1000000 // sha-crypt allows 999999999
	maxArgon2Memory   = 262144  // KiB (256 MiB); PHP's default is 65536
	maxArgon2Time     = 64
)

// Password hash kinds reported by PasswordHashKind.
const (
	HashKindMD5         = "md5"
	HashKindWP          = "wp-bcrypt" // $wp$2y$ (6.8+)
	HashKindPhpass      = "phpass"
	HashKindBcrypt      = "bcrypt"
	HashKindArgon2      = "argon2"
	HashKindShaCrypt    = "sha-crypt"
	HashKindUnsupported = "unsupported"
)

// CheckPassword is wp_check_password in WordPress 7.1 without plugins or the check_password filter.
func CheckPassword(password, hash string) bool {
	if len(hash) <= 32 { // legacy MD5, checked before the 4096-byte limit
		return php.HashEquals(hash, md5Hex(password))
	}
	if len(password) > 4096 {
		return false
	}
	if strings.HasPrefix(hash, "$wp") {
		return passwordVerify(wpPrehash(password), hash[3:])
	}
	if strings.HasPrefix(hash, "$P$") {
		return php.HashEquals(phpassCrypt(password, hash), hash)
	}
	return passwordVerify(password, hash)
}

// PasswordHashKind names the format of a user_pass value (for logs and doctor; never the hash itself).
func PasswordHashKind(hash string) string {
	switch {
	case len(hash) <= 32:
		return HashKindMD5
	case strings.HasPrefix(hash, "$wp"):
		return HashKindWP
	case strings.HasPrefix(hash, "$P$"):
		return HashKindPhpass
	case bcryptHashOK(hash):
		return HashKindBcrypt
	case strings.HasPrefix(hash, "$argon2"):
		return HashKindArgon2
	case strings.HasPrefix(hash, "$5$"), strings.HasPrefix(hash, "$6$"):
		return HashKindShaCrypt
	}
	return HashKindUnsupported
}

// HashPassword71 is wp_hash_password of WordPress 6.8+/7.1: "$wp" + bcrypt(base64(HMAC-SHA384)) of the trimmed
// password, with "$2y$" like PHP; cost <= 0 means PHP's default 10. For fixtures and tests.
func HashPassword71(password string, cost int) (string, error) {
	if len(password) > 4096 {
		return "*", nil
	}
	if cost <= 0 {
		cost = bcrypt.DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(wpPrehash(php.Trim(password))), cost)
	if err != nil {
		return "", err
	}
	return "$wp$2y$" + string(h[4:]), nil // Go writes $2a$; the algorithm is the same for this ASCII input
}

// HashPhpass is phpass portable hashing with 8192 rounds ("$P$B"), as WordPress <= 6.7 wrote it; salt8 must be
// 8 bytes. For fixtures and tests.
func HashPhpass(password, salt8 string) string {
	return phpassCrypt(password, "$P$B"+salt8)
}

// wpPrehash is base64(HMAC-SHA384(key = "wp-sha384", msg = password)), spec §4.2.
func wpPrehash(password string) string {
	m := hmac.New(sha512.New384, []byte("wp-sha384"))
	m.Write([]byte(password))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// passwordVerify is PHP password_verify for the formats wpsidecar supports: bcrypt ($2a$/$2b$/$2y$), argon2
// ($argon2i$/$argon2id$, v=19) and sha-crypt ($5$/$6$). Everything else (DES, $1$, $H$, ...) fails.
func passwordVerify(password, hash string) bool {
	switch {
	case strings.HasPrefix(hash, "$argon2"):
		return argon2Verify(password, hash)
	case strings.HasPrefix(hash, "$5$"), strings.HasPrefix(hash, "$6$"):
		return php.HashEquals(shaCrypt(cString(password), hash), hash)
	case bcryptHashOK(hash):
		if int(hash[4]-'0')*10+int(hash[5]-'0') > maxBcryptCost {
			return false
		}
		password = cString(password) // crypt() sees a C string
		if hash[2] == 'a' && !isASCII(password) {
			// PHP's $2a$ applies crypt_blowfish's 8-bit "safety" countermeasure, which Go's bcrypt does not;
			// refuse rather than risk a different verdict.
			return false
		}
		return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
	}
	return false
}

// cString cuts at the first NUL byte, as PHP's crypt() does.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

const bcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// bcryptHashOK checks the exact shape crypt_blowfish produces: $2[aby]$NN$ + 22 salt + 31 hash characters, cost
// 04..31, and a canonical last salt character (PHP re-encodes the salt, so a non-canonical one never matches).
func bcryptHashOK(h string) bool {
	if len(h) != 60 || h[0] != '$' || h[1] != '2' || h[3] != '$' || h[6] != '$' {
		return false
	}
	if h[2] != 'a' && h[2] != 'b' && h[2] != 'y' {
		return false
	}
	if h[4] < '0' || h[4] > '3' || h[5] < '0' || h[5] > '9' {
		return false
	}
	if cost := int(h[4]-'0')*10 + int(h[5]-'0'); cost < 4 || cost > 31 {
		return false
	}
	for i := 7; i < 60; i++ {
		if strings.IndexByte(bcryptAlphabet, h[i]) < 0 {
			return false
		}
	}
	return strings.IndexByte(bcryptAlphabet, h[28])&0x0f == 0
}

// phpassItoa64 is the alphabet of phpass encode64 and of sha-crypt.
const phpassItoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// phpassCrypt is PasswordHash::crypt_private: "*0"/"*1" for an invalid setting, else the 34-char hash.
func phpassCrypt(password, setting string) string {
	out := "*0"
	if strings.HasPrefix(setting, "*0") {
		out = "*1"
	}
	if len(setting) < 12 || (setting[:3] != "$P$" && setting[:3] != "$H$") {
		return out
	}
	log2 := strings.IndexByte(phpassItoa64, setting[3])
	if log2 < 7 || log2 > 30 || log2 > maxPhpassLog2 {
		return out
	}
	salt := setting[4:12]
	sum := md5.Sum([]byte(salt + password))
	buf := make([]byte, 0, md5.Size+len(password))
	for count := 1 << log2; count > 0; count-- {
		buf = append(append(buf[:0], sum[:]...), password...)
		sum = md5.Sum(buf)
	}
	return setting[:12] + phpassEncode64(sum[:])
}

// phpassEncode64 is phpass encode64: little-endian 6-bit groups over phpassItoa64, stopping early at the end.
func phpassEncode64(in []byte) string {
	var b strings.Builder
	n := len(in)
	for i := 0; i < n; {
		v := uint(in[i])
		i++
		b.WriteByte(phpassItoa64[v&0x3f])
		if i < n {
			v |= uint(in[i]) << 8
		}
		b.WriteByte(phpassItoa64[(v>>6)&0x3f])
		if i >= n {
			break
		}
		i++
		if i < n {
			v |= uint(in[i]) << 16
		}
		b.WriteByte(phpassItoa64[(v>>12)&0x3f])
		if i >= n {
			break
		}
		i++
		b.WriteByte(phpassItoa64[(v>>18)&0x3f])
	}
	return b.String()
}

// argon2Verify checks $argon2id$v=19$m=..,t=..,p=..$salt$hash (unpadded base64) like libargon2's argon2_verify.
func argon2Verify(password, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[2] != "v=19" {
		return false // missing v= means Argon2 1.0 (0x10), which x/crypto does not implement
	}
	id := parts[1] == "argon2id"
	if !id && parts[1] != "argon2i" {
		return false
	}
	var m, t, p uint64
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return false
	}
	for i, dst := range []*uint64{&m, &t, &p} {
		name, val, ok := strings.Cut(params[i], "=")
		if !ok || name != "mtp"[i:i+1] || val == "" || val[0] < '0' || val[0] > '9' {
			return false
		}
		n, err := strconv.ParseUint(val, 10, 32)
		if err != nil {
			return false
		}
		*dst = n
	}
	if t < 1 || p < 1 || p > 255 || m < 8*p || m > maxArgon2Memory || t > maxArgon2Time {
		return false
	}
	salt, err1 := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(want) < 4 || len(want) > 1024 {
		return false
	}
	var got []byte
	if id {
		got = argon2.IDKey([]byte(password), salt, uint32(t), uint32(m), uint8(p), uint32(len(want)))
	} else {
		got = argon2.Key([]byte(password), salt, uint32(t), uint32(m), uint8(p), uint32(len(want)))
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}

// shaCrypt is Drepper's SHA-crypt ($5$ SHA-256, $6$ SHA-512) as PHP's crypt() computes it; "" when the setting
// is invalid. The result is the full hash string, to be compared with the stored one.
func shaCrypt(password, setting string) string {
	var newHash func() hash.Hash
	var perm [][3]int
	switch setting[:3] {
	case "$5$":
		newHash, perm = sha256.New, sha256CryptPerm
	case "$6$":
		newHash, perm = sha512.New, sha512CryptPerm
	default:
		return ""
	}
	rest := setting[3:]
	rounds, custom := 5000, false
	if num, ok := strings.CutPrefix(rest, "rounds="); ok {
		j := 0
		for j < len(num) && num[j] >= '0' && num[j] <= '9' {
			j++
		}
		if j < len(num) && num[j] == '$' {
			// strtoul, then clamped to [1000, 999999999] (php-src ext/standard/crypt_sha512.c)
			n, err := strconv.ParseUint(num[:j], 10, 64)
			if err != nil && j > 0 {
				n = math.MaxUint64
			}
			n = max(1000, min(n, 999999999))
			if n > maxShaCryptRounds {
				return ""
			}
			rounds, custom, rest = int(n), true, num[j+1:]
		}
	}
	salt := rest
	if i := strings.IndexByte(salt, '$'); i >= 0 {
		salt = salt[:i]
	}
	if len(salt) > 16 {
		salt = salt[:16]
	}
	key, s := []byte(password), []byte(salt)

	h := newHash()
	h.Write(key)
	h.Write(s)
	h.Write(key)
	b := h.Sum(nil)
	size := len(b)

	h.Reset()
	h.Write(key)
	h.Write(s)
	cnt := len(key)
	for ; cnt > size; cnt -= size {
		h.Write(b)
	}
	h.Write(b[:cnt])
	for cnt = len(key); cnt > 0; cnt >>= 1 {
		if cnt&1 != 0 {
			h.Write(b)
		} else {
			h.Write(key)
		}
	}
	a := h.Sum(nil)

	h.Reset()
	for range len(key) {
		h.Write(key)
	}
	dp := h.Sum(nil)
	p := repeatTo(dp, len(key))

	h.Reset()
	for range 16 + int(a[0]) {
		h.Write(s)
	}
	ds := h.Sum(nil)
	sb := repeatTo(ds, len(s))

	for i := range rounds {
		h.Reset()
		if i&1 != 0 {
			h.Write(p)
		} else {
			h.Write(a)
		}
		if i%3 != 0 {
			h.Write(sb)
		}
		if i%7 != 0 {
			h.Write(p)
		}
		if i&1 != 0 {
			h.Write(a)
		} else {
			h.Write(p)
		}
		a = h.Sum(a[:0])
	}

	var out strings.Builder
	out.WriteString(setting[:3])
	if custom {
		out.WriteString("rounds=" + strconv.Itoa(rounds) + "$")
	}
	out.WriteString(salt)
	out.WriteByte('$')
	enc := func(b2, b1, b0 byte, n int) {
		w := uint(b2)<<16 | uint(b1)<<8 | uint(b0)
		for ; n > 0; n-- {
			out.WriteByte(phpassItoa64[w&0x3f])
			w >>= 6
		}
	}
	for _, t := range perm {
		enc(a[t[0]], a[t[1]], a[t[2]], 4)
	}
	if size == sha256.Size {
		enc(0, a[31], a[30], 3)
	} else {
		enc(0, 0, a[63], 2)
	}
	return out.String()
}

func repeatTo(block []byte, n int) []byte {
	out := make([]byte, 0, n)
	for len(out) < n {
		out = append(out, block[:min(len(block), n-len(out))]...)
	}
	return out
}

// Byte order of the final encoding (Drepper, "Unix crypt using SHA-256 and SHA-512").
var (
	sha256CryptPerm = [][3]int{
		{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14},
		{15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29},
	}
	sha512CryptPerm = [][3]int{
		{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4}, {47, 5, 26}, {6, 27, 48},
		{28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32}, {12, 33, 54}, {34, 55, 13},
		{56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60}, {40, 61, 19}, {62, 20, 41},
	}
)
