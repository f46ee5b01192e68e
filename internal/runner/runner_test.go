package runner_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/runner"
)

func run(t *testing.T, opts runner.Options) *runner.Result {
	t.Helper()
	res, err := runner.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	checkAccounted(t, res.Report)
	return res
}

// checkAccounted checks that every case has exactly one outcome.
func checkAccounted(t *testing.T, rep cffuzz.Report) {
	t.Helper()
	var sum, fam, class int64
	for _, v := range rep.ByOutcome {
		sum += v
	}
	for _, v := range rep.ByFamily {
		fam += v
	}
	for _, v := range rep.ByClass {
		class += v
	}
	if sum != rep.Cases || fam != rep.Cases || class != rep.Cases {
		t.Errorf("cases %d, but by outcome %d, by family %d, by class %d", rep.Cases, sum, fam, class)
	}
}

func TestBudgetByCases(t *testing.T) {
	tests := []struct {
		reason string
		opts   runner.Options
		want   int64
	}{
		{"an explicit case budget", runner.Options{MaxCases: 50}, 50},
		{"no budget at all means the default", runner.Options{}, runner.DefaultMaxCases},
		{"a shard runs its part of the budget", runner.Options{MaxCases: 50, Shard: runner.Shard{K: 2, N: 4}}, 13},
		{"replayed inputs come on top", runner.Options{MaxCases: 10, Replay: []cffuzz.Case{{Object: []byte(`{}`)}, {Object: []byte(`{}`)}}}, 12},
	}
	for _, tt := range tests {
		ft := &fakeTarget{}
		tt.opts.Target, tt.opts.Cases, tt.opts.Oracles, tt.opts.Concurrency = ft, fakeCases, defaultOracles, 3
		res := run(t, tt.opts)
		if res.Report.Cases != tt.want || res.Report.StopReason != runner.StopCases {
			t.Errorf("%s: %d cases (stop %q), want %d (cases)", tt.reason, res.Report.Cases, res.Report.StopReason, tt.want)
		}
	}
}

// stepClock is a fake clock that advances a millisecond each time it is read.
type stepClock struct{ n atomic.Int64 }

func (c *stepClock) now() time.Time {
	return time.Unix(1_700_000_000, 0).Add(time.Duration(c.n.Add(1)) * time.Millisecond)
}

func TestBudgetByDuration(t *testing.T) {
	clock := &stepClock{}
	res := run(t, runner.Options{Target: &fakeTarget{}, Cases: fakeCases, MaxDuration: 200 * time.Millisecond, Clock: clock.now, Concurrency: 2})
	rep := res.Report
	if rep.StopReason != runner.StopDuration || rep.Cases == 0 || rep.Cases > 200 {
		t.Errorf("duration budget: stop %q after %d cases; want duration after 1..200 cases", rep.StopReason, rep.Cases)
	}
	if rep.DurationMS < 200 {
		t.Errorf("duration %d ms, want at least the 200 ms budget by the campaign's clock", rep.DurationMS)
	}
}

func TestConcurrency(t *testing.T) {
	for _, n := range []int{1, 4} {
		ready := make(chan struct{})
		var once atomic.Bool
		ft := &fakeTarget{}
		ft.onTest = func(*cffuzz.Case) {
			if ft.inflight.Load() >= int64(n) && once.CompareAndSwap(false, true) {
				close(ready)
			}
			select { // hold each request until n are in flight at once
			case <-ready:
			case <-time.After(5 * time.Second):
			}
		}
		run(t, runner.Options{Target: ft, Cases: fakeCases, MaxCases: 40, Concurrency: n})
		if got := ft.maxIn.Load(); got != int64(n) {
			t.Errorf("concurrency %d: at most %d requests were in flight at once", n, got)
		}
	}
}

func TestShardsPartitionTheCaseSpace(t *testing.T) {
	const budget = 101
	whole := &fakeTarget{}
	run(t, runner.Options{Target: whole, Cases: fakeCases, MaxCases: budget})
	all := whole.seen()
	if len(all) != budget {
		t.Fatalf("unsharded campaign ran %d distinct cases, want %d", len(all), budget)
	}
	union := map[uint64]int{}
	for k := 1; k <= 3; k++ {
		ft := &fakeTarget{}
		sh, err := runner.ParseShard(strings.Join([]string{string(rune('0' + k)), "3"}, "/"))
		if err != nil {
			t.Fatal(err)
		}
		run(t, runner.Options{Target: ft, Cases: fakeCases, MaxCases: budget, Shard: sh, Concurrency: 2})
		for i := range ft.seen() {
			union[i]++
			if !sh.Contains(i) {
				t.Errorf("shard %v ran case %d, which is not its own", sh, i)
			}
		}
	}
	if len(union) != len(all) {
		t.Errorf("the shards ran %d distinct cases, the whole campaign %d", len(union), len(all))
	}
	for i, n := range union {
		if n != 1 || !all[i] {
			t.Errorf("case %d ran in %d shards (in the unsharded set: %v)", i, n, all[i])
		}
	}
}

func TestParseShard(t *testing.T) {
	tests := []struct {
		reason, in string
		want       runner.Shard
		err        bool
	}{
		{"empty is the whole space", "", runner.Shard{}, false},
		{"a shard", "2/4", runner.Shard{K: 2, N: 4}, false},
		{"spaces are allowed", " 1 / 1 ", runner.Shard{K: 1, N: 1}, false},
		{"K above N", "5/4", runner.Shard{}, true},
		{"K is 1-based", "0/4", runner.Shard{}, true},
		{"not a fraction", "2", runner.Shard{}, true},
		{"not numbers", "a/b", runner.Shard{}, true},
	}
	for _, tt := range tests {
		got, err := runner.ParseShard(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("%s: ParseShard(%q) = %v, %v", tt.reason, tt.in, got, err)
		}
	}
}

func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"1/1", "2/4", "", "0/0", "-1/3", "9999999999999999999/2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := runner.ParseShard(s)
		if err != nil {
			return
		}
		if sh != (runner.Shard{}) && (sh.K < 1 || sh.K > sh.N) {
			t.Fatalf("ParseShard(%q) = %v", s, sh)
		}
		owners := 0
		for k := 1; k <= min(sh.N, 64); k++ {
			if (runner.Shard{K: k, N: sh.N}).Contains(12345) {
				owners++
			}
		}
		if sh.N > 0 && sh.N <= 64 && owners != 1 {
			t.Fatalf("index 12345 belongs to %d shards of %d", owners, sh.N)
		}
	})
}

func TestThrottleBackoffHalvesAndRecovers(t *testing.T) {
	rec := &recorder{}
	ft := &fakeTarget{throttleFirst: 3}
	res := run(t, runner.Options{Target: ft, Cases: fakeCases, MaxCases: 120, Rate: 1000, Concurrency: 1, Observer: rec, Oracles: defaultOracles})
	r := rec.rates
	if len(r) < 5 || r[0] != 1000 || r[1] != 500 || r[2] != 250 || r[3] != 125 {
		t.Fatalf("rates %v: want 1000, then halved three times", r)
	}
	for i := 5; i < len(r); i++ {
		if r[i] < r[i-1] {
			t.Errorf("rate fell from %v to %v without a throttle", r[i-1], r[i])
		}
	}
	if last := r[len(r)-1]; last != 1000 {
		t.Errorf("rate recovered to %v, want back to 1000", last)
	}
	if res.Report.Throttles != 3 || rec.throttled != 3 || res.Report.ByOutcome[runner.OutcomeThrottled] != 0 {
		t.Errorf("throttles %d (observer %d), throttled outcomes %d; want 3, 3, 0",
			res.Report.Throttles, rec.throttled, res.Report.ByOutcome[runner.OutcomeThrottled])
	}
	if len(res.Findings) != 1 || res.Findings[0].Oracle != "crash" {
		t.Errorf("findings %v: throttles must never become findings", signatures(res.Findings))
	}
}

func TestThrottleFromUnlimited(t *testing.T) {
	rec := &recorder{}
	run(t, runner.Options{Target: &fakeTarget{throttleFirst: 1}, Cases: fakeCases, MaxCases: 300, Concurrency: 1, Observer: rec})
	r := rec.rates
	if len(r) < 2 || r[0] <= 0 || r[len(r)-1] != 0 {
		t.Errorf("rates %v: want a finite rate after the throttle, then 0 (unlimited) again", r)
	}
}

func TestThrottleRetriesExhausted(t *testing.T) {
	res := run(t, runner.Options{Target: &fakeTarget{throttle: 1}, Cases: fakeCases, MaxCases: 3, MaxThrottleRetries: 2, Rate: 10000, MinRate: 5000, Oracles: defaultOracles})
	if res.Report.ByOutcome[runner.OutcomeThrottled] != 3 || res.Report.Throttles != 9 || len(res.Findings) != 0 {
		t.Errorf("by outcome %v, throttles %d, findings %d; want 3 throttled cases, 9 throttles, no finding",
			res.Report.ByOutcome, res.Report.Throttles, len(res.Findings))
	}
}

func TestTransientRetries(t *testing.T) {
	tests := []struct {
		reason   string
		ft       *fakeTarget
		retries  int
		outcome  string
		requests int64
	}{
		{"a transport error is retried, then becomes the outcome", &fakeTarget{failAlways: errors.New("EOF")}, 3, runner.OutcomeTransportError, 4},
		{"an injected 500 InternalError is retried, then reported", &fakeTarget{status500: "InternalError"}, 3, runner.OutcomeFinding, 4},
		{"TestFunctionFailed is an answer, never retried", &fakeTarget{status500: "TestFunctionFailed"}, 0, runner.OutcomeFinding, 1},
		{"retries can be switched off", &fakeTarget{failAlways: errors.New("EOF")}, -1, runner.OutcomeTransportError, 1},
	}
	for _, tt := range tests {
		rec := &recorder{}
		res := run(t, runner.Options{Target: tt.ft, Cases: fakeCases, MaxCases: 1, Oracles: defaultOracles, MaxTransportRetries: tt.retries, Observer: rec})
		want := max(tt.retries, 0)
		if res.Report.ByOutcome[tt.outcome] != 1 || tt.ft.requests.Load() != tt.requests || res.Report.Retries != int64(want) || rec.retried != want {
			t.Errorf("%s: by outcome %v, %d requests, %d retries (observer %d)", tt.reason, res.Report.ByOutcome, tt.ft.requests.Load(), res.Report.Retries, rec.retried)
		}
		if len(res.Findings) != 1 {
			t.Errorf("%s: the final answer should reach the oracles: findings %v", tt.reason, signatures(res.Findings))
		}
	}
}

func signatures(fs []cffuzz.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Signature)
	}
	return out
}

// comparable strips what legitimately differs between runs of one campaign.
var comparable = cmpopts.IgnoreFields(cffuzz.Finding{}, "FirstSeen")

func TestFindingsAreDeterministic(t *testing.T) {
	campaign := func(concurrency int, faulty bool) *runner.Result {
		ft := &fakeTarget{}
		if faulty {
			ft.throttle, ft.drop, ft.unavail = 0.05, 0.01, 0.01
		}
		return run(t, runner.Options{Target: ft, Cases: fakeCases, Seed: 42, MaxCases: 600, Concurrency: concurrency,
			Oracles: defaultOracles, Minimize: dropMinimizer, MaxThrottleRetries: 50})
	}
	base := campaign(1, false)
	if len(base.Findings) == 0 {
		t.Fatal("the campaign found nothing: the test cannot compare findings")
	}
	for _, v := range []struct {
		reason      string
		concurrency int
		faulty      bool
	}{
		{"concurrency 8", 8, false},
		{"concurrency 8 against a target injecting 5% throttles, 1% drops, 1% 503s", 8, true},
	} {
		got := campaign(v.concurrency, v.faulty)
		if d := cmp.Diff(base.Findings, got.Findings, comparable); d != "" {
			t.Errorf("%s: findings differ from concurrency 1 on a clean target (-want +got):\n%s", v.reason, d)
		}
		if d := cmp.Diff(base.Report.ByOutcome, got.Report.ByOutcome); d != "" {
			t.Errorf("%s: outcomes differ (-want +got):\n%s", v.reason, d)
		}
		if v.faulty && (got.Report.Throttles == 0 || got.Report.Retries == 0) {
			t.Errorf("%s: %d throttles, %d retries: the faults were not exercised", v.reason, got.Report.Throttles, got.Report.Retries)
		}
	}
	f := base.Findings[0]
	if f.Oracle != "crash" || f.MinimizedSize >= f.OriginalSize || !strings.Contains(string(f.Minimized), "boom") || f.ShrinkSteps == 0 {
		t.Errorf("first finding %s: minimized %q (%d→%d bytes, %d steps)", f.Signature, f.Minimized, f.OriginalSize, f.MinimizedSize, f.ShrinkSteps)
	}
}

func TestFindingFields(t *testing.T) {
	var stored []cffuzz.Finding
	store := runner.StoreFunc(func(f cffuzz.Finding) (string, bool, error) {
		stored = append(stored, f)
		return "corpus/" + f.Oracle + ".json", true, nil
	})
	rec := &recorder{}
	res := run(t, runner.Options{Target: &fakeTarget{}, Cases: fakeCases, Seed: 7, MaxCases: 200, Oracles: defaultOracles,
		Minimize: dropMinimizer, Store: store, Observer: rec, Campaign: "c1", Function: "fn",
		Reproducer: func(f cffuzz.Finding) string { return "cffuzz replay " + f.CorpusFile }})
	if len(res.Findings) != 1 || len(stored) != 1 {
		t.Fatalf("findings %v, stored %d; want the one crash", signatures(res.Findings), len(stored))
	}
	f := res.Findings[0]
	var first uint64 = 1 << 63
	for i := range uint64(200) {
		if c := fakeCases.Case(7, i); strings.Contains(string(c.Object), "boom") {
			first = min(first, i)
		}
	}
	if f.Case != first || f.Seed != 7 || f.Signature != "crash/TypeError@3/boom" || f.Severity != cffuzz.SeverityHigh ||
		f.Count != int(res.Report.ByOutcome[runner.OutcomeFinding]) || f.Family == "" || f.Class == "" || f.Line != 3 ||
		f.CorpusFile != "corpus/crash.json" || f.Reproducer != "cffuzz replay corpus/crash.json" || f.FirstSeen.IsZero() ||
		f.OriginalSize != len(f.Original) || f.MinimizedSize != len(f.Minimized) || rec.shrinks < f.ShrinkSteps {
		t.Errorf("finding %+v (first boom case %d, observer shrinks %d)", f, first, rec.shrinks)
	}
	rep := res.Report
	if rep.FindingsBySeverity["high"] != 1 || rep.Campaign != "c1" || rep.Function != "fn" || rep.Target != "fake" ||
		rep.Seed != 7 || len(rep.Oracles) != 2 || rep.Utilization.Count != 200 || rep.Requests < 200 || len(rep.Timeline) == 0 {
		t.Errorf("report %+v", rep)
	}
	if rec.outcomes[runner.OutcomeFinding] != f.Count || rec.findings != f.Count {
		t.Errorf("observer outcomes %v, findings %d; want %d", rec.outcomes, rec.findings, f.Count)
	}
}

// flakyOracle fires on the first run of each case only.
type flakyOracle struct{ seen map[uint64]bool }

func (flakyOracle) Name() string { return "flaky" }

func (o flakyOracle) Check(c *cffuzz.Case, _ *cffuzz.Outcome) []cffuzz.Signal {
	if c.Index != 5 || o.seen[c.Index] {
		return nil
	}
	o.seen[c.Index] = true
	return []cffuzz.Signal{{Oracle: "flaky", Kind: "once", Confirm: 2}}
}

func TestConfirmation(t *testing.T) {
	res := run(t, runner.Options{Target: &fakeTarget{}, Cases: fakeCases, Seed: 3, MaxCases: 60, Concurrency: 1,
		Oracles: append(defaultOracles[:1:1], crashOracle{confirm: 2}, flakyOracle{seen: map[uint64]bool{}})})
	for _, f := range res.Findings {
		if f.Oracle == "flaky" {
			t.Errorf("a signal that does not fire again was kept: %s", f.Signature)
		}
	}
	if len(res.Findings) != 1 {
		t.Errorf("findings %v: want the confirmed crash only", signatures(res.Findings))
	}
}

func TestReplayRunsFirst(t *testing.T) {
	var order []string
	ft := &fakeTarget{}
	ft.onTest = func(c *cffuzz.Case) { order = append(order, c.Family) }
	replay := []cffuzz.Case{{Object: []byte(`{"word":"boom"}`), Class: cffuzz.ClassProduction}, {Object: []byte(`{}`), Class: cffuzz.ClassProduction}}
	res := run(t, runner.Options{Target: ft, Cases: fakeCases, MaxCases: 5, Concurrency: 1, Replay: replay, Oracles: defaultOracles})
	if len(order) != 7 || order[0] != "corpus" || order[1] != "corpus" || order[2] == "corpus" {
		t.Errorf("order of families %v: want the 2 corpus inputs first", order)
	}
	if res.Report.Replayed != 2 || res.Report.ByFamily["corpus"] != 2 {
		t.Errorf("replayed %d, by family %v", res.Report.Replayed, res.Report.ByFamily)
	}
	if len(res.Findings) == 0 || !res.Findings[0].Replayed {
		t.Errorf("the crash first raised by a corpus input should be marked replayed: %+v", res.Findings)
	}
}

func TestInterruptReturnsResult(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ft := &fakeTarget{}
	ft.onTest = func(*cffuzz.Case) {
		if ft.requests.Load() == 300 {
			cancel()
		}
	}
	res, err := runner.Run(ctx, runner.Options{Target: ft, Cases: fakeCases, MaxCases: 1 << 40, Concurrency: 4, Oracles: defaultOracles, Minimize: dropMinimizer})
	if err != nil {
		t.Fatalf("an interrupted campaign returned an error: %v", err)
	}
	checkAccounted(t, res.Report)
	if res.Report.StopReason != runner.StopInterrupted || res.Report.Cases < 300 || len(res.Findings) == 0 {
		t.Errorf("stop %q after %d cases with %d findings; want interrupted, ≥300 cases, findings kept",
			res.Report.StopReason, res.Report.Cases, len(res.Findings))
	}
}

func TestDifferentialAndDeterminismPeers(t *testing.T) {
	var peers atomic.Int64
	peerCheck := oracleFunc(func(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal {
		if o.Peer != nil {
			peers.Add(1)
		}
		return nil
	})
	tests := []struct {
		reason string
		opts   runner.Options
		want   int64
	}{
		{"a compare target fills Peer", runner.Options{Compare: &fakeTarget{name: "other"}}, 10},
		{"determinism re-runs on the target", runner.Options{Determinism: true}, 10},
	}
	for _, tt := range tests {
		peers.Store(0)
		ft := &fakeTarget{}
		tt.opts.Target, tt.opts.Cases, tt.opts.MaxCases, tt.opts.Oracles = ft, fakeCases, 10, append(defaultOracles[:0:0], peerCheck)
		res := run(t, tt.opts)
		if peers.Load() != tt.want || res.Report.Requests != 2*tt.want {
			t.Errorf("%s: %d outcomes had a peer, %d requests", tt.reason, peers.Load(), res.Report.Requests)
		}
	}
}

type oracleFunc func(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal

func (oracleFunc) Name() string                                              { return "func" }
func (f oracleFunc) Check(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal { return f(c, o) }

func TestBadOptions(t *testing.T) {
	tests := []struct {
		reason string
		opts   runner.Options
		want   string
	}{
		{"a target is required", runner.Options{Cases: fakeCases}, "no target"},
		{"something to run is required", runner.Options{Target: &fakeTarget{}}, "nothing to run"},
		{"one kind of peer", runner.Options{Target: &fakeTarget{}, Cases: fakeCases, Compare: &fakeTarget{}, Determinism: true}, "choose one"},
		{"a bad shard", runner.Options{Target: &fakeTarget{}, Cases: fakeCases, Shard: runner.Shard{K: 3, N: 2}}, "bad shard"},
		{"a negative rate", runner.Options{Target: &fakeTarget{}, Cases: fakeCases, Rate: -1}, "negative"},
	}
	for _, tt := range tests {
		_, err := runner.Run(context.Background(), tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.reason, err, tt.want)
		}
	}
}

func TestStoreErrorsAreReported(t *testing.T) {
	store := runner.StoreFunc(func(cffuzz.Finding) (string, bool, error) { return "", false, errors.New("disk full") })
	res, err := runner.Run(context.Background(), runner.Options{Target: &fakeTarget{}, Cases: fakeCases, MaxCases: 100, Oracles: defaultOracles, Store: store})
	if err == nil || !strings.Contains(err.Error(), "disk full") || res == nil || len(res.Findings) == 0 {
		t.Errorf("store failure: err %v, result %v", err, res != nil)
	}
}

func TestAchievedRate(t *testing.T) {
	if testing.Short() {
		t.Skip("paced campaign")
	}
	const rate, cases = 400.0, 200
	res := run(t, runner.Options{Target: &fakeTarget{}, Cases: fakeCases, MaxCases: cases, Rate: rate, Concurrency: 4})
	got := float64(res.Report.Cases) / (float64(res.Report.DurationMS) / 1000)
	t.Logf("asked %.0f requests/s, achieved %.1f cases/s (%+.1f%%); the ±2%% goal is checked by BenchmarkAchievedRate", rate, got, 100*(got-rate)/rate)
}
