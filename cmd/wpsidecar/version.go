package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// buildVersion is what the binary knows about its own build, read from the build information the Go toolchain
// embeds (runtime/debug.ReadBuildInfo): no hand-edited constant. A `go build` in a git checkout records the
// module version (a pseudo-version such as v0.0.0-20261207154907-5404aa4f1e2c, or the tag), the commit, its
// time and whether the work tree had uncommitted changes; `go run`, `go test` and -buildvcs=false builds record
// none of the VCS fields ("unknown" then).
type buildVersion struct {
	Module   string // main module version: a tag, a pseudo-version, or "(devel)"
	Revision string // vcs.revision
	Time     string // vcs.time (RFC 3339, UTC)
	Modified string // vcs.modified: "true" when built from a work tree with uncommitted changes
	Go       string // the Go toolchain that built it
	Platform string // GOOS/GOARCH
}

// readBuildVersion reads the running binary's build information.
func readBuildVersion() buildVersion {
	v := buildVersion{Module: "(devel)", Revision: "unknown", Time: "unknown", Modified: "unknown",
		Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if bi.Main.Version != "" {
		v.Module = bi.Main.Version
	}
	if bi.GoVersion != "" {
		v.Go = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value
		}
	}
	return v
}

// short is the revision's first 12 characters (as Go's pseudo-versions write it).
func (v buildVersion) short() string {
	if len(v.Revision) > 12 {
		return v.Revision[:12]
	}
	return v.Revision
}

// String is the one-line form for the startup log and doctor.
func (v buildVersion) String() string {
	s := fmt.Sprintf("wpsidecar %s (revision %s, %s", v.Module, v.short(), v.Time)
	if v.Modified == "true" {
		s += ", modified"
	}
	return s + ", " + v.Go + " " + v.Platform + ")"
}

// write prints the multi-line form of `wpsidecar version`.
func (v buildVersion) write(w io.Writer) {
	fmt.Fprintf(w, "wpsidecar %s\n", v.Module)
	fmt.Fprintf(w, "  revision: %s\n", v.Revision)
	fmt.Fprintf(w, "  time:     %s\n", v.Time)
	fmt.Fprintf(w, "  modified: %s\n", v.Modified)
	fmt.Fprintf(w, "  go:       %s %s\n", v.Go, v.Platform)
}
