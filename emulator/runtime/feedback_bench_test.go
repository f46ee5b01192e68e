package runtime_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/generators"
)

// benchmarkFeedback runs the clean benchmark functions (testdata/bench/c*)
// on the documented seeds, plain or instrumented: the ratio of the two is
// the instrumentation's overhead (docs/instrumentation.md).
func benchmarkFeedback(b *testing.B, feedback bool) {
	files, _ := filepath.Glob("../../testdata/bench/c*.js")
	if len(files) == 0 {
		b.Skip("testdata/bench not found")
	}
	f, err := os.Open("../../testdata/bench/kvs/bench-kvs.json")
	if err != nil {
		b.Skip(err)
	}
	kvs, err := runtime.LoadKVS(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	seeds := generators.DefaultSeeds()
	for _, file := range files {
		code, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(filepath.Base(file), ".js"), func(b *testing.B) {
			ex := runtime.NewInProcess(runtime.Options{})
			defer ex.Close()
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			var cpu int64
			for b.Loop() {
				req := runtime.Request{Code: code, Object: seeds[i%len(seeds)], KVS: kvs, Seed: 1, Now: fixedNow, Feedback: feedback}
				i++
				res, err := ex.Execute(ctx, req)
				if err != nil {
					b.Fatal(err)
				}
				cpu += int64(res.CPUTime)
			}
			// The function's own CPU time per run (thread CPU time, what
			// utilization measures): steadier than ns/op on a shared machine.
			b.ReportMetric(float64(cpu)/float64(b.N), "fn-cpu-ns/op")
		})
	}
}

func BenchmarkExecutePlain(b *testing.B)        { benchmarkFeedback(b, false) }
func BenchmarkExecuteInstrumented(b *testing.B) { benchmarkFeedback(b, true) }

// hotLoop is the worst case of policy code for the instrumentation: a
// character loop with two comparisons and a branch per character.
const hotLoop = `function connectionHandler(c) {
  var dn = (c.clientCertificate && c.clientCertificate.certificates.leaf.subject) || '';
  var commas = 0;
  for (var i = 0; i < dn.length; i++) {
    if (dn[i] === ',') commas++;
  }
  if (commas > 2) c.allow(); else c.deny();
}`

// BenchmarkExecuteHotLoop runs hotLoop plain and instrumented on the
// documented full certificate.
func BenchmarkExecuteHotLoop(b *testing.B) {
	obj, err := os.ReadFile(seedsDir + "/doc-full-certificate.json")
	if err != nil {
		b.Skipf("seed corpus not found: %v", err)
	}
	for _, feedback := range []bool{false, true} {
		name := map[bool]string{false: "plain", true: "instrumented"}[feedback]
		b.Run(name, func(b *testing.B) {
			ex := runtime.NewInProcess(runtime.Options{})
			defer ex.Close()
			req := runtime.Request{Code: []byte(hotLoop), Object: obj, Seed: 1, Now: fixedNow, Feedback: feedback}
			b.ReportAllocs()
			var cpu int64
			for b.Loop() {
				res, err := ex.Execute(context.Background(), req)
				if err != nil || res.Decision == "none" {
					b.Fatalf("%+v %v", res, err)
				}
				cpu += int64(res.CPUTime)
			}
			b.ReportMetric(float64(cpu)/float64(b.N), "fn-cpu-ns/op")
		})
	}
}
