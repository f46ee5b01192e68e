package runtime

import (
	"os"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// BenchmarkRuntimeReuseBound measures the most that reusing goja runtimes
// could save (issue 8), against the fresh runtime every execution gets:
//
//   - fresh: execute as shipped (a new runtime, host and lockdown set up,
//     the program run, the connection object built, the handler called);
//   - reused-bound: one runtime set up and the program run once; each
//     iteration only builds the connection object and calls the handler.
//
// The bound is not sound (the handler sees the previous iterations'
// changes) and not reachable: a sound reuse must also run the program's
// top-level code again (goja refuses to re-run a script with top-level
// let/const/class in the same runtime) and prove or restore the state of
// every built-in, which the public goja API cannot observe cheaply
// (docs/benchmarks.md, issue 8).
func BenchmarkRuntimeReuseBound(b *testing.B) {
	obj, err := os.ReadFile("../../../shared/seeds/doc-full-certificate.json")
	if err != nil {
		b.Skipf("seed corpus not found: %v", err)
	}
	for _, fn := range []struct{ name, file string }{
		{"small", "../../testdata/perf/small.js"},
		{"c06-regexps", "../../testdata/bench/c06-clean-expiry.js"},
	} {
		code, err := os.ReadFile(fn.file)
		if err != nil {
			b.Skip(err)
		}
		p, err := compile(code, true)
		if err != nil {
			b.Fatal(err)
		}
		opts := Options{}.withDefaults()
		req := Request{Code: code, Object: obj, Seed: 1, Now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
		b.Run(fn.name+"/fresh", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				// A limit hit on an overloaded machine is a result too;
				// only a failure of the runtime stops the benchmark.
				if _, err := execute(p, req, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fn.name+"/reused-bound", func(b *testing.B) {
			r := &run{opts: opts, req: req}
			if err := r.setup(p.mentions); err != nil {
				b.Fatal(err)
			}
			if _, err := r.vm.RunProgram(p.prog); err != nil {
				b.Fatal(err)
			}
			h, _ := goja.AssertFunction(r.vm.Get("connectionHandler"))
			b.ReportAllocs()
			for b.Loop() {
				r.res, r.calls, r.logBytes = Result{}, 0, 0
				conn, err := r.connection()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := h(goja.Undefined(), conn); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
