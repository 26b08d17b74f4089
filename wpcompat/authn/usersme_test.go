package authn_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http/httptest"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

const adminAvatar = `https:\/\/secure.gravatar.com\/avatar\/258d8dc916db8cea2cafb6c3cd0cb0246efe061421dbd83ec3a350428cabda4f`

// §11 (§12.1 item 30): fields per context in schema order, registered_date, avatar_urls, meta, _links with
// targetHints — the admin and editor bodies are the ones observed on WordPress 7.1 (spec §11.1).
func TestUsersMe(t *testing.T) {
	t.Parallel()
	s := newAuthSite(t, authSiteOptions{auth: authn.AuthOptions{TrustedProxies: mustPrefixes("127.0.0.1/32")}})
	admin := h("Authorization", basic("admin", vecAPPlain))
	editor := h("Authorization", basic("editor1", vecAP2Plain))
	norole := h("Authorization", basic("norole", vecAP2Plain))
	wptest.Run(t, s.rt, []wptest.Scenario{
		{Name: "admin, view (spec §11.1 observed body)", URL: meURL, Header: admin, Status: 200,
			WantBody: `{"id":1,"name":"admin","url":"http:\/\/127.0.0.1:8071\/site71","description":"","link":"http:\/\/127.0.0.1:8071\/author\/admin\/","slug":"admin",` +
				`"avatar_urls":{"24":"` + adminAvatar + `?s=24&d=mm&r=g","48":"` + adminAvatar + `?s=48&d=mm&r=g","96":"` + adminAvatar + `?s=96&d=mm&r=g"},"meta":[],` +
				`"_links":{"self":[{"href":"http:\/\/127.0.0.1:8071\/wp-json\/wp\/v2\/users\/1","targetHints":{"allow":["GET","POST","PUT","PATCH","DELETE"]}}],"collection":[{"href":"http:\/\/127.0.0.1:8071\/wp-json\/wp\/v2\/users"}]}}`,
			WantHeader: map[string]string{"Allow": "GET, POST, PUT, PATCH, DELETE"}},
		{Name: "editor, edit with _fields (spec §11.1 observed body)", URL: meURL + "?context=edit&_fields=id,username,email,locale,roles,registered_date,extra_capabilities", Header: editor, Status: 200,
			WantBody:   `{"id":2,"username":"editor1","email":"editor1@example.com","locale":"en_US","roles":["editor"],"registered_date":"2026-11-23T17:44:03+00:00","extra_capabilities":{"editor":true}}`,
			WantHeader: map[string]string{"Allow": "GET, POST, PUT, PATCH"}},
		{Name: "editor, edit: every field in schema order", URL: meURL + "?context=edit", Header: editor, Status: 200, Check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			v, err := wpjson.DecodeOrdered(rec.Body.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			o := v.(*wpjson.Object)
			want := []string{"id", "username", "name", "first_name", "last_name", "email", "url", "description", "link", "locale",
				"nickname", "slug", "roles", "registered_date", "capabilities", "extra_capabilities", "avatar_urls", "meta", "_links"}
			if got := o.Keys(); !equalStrings(got, want) {
				t.Fatalf("keys %v\nwant %v", got, want)
			}
			caps, _ := o.Get("capabilities")
			c := caps.(*wpjson.Object)
			if keys := c.Keys(); c.Len() != 35 || keys[len(keys)-1] != "editor" || keys[0] != "moderate_comments" {
				t.Errorf("capabilities: %d keys %v", c.Len(), keys)
			}
			meta, _ := wpjson.MarshalJSON(mustGet(o, "meta"))
			if string(meta) != `{"persisted_preferences":[]}` {
				t.Errorf("meta %s", meta)
			}
			if first, _ := o.Get("first_name"); first != "Elena" {
				t.Errorf("first_name %v", first)
			}
			links, _ := wpjson.MarshalJSON(mustGet(o, "_links"))
			if want := `{"self":[{"href":"http:\/\/127.0.0.1:8071\/wp-json\/wp\/v2\/users\/2","targetHints":{"allow":["GET","POST","PUT","PATCH"]}}],"collection":[{"href":"http:\/\/127.0.0.1:8071\/wp-json\/wp\/v2\/users"}]}`; string(links) != want {
				t.Errorf("_links %s", links)
			}
		}},
		{Name: "user without role", URL: meURL + "?context=edit&_fields=roles,capabilities,extra_capabilities", Header: norole, Status: 200,
			WantBody: `{"roles":[],"capabilities":{},"extra_capabilities":{}}`},
		{Name: "embed context has no meta", URL: meURL + "?context=embed&_fields=id,meta,slug", Header: admin, Status: 200, WantBody: `{"id":1,"slug":"admin"}`},
		{Name: "HEAD", Method: "HEAD", URL: meURL, Header: admin, Status: 200, WantBody: ""},
		{Name: "anonymous Allow", URL: meURL, Status: 401, WantBody: notLoggedIn, WantHeader: map[string]string{"Allow": "GET"}},
		{Name: "invalid context before the login check (spec §10.3)", URL: meURL + "?context=nope", Status: 400,
			WantBody: `{"code":"rest_invalid_param","message":"Invalid parameter(s): context","data":{"status":400,"params":{"context":"context is not one of view, embed, and edit."},"details":{"context":{"code":"rest_not_in_enum","message":"context is not one of view, embed, and edit.","data":null}}}}`},
		{Name: "context of the wrong type", URL: meURL + "?context[]=edit", Header: admin, Status: 400,
			WantBody: `{"code":"rest_invalid_param","message":"Invalid parameter(s): context","data":{"status":400,"params":{"context":"context is not of type string."},"details":{"context":{"code":"rest_invalid_type","message":"context is not of type string.","data":{"param":"context"}}}}}`},
		{Name: "https request: https links", URL: meURL + "?_fields=link,_links", Header: h("Authorization", basic("admin", vecAPPlain), "X-Forwarded-Proto", "https"), Status: 200,
			WantBody: `{"link":"https:\/\/127.0.0.1:8071\/author\/admin\/","_links":{"self":[{"href":"https:\/\/127.0.0.1:8071\/wp-json\/wp\/v2\/users\/1","targetHints":{"allow":["GET","POST","PUT","PATCH","DELETE"]}}],"collection":[{"href":"https:\/\/127.0.0.1:8071\/wp-json\/wp\/v2\/users"}]}}`},
		{Name: "saved editor preferences", URL: meURL + "?context=edit&_fields=meta", Header: editor, Status: 200,
			Setup: func(t *testing.T) {
				s.db.Exec(t, `INSERT INTO {prefix}usermeta (user_id, meta_key, meta_value) VALUES (2, 'wpa_persisted_preferences', 'a:2:{s:4:"core";a:1:{s:10:"editorMode";s:6:"visual";}s:9:"_modified";s:24:"2026-11-23T17:44:03.000Z";}')`)
			},
			WantBody: `{"meta":{"persisted_preferences":{"core":{"editorMode":"visual"},"_modified":"2026-11-23T17:44:03.000Z"}}}`},
		{Name: "initials avatar default (7.0+)", URL: meURL + "?_fields=avatar_urls", Header: editor, Status: 200,
			Setup: func(t *testing.T) {
				s.db.Exec(t, "UPDATE {prefix}options SET option_value = 'initials' WHERE option_name = 'avatar_default'")
			},
			WantBody: `{"avatar_urls":{"24":"https:\/\/secure.gravatar.com\/avatar\/` + sha256hex("editor1@example.com") + `?s=24&d=initials&r=g&initials=ER","48":"https:\/\/secure.gravatar.com\/avatar\/` + sha256hex("editor1@example.com") + `?s=48&d=initials&r=g&initials=ER","96":"https:\/\/secure.gravatar.com\/avatar\/` + sha256hex("editor1@example.com") + `?s=96&d=initials&r=g&initials=ER"}}`},
		{Name: "no avatars, no permalinks, zero registration date", URL: meURL + "?context=edit&_fields=link,registered_date,avatar_urls,_links", Header: admin, Status: 200,
			Setup: func(t *testing.T) {
				s.db.Exec(t, "UPDATE {prefix}options SET option_value = '' WHERE option_name IN ('show_avatars', 'permalink_structure')")
				s.db.Exec(t, "UPDATE {prefix}users SET user_registered = '0000-00-00 00:00:00' WHERE ID = 1")
			},
			WantBody: `{"link":"http:\/\/127.0.0.1:8071\/?author=1","registered_date":"-0001-11-30T00:00:00+00:00","_links":{"self":[{"href":"http:\/\/127.0.0.1:8071\/index.php?rest_route=\/wp\/v2\/users\/1","targetHints":{"allow":["GET","POST","PUT","PATCH","DELETE"]}}],"collection":[{"href":"http:\/\/127.0.0.1:8071\/index.php?rest_route=\/wp\/v2\/users"}]}}`},
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func mustGet(o *wpjson.Object, k string) any {
	v, _ := o.Get(k)
	return v
}

func sha256hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
