package wpauth

// Application Password hashes (spec §5.2–5.3; wp-includes/functions.php wp_fast_hash,
// wp-includes/class-wp-application-passwords.php check_password, wp-includes/user.php
// wp_authenticate_application_password).

import (
	"encoding/base64"
	"strings"

	"golang.org/x/crypto/blake2b"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
)

const fastHashPrefix = "$generic$"

// fastHashKey is the BLAKE2b key (not a personalization) of wp_fast_hash in WordPress 6.8+.
const fastHashKey = "wp_fast_hash_6.8+"

// FastHash is wp_fast_hash: "$generic$" + base64url-nopad(BLAKE2b-240 keyed "wp_fast_hash_6.8+").
func FastHash(m string) string {
	h, _ := blake2b.New(30, []byte(fastHashKey)) // only fails for a bad size or a key > 64 bytes
	h.Write([]byte(m))
	var sum [30]byte
	return fastHashPrefix + base64.RawURLEncoding.EncodeToString(h.Sum(sum[:0]))
}

// CheckAppPasswordHash is WP_Application_Passwords::check_password: "$generic$" hashes by constant-time
// comparison with FastHash, anything else through CheckPassword (legacy phpass items).
func CheckAppPasswordHash(plain, stored string) bool {
	if strings.HasPrefix(stored, fastHashPrefix) {
		return php.HashEquals(stored, FastHash(plain))
	}
	return CheckPassword(plain, stored)
}

// NormalizeAppPassword strips everything but ASCII letters and digits (preg_replace('/[^a-z\d]/i', ”, ...)).
func NormalizeAppPassword(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b = append(b, c)
		}
	}
	return string(b)
}
