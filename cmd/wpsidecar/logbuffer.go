package main

import (
	"io"
	"sync"
	"time"
)

// lineBuffer batches the process log (the access log is a line per request) into few writes: a line is written
// at the latest flushAfter after it was logged, at once when pendingMax bytes are waiting, and on Close. Under
// load one write(2) carries hundreds of lines instead of one each — that system call was a few percent of a
// request's CPU. A crash that ends the process without Close loses at most flushAfter of lines.
type lineBuffer struct {
	mu     sync.Mutex
	w      io.Writer
	buf    []byte
	armed  bool
	closed bool
	timer  *time.Timer
}

const (
	logFlushAfter = 20 * time.Millisecond
	logPendingMax = 64 << 10
)

func newLineBuffer(w io.Writer) *lineBuffer {
	b := &lineBuffer{w: w, buf: make([]byte, 0, logPendingMax)}
	b.timer = time.AfterFunc(time.Hour, b.Flush)
	b.timer.Stop()
	return b
}

// Write keeps p (slog hands each record over in one call, so lines are never split).
func (b *lineBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return b.w.Write(p)
	}
	b.buf = append(b.buf, p...)
	if len(b.buf) >= logPendingMax {
		b.flushLocked()
	} else if !b.armed {
		b.armed = true
		b.timer.Reset(logFlushAfter)
	}
	return len(p), nil
}

// Flush writes what is pending.
func (b *lineBuffer) Flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushLocked()
}

func (b *lineBuffer) flushLocked() {
	b.armed = false
	if len(b.buf) == 0 {
		return
	}
	_, _ = b.w.Write(b.buf) // like slog on an unbuffered writer: a failed log write is not the request's failure
	if cap(b.buf) > 4*logPendingMax {
		b.buf = make([]byte, 0, logPendingMax)
	} else {
		b.buf = b.buf[:0]
	}
}

// Close flushes and stops the timer; later writes go straight through.
func (b *lineBuffer) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.timer.Stop()
	b.flushLocked()
	return nil
}
