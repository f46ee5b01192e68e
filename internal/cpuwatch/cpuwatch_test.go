package cpuwatch_test

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/internal/cpuwatch"
)

// spin burns CPU until stop is set.
func spin(stop *atomic.Bool) {
	for !stop.Load() {
	}
}

func TestRun(t *testing.T) {
	tests := []struct {
		reason string
		f      func(stop *atomic.Bool)
		want   bool
	}{
		{"a busy loop is stopped once it has used its CPU time", spin, true},
		{"sleeping uses no CPU time: 3 limits of wall time are not a timeout", func(*atomic.Bool) { time.Sleep(150 * time.Millisecond) }, false},
		{"a quick computation is not stopped", func(*atomic.Bool) {}, false},
	}
	for _, tt := range tests {
		var stop atomic.Bool
		start := time.Now()
		got := cpuwatch.Run(50*time.Millisecond, func() { tt.f(&stop) }, func() { stop.Store(true) })
		if got != tt.want {
			t.Errorf("%s: expired = %v, want %v", tt.reason, got, tt.want)
		}
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("%s: took %s", tt.reason, el)
		}
	}
}

// TestRunUnderLoad: a short computation is not stopped while other
// goroutines keep every CPU busy, as on a loaded CI machine.
func TestRunUnderLoad(t *testing.T) {
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Go(func() { spin(&stop) })
	}
	defer func() { stop.Store(true); wg.Wait() }()
	for range 10 {
		var done atomic.Bool
		work := func() {
			end := time.Now().Add(2 * time.Millisecond)
			for time.Now().Before(end) {
			}
		}
		if cpuwatch.Run(20*time.Millisecond, work, func() { done.Store(true) }) {
			t.Fatal("2 ms of work under load was stopped by a 20 ms CPU limit")
		}
	}
}
