package unified

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// The e-mail lock is server-wide: while another session holds it (here a plain connection, standing for another
// sidecar instance), an update to that address waits, and gives up with 503 after LockWait; nothing is written.
func TestPutWaitsForTheEmailLock(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.LockWait = time.Second })
	ctx := context.Background()
	conn, err := e.db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var got int
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(CONCAT('wpsc:', LEFT(SHA2(CONCAT(DATABASE(), ?), 256), 48)), 0)",
		"wpsidecar:"+e.db.Prefix+":held@example.com").Scan(&got); err != nil || got != 1 {
		t.Fatalf("take the lock: %v %d", err, got)
	}
	before := tablesSnapshot(t, e.db)
	start := time.Now()
	// Any spelling of the address maps to the same lock.
	golden(t, e.signed("PUT", customerURL(uuidSam), `{"email":"  HELD@example.com "}`), http.StatusServiceUnavailable, "customer_put_busy")
	if d := time.Since(start); d < time.Second {
		t.Errorf("gave up after %v, before LockWait", d)
	}
	wantDiffs(t, before, tablesSnapshot(t, e.db))
	if _, err := conn.ExecContext(ctx, "SELECT RELEASE_LOCK(CONCAT('wpsc:', LEFT(SHA2(CONCAT(DATABASE(), ?), 256), 48)))", "wpsidecar:"+e.db.Prefix+":held@example.com"); err != nil {
		t.Fatal(err)
	}
	if rec := e.signed("PUT", customerURL(uuidSam), `{"email":"held@example.com"}`); rec.Code != 200 {
		t.Fatalf("after release: %d %s", rec.Code, rec.Body)
	}
}

// Without a usable secrets key file the API answers 503 (and logs why once), never 401 for a good request.
func TestSigningUnavailable(t *testing.T) {
	e := newEnv(t)
	other := newService(e.db.Site, Options{SecretsKeyFile: filepath.Join(t.TempDir(), "missing-dir", "secrets.key")})
	e.rt = e.db.Router()
	e.rt.Register(namespace, routeCustomer, wpcompatHandler(other))
	e.rt.Hook("/"+namespace+"/customers", convertWPError)
	golden(t, e.signed("GET", customerURL(uuidSam), ""), http.StatusServiceUnavailable, "auth_signing_unavailable")
}

func wpcompatHandler(s *service) rest.Handler {
	return rest.Handler{Methods: "GET", Permission: s.authenticate, Callback: s.getCustomer}
}
