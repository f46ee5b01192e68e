package runner_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cffuzz/cffuzz"

	"github.com/cffuzz/cffuzz/corpus"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/generators"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/internal/target"
	"github.com/cffuzz/cffuzz/oracles"
)

// typicalFunction is a typical mTLS connection function with a planted
// bug: it reads the leaf certificate without checking that there is one.
const typicalFunction = `function connectionHandler(connection) {
  var ip = connection.clientIp || "";
  var leaf = connection.clientCertificate.certificates.leaf;
  if (leaf && leaf.serialNumber === "00") { connection.deny(); return; }
  if (ip.indexOf("198.51.100.") === 0) { connection.deny(); return; }
  connection.allow();
}`

var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func embedded(tb testing.TB, faults emulator.Faults) *target.Embedded {
	tb.Helper()
	e, err := target.NewEmbedded(context.Background(), target.EmbeddedOptions{
		Code: []byte(typicalFunction),
		Emulator: emulator.Options{Seed: 1, Faults: faults, Clock: func() time.Time { return fixedNow },
			// A wall-clock time limit makes timeouts depend on the machine's
			// load; this one keeps the campaign's outcomes reproducible.
			Executor: runtime.NewInProcess(runtime.Options{TimeLimit: 10 * time.Second})},
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = e.Close() })
	return e
}

func generator(tb testing.TB) *generators.Generator {
	tb.Helper()
	g, err := generators.New(generators.Options{Now: fixedNow})
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

var ignoreCorpusFile = cmpopts.IgnoreFields(cffuzz.Finding{}, "CorpusFile")

// deterministicOracles are the default oracles but utilization, which
// measures CPU time and so cannot give the same answer on every run.
var deterministicOracles = []oracles.Oracle{oracles.Crash(), oracles.Mismatch(oracles.MismatchOptions{}), oracles.Decision()}

func minimize(ctx context.Context, in []byte, fails func([]byte) bool) ([]byte, int) {
	return generators.Minimize(ctx, in, fails, generators.MinimizeOptions{MaxCalls: 150})
}

// TestEndToEndDeterminism runs one campaign against the embedded emulator
// four ways — concurrency 1 and 8, clean and injecting 5% throttles, 1%
// dropped connections and 1% 503s — and requires the same findings and
// outcomes from each.
func TestEndToEndDeterminism(t *testing.T) {
	cases := int64(400)
	if testing.Short() {
		cases = 120
	}
	faulty := emulator.Faults{FaultRates: emulator.FaultRates{Throttling: 0.05, Drop: 0.01, ServiceUnavailable: 0.01}}
	campaign := func(concurrency int, faults emulator.Faults, store runner.Store) *runner.Result {
		res := run(t, runner.Options{
			Target: embedded(t, faults), Cases: generator(t), Seed: 20260301, MaxCases: cases, Concurrency: concurrency,
			Oracles: deterministicOracles, Minimize: minimize, ShrinkTimeout: time.Minute,
			MaxThrottleRetries: 100, MinRate: 100, Store: store,
		})
		return res
	}
	store, err := corpus.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base := campaign(1, emulator.Faults{}, store)
	if len(base.Findings) == 0 {
		t.Fatal("no finding in a function with a planted bug")
	}
	entries, err := store.Entries()
	if err != nil || len(entries) != len(base.Findings) {
		t.Errorf("corpus holds %d entries (err %v) for %d findings", len(entries), err, len(base.Findings))
	}
	for _, v := range []struct {
		name        string
		concurrency int
		faults      emulator.Faults
	}{
		{"concurrency 8, clean", 8, emulator.Faults{}},
		{"concurrency 1, faulty", 1, faulty},
		{"concurrency 8, faulty", 8, faulty},
	} {
		start := time.Now()
		got := campaign(v.concurrency, v.faults, nil)
		t.Logf("%s: %v", v.name, time.Since(start))
		if d := cmp.Diff(base.Findings, got.Findings, comparable, ignoreCorpusFile); d != "" {
			t.Errorf("%s: findings differ from concurrency 1, clean (-want +got):\n%s", v.name, d)
		}
		if d := cmp.Diff(base.Report.ByOutcome, got.Report.ByOutcome); d != "" {
			t.Errorf("%s: outcomes differ (-want +got):\n%s", v.name, d)
		}
		if v.faults.Throttling > 0 && got.Report.Throttles+got.Report.Retries == 0 {
			t.Errorf("%s: no throttle and no retry: the faults were not exercised", v.name)
		}
		t.Logf("%s: %d cases, %d requests, %d throttles, %d retries, %d findings",
			v.name, got.Report.Cases, got.Report.Requests, got.Report.Throttles, got.Report.Retries, len(got.Findings))
	}
	for _, f := range base.Findings {
		t.Logf("finding %s %s case %d: %d→%d bytes in %d steps", f.Severity, f.Signature, f.Case, f.OriginalSize, f.MinimizedSize, f.ShrinkSteps)
	}
}
