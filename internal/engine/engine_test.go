package engine_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/coverage"
	"github.com/cffuzz/cffuzz/generators"
	"github.com/cffuzz/cffuzz/internal/engine"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func newEngine(t *testing.T, opts engine.Options) *engine.Engine {
	t.Helper()
	g, err := generators.New(generators.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	opts.Generator = g
	e, err := engine.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

const object = `{"clientIp":"203.0.113.42","endpoint":"d111111abcdef8.cloudfront.net","distributionId":"E1NXS4MQZH501R","connectionId":"x"}`

func fb(hits []uint32, cmps ...coverage.Comparison) *cffuzz.Outcome {
	return &cffuzz.Outcome{Status: 200, Feedback: &coverage.Feedback{Hits: hits, Cmps: cmps}}
}

func str(s string) coverage.Operand { return coverage.Operand{Kind: "string", Str: s} }

// TestLearnNovelty checks what makes an input join the queue.
func TestLearnNovelty(t *testing.T) {
	e := newEngine(t, engine.Options{})
	c := cffuzz.Case{Family: "production", Class: cffuzz.ClassProduction, Object: []byte(object)}
	steps := []struct {
		reason  string
		outcome *cffuzz.Outcome
		want    string // the reason it is queued for, "" for not queued
	}{
		{"no feedback is ignored", &cffuzz.Outcome{Status: 200}, ""},
		{"the first edges are new", fb([]uint32{1, 1, 0}), engine.ReasonEdge},
		{"the same edges again are nothing new", fb([]uint32{1, 1, 0}), ""},
		{"a third edge is new", fb([]uint32{1, 0, 1}), engine.ReasonEdge},
		{"an edge hit twice is a new bucket", fb([]uint32{1, 2, 0}), engine.ReasonBucket},
		{"4 hits: a new bucket", fb([]uint32{1, 4, 0}), engine.ReasonBucket},
		{"5 hits: the same bucket, a small rise of the maximum: nothing", fb([]uint32{1, 5, 0}), ""},
		{"200 hits: a new bucket (128+)", fb([]uint32{1, 200, 0}), engine.ReasonBucket},
		{"300 hits: the same bucket, under twice the maximum: nothing", fb([]uint32{1, 300, 0}), ""},
		{"600 hits: twice the maximum (cost)", fb([]uint32{1, 600, 0}), engine.ReasonCost},
		{"a first comparison at a site", fb([]uint32{1}, coverage.Comparison{Site: 0, Left: str("abc"), Right: str("xyz")}), engine.ReasonCmp},
		{"the same comparison: nothing", fb([]uint32{1}, coverage.Comparison{Site: 0, Left: str("abc"), Right: str("xyz")}), ""},
		{"closer operands: progress", fb([]uint32{1}, coverage.Comparison{Site: 0, Left: str("xyc"), Right: str("xyz")}), engine.ReasonCmp},
		{"a new result at the site: progress", fb([]uint32{1}, coverage.Comparison{Site: 0, Left: str("xyz"), Right: str("xyz"), Result: true}), engine.ReasonCmp},
		{"numbers closer: progress", fb([]uint32{1}, coverage.Comparison{Site: 1, Left: coverage.Operand{Kind: "number", Num: 10}, Right: coverage.Operand{Kind: "number", Num: 100}}), engine.ReasonCmp},
		{"numbers closer still", fb([]uint32{1}, coverage.Comparison{Site: 1, Left: coverage.Operand{Kind: "number", Num: 90}, Right: coverage.Operand{Kind: "number", Num: 100}}), engine.ReasonCmp},
		{"numbers farther: nothing", fb([]uint32{1}, coverage.Comparison{Site: 1, Left: coverage.Operand{Kind: "number", Num: 50}, Right: coverage.Operand{Kind: "number", Num: 100}}), ""},
	}
	for _, s := range steps {
		before := e.Stats()
		e.Learn(&c, s.outcome)
		after := e.Stats()
		queued := after.Queue > before.Queue
		if queued != (s.want != "") {
			t.Errorf("%s: queued = %v, want %v", s.reason, queued, s.want != "")
			continue
		}
		if queued && after.ByReason[s.want] != before.ByReason[s.want]+1 {
			t.Errorf("%s: queued for %v, want %s", s.reason, after.ByReason, s.want)
		}
	}
	if got := e.Coverage(); got.Reached != 3 || got.Hits[1] != 1+1+2+4+5+200+300+600 || got.MaxHits[1] != 600 {
		t.Errorf("coverage = %+v, want 3 edges reached, edge 1 hit 1113 times, at most 600 in one run", got)
	}
}

// TestLearnSkipsWireAndNonObjects checks that only connection objects are queued.
func TestLearnSkipsWireAndNonObjects(t *testing.T) {
	e := newEngine(t, engine.Options{})
	for _, c := range []cffuzz.Case{
		{Object: []byte("not json")},
		{Object: []byte(`[1,2]`)},
		{Object: []byte(object), Wire: &cffuzz.WireRequest{Method: "POST"}},
	} {
		e.Learn(&c, fb([]uint32{1}))
	}
	if q := e.Stats().Queue; q != 0 {
		t.Errorf("queue has %d entries, want 0", q)
	}
}

// TestCaseWithoutQueueIsTheGenerators checks that an engine that learned
// nothing gives exactly the generator's cases (feedback off and on agree
// until something is learned).
func TestCaseWithoutQueueIsTheGenerators(t *testing.T) {
	g, _ := generators.New(generators.Options{Now: testNow})
	e, _ := engine.New(engine.Options{Generator: g})
	for i := uint64(0); i < 200; i++ {
		a, b := g.Case(7, i), e.Case(7, i)
		if !bytes.Equal(a.Object, b.Object) || a.Family != b.Family || a.Variant != b.Variant {
			t.Fatalf("case %d: engine %s/%s differs from generator %s/%s", i, b.Family, b.Variant, a.Family, a.Variant)
		}
	}
}

// TestCaseDeterministic checks that Case is a pure function of (seed,
// index) and the learned state, and that queue mutation and the blind
// families share the case space.
func TestCaseDeterministic(t *testing.T) {
	build := func() *engine.Engine {
		e := newEngine(t, engine.Options{})
		c := cffuzz.Case{Class: cffuzz.ClassProduction, Object: []byte(object)}
		e.Learn(&c, fb([]uint32{1}, coverage.Comparison{Site: 0, Left: str("203.0.113.42"), Right: str("10.1.2.3")}))
		return e
	}
	a, b := build(), build()
	families := map[string]int{}
	for i := uint64(0); i < 400; i++ {
		x, y := a.Case(3, i), b.Case(3, i)
		if !bytes.Equal(x.Object, y.Object) || x.Variant != y.Variant {
			t.Fatalf("case %d differs between two engines in the same state", i)
		}
		if z := a.Case(3, i); !bytes.Equal(x.Object, z.Object) {
			t.Fatalf("case %d differs between two calls", i)
		}
		families[x.Family]++
	}
	if f := families[engine.Family]; f < 120 || f > 280 {
		t.Errorf("%d of 400 cases mutate the queue; want about half (DefaultQueueShare)", f)
	}
	if families["production"] == 0 || families["malformed"] == 0 {
		t.Errorf("the blind families must keep running: %v", families)
	}
}

// TestInputToStateThroughQueue checks the whole loop on a synthetic
// function: it compares the issuer's CN (lower-cased) with a value built
// at run time, and a second field only once that matched. The engine must
// get both right from the comparisons alone.
func TestInputToStateThroughQueue(t *testing.T) {
	e := newEngine(t, engine.Options{})
	const magic = "partner issuing ca g3"
	run := func(c *cffuzz.Case) *cffuzz.Outcome {
		tree, ok := generators.ParseTree(c.Object)
		if !ok {
			return fb([]uint32{1, 0, 0})
		}
		issuer, ip := "", ""
		for _, l := range tree.Leaves() {
			switch l.Path {
			case "clientCertificate.certificates.leaf.issuer":
				issuer = l.Value
			case "clientIp":
				ip = l.Value
			}
		}
		cn := strings.ToLower(strings.TrimPrefix(strings.SplitN(issuer, ",", 2)[0], "CN="))
		cmps := []coverage.Comparison{{Site: 0, Left: str(cn), Right: str(magic), Result: cn == magic}}
		if cn != magic {
			return fb([]uint32{1, 1, 0}, cmps...)
		}
		cmps = append(cmps, coverage.Comparison{Site: 1, Left: str(ip), Right: str("198.51.100.77"), Result: ip == "198.51.100.77"})
		if ip != "198.51.100.77" {
			return fb([]uint32{1, 0, 1}, cmps...)
		}
		return fb([]uint32{1, 0, 1, 1}, cmps...)
	}
	for i := uint64(0); i < 3000; i++ {
		c := e.Case(1, i)
		e.Learn(&c, run(&c))
		if cov := e.Coverage(); cov.Reached == 4 {
			t.Logf("both comparisons solved at case %d (queue %d)", i, e.Stats().Queue)
			return
		}
	}
	t.Fatalf("the nested comparison was not solved in 3000 cases: %+v", e.Stats())
}

// cmpOf is a synthetic comparison that changes with i.
func cmpOf(i int) coverage.Comparison {
	return coverage.Comparison{Site: i % 7, Left: str("CN=device-" + strings.Repeat("x", i%13)), Right: str("CN=device-xxxxxx")}
}

// TestLearnIgnoresTimedRuns checks that a run stopped at a time or memory
// limit teaches the engine nothing (where its counters stopped depends on
// the machine), while its hits still count for the coverage report.
func TestLearnIgnoresTimedRuns(t *testing.T) {
	e := newEngine(t, engine.Options{})
	c := cffuzz.Case{Family: "production", Class: cffuzz.ClassProduction, Object: []byte(object)}
	for _, name := range []string{"TimeoutError", "MemoryError"} {
		o := fb([]uint32{1, 1}, coverage.Comparison{Site: 0, Left: str("a"), Right: str("b")})
		o.FunctionError, o.ErrorName = name+": the function ran too long", name
		e.Learn(&c, o)
	}
	if st := e.Stats(); st.Queue != 0 || st.Dictionary != 0 {
		t.Fatalf("after runs stopped at a limit: queue %d, dictionary %d; want nothing learned", st.Queue, st.Dictionary)
	}
	if cov := e.Coverage(); cov.Hits[0] != 2 {
		t.Errorf("coverage hits of edge 0 = %d, want 2 (timed runs still count in the report)", cov.Hits[0])
	}
	e.Learn(&c, fb([]uint32{1, 1}))
	if st := e.Stats(); st.ByReason[engine.ReasonEdge] != 1 {
		t.Errorf("the same edges reached by a run that completed: %v, want one edge entry", st.ByReason)
	}
}
