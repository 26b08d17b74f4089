package authn_test

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/authn"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpconfig"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// The demo fixture's credentials (testdata/seed, README) work as documented with the demo wp-config.php.
func TestDemoSeedCredentials(t *testing.T) {
	t.Parallel()
	db := wptest.NewDB(t, wptest.Options{Prefix: "wpd_", Schemas: []string{"wordpress"}, Seed: true})
	cfg, err := phpconfig.ParseConfigFile(filepath.Join(wptest.RepoRoot(), "testdata", "demo", "wp-config.php"), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	tables, _ := wpcompat.NewTables("wpd_")
	site := wpcompat.NewSite(db.DB, db.DB, tables, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	site.OptionTTL = 0
	auth := authn.NewAuthenticator(site, authn.AuthOptions{SkipUsageRecording: true})
	rt := rest.NewRouter(site, auth)
	authn.RegisterCore(rt, site)
	var sc []wptest.Scenario
	for i, u := range []struct{ login, ap string }{
		{"admin", "AdmN 1234 AbCd 5678 EfGh 9012"}, {"editor", "EdiT 1234 AbCd 5678 EfGh 9012"},
		{"subscriber", "SubS 1234 AbCd 5678 EfGh 9012"}, {"oldadmin", "OldA 1234 AbCd 5678 EfGh 9012"},
		{"fcmanager", "MgrS 1234 AbCd 5678 EfGh 9012"}, {"fcworker", "WrkS 1234 AbCd 5678 EfGh 9012"},
		{"fcaccountant", "AccT 1234 AbCd 5678 EfGh 9012"},
	} {
		sc = append(sc, wptest.Scenario{Name: u.login, URL: meURL, Header: h("Authorization", basic(u.login, u.ap)), Check: wantUser(i + 1)})
	}
	wptest.Run(t, rt, sc)
}
