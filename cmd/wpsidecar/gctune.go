package main

import (
	"log/slog"
	"runtime/debug"
)

// Garbage-collector defaults for serve. A request allocates a few tens of kilobytes that die with it and the live
// heap is small (option/role memos, connection buffers), so with Go's default GOGC=100 the collector runs every few
// hundred requests and costs several percent of the CPU per request. GOGC=400 runs it a quarter as often; the soft
// memory limit keeps a burst from growing the heap without bound (the collector works harder near it). Either is
// left alone when the operator sets GOGC or GOMEMLIMIT.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 512 << 20
)

func tuneGC(getenv func(string) string, log *slog.Logger) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
	log.Debug("garbage collector", "gogc", getenv("GOGC"), "gomemlimit", getenv("GOMEMLIMIT"))
}
