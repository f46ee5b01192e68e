package metrics_test

import (
	"context"
	"testing"

	"github.com/cffuzz/cffuzz/internal/testsupport"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/metrics"
)

func TestPushgateway(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Pushgateway")
	}
	url := testsupport.StartPushgateway(t)
	ctx := context.Background()

	shard0 := metrics.New(metrics.Options{Version: "1.2.3", Campaign: "nightly", Shard: "0"})
	drive(shard0)
	shard1 := metrics.New(metrics.Options{Version: "1.2.3", Campaign: "nightly", Shard: "1"})
	for i := 0; i < 7; i++ {
		shard1.CaseDone("emulator", "production", cffuzz.ClassProduction, "pass")
	}
	shard1.Throttled()
	if err := shard0.Push(ctx, url, "cffuzz", nil); err != nil {
		t.Fatal(err)
	}
	if err := shard1.Push(ctx, url, "cffuzz", nil); err != nil {
		t.Fatal(err)
	}
	// A second push of shard 0 with add semantics must not double anything.
	if err := shard0.Push(ctx, url, "cffuzz", nil); err != nil {
		t.Fatal(err)
	}

	mfs := testsupport.Scrape(t, url)
	value := func(name string, want map[string]string) float64 {
		t.Helper()
		v, ok := testsupport.SumSeries(mfs, name, want)
		if !ok {
			t.Fatalf("Pushgateway has no %s%v", name, want)
		}
		return v
	}
	for _, c := range []struct {
		reason string
		name   string
		labels map[string]string
		want   float64
	}{
		{"shard 0 boundary findings", "cffuzz_cases_total", map[string]string{"job": "cffuzz", "campaign": "nightly", "shard": "0", "family": "boundary", "outcome": "finding"}, 2},
		{"shard 1 passes", "cffuzz_cases_total", map[string]string{"job": "cffuzz", "campaign": "nightly", "shard": "1", "family": "production", "outcome": "pass"}, 7},
		{"shard 0 throttles", "cffuzz_throttles_total", map[string]string{"shard": "0"}, 1},
		{"shard 1 throttles", "cffuzz_throttles_total", map[string]string{"shard": "1"}, 1},
		{"shard 0 unique high findings", "cffuzz_findings_unique_total", map[string]string{"shard": "0", "severity": "high"}, 1},
		{"shard 0 completion", "cffuzz_campaign_last_completion_timestamp_seconds", map[string]string{"shard": "0"}, float64(endTime.Unix())},
	} {
		if got := value(c.name, c.labels); got != c.want {
			t.Errorf("%s: %s%v = %v, want %v", c.reason, c.name, c.labels, got, c.want)
		}
	}
	// Shard 1 never reported a shrink step: its group must not carry shard 0's.
	if got := value("cffuzz_shrink_steps_total", map[string]string{"shard": "1"}); got != 0 {
		t.Errorf("shard 1 shrink steps = %v, want 0 (shards overwrote each other?)", got)
	}
	if got := value("cffuzz_shrink_steps_total", map[string]string{"shard": "0"}); got != 3 {
		t.Errorf("shard 0 shrink steps = %v, want 3", got)
	}
}

func TestPushErrors(t *testing.T) {
	c := newCampaign()
	ctx := context.Background()
	for _, tc := range []struct{ reason, url, job string }{
		{"no URL", "", "cffuzz"},
		{"no job", "http://127.0.0.1:1", ""},
		{"nothing listening", "http://127.0.0.1:1", "cffuzz"},
	} {
		if err := c.Push(ctx, tc.url, tc.job, nil); err == nil {
			t.Errorf("%s: Push succeeded", tc.reason)
		}
	}
}
