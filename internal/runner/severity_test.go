package runner_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/oracles"
)

// cappedCrash is crashOracle with the malformed cap of the real crash oracle.
type cappedCrash struct{ crashOracle }

func (o cappedCrash) Check(c *cffuzz.Case, out *cffuzz.Outcome) []cffuzz.Signal {
	s := o.crashOracle.Check(c, out)
	for i := range s {
		s[i].Severity = oracles.CapSeverity(s[i].Severity, c.Class)
	}
	return s
}

// TestWorstInstanceOfABugWins checks that a bug raised by malformed and
// production inputs alike is reported at the production severity, from
// the first production input, whatever index the malformed one has.
func TestWorstInstanceOfABugWins(t *testing.T) {
	// Find a seed whose first boom is malformed and comes before the
	// first production boom, so that "the first case" would be wrong.
	seed, firstMalformed, firstProduction := int64(0), int64(-1), int64(-1)
	for s := int64(1); s < 200 && seed == 0; s++ {
		firstMalformed, firstProduction = -1, -1
		for i := range uint64(300) {
			c := fakeCases.Case(s, i)
			if !bytes.Contains(c.Object, []byte("boom")) {
				continue
			}
			if c.Class == cffuzz.ClassMalformed && firstMalformed < 0 {
				firstMalformed = int64(i)
			}
			if c.Class == cffuzz.ClassProduction && firstProduction < 0 {
				firstProduction = int64(i)
			}
		}
		if firstMalformed >= 0 && firstProduction > firstMalformed {
			seed = s
		}
	}
	if seed == 0 {
		t.Fatal("no seed puts a malformed boom first: the test cannot tell the rules apart")
	}
	for _, concurrency := range []int{1, 8} {
		res := run(t, runner.Options{Target: &fakeTarget{}, Cases: fakeCases, Seed: seed, MaxCases: 300, Concurrency: concurrency,
			Oracles: []oracles.Oracle{cappedCrash{}}})
		if len(res.Findings) != 1 {
			t.Fatalf("concurrency %d: findings %v, want one", concurrency, signatures(res.Findings))
		}
		f := res.Findings[0]
		if f.Severity != cffuzz.SeverityHigh || f.Class != cffuzz.ClassProduction || int64(f.Case) != firstProduction {
			t.Errorf("concurrency %d: got %s %s case %d, want high production case %d (first malformed boom is %d)",
				concurrency, f.Severity, f.Class, f.Case, firstProduction, firstMalformed)
		}
	}
}

// TestShrinkingKeepsTheSeverity checks that a shrink candidate that would
// only raise the bug at a lower severity (it became malformed) is refused.
func TestShrinkingKeepsTheSeverity(t *testing.T) {
	// A candidate without "clientIp" is malformed: its crash is capped.
	reclassify := func(c cffuzz.Case, object []byte) cffuzz.Case {
		c.Object = object
		if !bytes.Contains(object, []byte(`"clientIp"`)) {
			c.Class = cffuzz.ClassMalformed
		}
		return c
	}
	res := run(t, runner.Options{Target: &fakeTarget{}, Cases: fakeCases, Seed: 3, MaxCases: 300,
		Oracles: []oracles.Oracle{cappedCrash{}}, Minimize: dropMinimizer, Reclassify: reclassify})
	if len(res.Findings) != 1 {
		t.Fatalf("findings %v, want one", signatures(res.Findings))
	}
	f := res.Findings[0]
	if !strings.Contains(string(f.Minimized), `"clientIp"`) || !strings.Contains(string(f.Minimized), "boom") || f.MinimizedSize >= f.OriginalSize {
		t.Errorf("minimized %q (from %d bytes): it must keep clientIp (stay production) and boom, and be smaller", f.Minimized, f.OriginalSize)
	}
}

// fadingOracle raises one signature, high on a case's first run and
// medium on the next ones, as a utilization near a band's edge does.
type fadingOracle struct{ runs map[uint64]int }

func (fadingOracle) Name() string { return "fading" }

func (o fadingOracle) Check(c *cffuzz.Case, _ *cffuzz.Outcome) []cffuzz.Signal {
	if c.Index != 4 {
		return nil
	}
	o.runs[c.Index]++
	sev := cffuzz.SeverityMedium
	if o.runs[c.Index] == 1 {
		sev = cffuzz.SeverityHigh
	}
	return []cffuzz.Signal{{Oracle: "fading", Kind: "slow", Key: "k", Severity: sev, Confirm: 2}}
}

// TestConfirmationLowersTheSeverity checks that a finding whose re-runs
// agree only on a lower severity is kept at that severity, not dropped.
func TestConfirmationLowersTheSeverity(t *testing.T) {
	res := run(t, runner.Options{Target: &fakeTarget{}, Cases: fakeCases, Seed: 1, MaxCases: 10, Concurrency: 1,
		Oracles: []oracles.Oracle{fadingOracle{runs: map[uint64]int{}}}})
	if len(res.Findings) != 1 || res.Findings[0].Severity != cffuzz.SeverityMedium {
		t.Fatalf("findings %+v; want one, confirmed at medium", res.Findings)
	}
}

// scoreOracle raises one signature on cases 3 and 8, scoring case 8 higher.
type scoreOracle struct{}

func (scoreOracle) Name() string { return "score" }

func (scoreOracle) Check(c *cffuzz.Case, _ *cffuzz.Outcome) []cffuzz.Signal {
	if c.Index != 3 && c.Index != 8 {
		return nil
	}
	return []cffuzz.Signal{{Oracle: "score", Kind: "slow", Key: "k", Severity: cffuzz.SeverityMedium, Score: float64(c.Index)}}
}

// TestHigherScoreWins checks that of two instances at the same severity the
// higher-scoring one is kept, though it comes later.
func TestHigherScoreWins(t *testing.T) {
	res := run(t, runner.Options{Target: &fakeTarget{}, Cases: fakeCases, Seed: 1, MaxCases: 10, Oracles: []oracles.Oracle{scoreOracle{}}})
	if len(res.Findings) != 1 || res.Findings[0].Case != 8 || res.Findings[0].Count != 2 {
		t.Fatalf("findings %+v; want one from case 8, counted twice", res.Findings)
	}
}
