package main

import (
	"errors"
	"fmt"
	"os"
	"testing"
)

// benchTB lets the benchmark reuse the test harness that starts real WordPress (phpsite), outside `go test`.
// Only the methods the harness calls are implemented; Fatal* panics and recoverFatal turns that into an error.
type benchTB struct {
	testing.TB
	cleanups []func()
}

type fatal struct{ msg string }

func (b *benchTB) Helper()          {}
func (b *benchTB) Cleanup(f func()) { b.cleanups = append(b.cleanups, f) }
func (b *benchTB) Logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "php: "+format+"\n", args...)
}
func (b *benchTB) Log(args ...any)                   { fmt.Fprintln(os.Stderr, append([]any{"php:"}, args...)...) }
func (b *benchTB) Errorf(format string, args ...any) { panic(fatal{fmt.Sprintf(format, args...)}) }
func (b *benchTB) Fatalf(format string, args ...any) { panic(fatal{fmt.Sprintf(format, args...)}) }
func (b *benchTB) Fatal(args ...any)                 { panic(fatal{fmt.Sprint(args...)}) }
func (b *benchTB) Skipf(format string, args ...any)  { panic(fatal{fmt.Sprintf(format, args...)}) }
func (b *benchTB) Skip(args ...any)                  { panic(fatal{fmt.Sprint(args...)}) }
func (b *benchTB) Name() string                      { return "wpbench" }
func (b *benchTB) Failed() bool                      { return false }
func (b *benchTB) TempDir() string {
	d, err := os.MkdirTemp("", "wpbench")
	if err != nil {
		panic(fatal{err.Error()})
	}
	b.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// recoverFatal converts a Fatal* panic into *err.
func (b *benchTB) recoverFatal(err *error) {
	if p := recover(); p != nil {
		if f, ok := p.(fatal); ok {
			*err = errors.New(f.msg)
			return
		}
		panic(p)
	}
}

func (b *benchTB) cleanup() {
	for i := len(b.cleanups) - 1; i >= 0; i-- {
		b.cleanups[i]()
	}
	b.cleanups = nil
}
