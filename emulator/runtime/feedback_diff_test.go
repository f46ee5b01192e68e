package runtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/generators"
)

// diffNow is the Date of every differential run.
var diffNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// diffFunction is a connection function of the repository and the store
// it runs with.
type diffFunction struct {
	path string
	kvs  *KVS
}

// repoRoot is the module root, relative to this package.
const repoRoot = "../.."

func loadKVSFile(t testing.TB, path string) *KVS {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	k, err := LoadKVS(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return k
}

// diffFunctions lists every connection function under testdata/bench,
// testdata/deep, examples/functions and this package's testdata, with
// the store each is meant to run with. Property scripts are not functions.
func diffFunctions(t testing.TB) []diffFunction {
	t.Helper()
	var out []diffFunction
	benchKVS := map[string]*KVS{}
	var manifest struct {
		Functions []struct{ File, KVS string }
	}
	if b, err := os.ReadFile(filepath.Join(repoRoot, "testdata/bench/manifest.json")); err == nil {
		if err := json.Unmarshal(b, &manifest); err != nil {
			t.Fatal(err)
		}
		for _, f := range manifest.Functions {
			if f.KVS != "" {
				benchKVS[f.File] = loadKVSFile(t, filepath.Join(repoRoot, "testdata/bench", f.KVS))
			}
		}
	}
	add := func(dir string, kvsFor func(name string) *KVS) {
		files, _ := filepath.Glob(filepath.Join(repoRoot, dir, "*.js"))
		for _, f := range files {
			if strings.Contains(filepath.Base(f), "property") {
				continue
			}
			out = append(out, diffFunction{path: f, kvs: kvsFor(filepath.Base(f))})
		}
	}
	add("testdata/bench", func(name string) *KVS { return benchKVS[name] })
	// testdata/holdout is left out on purpose: its README keeps it out of
	// every test, so that it stays an evaluation nothing was fitted to.
	add("testdata/deep", func(string) *KVS { return deepKVS(t) })
	demoKVS := loadKVSFile(t, filepath.Join(repoRoot, "examples/functions/demo-kvs.json"))
	add("examples/functions", func(string) *KVS { return demoKVS })
	revoked := NewKVS(map[string]string{"4a3f5c92d1e87b6c": "revoked"})
	add("emulator/runtime/testdata", func(string) *KVS { return revoked })
	if len(out) < 20 {
		t.Fatalf("found only %d functions: is the repository layout different?", len(out))
	}
	return out
}

// diffObjects are the documented seeds and generated connection objects of
// every family.
func diffObjects(t testing.TB, n int) [][]byte {
	t.Helper()
	objs := generators.DefaultSeeds()
	g, err := generators.New(generators.Options{Now: diffNow})
	if err != nil {
		t.Fatal(err)
	}
	for i := uint64(0); len(objs) < n; i++ {
		if c := g.Case(7, i); c.Object != nil {
			objs = append(objs, c.Object)
		}
	}
	return objs
}

// comparable strips what legitimately differs between an instrumented and
// a plain run: CPU time, utilization and the feedback itself.
func comparable(r Result) Result {
	r.CPUTime, r.Utilization, r.Feedback = 0, 0, nil
	return r
}

// TestInstrumentedBehavesLikePlain runs every function of the repository
// plain and instrumented (without the plain re-run rule, so the
// instrumented Result itself is compared) on the seeds and generated
// objects: decision, calls, logs, custom data, error text and position,
// and output must be identical.
func TestInstrumentedBehavesLikePlain(t *testing.T) {
	n := 150
	if testing.Short() {
		n = 30
	}
	objs := diffObjects(t, n)
	opts := Options{}.withDefaults()
	// Generous limits: a timeout is a race against the clock, not behaviour.
	opts.TimeLimit = 30 * time.Millisecond
	for _, fn := range diffFunctions(t) {
		name := strings.TrimPrefix(fn.path, repoRoot+"/")
		t.Run(name, func(t *testing.T) {
			code, err := os.ReadFile(fn.path)
			if err != nil {
				t.Fatal(err)
			}
			plain, perr := compile(code, opts.es2020())
			inst, ierr := compileInstrumented(code, opts.es2020())
			if perr != nil || ierr != nil {
				if perr == nil || ierr == nil || perr.Error() != ierr.Error() {
					t.Fatalf("compile: plain %v, instrumented %v", perr, ierr)
				}
				return
			}
			edges, timeouts := 0, 0
			for i, obj := range objs {
				req := Request{Code: code, Object: obj, KVS: fn.kvs, Seed: int64(i + 1), Now: diffNow}
				p, err := execute(plain, req, opts)
				if err != nil {
					t.Fatal(err)
				}
				if p.ErrorName == ErrorTimeout {
					// A function that loops on most inputs (b07) teaches
					// nothing more after a few.
					if timeouts++; timeouts == 10 {
						t.Logf("stopped after %d plain timeouts", timeouts)
						break
					}
					continue
				}
				in, err := execute(inst, req, opts)
				if err != nil {
					t.Fatal(err)
				}
				if in.ErrorName == ErrorTimeout {
					continue
				}
				if in.Feedback == nil || len(in.Feedback.Hits) != len(inst.info.Map.Edges) {
					t.Fatalf("object %d: feedback %v for %d edges", i, in.Feedback, len(inst.info.Map.Edges))
				}
				for _, h := range in.Feedback.Hits {
					if h > 0 {
						edges++
					}
				}
				if !reflect.DeepEqual(comparable(p), comparable(in)) {
					t.Fatalf("object %d (%s) differs:\nplain        %+v\ninstrumented %+v", i, abbreviate(obj), comparable(p), comparable(in))
				}
				if p.OutputJSON() != in.OutputJSON() {
					t.Fatalf("object %d: output %s vs %s", i, p.OutputJSON(), in.OutputJSON())
				}
			}
			if edges == 0 && len(inst.info.Map.Edges) > 0 {
				t.Errorf("no edge counted over %d objects", len(objs))
			}
		})
	}
}

func abbreviate(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}

// TestFeedbackPlainRerun: a recursion that fits the call-stack limit plain
// overflows instrumented (the comparison at the deepest level calls the
// hook, one level deeper);
// the Result of a feedback request still describes the plain run, with the
// instrumented run's feedback.
func TestFeedbackPlainRerun(t *testing.T) {
	code := []byte("function r(n, c) { return n > 0 ? 1 + r(n - 1, c) : (c.depth === -1 ? 1 : 0); }\n" +
		"function connectionHandler(c) {\n  console.log(r(c.depth, c));\n  c.allow();\n}")
	opts := Options{MaxCallStackSize: 64}.withDefaults()
	plainProg, err := compile(code, true)
	if err != nil {
		t.Fatal(err)
	}
	instProg, err := compileInstrumented(code, true)
	if err != nil {
		t.Fatal(err)
	}
	// The deepest recursion the plain program survives.
	depth := 0
	for d := 1; d < 200; d++ {
		res, err := execute(plainProg, Request{Code: code, Object: []byte(fmt.Sprintf(`{"depth":%d}`, d))}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.ErrorName != "" {
			break
		}
		depth = d
	}
	obj := []byte(fmt.Sprintf(`{"depth":%d}`, depth))
	inst, err := execute(instProg, Request{Code: code, Object: obj}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if inst.ErrorName != ErrorStackOverflow {
		t.Fatalf("depth %d: the instrumented run gave %q, want a stack overflow (the premise of this test)", depth, inst.Error)
	}
	ex := NewInProcess(Options{MaxCallStackSize: 64})
	defer ex.Close()
	res, err := ex.Execute(t.Context(), Request{Code: code, Object: obj, Feedback: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Error != "" || res.Decision != DecisionAllow || logs0(res) != fmt.Sprint(depth) {
		t.Fatalf("feedback request: %q %q %v, want the plain run's allow and log %d", res.Decision, res.Error, res.Logs, depth)
	}
	if res.Feedback == nil || res.Feedback.Hits[0] == 0 {
		t.Fatalf("no instrumented feedback: %+v", res.Feedback)
	}
	if !needsPlainRerun(Result{CPUTime: opts.Budget / 4}, opts) || needsPlainRerun(Result{CPUTime: opts.Budget/4 - 1}, opts) {
		t.Errorf("the CPU-time threshold of the rule is not a quarter of the budget")
	}
}

func logs0(r Result) string {
	if len(r.Logs) == 0 {
		return ""
	}
	return r.Logs[0]
}

// FuzzInstrument: any source that compiles plain compiles instrumented and
// behaves the same on a fixed connection object; a source that does not
// compile is refused the same way.
func FuzzInstrument(f *testing.F) {
	for _, s := range []string{
		"function connectionHandler(c) { if (c.clientIp === '1') c.allow(); else c.deny(); }",
		"function connectionHandler(c) { switch (c.a) { case 1: c.allow(); default: c.deny(); } }",
		"function connectionHandler(c) { for (var i = 0; i < 3 && c.x?.y; i++) {} c.allow(); }",
		"function connectionHandler(c) { var s = c.clientIp || ''; console.log(s.startsWith('1') ? 'a' : 'b', /x/.test(s)); }",
		"function connectionHandler(c) { try { c.a.b; } catch (e) { console.log(e.message); } }",
		"var x = 1 < 2;", "if (", "function connectionHandler(c) { return c.a.b.startsWith('x'); }",
		"", "// only a comment", "function connectionHandler() {}", "'use strict'; function connectionHandler(c) { 'use strict'; c.allow(); }",
		"import cf from 'cloudfront';\nasync function connectionHandler(c) { try { var v = await cf.kvs().get(c.clientIp); if (v === 'ok') c.allow(); } catch (e) { c.deny(); } }",
		"function connectionHandler(c) { var f = function () {}; if (f === c.x || (() => 1) !== c.y) c.allow(); }",
	} {
		f.Add([]byte(s))
	}
	for _, dir := range []string{"testdata", "../../testdata/bench", "../../examples/functions"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.js"))
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	opts := Options{TimeLimit: 50 * time.Millisecond}.withDefaults()
	obj := []byte(`{"clientIp":"10.1.2.3","a":1,"x":{"y":true},"clientCertificate":{"certificates":{"leaf":{"subject":"CN=a","serialNumber":"01"}}}}`)
	f.Fuzz(func(t *testing.T, code []byte) {
		plain, perr := compile(code, true)
		inst, ierr := compileInstrumented(code, true)
		if perr != nil || ierr != nil {
			if perr == nil || ierr == nil || perr.Error() != ierr.Error() {
				t.Fatalf("plain compile: %v; instrumented: %v", perr, ierr)
			}
			return
		}
		req := Request{Code: code, Object: obj, Seed: 1, Now: diffNow}
		p, err := execute(plain, req, opts)
		if err != nil {
			t.Fatal(err)
		}
		in, err := execute(inst, req, opts)
		if err != nil {
			t.Fatal(err)
		}
		if p.ErrorName == ErrorTimeout || in.ErrorName == ErrorTimeout {
			return // a race against the clock
		}
		if p.ErrorName == ErrorStackOverflow || in.ErrorName == ErrorStackOverflow || p.ErrorName == ErrorMemory || in.ErrorName == ErrorMemory {
			return // limits: the plain re-run rule covers them
		}
		if !reflect.DeepEqual(comparable(p), comparable(in)) {
			t.Fatalf("differs:\nplain        %+v\ninstrumented %+v", comparable(p), comparable(in))
		}
	})
}

// deepKVS is the store of testdata/deep's functions (given to all of
// them: the ones that never call cf.kvs() are not affected).
func deepKVS(t testing.TB) *KVS {
	t.Helper()
	return loadKVSFile(t, filepath.Join(repoRoot, "testdata/deep/kvs/deep-kvs.json"))
}
