package wpauth

// wp_salt() and wp_hash() of WordPress 6.1–7.1 (spec §1.3; wp-includes/pluggable.php wp_salt, wp_hash), without
// the 'salt' filter. Unlike WordPress, a salt is never generated: where PHP would create and store one, Salt fails.

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
)

// SaltPlaceholder is the wp-config-sample.php phrase that wp_salt always treats as unset.
const SaltPlaceholder = "put your unique phrase here"

// ErrSaltMissing means WordPress would generate and store this salt now; the sidecar refuses instead.
var ErrSaltMissing = errors.New("salt missing")

// saltConstants are the ten constants wp_salt inspects for duplicates.
var saltConstants = [...]string{
	"AUTH_KEY", "AUTH_SALT", "SECURE_AUTH_KEY", "SECURE_AUTH_SALT", "LOGGED_IN_KEY", "LOGGED_IN_SALT",
	"NONCE_KEY", "NONCE_SALT", "SECRET_KEY", "SECRET_SALT",
}

// SaltSource holds what wp_salt reads: wp-config constants and the site options.
type SaltSource struct {
	Constants    map[string]string                       // defined constants by name; presence matters
	Placeholders []string                                // translated placeholder phrases of the site locale
	Option       func(name string) (string, bool, error) // raw option_value of a site option, found
}

// Salt is wp_salt(scheme): KEY . SALT for auth, secure_auth, logged_in and nonce; other schemes use the
// secret key and an HMAC of the scheme name.
func (s SaltSource) Salt(scheme string) (string, error) {
	dup := s.duplicated()
	usable := func(name string) (string, bool) {
		v, ok := s.Constants[name]
		return v, ok && phpserial.PHPTruthy(v) && !dup[v]
	}
	var key, salt string
	if v, ok := usable("SECRET_KEY"); ok {
		key = v
	}
	if v, ok := usable("SECRET_SALT"); ok && scheme == "auth" {
		salt = v
	}
	switch scheme {
	case "auth", "secure_auth", "logged_in", "nonce":
		var err error
		if key, err = s.part(scheme+"_key", key, usable); err != nil {
			return "", err
		}
		if salt, err = s.part(scheme+"_salt", salt, usable); err != nil {
			return "", err
		}
	default:
		if !phpserial.PHPTruthy(key) {
			v, err := s.option("secret_key", "SECRET_KEY")
			if err != nil {
				return "", err
			}
			key = v
		}
		salt = hmacMD5Hex(key, scheme)
	}
	return key + salt, nil
}

// part picks one half of a salt: its constant when usable, else the SECRET_* fallback, else the option.
func (s SaltSource) part(name, fallback string, usable func(string) (string, bool)) (string, error) {
	constant := strings.ToUpper(name)
	if v, ok := usable(constant); ok {
		return v, nil
	}
	if phpserial.PHPTruthy(fallback) {
		return fallback, nil
	}
	return s.option(name, constant)
}

// option reads a salt option; missing or PHP-falsy is where WordPress would generate one.
func (s SaltSource) option(name, constant string) (string, error) {
	if s.Option == nil {
		return "", fmt.Errorf("%w: %s is not usable in wp-config.php and no option reader is configured", ErrSaltMissing, constant)
	}
	v, found, err := s.Option(name)
	if err != nil {
		return "", fmt.Errorf("reading salt option %s: %w", name, err)
	}
	var val any = v
	if found {
		val, _ = phpserial.MaybeUnserialize(v) // get_site_option unserializes; corrupt gives false
	}
	if !found || !phpserial.PHPTruthy(val) {
		return "", fmt.Errorf("%w: %s is not defined in wp-config.php (or is a placeholder/duplicate) and option %q is "+
			"not set; log in once through WordPress or define %s", ErrSaltMissing, constant, name, constant)
	}
	return phpStringCast(val), nil
}

// duplicated maps constant values that wp_salt ignores: values held by two or more of the ten constants,
// and the placeholder phrase (plus its translations).
func (s SaltSource) duplicated() map[string]bool {
	dup := make(map[string]bool, len(saltConstants)+1+len(s.Placeholders))
	for _, name := range saltConstants {
		v, ok := s.Constants[name]
		if !ok {
			continue
		}
		_, seen := dup[v]
		dup[v] = seen
	}
	dup[SaltPlaceholder] = true
	for _, p := range s.Placeholders {
		dup[p] = true
	}
	return dup
}

// SuspectPlaceholders names salt constants that look like an untranslated-for-us placeholder sentence
// (spaces, shorter than 40 bytes); worth a warning when the site runs in another locale.
func (s SaltSource) SuspectPlaceholders() []string {
	var out []string
	for _, name := range saltConstants {
		if v, ok := s.Constants[name]; ok && strings.Contains(v, " ") && len(v) < 40 {
			out = append(out, name)
		}
	}
	return out
}

// WPHash is wp_hash(data) for a salt from SaltSource.Salt: hex(HMAC-MD5(key = salt, msg = data)).
func WPHash(data, salt string) string { return hmacMD5Hex(salt, data) }

func hmacMD5Hex(key, msg string) string {
	m := hmac.New(md5.New, []byte(key))
	m.Write([]byte(msg))
	var sum [md5.Size]byte
	return hex.EncodeToString(m.Sum(sum[:0]))
}

// phpStringCast is PHP's (string) conversion as used in concatenation.
func phpStringCast(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case *phpserial.PHPArray:
		return "Array"
	case float64:
		return php.Gcvt(x, 14, 'E')
	}
	return phpserial.MaybeSerialize(v) // nil, bool and integers: "", "1", decimal
}
