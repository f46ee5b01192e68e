package runtime_test

import (
	"context"
	"fmt"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// TestProcessPoolHostile runs memory bombs with the in-process guards
// turned off, so that only the worker's memory limit stops them, and checks
// that each ends in a Result, that this process's heap stays small and that
// the pool keeps working.
func TestProcessPoolHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes and fills their memory")
	}
	pool, err := runtime.NewProcessPool(runtime.ProcessOptions{
		Workers:          1,
		MemoryLimitBytes: 128 << 20,
		HardTimeout:      10 * time.Second,
		Options:          runtime.Options{MaxMemoryBytes: 1 << 40, TimeLimit: 5 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	// The bombs must not grow this process: compare with the heap before
	// them (after GC), not an absolute figure, which -race and earlier
	// tests in the package inflate.
	var base goruntime.MemStats
	goruntime.GC()
	goruntime.ReadMemStats(&base)
	tests := []struct{ name, reason, body, want string }{
		{"warm-up", "a worker answers", "connection.allow();", ""},
		{"repeat bomb", "a 1 GiB string fails the address-space limit at once", "'x'.repeat(1 << 30); connection.allow();", "MemoryError"},
		{"after repeat bomb", "the dead worker was replaced", "connection.allow();", ""},
		{"push bomb", "the heap watchdog ends the worker", "var a = []; for (;;) a.push({n: a.length});", "MemoryError"},
		{"doubling bomb", "native string concatenation", "var s = 'xy'; for (;;) s += s;", "MemoryError"},
		{"after bombs", "the pool still works", "connection.deny();", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := pool.Execute(context.Background(), runtime.Request{Code: []byte(handler(tt.body)), Object: []byte("{}")})
			if err != nil {
				t.Fatalf("Execute: %v (%s)", err, tt.reason)
			}
			if res.ErrorName != tt.want {
				t.Fatalf("got %q, want error name %q (%s)", res.Error, tt.want, tt.reason)
			}
			if tt.want == "" && res.Decision == "none" {
				t.Errorf("no decision: %+v", res)
			}
			var ms goruntime.MemStats
			goruntime.GC()
			goruntime.ReadMemStats(&ms)
			if grew := int64(ms.HeapAlloc) - int64(base.HeapAlloc); grew > 32<<20 {
				t.Errorf("this process's heap grew by %d MiB; the bomb should have stayed in the worker", grew>>20)
			}
		})
	}
}

// nativeHang is a native call the in-worker interrupt cannot stop.
const nativeHang = "var a = []; a.length = 3e8; a.join(',');"

// hardTimeoutPool is a one-worker pool whose hard deadline (300 ms) stops
// nativeHang, a native call the in-worker time limit cannot interrupt. The
// time limit (50 ms) leaves ordinary runs room on a loaded machine.
func hardTimeoutPool(t *testing.T) runtime.Executor {
	t.Helper()
	pool, err := runtime.NewProcessPool(runtime.ProcessOptions{
		Workers:     1,
		HardTimeout: 300 * time.Millisecond,
		Options:     runtime.Options{TimeLimit: 50 * time.Millisecond, MaxMemoryBytes: 1 << 40},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pool.Close() })
	return pool
}

func TestProcessPoolTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a worker process")
	}
	// A native call the in-worker interrupt cannot stop, with the time
	// limit far away: the hard deadline kills the worker.
	pool := hardTimeoutPool(t)
	code := handler(nativeHang)
	res, err := pool.Execute(context.Background(), runtime.Request{Code: []byte(code), Object: []byte("{}")})
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	if res.ErrorName != "TimeoutError" && res.ErrorName != "MemoryError" || res.Utilization < 100 && res.ErrorName == "TimeoutError" {
		t.Fatalf("got %+v, want a TimeoutError (or MemoryError) with utilization >= 100", res)
	}
	res, err = pool.Execute(context.Background(), runtime.Request{Code: []byte(handler("connection.allow();")), Object: []byte("{}")})
	if err != nil || res.Decision != "allow" {
		t.Fatalf("after the kill: %+v, %v; want allow", res, err)
	}
}

func TestProcessPoolMatchesInProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	pool, err := runtime.NewProcessPool(runtime.ProcessOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	kvs := runtime.NewKVS(map[string]string{"k": "v"})
	code := "import cf from 'cloudfront';\nasync function connectionHandler(c) {\n  console.log(await cf.kvs().get('k') + ' ' + c.clientIp + ' ' + new Date().toISOString());\n  c.logCustomData('x');\n  c.allow();\n  null.y;\n}"
	req := runtime.Request{Code: []byte(code), Object: []byte(`{"clientIp":"192.0.2.9"}`), KVS: kvs, Seed: 7, Now: fixedNow}
	got, err := pool.Execute(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	want := execute(t, runtime.Options{}, code, string(req.Object), kvs)
	got.CPUTime, got.Utilization, want.CPUTime, want.Utilization = 0, 0, 0, 0
	if got.OutputJSON() != want.OutputJSON() || logs(got) != logs(want) || got.Error != want.Error {
		t.Errorf("process pool: %+v\nin process:   %+v", got, want)
	}
	if !strings.Contains(logs(got), "v 192.0.2.9 2025-06-01T12:00:00.000Z") {
		t.Errorf("logs %q", logs(got))
	}
}

func TestProcessPoolClosed(t *testing.T) {
	pool, err := runtime.NewProcessPool(runtime.ProcessOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := pool.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Execute(context.Background(), runtime.Request{Code: []byte(handler("")), Object: []byte("{}")}); err == nil {
		t.Error("Execute on a closed pool succeeded")
	}
}

func TestProcessPoolNotAWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	pool, err := runtime.NewProcessPool(runtime.ProcessOptions{Workers: 1, Command: []string{"/bin/echo", "hello"}})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	_, err = pool.Execute(context.Background(), runtime.Request{Code: []byte(handler("")), Object: []byte("{}")})
	if err == nil || !strings.Contains(err.Error(), "ServeWorkerIfRequested") {
		t.Errorf("Execute with a command that is not a worker: %v, want an error naming ServeWorkerIfRequested", err)
	}
}

// TestProcessPoolSendsCodeAndStoreOnce checks the worker cache protocol:
// requests alternating codes and stores get the right ones, a replaced
// worker gets them again, and more distinct codes than a worker keeps
// still run.
func TestProcessPoolSendsCodeAndStoreOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	pool := hardTimeoutPool(t)
	stores := []*runtime.KVS{runtime.NewKVS(map[string]string{"k": "one"}), runtime.NewKVS(map[string]string{"k": "two"}), nil}
	run := func(tag string, kvs *runtime.KVS) string {
		t.Helper()
		code := "import cf from 'cloudfront';\nasync function connectionHandler(c) {\n  var v = 'none';\n  try { v = await cf.kvs().get('k'); } catch (e) {}\n  console.log('" + tag + " ' + v);\n  c.allow();\n}"
		res, err := pool.Execute(context.Background(), runtime.Request{Code: []byte(code), Object: []byte("{}"), KVS: kvs})
		if err != nil {
			t.Fatalf("%s: %v", tag, err)
		}
		return logs(res)
	}
	want := func(kvs *runtime.KVS) string {
		if v, ok := kvs.Get("k"); ok {
			return v
		}
		return "none"
	}
	tests := []struct{ name, reason string }{
		{"first", "code and stores sent the first time"},
		{"again", "code and stores cached in the worker"},
	}
	for _, tt := range tests {
		for i, kvs := range stores {
			for _, tag := range []string{"a", "b"} {
				if got, w := run(tag, kvs), tag+" "+want(kvs); got != w {
					t.Errorf("%s, store %d: logs %q, want %q (%s)", tt.name, i, got, w, tt.reason)
				}
			}
		}
	}
	// Kill the worker with the hard deadline; its replacement starts empty.
	res, err := pool.Execute(context.Background(), runtime.Request{Code: []byte(handler(nativeHang)), Object: []byte("{}")})
	if err != nil || !strings.Contains(res.Error, "worker was killed") && !strings.Contains(res.Error, "worker died") {
		t.Fatalf("hang: %+v %v; want the worker killed", res, err)
	}
	if got := run("a", stores[0]); got != "a one" {
		t.Errorf("after the worker was replaced: logs %q, want %q", got, "a one")
	}
	// More distinct codes than a worker keeps: the parent resets its cache.
	for i := range 300 {
		tag := fmt.Sprintf("c%d", i)
		if got := run(tag, stores[i%2]); got != tag+" "+want(stores[i%2]) {
			t.Fatalf("code %d: logs %q", i, got)
		}
	}
	if got := run("a", stores[1]); got != "a two" {
		t.Errorf("after the cache reset: logs %q, want %q", got, "a two")
	}
}

// TestProcessPoolPipelineHostile queues benign executions on one worker
// alongside ones that kill it (a native hang past the hard deadline, a
// memory bomb): each hostile execution gets its own limit error, and every
// benign one queued behind it is moved to a fresh worker and answered.
func TestProcessPoolPipelineHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	pool, err := runtime.NewProcessPool(runtime.ProcessOptions{
		Workers: 1, PipelineDepth: 8, HardTimeout: 300 * time.Millisecond, MemoryLimitBytes: 128 << 20,
		Options: runtime.Options{TimeLimit: time.Millisecond, MaxMemoryBytes: 1 << 40},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	tests := []struct{ reason, body, want string }{
		{"a benign execution", "connection.allow();", ""},
		{"a native hang past the hard deadline", nativeHang, "TimeoutError"},
		{"a benign execution queued behind the hang", "connection.deny();", ""},
		{"a memory bomb", "'x'.repeat(1 << 30); connection.allow();", "MemoryError"},
		{"a benign execution queued behind the bomb", "connection.allow();", ""},
		{"another benign execution", "connection.deny();", ""},
	}
	type answer struct {
		res runtime.Result
		err error
	}
	for round := 0; round < 2; round++ {
		answers := make([]chan answer, len(tests))
		for i, tt := range tests {
			answers[i] = make(chan answer, 1)
			go func() {
				res, err := pool.Execute(context.Background(), runtime.Request{Code: []byte(handler(tt.body)), Object: []byte("{}")})
				answers[i] <- answer{res, err}
			}()
		}
		for i, tt := range tests {
			a := <-answers[i]
			if a.err != nil {
				t.Errorf("%s: %v", tt.reason, a.err)
				continue
			}
			switch {
			case tt.want == "" && (a.res.ErrorName != "" || a.res.Decision == "none"):
				t.Errorf("%s: %+v, want a decision", tt.reason, a.res)
			case tt.want == "TimeoutError" && a.res.ErrorName != "TimeoutError" && a.res.ErrorName != "MemoryError":
				t.Errorf("%s: %q, want a TimeoutError", tt.reason, a.res.ErrorName)
			case tt.want == "MemoryError" && a.res.ErrorName != "MemoryError":
				t.Errorf("%s: %q, want a MemoryError", tt.reason, a.res.ErrorName)
			}
		}
	}
}

// BenchmarkProcessPoolDepth measures executions per second of a small function
// through the worker processes, at the default pipeline depth and with
// one execution per round trip.
func BenchmarkProcessPoolDepth(b *testing.B) {
	code := []byte(handler(`var ip = connection.clientIp; console.log("from " + ip);
if (typeof ip === "string" && ip.indexOf("10.") === 0) { connection.allow(); } else { connection.deny(); }`))
	for _, depth := range []int{1, runtime.DefaultPipelineDepth} {
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			pool, err := runtime.NewProcessPool(runtime.ProcessOptions{PipelineDepth: depth})
			if err != nil {
				b.Fatal(err)
			}
			defer pool.Close()
			req := runtime.Request{Code: code, Object: []byte(`{"clientIp":"10.1.2.3","endpoint":"d1.cloudfront.net"}`)}
			b.ReportAllocs()
			b.ResetTimer()
			b.SetParallelism(depth)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := pool.Execute(context.Background(), req); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "execs/s")
		})
	}
}
