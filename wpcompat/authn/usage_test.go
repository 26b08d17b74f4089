package authn_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

func appPasswordsMeta(t *testing.T, s *authSite, id int) string {
	t.Helper()
	return s.db.QueryString(t, "SELECT meta_value FROM {prefix}usermeta WHERE user_id = ? AND meta_key = '_application_passwords' ORDER BY umeta_id LIMIT 1", id)
}

// §5.8 (§12.1 item 16): last_used/last_ip written at most once a day per item, PHP-exact, other bytes untouched.
func TestUsageRecording(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{auth: authn.AuthOptions{TrustedProxies: mustPrefixes("127.0.0.1/32")}})
	do := func(user, pass string, extra ...string) {
		t.Helper()
		rec := wptest.Do(s.rt, "GET", meURL, h(append([]string{"Authorization", basic(user, pass)}, extra...)...), "")
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", user, rec.Code, rec.Body)
		}
		s.auth.WaitUsage()
	}

	// A never-used item (last_used N;) is recorded; the client address comes from X-Forwarded-For of a trusted proxy.
	before := appPasswordsMeta(t, s, uAdmin)
	do("admin", vecAPPlain, "X-Forwarded-For", "198.51.100.7, 127.0.0.1")
	want := strings.Replace(before, `s:9:"last_used";N;s:7:"last_ip";N;`, `s:9:"last_used";i:1800000000;s:7:"last_ip";s:12:"198.51.100.7";`, 1)
	if got := appPasswordsMeta(t, s, uAdmin); got != want {
		t.Fatalf("recorded\n got %s\nwant %s", got, want)
	}
	// Within 24 hours: nothing written.
	*s.now = time.Unix(vecNow+86399, 0)
	do("admin", vecAPPlain)
	if got := appPasswordsMeta(t, s, uAdmin); got != want {
		t.Fatalf("rewritten within a day: %s", got)
	}
	// After 24 hours: recorded again.
	*s.now = time.Unix(vecNow+86400, 0)
	do("admin", vecAPPlain)
	if got := appPasswordsMeta(t, s, uAdmin); !strings.Contains(got, `s:9:"last_used";i:1800086400;s:7:"last_ip";s:9:"127.0.0.1";`) {
		t.Fatalf("not recorded after a day: %s", got)
	}

	// Only the matched item changes; the other keeps its bytes.
	*s.now = time.Unix(vecNow, 0)
	before = appPasswordsMeta(t, s, uEditor)
	do("editor1", vecAP2Plain)
	got := appPasswordsMeta(t, s, uEditor)
	if want := strings.Replace(before, `s:9:"last_used";i:1795455848;s:7:"last_ip";N;`, `s:9:"last_used";i:1800000000;s:7:"last_ip";s:9:"127.0.0.1";`, 1); got != want {
		t.Fatalf("editor\n got %s\nwant %s", got, want)
	}

	// Unknown fields and key order survive; a missing last_ip key is appended like PHP's assignment does.
	odd := `a:1:{i:5;a:6:{s:4:"name";s:3:"odd";s:4:"uuid";s:36:"dddddddd-dddd-4ddd-8ddd-dddddddddddd";s:6:"custom";a:1:{s:1:"k";d:0.1;}s:8:"password";s:49:"` +
		vecAP2Generic + `";s:9:"last_used";s:10:"1700000000";s:7:"created";i:1;}}`
	s.db.Exec(t, "UPDATE {prefix}usermeta SET meta_value = ? WHERE user_id = ? AND meta_key = '_application_passwords'", odd, uNoRole)
	do("norole", vecAP2Plain)
	wantOdd := strings.Replace(odd, `a:6:{`, `a:7:{`, 1)
	wantOdd = strings.Replace(wantOdd, `s:9:"last_used";s:10:"1700000000";s:7:"created";i:1;}}`, `s:9:"last_used";i:1800000000;s:7:"created";i:1;s:7:"last_ip";s:9:"127.0.0.1";}}`, 1)
	if got := appPasswordsMeta(t, s, uNoRole); got != wantOdd {
		t.Fatalf("odd item\n got %s\nwant %s", got, wantOdd)
	}
}

// The write locks the row and re-reads it: a concurrent change made while the sidecar waits for the lock is kept,
// and the request itself never waits for the write.
func TestUsageRecordingConcurrentChange(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{})
	ctx := context.Background()
	tx, err := s.db.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var raw string
	if err := tx.QueryRowContext(ctx, "SELECT meta_value FROM "+s.db.Table("usermeta")+" WHERE user_id = ? AND meta_key = '_application_passwords' FOR UPDATE", uAdmin).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rec := wptest.Do(s.rt, "GET", meURL, h("Authorization", basic("admin", vecAPPlain)), "")
	if rec.Code != 200 || time.Since(start) > 2*time.Second {
		t.Fatalf("request waited for the usage write: %d after %s", rec.Code, time.Since(start))
	}
	// "PHP" adds a second password while the sidecar waits for the lock.
	added := strings.Replace(raw, "a:1:{", "a:2:{", 1)
	added = strings.TrimSuffix(added, "}") + "i:1;" + apItem("eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee", "added", vecAP2Generic, "N") + "}"
	if _, err := tx.ExecContext(ctx, "UPDATE "+s.db.Table("usermeta")+" SET meta_value = ? WHERE user_id = ? AND meta_key = '_application_passwords'", added, uAdmin); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s.auth.WaitUsage()
	got := appPasswordsMeta(t, s, uAdmin)
	want := strings.Replace(added, `s:9:"last_used";N;s:7:"last_ip";N;`, `s:9:"last_used";i:1800000000;s:7:"last_ip";s:9:"127.0.0.1";`, 1)
	if got != want {
		t.Fatalf("concurrent change lost\n got %s\nwant %s", got, want)
	}
}

// SkipUsageRecording writes nothing; a corrupt meta value authenticates nobody and is never rewritten.
func TestUsageRecordingOffAndCorrupt(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{auth: authn.AuthOptions{SkipUsageRecording: true}})
	before := appPasswordsMeta(t, s, uAdmin)
	if rec := wptest.Do(s.rt, "GET", meURL, h("Authorization", basic("admin", vecAPPlain)), ""); rec.Code != 200 {
		t.Fatal(rec.Code)
	}
	s.auth.WaitUsage()
	if got := appPasswordsMeta(t, s, uAdmin); got != before {
		t.Fatalf("written although switched off: %s", got)
	}
	corrupt := strings.Replace(before, `s:13:"sidecar-admin"`, `s:99:"sidecar-admin"`, 1)
	s.db.Exec(t, "UPDATE {prefix}usermeta SET meta_value = ? WHERE user_id = ? AND meta_key = '_application_passwords'", corrupt, uAdmin)
	if rec := wptest.Do(s.rt, "GET", meURL, h("Authorization", basic("admin", vecAPPlain)), ""); rec.Code != 401 {
		t.Fatalf("corrupt meta authenticated: %d", rec.Code)
	}
}
