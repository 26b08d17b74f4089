package wpauth

// WordPress nonces (spec §7.1; wp-includes/pluggable.php wp_nonce_tick, wp_create_nonce, wp_verify_nonce).

import (
	"crypto/subtle"
	"math"
	"strconv"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
)

// DefaultNonceLife is the unfiltered nonce_life (DAY_IN_SECONDS).
const DefaultNonceLife = 86400

// NonceTick is wp_nonce_tick: ceil(t / (life / 2)) in float arithmetic like PHP, so odd lives work too.
func NonceTick(t time.Time, life int) int64 {
	if life <= 0 {
		life = DefaultNonceLife // PHP would divide by zero
	}
	return int64(math.Ceil(float64(t.Unix()) / (float64(life) / 2)))
}

// NonceForTick is the nonce of one tick: characters 20..29 of wp_hash(tick|action|uid|token, 'nonce').
func NonceForTick(tick int64, action string, uid int64, token, salt string) string {
	msg := php.Gcvt(float64(tick), 14, 'E') + "|" + action + "|" + strconv.FormatInt(uid, 10) + "|" + token
	return WPHash(msg, salt)[20:30]
}

// CreateNonce is wp_create_nonce with the default life; salt is wp_salt('nonce').
func CreateNonce(action string, uid int64, token string, salt string, t time.Time) string {
	return NonceForTick(NonceTick(t, DefaultNonceLife), action, uid, token, salt)
}

// VerifyNonce is wp_verify_nonce with the default life: 1 for the current tick, 2 for the previous one, else 0.
func VerifyNonce(nonce, action string, uid int64, token, salt string, t time.Time) int {
	return VerifyNonceTick(nonce, action, uid, token, salt, NonceTick(t, DefaultNonceLife))
}

// VerifyNonceTick is wp_verify_nonce against an explicit current tick (for a filtered nonce_life).
func VerifyNonceTick(nonce, action string, uid int64, token, salt string, tick int64) int {
	if nonce == "" || nonce == "0" { // empty($nonce)
		return 0
	}
	if nonceEqual(NonceForTick(tick, action, uid, token, salt), nonce) {
		return 1
	}
	if nonceEqual(NonceForTick(tick-1, action, uid, token, salt), nonce) {
		return 2
	}
	return 0
}

func nonceEqual(want, got string) bool {
	return subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}
