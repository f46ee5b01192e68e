package runtime

import (
	"context"
	goruntime "runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestHeapGuard: the guard fires once the heap grows past its limit, and
// not for a run that allocates little.
func TestHeapGuard(t *testing.T) {
	var fired atomic.Uint64
	g := startHeapGuard(8<<20, func(grown uint64) { fired.Store(grown) })
	keep := make([][]byte, 0, 64)
	for range 64 {
		keep = append(keep, make([]byte, 1<<20))
		time.Sleep(200 * time.Microsecond)
		if fired.Load() > 0 {
			break
		}
	}
	for deadline := time.Now().Add(2 * time.Second); fired.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	g.stop()
	goruntime.KeepAlive(keep)
	if fired.Load() < 8<<20 {
		t.Errorf("64 MB allocated under an 8 MB guard: fired with growth %d", fired.Load())
	}

	var quiet atomic.Bool
	g = startHeapGuard(8<<20, func(uint64) { quiet.Store(true) })
	time.Sleep(20 * time.Millisecond)
	g.stop()
	if quiet.Load() {
		t.Error("the guard fired without any allocation")
	}
}

// TestStringBombInProcess: a string doubled by + in a loop, which no
// single-allocation guard sees, ends as a limit error in the calling
// process, and the process's heap stays far from gigabytes.
func TestStringBombInProcess(t *testing.T) {
	ex := NewInProcess(Options{})
	defer ex.Close()
	code := []byte("function connectionHandler(connection) {\n  var s = 'abcdefgh';\n  for (var i = 0; i < 40; i++) { s = s + s; }\n  connection.allow();\n}\n")
	memory := 0
	for range 4 {
		res, err := ex.Execute(context.Background(), Request{Code: code, Object: []byte(`{}`)})
		if err != nil {
			t.Fatal(err)
		}
		if res.ErrorName != ErrorMemory && res.ErrorName != ErrorTimeout {
			t.Fatalf("the string bomb ended with %q (%s), want a MemoryError (or a TimeoutError)", res.ErrorName, res.Error)
		}
		if res.ErrorName == ErrorMemory {
			memory++
		}
		var ms goruntime.MemStats
		goruntime.ReadMemStats(&ms)
		if ms.HeapSys > 1<<30 {
			t.Fatalf("the heap reached %d MB", ms.HeapSys>>20)
		}
	}
	t.Logf("%d of 4 runs ended as MemoryError (the others hit the time limit first)", memory)
}
