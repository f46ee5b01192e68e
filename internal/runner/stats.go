package runner

import (
	"github.com/cffuzz/cffuzz"
)

// maxUtil is the largest utilization counted exactly; larger values share
// the last slot (and Max keeps the true maximum).
const maxUtil = 1000

// tally counts cases. Each worker owns one, so counting takes no lock;
// they are merged when the campaign ends. Its size does not grow with the
// number of cases: a few low-cardinality maps and a fixed histogram.
type tally struct {
	cases, replayed int64
	byFamily        map[string]int64
	byClass         map[string]int64
	byOutcome       map[string]int64
	byDecision      map[string]int64 // the function's decisions, over test results
	util            utilCounts
}

func newTally() *tally {
	return &tally{byFamily: map[string]int64{}, byClass: map[string]int64{}, byOutcome: map[string]int64{}, byDecision: map[string]int64{}}
}

func (t *tally) add(c *cffuzz.Case, replayed bool, label string) {
	t.cases++
	if replayed {
		t.replayed++
	}
	t.byFamily[c.Family]++
	t.byClass[string(c.Class)]++
	t.byOutcome[label]++
}

// decided counts the decision of a test result: allow, deny, or none (no
// decision, which CloudFront treats as a deny).
func (t *tally) decided(d cffuzz.Decision) {
	if d == "" {
		d = cffuzz.DecisionNone
	}
	t.byDecision[string(d)]++
}

func (t *tally) merge(u *tally) {
	t.cases += u.cases
	t.replayed += u.replayed
	for k, v := range u.byFamily {
		t.byFamily[k] += v
	}
	for k, v := range u.byClass {
		t.byClass[k] += v
	}
	for k, v := range u.byOutcome {
		t.byOutcome[k] += v
	}
	for k, v := range u.byDecision {
		t.byDecision[k] += v
	}
	t.util.merge(&u.util)
}

// utilCounts counts ComputeUtilization values exactly: one counter per
// percent up to maxUtil, so percentiles are exact in constant memory.
type utilCounts struct {
	n      int64
	max    int
	counts [maxUtil + 1]int64
}

func (u *utilCounts) add(v int) {
	if v < 0 {
		return
	}
	u.n++
	u.max = max(u.max, v)
	u.counts[min(v, maxUtil)]++
}

func (u *utilCounts) merge(w *utilCounts) {
	u.n += w.n
	u.max = max(u.max, w.max)
	for i, c := range w.counts {
		u.counts[i] += c
	}
}

// percentile returns the smallest value v such that at least p percent of
// the values are ≤ v (nearest-rank).
func (u *utilCounts) percentile(p float64) int {
	if u.n == 0 {
		return 0
	}
	rank := int64(p / 100 * float64(u.n))
	if float64(rank) < p/100*float64(u.n) {
		rank++
	}
	rank = max(rank, 1)
	var seen int64
	for v, c := range u.counts {
		seen += c
		if seen >= rank {
			if v == maxUtil {
				return u.max
			}
			return v
		}
	}
	return u.max
}

func (u *utilCounts) summary() cffuzz.UtilizationSummary {
	s := cffuzz.UtilizationSummary{
		Count: u.n, Max: u.max,
		P50: u.percentile(50), P90: u.percentile(90), P95: u.percentile(95), P99: u.percentile(99),
	}
	for v, c := range u.counts {
		s.Histogram[min(v/10, 10)] += c
	}
	return s
}
