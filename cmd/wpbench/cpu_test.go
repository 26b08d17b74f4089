package main

import (
	"os"
	"testing"
	"time"
)

func TestProcCPUGrowsWithWork(t *testing.T) {
	m := startCPU(os.Getpid())
	if m.err != nil {
		t.Fatal(m.err)
	}
	deadline := time.Now().Add(150 * time.Millisecond)
	x := 0
	for time.Now().Before(deadline) {
		x++
	}
	if d := m.stop(); d <= 0 || d > 10*time.Second {
		t.Fatalf("CPU time over a 150 ms busy loop = %v (x=%d)", d, x)
	}
}
