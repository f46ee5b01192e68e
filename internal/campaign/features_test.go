package campaign_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/internal/testsupport"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	dto "github.com/prometheus/client_model/go"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/internal/campaign"
	"github.com/cffuzz/cffuzz/internal/runner"
)

// These tests run whole campaigns with small budgets to check the features
// a Config switches on: comparison with another version or the LIVE stage,
// determinism, sharding and corpus merging, the wire family, fault
// injection, and the metrics (file and Pushgateway).

// Functions the feature tests run.
const (
	// ipV1 allows the documentation network 203.0.113.0/24 (any "203."
	// address) and every IPv6 client.
	ipV1 = `function connectionHandler(connection) {
  var ip = String(connection.clientIp);
  if (ip.indexOf('203.') === 0 || ip.indexOf(':') >= 0) { connection.allow(); } else { connection.deny(); }
}
`
	// ipV2 is a "refactoring" of ipV1 with a regression: it checks the
	// IPv4 prefix only, so it denies the IPv6 clients ipV1 allowed.
	ipV2 = `function connectionHandler(connection) {
  var ip = String(connection.clientIp);
  if (ip.indexOf('203.') === 0) { connection.allow(); } else { connection.deny(); }
}
`
	// coinFlip decides with Math.random.
	coinFlip = `function connectionHandler(connection) {
  if (Math.random() < 0.5) { connection.allow(); } else { connection.deny(); }
}
`
	// clockParity decides on the parity of the current millisecond.
	clockParity = `function connectionHandler(connection) {
  if (Date.now() % 2 === 0) { connection.allow(); } else { connection.deny(); }
}
`
)

// writeFunction writes code into dir/name and returns its path.
func writeFunction(t *testing.T, dir, name, code string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// featureConfig is a small in-process campaign writing into a fresh
// directory, with a fixed seed and present so that two runs build the same
// cases.
func featureConfig(t *testing.T, now time.Time) campaign.Config {
	out := t.TempDir()
	return campaign.Config{
		Cases:         400,
		Seed:          11,
		Now:           now,
		Isolation:     campaign.IsolationInProcess,
		MetricsAddr:   "",
		Out:           out,
		Corpus:        filepath.Join(out, "corpus"),
		ShrinkTimeout: 300 * time.Millisecond,
	}
}

func now() time.Time { return time.Now().UTC().Truncate(time.Second) }

func run(t *testing.T, cfg campaign.Config) *campaign.Result {
	t.Helper()
	res, err := campaign.Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("campaign.Run: %v", err)
	}
	var sum int64
	for _, n := range res.Report.ByOutcome {
		sum += n
	}
	if sum != res.Report.Cases {
		t.Errorf("by_outcome sums to %d, cases is %d (%v)", sum, res.Report.Cases, res.Report.ByOutcome)
	}
	return res
}

// byOracle returns the findings of one oracle.
func byOracle(fs []cffuzz.Finding, oracle string) []cffuzz.Finding {
	var out []cffuzz.Finding
	for _, f := range fs {
		if f.Oracle == oracle {
			out = append(out, f)
		}
	}
	return out
}

// signatures returns the sorted set of the findings' signatures.
func signatures(fs []cffuzz.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Signature)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestCompareAndDeterminism checks the campaigns that fill Outcome.Peer:
// Compare with another version or the LIVE stage (differential oracle) and
// Determinism (determinism oracle).
func TestCompareAndDeterminism(t *testing.T) {
	dir := t.TempDir()
	v1 := writeFunction(t, dir, "v1.js", ipV1)
	v1copy := writeFunction(t, dir, "v1-copy.js", ipV1)
	v2 := writeFunction(t, dir, "v2.js", ipV2)
	coin := writeFunction(t, dir, "coin.js", coinFlip)
	clock := writeFunction(t, dir, "clock.js", clockParity)
	tests := []struct {
		name        string
		function    string
		compare     string
		publish     bool
		determinism bool
		oracle      string
		wantKind    string // "" means no finding of oracle at all
		reason      string
	}{
		{"regression", v1, v2, false, false, "differential", "decision-differs",
			"v2 denies the IPv6 clients v1 allowed: the production family's IPv6 clients expose it"},
		{"identical-versions", v1, v1copy, false, false, "differential", "",
			"the same code in two files decides the same everywhere"},
		{"live", v1, "live", true, false, "differential", "",
			"DEVELOPMENT and LIVE hold the same code after Publish"},
		// The emulator seeds Math.random with Options.Seed (the campaign
		// seed) on every run (runtime.Request.Seed; docs/runtime.md), so that
		// a campaign and its replays are reproducible. Both runs of a case
		// thus draw the same first number and decide alike: on the emulator,
		// nondeterminism that comes only from Math.random is invisible to the
		// determinism oracle by design (on AWS, which seeds per run, it would
		// show).
		{"math-random", coin, "", false, true, "determinism", "",
			"Math.random is seeded per run with the campaign seed"},
		{"deterministic", v1, "", false, true, "determinism", "",
			"a function of its input alone never differs between runs"},
		// Date reads Options.Clock, time.Now by default, at each request:
		// two runs of a case that straddle a millisecond boundary see
		// different parities. The positive control of the determinism
		// oracle: with 400 cases, some pairs straddle a boundary.
		{"clock", clock, "", false, true, "determinism", "nondeterministic",
			"Date.now() differs between the two runs of a case"},
	}
	at := now()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := featureConfig(t, at)
			cfg.Function, cfg.Compare, cfg.Publish, cfg.Determinism = tc.function, tc.compare, tc.publish, tc.determinism
			res := run(t, cfg)
			found := byOracle(res.Findings, tc.oracle)
			if !slices.Contains(res.Report.Oracles, tc.oracle) {
				t.Fatalf("%s: the %s oracle did not run (oracles %v)", tc.reason, tc.oracle, res.Report.Oracles)
			}
			if tc.wantKind == "" {
				for _, f := range found {
					t.Errorf("%s: unexpected %s finding %s: %s (input %s)", tc.reason, f.Oracle, f.Signature, f.Message, f.Minimized)
				}
				return
			}
			if !slices.ContainsFunc(found, func(f cffuzz.Finding) bool { return f.Kind == tc.wantKind }) {
				t.Errorf("%s: no %s finding of kind %s in %d cases (findings: %v)", tc.reason, tc.oracle, tc.wantKind, res.Report.Cases, signatures(res.Findings))
			}
			for _, f := range found {
				t.Logf("%s %s ×%d: %s; minimized %s", f.Severity, f.Signature, f.Count, f.Message, f.Minimized)
			}
		})
	}
}

// TestShards runs the two halves of a campaign and merges their corpora.
func TestShards(t *testing.T) {
	at := now()
	const cases = 600
	var results []*campaign.Result
	var dirs []string
	for _, shard := range []string{"1/2", "2/2"} {
		cfg := featureConfig(t, at)
		cfg.Cases, cfg.Shard = cases, shard
		res := run(t, cfg)
		if res.Report.Shard != shard {
			t.Errorf("report shard %q, want %q", res.Report.Shard, shard)
		}
		results = append(results, res)
		dirs = append(dirs, cfg.Corpus)
	}
	a, b := results[0].Report, results[1].Report
	if a.Replayed != 0 || b.Replayed != 0 {
		t.Errorf("fresh corpora replayed %d and %d entries", a.Replayed, b.Replayed)
	}
	if a.Cases+b.Cases != cases+a.Replayed+b.Replayed {
		t.Errorf("shards ran %d + %d cases, want %d in all", a.Cases, b.Cases, cases)
	}
	if a.Cases != cases/2 || b.Cases != cases/2 {
		t.Errorf("shards ran %d and %d cases, want %d each (i %% 2 splits evenly)", a.Cases, b.Cases, cases/2)
	}

	merged := filepath.Join(t.TempDir(), "merged")
	added, err := corpus.Merge(merged, dirs...)
	if err != nil {
		t.Fatal(err)
	}
	c, err := corpus.Open(merged)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := c.Entries()
	if err != nil {
		t.Fatal(err)
	}
	if added != len(entries) {
		t.Errorf("Merge reported %d added, the merged corpus holds %d", added, len(entries))
	}
	bySig := map[string]int{}
	byName := map[string]bool{}
	for _, e := range entries {
		bySig[e.Finding.Signature]++
		byName[filepath.Base(e.Path)] = true
	}
	for sig, n := range bySig {
		if n > 1 {
			t.Errorf("signature %s is in the merged corpus %d times", sig, n)
		}
	}
	// Every finding of either shard is in the merged corpus: under its
	// signature or, when another finding minimized to the same input
	// first, under that input's entry (corpus entries are named by input).
	union := map[string]bool{}
	for _, res := range results {
		for _, f := range res.Findings {
			union[f.Signature] = true
			name, err := corpus.NameFor(f, corpus.FunctionKey("examples/functions/demo.js"))
			if err != nil {
				t.Fatal(err)
			}
			if bySig[f.Signature] == 0 && !byName[name] {
				t.Errorf("finding %s of shard %s is not in the merged corpus", f.Signature, res.Report.Shard)
			}
		}
	}
	for sig := range bySig {
		if !union[sig] {
			t.Errorf("merged corpus has %s, which neither shard found", sig)
		}
	}
	if len(union) == 0 {
		t.Error("the demo function gave no findings in either shard: nothing was merged")
	}
	t.Logf("shards: %d + %d findings, union %d signatures, merged %d entries", len(results[0].Findings), len(results[1].Findings), len(union), len(entries))
}

// TestWireFamily runs raw wire requests against the embedded emulator: the
// generators' expectations for them are the emulator's documented answers,
// so none may be a mismatch.
func TestWireFamily(t *testing.T) {
	cfg := featureConfig(t, now())
	cfg.Cases, cfg.Wire = 1000, true
	cfg.Weights = map[string]int{"wire": 100}
	res := run(t, cfg)
	if res.Report.ByFamily["wire"] == 0 {
		t.Fatalf("no wire case ran (by family: %v)", res.Report.ByFamily)
	}
	for _, f := range res.Findings {
		if f.Severity >= cffuzz.SeverityMedium && f.Oracle == "mismatch" {
			t.Errorf("%s %s (variant %s): %s", f.Severity, f.Signature, f.Variant, f.Message)
		}
	}
	t.Logf("%d wire cases of %d", res.Report.ByFamily["wire"], res.Report.Cases)
}

// TestFaultsKeepFindings runs the demo campaign with and without injected
// throttles, dropped connections and 503s: the runner's retries absorb
// them, so the findings are the same (but for utilization, see below).
func TestFaultsKeepFindings(t *testing.T) {
	at := now()
	tests := []struct {
		name   string
		faults emulator.Faults
		reason string
	}{
		{"clean", emulator.Faults{}, "no faults: the reference"},
		{"faulty", emulator.Faults{FaultRates: emulator.FaultRates{Throttling: 0.05, Drop: 0.01, ServiceUnavailable: 0.01}},
			"throttles, drops and 503s are retried"},
	}
	var sigs [][]string
	for _, tc := range tests {
		cfg := featureConfig(t, at)
		cfg.Cases, cfg.Faults = 300, tc.faults
		res := run(t, cfg)
		r := res.Report
		faulty := tc.faults.FaultRates != (emulator.FaultRates{})
		if faulty && (r.Throttles == 0 || r.Retries == 0) {
			t.Errorf("%s: throttles %d, retries %d; want both > 0", tc.reason, r.Throttles, r.Retries)
		}
		if !faulty && (r.Throttles != 0 || r.Retries != 0) {
			t.Errorf("%s: throttles %d, retries %d; want 0", tc.reason, r.Throttles, r.Retries)
		}
		// Utilization findings depend on measured CPU time, not on the
		// input alone: the demo function's slowest inputs measure 50–75 %
		// of the budget on a loaded 2-core machine, around the 70 %
		// threshold, so they come and go between any two runs.
		var fs []cffuzz.Finding
		for _, f := range res.Findings {
			if f.Oracle != "utilization" {
				fs = append(fs, f)
			}
		}
		sigs = append(sigs, signatures(fs))
		t.Logf("%s: %d cases, %d requests, %d throttles, %d retries, %d findings", tc.name, r.Cases, r.Requests, r.Throttles, r.Retries, len(res.Findings))
	}
	if len(sigs[0]) == 0 {
		t.Error("the demo function gave no findings: nothing to compare")
	}
	if !slices.Equal(sigs[0], sigs[1]) {
		t.Errorf("findings differ with faults:\n clean:  %v\n faulty: %v", sigs[0], sigs[1])
	}
}

// TestMetricsFile checks the metrics file against the report.
func TestMetricsFile(t *testing.T) {
	cfg := featureConfig(t, now())
	cfg.Cases = 300
	var mu sync.Mutex
	var last runner.Snapshot
	cfg.Progress = func(s runner.Snapshot) {
		mu.Lock()
		defer mu.Unlock()
		last = s
	}
	res := run(t, cfg)
	mfs := parseMetrics(t, filepath.Join(cfg.Out, "metrics.prom"))
	if got := sum(mfs, "cffuzz_cases_total", nil); got != float64(res.Report.Cases) {
		t.Errorf("cffuzz_cases_total sums to %v, report.cases is %d", got, res.Report.Cases)
	}
	// The runner calls Observer.Finding with unique=true the first time a
	// signature is raised, while the cases run; the findings are the raised
	// signatures that then pass confirmation (a utilization or time-limit
	// signal must fire again on re-runs, and a load spike may not). So
	// cffuzz_findings_unique_total counts raised signatures — the final
	// snapshot's Findings — and is at least the number of findings, more
	// when confirmation dropped some.
	mu.Lock()
	raised := last.Findings
	mu.Unlock()
	unique := sum(mfs, "cffuzz_findings_unique_total", nil)
	if unique != float64(raised) {
		t.Errorf("cffuzz_findings_unique_total is %v, the campaign raised %d signatures", unique, raised)
	}
	if unique < float64(len(res.Findings)) || len(res.Findings) == 0 {
		t.Errorf("cffuzz_findings_unique_total is %v for %d findings; want findings > 0 and unique >= findings", unique, len(res.Findings))
	}
	for _, o := range []string{"crash", "utilization", "decision", "mismatch", "property"} {
		if u, n := sum(mfs, "cffuzz_findings_unique_total", map[string]string{"oracle": o}), len(byOracle(res.Findings, o)); u != float64(n) {
			t.Logf("%s: %v signatures raised, %d confirmed", o, u, n)
		}
	}
	if got := sum(mfs, "cffuzz_findings_total", nil); got < unique {
		t.Errorf("cffuzz_findings_total is %v, below the unique count %v", got, unique)
	}
}

// TestPushgateway pushes a campaign's metrics to a real Pushgateway.
func TestPushgateway(t *testing.T) {
	url := testsupport.StartPushgateway(t)
	cfg := featureConfig(t, now())
	cfg.Cases, cfg.Pushgateway, cfg.Name = 300, url, "push-test"
	res := run(t, cfg)
	mfs := testsupport.Scrape(t, url)
	group := map[string]string{"job": "cffuzz", "campaign": "push-test"}
	if got := sum(mfs, "cffuzz_cases_total", group); got != float64(res.Report.Cases) {
		t.Errorf("Pushgateway has cffuzz_cases_total%v = %v, want report.cases %d", group, got, res.Report.Cases)
	}
}

// parseMetrics parses a file in the text exposition format.
func parseMetrics(t *testing.T, path string) map[string]*dto.MetricFamily {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := parser.TextToMetricFamilies(f)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return mfs
}

// sum adds the values of the counter or gauge series of name whose labels
// include want, or -1 when there is no such family.
func sum(mfs map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	if _, ok := mfs[name]; !ok {
		return -1
	}
	total, _ := testsupport.SumSeries(mfs, name, want)
	return total
}
