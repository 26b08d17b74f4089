package unified

import (
	"encoding/base64"
	"path/filepath"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

func basic(login, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(login+":"+pass))
}

// A WordPress credential in Authorization (here an Application Password) makes the partner act as that user: an
// administrator may re-address even a privileged account; a subscriber may change only its own record; a refused
// credential is answered in this API's envelope.
func TestActingUserThroughRouter(t *testing.T) {
	e := newEnv(t)
	// Application Passwords need HTTPS or a local environment (wp_is_application_passwords_available).
	cfg, err := phpconfig.ParseConfigFile(filepath.Join(wptest.RepoRoot(), "testdata", "demo", "wp-config.php"), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	e.db.Site.Config = cfg
	if rec := e.signed("GET", findURL("admin@example.com"), ""); rec.Code != 200 {
		t.Fatalf("find admin: %d %s", rec.Code, rec.Body)
	}
	adminUUID := e.db.QueryString(t, "SELECT uuid FROM {prefix}wpsidecar_customer_links WHERE user_id = 1")
	put := func(uuid, body, auth string) (int, string) {
		h := e.signedHeaders("PUT", customerURL(uuid), body)
		h["Authorization"] = auth
		rec := e.do("PUT", customerURL(uuid), h, body)
		return rec.Code, rec.Body.String()
	}
	if code, body := put(adminUUID, `{"website":"https://admin.example.org"}`, basic("admin", "AdmN 1234 AbCd 5678 EfGh 9012")); code != 200 {
		t.Fatalf("admin acting on itself: %d %s", code, body)
	}
	if got := e.db.QueryString(t, "SELECT user_url FROM {prefix}users WHERE ID = 1"); got != "https://admin.example.org" {
		t.Errorf("user_url = %q", got)
	}
	if code, body := put(uuidSam, `{"customer":"Sam Porter"}`, basic("subscriber", "SubS 1234 AbCd 5678 EfGh 9012")); code != 200 {
		t.Errorf("subscriber acting on itself: %d %s", code, body)
	}
	code, body := put(uuidJane, `{"customer":"Jane Q Doe"}`, basic("subscriber", "SubS 1234 AbCd 5678 EfGh 9012"))
	if want := `{"status":"error","message":"The WordPress user in Authorization may not change this customer.","code":"forbidden","details":{},"errors":[]}`; code != 403 || body != want {
		t.Errorf("subscriber acting on someone else: %d %s", code, body)
	}
	// WordPress leaves a request with a refused Application Password anonymous; this API refuses it instead of
	// letting it act as the partner alone.
	code, body = put(uuidSam, `{"customer":"Mallory"}`, basic("subscriber", "wrong wrong wrong wrong"))
	if want := `{"status":"error","message":"The WordPress credential in Authorization was not accepted.","code":"user_credential_refused","details":{},"errors":[]}`; code != 401 || body != want {
		t.Errorf("refused credential: %d %s", code, body)
	}
}
