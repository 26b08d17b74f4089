package packaging

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

// cmdOut runs a command and returns its output; dpkg waits (bounded) while another dpkg or apt holds its lock.
func cmdOut(t *testing.T, name string, args ...string) string {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var out bytes.Buffer
		cmd := exec.Command(name, args...)
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if err == nil {
			return out.String()
		}
		if name == "dpkg" && strings.Contains(out.String(), "lock") && time.Now().Before(deadline) {
			time.Sleep(2 * time.Second)
			continue
		}
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
}

// lockMachine serialises the install-to-purge part between test runs of several checkouts on one machine.
func lockMachine(t *testing.T) {
	t.Helper()
	f, err := os.OpenFile("/run/lock/wpsidecar-deb-test.lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() })
}

// The Debian package end to end, as a site owner uses it: `make deb`'s build for this machine's architecture,
// `dpkg -i`, the installed binary's `version` and `doctor` against the test database, `systemd-analyze verify` on
// the unit, then `dpkg --purge`, after which none of the package's files (nor the state directory) may remain.
func TestDebianPackageInstallRunPurge(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("SKIPPED LOUDLY: the Debian package test installs with dpkg -i and needs root (CI runs `make test` as root)")
	}
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("SKIPPED LOUDLY: no dpkg on this machine: the Debian package cannot be installed here")
	}
	lockMachine(t)
	if exec.Command("dpkg-query", "-W", "-f=${Status}", "wpsidecar").Run() == nil {
		if st, _ := exec.Command("dpkg-query", "-W", "-f=${Status}", "wpsidecar").Output(); strings.Contains(string(st), "installed") && !strings.Contains(string(st), "not-installed") {
			t.Skipf("SKIPPED LOUDLY: a wpsidecar package is already installed here (%s); the test would remove it", st)
		}
	}
	root := wptest.RepoRoot()
	dist := t.TempDir()
	cmd := exec.Command("bash", filepath.Join(root, "packaging", "build.sh"), "deb")
	cmd.Env = append(os.Environ(), "ARCHES="+runtime.GOARCH, "DIST="+dist)
	var buildLog bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buildLog, &buildLog
	if err := cmd.Run(); err != nil {
		t.Fatalf("packaging/build.sh deb: %v\n%s", err, buildLog.String())
	}
	debs, _ := filepath.Glob(filepath.Join(dist, "wpsidecar_*_"+runtime.GOARCH+".deb"))
	if len(debs) != 1 {
		t.Fatalf("want one wpsidecar_VERSION_%s.deb in %s, have %v\n%s", runtime.GOARCH, dist, debs, buildLog.String())
	}
	deb := debs[0]
	t.Logf("built %s", filepath.Base(deb))
	debVersion := strings.TrimSpace(cmdOut(t, "dpkg-deb", "-f", deb, "Version"))

	// Every path the package ships, and which of them exist before the install (shared directories such as /usr/bin).
	var paths []string
	existed := map[string]bool{}
	for _, line := range strings.Split(cmdOut(t, "dpkg-deb", "-c", deb), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			continue
		}
		p := strings.TrimSuffix(strings.TrimPrefix(f[5], "."), "/")
		if p == "" {
			continue
		}
		paths = append(paths, p)
		if _, err := os.Lstat(p); err == nil {
			existed[p] = true
		}
	}
	for _, want := range []string{"/usr/bin/wpsidecar", "/usr/lib/systemd/system/wpsidecar.service", "/etc/default/wpsidecar",
		"/etc/wpsidecar/wpsidecar.toml", "/usr/share/wpsidecar/nginx/wpsidecar.conf", "/usr/share/wpsidecar/nginx/wpsidecar-proxy.conf",
		"/usr/share/wpsidecar/nginx/wpsidecar-php.conf", "/usr/share/doc/wpsidecar/wpsidecar.txt.gz", "/usr/share/doc/wpsidecar/copyright"} {
		if !contains(paths, want) {
			t.Errorf("the package lacks %s", want)
		}
	}

	purged := false
	t.Cleanup(func() {
		if !purged {
			_ = exec.Command("dpkg", "--purge", "wpsidecar").Run()
		}
	})
	t.Log(cmdOut(t, "dpkg", "-i", deb))

	// Conffiles: the example configuration and the environment file survive upgrades.
	conffiles := cmdOut(t, "dpkg-query", "-W", "-f=${Conffiles}", "wpsidecar")
	for _, want := range []string{"/etc/wpsidecar/wpsidecar.toml", "/etc/default/wpsidecar"} {
		if !strings.Contains(conffiles, want) {
			t.Errorf("%s is not a conffile: %q", want, conffiles)
		}
	}
	// The binary is static (runs without a C library) and says its version.
	if ef, err := elf.Open("/usr/bin/wpsidecar"); err != nil {
		t.Errorf("/usr/bin/wpsidecar: %v", err)
	} else {
		for _, p := range ef.Progs {
			if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
				t.Errorf("/usr/bin/wpsidecar is dynamically linked (%v)", p.Type)
			}
		}
		ef.Close()
	}
	version := cmdOut(t, "/usr/bin/wpsidecar", "version")
	t.Logf("installed: %s", version)
	if !strings.Contains(version, "\n  go:       "+runtime.Version()) {
		t.Errorf("version output lacks the Go version:\n%s", version)
	}
	if fi, err := os.Stat(filepath.Join(root, ".git")); err == nil && fi.IsDir() {
		// A git clone (CI): the build is stamped with the commit and the package version follows the module version.
		head := strings.TrimSpace(cmdOut(t, "git", "-C", root, "rev-parse", "HEAD"))
		if !strings.Contains(version, "revision: "+head) {
			t.Errorf("version does not name the checked-out commit %s:\n%s", head, version)
		}
		mod := strings.TrimPrefix(strings.SplitN(strings.TrimPrefix(version, "wpsidecar "), "\n", 2)[0], "v")
		if want := strings.ReplaceAll(mod, "-", "~"); debVersion != want {
			t.Errorf("package version %q, want %q (from the module version %q)", debVersion, want, mod)
		}
	} else {
		t.Logf("no .git directory at %s (a git worktree or an export): the build carries no VCS stamp", root)
	}
	if alt := cmdOut(t, "/usr/bin/wpsidecar", "--version"); alt != version {
		t.Errorf("--version %q differs from version %q", alt, version)
	}

	db := wptest.NewDB(t, wptest.Options{Prefix: "wpt_", Seed: true})
	doctor := exec.Command("/usr/bin/wpsidecar", "doctor", "--dsn", db.DSN, "--table-prefix", "wpt_",
		"--wp-config", filepath.Join(root, "testdata", "demo", "wp-config.php"), "--log-level", "error")
	out, err := doctor.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "result: OK") || !strings.Contains(string(out), "wpsidecar: wpsidecar ") {
		t.Fatalf("installed doctor: %v\n%s", err, out)
	}
	t.Logf("installed doctor:\n%s", out)

	if _, err := exec.LookPath("systemd-analyze"); err == nil {
		out := cmdOut(t, "systemd-analyze", "verify", "/usr/lib/systemd/system/wpsidecar.service")
		if strings.TrimSpace(out) != "" {
			t.Errorf("systemd-analyze verify complains:\n%s", out)
		}
	} else {
		t.Log("no systemd-analyze on this machine: the unit is not verified")
	}

	// The service's state directory as systemd would create it, so the purge is seen to clean it up.
	if err := os.MkdirAll("/var/lib/private/wpsidecar", 0o700); err == nil {
		_ = os.WriteFile("/var/lib/private/wpsidecar/shadow.jsonl", []byte("{}\n"), 0o600)
		_ = os.Symlink("private/wpsidecar", "/var/lib/wpsidecar")
	}

	t.Log(cmdOut(t, "dpkg", "--purge", "wpsidecar"))
	purged = true
	if st, err := exec.Command("dpkg-query", "-W", "-f=${Status}", "wpsidecar").Output(); err == nil && !strings.Contains(string(st), "not-installed") && strings.TrimSpace(string(st)) != "" {
		t.Errorf("after purge dpkg still knows wpsidecar: %q", st)
	}
	for _, p := range append(paths, "/var/lib/wpsidecar", "/var/lib/private/wpsidecar") {
		if existed[p] {
			continue
		}
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("left behind after dpkg --purge: %s", p)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
