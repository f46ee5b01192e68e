package runtime_test

import (
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

func TestZZ(t *testing.T) {
	for _, body := range []string{
		"var a = new Array(2e6).fill(1).map(function(x, i){ return (i * 7919) % 1000003 }); var t = Date.now(); a.sort(); console.log('sorted')",
		"var a = []; a.length = 3e8; a.join(',');",
	} {
		start := time.Now()
		res := execute(t, runtime.Options{TimeLimit: 10 * time.Second, MaxMemoryBytes: 1 << 40}, handler(body), "{}", nil)
		t.Logf("%v %+v", time.Since(start), res)
	}
}
