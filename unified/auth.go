package unified

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// Request-scoped values.
const (
	valAuth   = "unified.auth"   // the verdict of authenticate (nil or error), computed once per request
	valClient = "unified.client" // *clientRow of a verified request
)

const purgeEvery = 200

// authenticate is every route's permission check: a verified signature from an active client, not seen before,
// within the client's rate limit. The router asks once per handler of a route (for the Allow header too), so the
// verdict is kept on the request: a signature is recorded and a request counted only once.
func (s *service) authenticate(r *rest.Request) error {
	if v, ok := r.Values[valAuth]; ok {
		if v == nil {
			return nil
		}
		return v.(error)
	}
	err := s.verify(r)
	if err != nil {
		if ae, ok := err.(*apiError); ok && ae.status == http.StatusUnauthorized {
			s.site.AuthFailed("unified_" + ae.code)
		}
		r.Values[valAuth] = err
		return err
	}
	r.Values[valAuth] = nil
	return nil
}

// verify checks the signed headers, in this order: presence and format, client, signature (body hash first when
// x-content-sha256 is sent), time window, replay, rate limit; then that a WordPress credential, when sent, was
// accepted.
func (s *service) verify(r *rest.Request) error {
	ctx := r.Ctx()
	h := r.HTTP.Header
	id, tsRaw, sigHex := h.Get("x-client-id"), h.Get("x-timestamp"), h.Get("x-signature")
	var missing []any
	for _, kv := range [][2]string{{"x-client-id", id}, {"x-timestamp", tsRaw}, {"x-signature", sigHex}} {
		if kv[1] == "" {
			missing = append(missing, kv[0])
		}
	}
	if len(missing) > 0 {
		return unauthorized(codeMissingSignature, "This API needs signed requests: send x-client-id, x-timestamp and x-signature.").
			detail("missing", missing)
	}
	ts, err := strconv.ParseInt(tsRaw, 10, 64)
	if err != nil || strings.TrimLeft(tsRaw, "0123456789") != "" {
		return unauthorized(codeInvalidTimestamp, "x-timestamp must be Unix time in seconds.")
	}
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != sha256.Size {
		return unauthorized(codeInvalidSignature, "x-signature must be 64 hexadecimal characters (HMAC-SHA256).")
	}
	key, err := s.keyring()
	if err != nil {
		return newAPIError(http.StatusServiceUnavailable, codeSigningOff, "Signed requests cannot be verified right now.")
	}
	client, err := s.store.client(ctx, id)
	if err != nil {
		return internal(err)
	}
	if client == nil {
		return unauthorized(codeUnknownClient, "Unknown x-client-id.")
	}
	if client.Status != "active" {
		return unauthorized(codeClientRevoked, "This client has been revoked.")
	}
	if client.KeyID != keyID(key) {
		return internal(fmt.Errorf("client %s was encrypted under another secrets key file (key id %s, loaded %s)", id, client.KeyID, keyID(key)))
	}
	secret, err := openSecret(key, client.ClientID, client.SecretEnc)
	if err != nil {
		return internal(fmt.Errorf("client %s: %w", id, err))
	}

	method := r.Method
	if hashesBody(method) {
		if claimed := h.Get("x-content-sha256"); claimed != "" && !strings.EqualFold(claimed, BodyHash(r.Body)) {
			return unauthorized(codeBodyHashMismatch, "The body does not match x-content-sha256: it was altered after signing.")
		}
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(StringToSign(method, requestTarget(r.HTTP), ts, r.Body)))
	if !hmac.Equal(mac.Sum(nil), sig) {
		return unauthorized(codeSignatureMismatch, "The signature does not match: check the secret and the signed text METHOD:target:timestamp:bodyHash.")
	}

	now := s.site.Clock()
	if d := now.Unix() - ts; d > clockSkew || d < -clockSkew {
		return unauthorized(codeTimestampExpired, "x-timestamp is outside the accepted window of 300 seconds.").
			detail("serverTime", now.Unix()).detail("toleranceSeconds", clockSkew)
	}
	fresh, err := s.store.rememberSignature(wpcompat.Bookkeeping(ctx), id, sig, now)
	if err != nil {
		return internal(err)
	}
	if !fresh {
		return unauthorized(codeSignatureReplayed, "This signature was already used: sign every request afresh.")
	}

	limit := s.opts.RateLimit
	if client.RatePerMinute.Valid && client.RatePerMinute.Int64 > 0 {
		limit = int(client.RatePerMinute.Int64)
	}
	count, windowEnd, err := s.store.hit(wpcompat.Bookkeeping(ctx), "client:"+id, now)
	if err != nil {
		return internal(err)
	}
	remaining := int64(limit) - count
	if remaining < 0 {
		remaining = 0
	}
	r.ExtraHeader.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	r.ExtraHeader.Set("X-RateLimit-Remaining", strconv.FormatInt(remaining, 10))
	r.ExtraHeader.Set("X-RateLimit-Reset", strconv.FormatInt(windowEnd.Unix(), 10))
	s.maybePurge(now)
	if count > int64(limit) {
		s.site.RateLimitHit("unified_client")
		retry := int64(windowEnd.Sub(now).Seconds() + 0.999)
		if retry < 1 {
			retry = 1
		}
		e := newAPIError(http.StatusTooManyRequests, codeRateLimited, "Rate limit exceeded: "+strconv.Itoa(limit)+" requests per minute.").
			detail("limit", limit).detail("window", "minute").detail("retryAfter", retry)
		e.header = http.Header{"Retry-After": {strconv.FormatInt(retry, 10)}}
		return e
	}
	// A WordPress credential that WordPress refused leaves the request anonymous; acting as the partner alone would
	// then grant more than the sender asked for, so it is refused instead.
	if r.HTTP.Header.Get("Authorization") != "" && r.User == nil {
		return unauthorized(codeUserCredential, "The WordPress credential in Authorization was not accepted.")
	}

	if err := s.store.touchClient(wpcompat.Bookkeeping(ctx), client); err != nil {
		s.site.Log.Warn("unified API: record client use", "err", err)
	}
	r.Values[valClient] = client
	return nil
}

// maybePurge deletes expired seen signatures and old rate-limit windows now and then, off the request path.
func (s *service) maybePurge(now time.Time) {
	if s.requests.Add(1)%purgeEvery != 0 {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.store.purge(ctx, now); err != nil {
			s.site.Log.Warn("unified API: purge", "err", err)
		}
	}()
}

// mayRead: a request acting as a WordPress user (Authorization) may read a person when it is the user's own
// record or the user can list_users; a request acting only as the partner may read everyone.
func mayRead(r *rest.Request, p *person) error {
	u := r.User
	if u == nil || (p.User != nil && p.User.ID == u.ID) || u.Can("list_users") {
		return nil
	}
	return newAPIError(http.StatusForbidden, codeForbidden, "The WordPress user in Authorization may not read this customer.")
}

// mayWrite: acting as a WordPress user needs edit_user on the person's user (edit_users when it has none).
func mayWrite(r *rest.Request, p *person) error {
	u := r.User
	if u == nil {
		return nil
	}
	if p.User != nil && u.Can("edit_user", p.User.ID) {
		return nil
	}
	if p.User == nil && u.Can("edit_users") {
		return nil
	}
	return newAPIError(http.StatusForbidden, codeForbidden, "The WordPress user in Authorization may not change this customer.")
}
