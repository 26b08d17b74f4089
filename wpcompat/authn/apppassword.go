package authn

// Application Passwords over HTTP Basic auth, as WordPress 7.1 runs them for a REST request (spec §5;
// wp-includes/user.php wp_validate_application_password / wp_authenticate_application_password /
// wp_is_application_passwords_available, wp-includes/class-wp-application-passwords.php
// get_user_application_passwords / check_password / record_application_password_usage, PHP's
// main/main.c php_handle_auth_data for the header).

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/blake2b"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpauth"
)

const appPasswordsMetaKey = "_application_passwords"

// Messages of wp_authenticate_application_password (7.1, English).
const (
	msgInvalidUsernameAP = "<strong>Error:</strong> Unknown username. Check again or try your email address."
	msgInvalidEmailAP    = "<strong>Error:</strong> Unknown email address. Check again or try your username."
	msgAPDisabled        = "Application passwords are not available."
	msgIncorrectAP       = "The provided password is an invalid application password."
)

// ParseBasicAuth reads an Authorization header the way PHP's SAPI fills PHP_AUTH_USER / PHP_AUTH_PW
// (php_handle_auth_data, also used by php-fpm): "Basic " matched case-insensitively (exactly one space, further
// blanks are skipped by the decoder), the rest base64-decoded leniently (characters outside the alphabet and "="
// are ignored, a trailing partial group is dropped), split at the first ":" of the C string. The user stops at
// the colon, the password at the first NUL byte; a NUL before the colon or an empty password means no credentials.
func ParseBasicAuth(header string) (user, pass string, ok bool) {
	if len(header) < 6 || !strings.EqualFold(header[:6], "Basic ") {
		return "", "", false
	}
	dec := phpBase64Decode(header[6:])
	colon := strings.IndexByte(dec, ':')
	if colon < 0 {
		return "", "", false
	}
	if strings.IndexByte(dec[:colon], 0) >= 0 {
		return "", "", false // strchr stops at the NUL: no colon in the C string
	}
	pass = dec[colon+1:]
	if i := strings.IndexByte(pass, 0); i >= 0 {
		pass = pass[:i]
	}
	if pass == "" {
		// php-fpm registers no PHP_AUTH_PW for an empty password (observed, TestAgainstPHPHeaderParsing), and
		// WordPress needs both PHP_AUTH_USER and PHP_AUTH_PW.
		return "", "", false
	}
	return dec[:colon], pass, true
}

// phpBase64Decode is PHP's non-strict base64_decode.
func phpBase64Decode(s string) string {
	out := make([]byte, 0, len(s)*3/4+1)
	var acc uint32
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var v byte
		switch {
		case c >= 'A' && c <= 'Z':
			v = c - 'A'
		case c >= 'a' && c <= 'z':
			v = c - 'a' + 26
		case c >= '0' && c <= '9':
			v = c - '0' + 52
		case c == '+':
			v = 62
		case c == '/':
			v = 63
		default:
			continue // "=" and anything else are skipped
		}
		acc = acc<<6 | uint32(v)
		n++
		if n == 4 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, n = 0, 0
		}
	}
	switch n {
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return string(out)
}

// appPasswordsAvailable is wp_is_application_passwords_available() without filters: is_ssl() or a local
// environment (spec §5.5).
func (a *Auth) appPasswordsAvailable(st *authState) bool {
	return st.ssl || a.site.Config.EnvironmentType() == "local"
}

// appPasswordsInUse is WP_Application_Passwords::is_in_use(): the using_application_passwords option is truthy.
func (a *Auth) appPasswordsInUse(ctx context.Context) (bool, error) {
	raw, found, err := a.site.CachedOption(ctx, "using_application_passwords")
	if err != nil || !found {
		return false, err
	}
	v, _ := phpserial.MaybeUnserialize(raw)
	return phpserial.PHPTruthy(v), nil
}

// appPasswordResult is the outcome of wp_authenticate_application_password: a user, or a WordPress error
// (nil user, nil err: not attempted).
type appPasswordResult struct {
	user     *wpcompat.User
	err      *rest.Error
	username string // the name presented (for logs and the brute-force guard)
}

// validateAppPassword is wp_validate_application_password at the point where it really runs in a REST
// request (rest_cookie_check_errors, spec §5.9): Basic credentials from the header, the availability gates,
// then wp_authenticate_application_password.
func (a *Auth) validateAppPassword(ctx context.Context, r *rest.Request, st *authState) (*appPasswordResult, error) {
	if !a.appPasswordsAvailable(st) {
		return nil, nil // silently ignored, no error recorded
	}
	user, pass, ok := ParseBasicAuth(r.HTTP.Header.Get("Authorization"))
	if !ok {
		return nil, nil
	}
	inUse, err := a.appPasswordsInUse(ctx)
	if err != nil || !inUse {
		return nil, err
	}
	// wp_magic_quotes has slashed $_SERVER by now: a ' in an e-mail address makes it unknown (spec §5.6).
	return a.authenticateAppPassword(ctx, r, st, php.AddSlashes(user), php.AddSlashes(pass))
}

// authenticateAppPassword is wp_authenticate_application_password(null, username, password) once the API-request
// and in-use checks passed.
func (a *Auth) authenticateAppPassword(ctx context.Context, r *rest.Request, st *authState, username, password string) (*appPasswordResult, error) {
	res := &appPasswordResult{username: username}
	if wait := a.guard.locked(st.clientIP, username, a.now()); wait > 0 {
		// Only credentials already proven within the verdict TTL pass a lockout (checked below).
		st.lockedFor = wait
	}
	keys := authMetaKeys(r, appPasswordsMetaKey, a.site.Tables.CapabilitiesKey())
	rec, err := a.site.FindUserLoginOrEmail(ctx, username, keys...)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		if st.lockedFor > 0 {
			return nil, tooManyAttempts(r, st.lockedFor)
		}
		if wpcompat.IsEmail(username) {
			res.err = rest.NewError("invalid_email", msgInvalidEmailAP, 0)
		} else {
			res.err = rest.NewError("invalid_username", msgInvalidUsernameAP, 0)
		}
		return res, nil
	}
	if !a.appPasswordsAvailable(st) {
		res.err = rest.NewError("application_passwords_disabled", msgAPDisabled, 0)
		return res, nil
	}
	password = wpauth.NormalizeAppPassword(password)
	items := appPasswordItemsMemo.Get(rec.Meta[appPasswordsMetaKey], appPasswordItems) // read-only
	for _, it := range items {
		if !a.checkAppPassword(password, it.hash, st.lockedFor > 0) {
			continue
		}
		if err := a.site.ResolveCaps(ctx, rec); err != nil {
			return nil, err
		}
		rec.AttachMeta(keys)
		u := rec.User
		u.Via, u.AppPasswordUUID = "application_password", it.uuid
		res.user = u
		if !rest.DryRun(ctx) { // a shadow re-execution of a request PHP already answered records nothing
			a.recordUsage(u.ID, it, st.clientIP)
		}
		return res, nil
	}
	if st.lockedFor > 0 {
		return nil, tooManyAttempts(r, st.lockedFor)
	}
	res.err = rest.NewError("incorrect_password", msgIncorrectAP, 0)
	return res, nil
}

// appPasswordItem is one usable entry of _application_passwords.
// appPasswordItemsMemo decodes a user's Application Password list once per stored value (see wpcompat.DecodeMemo).
var appPasswordItemsMemo wpcompat.DecodeMemo[[]appPasswordItem]

type appPasswordItem struct {
	uuid     string // "" when missing (WordPress would generate one on read; the sidecar does not write on reads)
	hash     string
	lastUsed any // as stored: int64, nil, numeric string…
}

// appPasswordItems is get_user_application_passwords(): the unserialized meta when it is an array, items in
// stored order. Entries that are not arrays or carry no string password cannot match and are skipped.
func appPasswordItems(raw string) []appPasswordItem {
	v, err := phpserial.MaybeUnserialize(raw)
	arr, ok := v.(*phpserial.PHPArray)
	if err != nil || !ok {
		return nil
	}
	out := make([]appPasswordItem, 0, arr.Len())
	for _, e := range arr.All() {
		item, ok := e.(*phpserial.PHPArray)
		if !ok {
			continue
		}
		h, _ := item.Get("password")
		hash, ok := h.(string)
		if !ok {
			continue
		}
		it := appPasswordItem{hash: hash}
		if u, ok := item.Get("uuid"); ok {
			it.uuid, _ = u.(string)
		}
		it.lastUsed, _ = item.Get("last_used")
		out = append(out, it)
	}
	return out
}

// checkAppPassword is WP_Application_Passwords::check_password behind the verdict cache. Only positive verdicts
// are cached, keyed by (stored hash, presented password): a changed or revoked password has a different or no
// stored hash and is checked (and refused) at once. onlyCached refuses anything not already proven (lockout).
func (a *Auth) checkAppPassword(password, hash string, onlyCached bool) bool {
	key := a.verdicts.key(hash, password)
	if a.verdicts.hit(key, a.now()) {
		return true
	}
	if onlyCached || !wpauth.CheckAppPasswordHash(password, hash) {
		return false
	}
	a.verdicts.add(key, a.now())
	return true
}

// verdictCache remembers credentials that verified, for a while, under a per-process random key.
type verdictCache struct {
	mu   sync.Mutex
	salt [32]byte
	ttl  time.Duration
	max  int
	m    map[[32]byte]time.Time
}

func newVerdictCache(ttl time.Duration, max int) *verdictCache {
	c := &verdictCache{ttl: ttl, max: max, m: map[[32]byte]time.Time{}}
	_, _ = rand.Read(c.salt[:])
	return c
}

func (c *verdictCache) key(hash, password string) [32]byte {
	h, _ := blake2b.New256(c.salt[:])
	h.Write([]byte(hash))
	h.Write([]byte{0})
	h.Write([]byte(password))
	var k [32]byte
	h.Sum(k[:0])
	return k
}

func (c *verdictCache) hit(k [32]byte, now time.Time) bool {
	if c.ttl <= 0 {
		return false
	}
	c.mu.Lock()
	exp, ok := c.m[k]
	c.mu.Unlock()
	return ok && now.Before(exp)
}

func (c *verdictCache) add(k [32]byte, now time.Time) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		for kk, exp := range c.m {
			if !now.Before(exp) {
				delete(c.m, kk)
			}
		}
		if len(c.m) >= c.max {
			clear(c.m)
		}
	}
	c.m[k] = now.Add(c.ttl)
}

// usageDue is the first half of record_application_password_usage: last_used + DAY_IN_SECONDS > time() means
// "recorded less than a day ago". Values PHP could not add to an int leave the item alone.
func usageDue(lastUsed any, now time.Time) bool {
	var last float64
	switch v := lastUsed.(type) {
	case nil:
	case int64:
		last = float64(v)
	case float64:
		last = v
	case bool:
		if v {
			last = 1
		}
	case string:
		f, _, ok := php.NumericString(v)
		if !ok {
			return false
		}
		last = f
	default:
		return false
	}
	return !(last+86400 > float64(now.Unix()))
}

// recordUsage records last_used/last_ip for an item at most once a day, in the background: it never delays or
// fails the request (PHP ignores the result too).
func (a *Auth) recordUsage(userID int64, it appPasswordItem, ip string) {
	if a.opts.SkipUsageRecording || it.uuid == "" || !usageDue(it.lastUsed, a.now()) {
		return
	}
	key := fmt.Sprintf("%d/%s", userID, it.uuid)
	a.usageMu.Lock()
	if a.usageBusy[key] {
		a.usageMu.Unlock()
		return
	}
	a.usageBusy[key] = true
	a.usageMu.Unlock()
	a.usageWG.Add(1)
	go func() {
		defer a.usageWG.Done()
		defer func() {
			a.usageMu.Lock()
			delete(a.usageBusy, key)
			a.usageMu.Unlock()
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.writeUsage(ctx, userID, it.uuid, ip); err != nil {
			a.site.Log.Warn("application password last_used not recorded", "user_id", userID, "uuid", it.uuid, "err", err)
		}
	}()
}

// errUsageSkipped means the locked row no longer called for a write.
var errUsageSkipped = errors.New("usage already recorded or item gone")

// writeUsage is the read-modify-write of record_application_password_usage in one transaction: the meta row is
// locked (SELECT … FOR UPDATE), the 24-hour rule re-checked, and only last_used/last_ip of the item changed;
// every other byte of the serialized value (unknown fields, key order, other items) is written back as read.
func (a *Auth) writeUsage(ctx context.Context, userID int64, uuid, ip string) (err error) {
	tx, err := a.site.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	var metaID int64
	var raw string
	err = tx.QueryRowContext(ctx, "SELECT umeta_id, meta_value FROM "+a.site.Tables.UsermetaTable()+
		" WHERE user_id = ? AND meta_key = ? ORDER BY umeta_id LIMIT 1 FOR UPDATE", userID, appPasswordsMetaKey).Scan(&metaID, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		err = errUsageSkipped
	}
	if err != nil {
		return err
	}
	updated, ok := withUsage(raw, uuid, ip, a.now())
	if !ok {
		_ = tx.Rollback()
		return nil
	}
	if _, err = tx.ExecContext(ctx, "UPDATE "+a.site.Tables.UsermetaTable()+" SET meta_value = ? WHERE umeta_id = ?", updated, metaID); err != nil {
		return err
	}
	if err = tx.Commit(); err == nil {
		a.site.InvalidateUserMeta(userID)
	}
	return err
}

// withUsage returns the serialized _application_passwords value with last_used = now and last_ip = ip set on the
// item with uuid, or ok=false when nothing is due (recorded within a day, item gone, value not an array).
func withUsage(raw, uuid, ip string, now time.Time) (string, bool) {
	v, err := phpserial.MaybeUnserialize(raw)
	arr, isArr := v.(*phpserial.PHPArray)
	if err != nil || !isArr {
		return "", false
	}
	for _, e := range arr.All() {
		item, ok := e.(*phpserial.PHPArray)
		if !ok {
			continue
		}
		if u, _ := item.Get("uuid"); u != uuid {
			continue
		}
		last, _ := item.Get("last_used")
		if !usageDue(last, now) {
			return "", false
		}
		item.Set("last_used", now.Unix())
		item.Set("last_ip", ip)
		return phpserial.MaybeSerialize(arr), true
	}
	return "", false
}

// WaitUsage blocks until background last_used writes have finished (tests, graceful shutdown).
func (a *Auth) WaitUsage() { a.usageWG.Wait() }

// appPasswordError renders the opt-in plugin-variant answer (rest_application_password_check_errors): the
// WordPress error with status 401.
func appPasswordError(e *rest.Error) error {
	out := *e
	out.Status = http.StatusUnauthorized
	return &out
}
