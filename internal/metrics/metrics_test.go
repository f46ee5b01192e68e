package metrics_test

import (
	"flag"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/metrics"
	"github.com/cffuzz/cffuzz/internal/runner"
)

var update = flag.Bool("update", false, "rewrite golden files")

var (
	startTime  = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	uniqueTime = time.Date(2026, 3, 1, 12, 0, 30, 0, time.UTC)
	endTime    = time.Date(2026, 3, 1, 12, 1, 0, 0, time.UTC)
)

func newCampaign() *metrics.Campaign {
	return metrics.New(metrics.Options{
		Version:  "1.2.3",
		Campaign: "nightly",
		Shard:    "0",
		Now:      func() time.Time { return uniqueTime },
	})
}

// drive tells obs what a small campaign does, in the order the runner would.
func drive(obs runner.Observer) {
	obs.Started(startTime)
	obs.CorpusSize(2)
	obs.RateChanged(5)
	// case 1: passes at 12% utilization after 200 µs.
	obs.Request("TestConnectionFunction", 200, 200*time.Microsecond)
	obs.Utilization(12)
	obs.CaseDone("emulator", "production", cffuzz.ClassProduction, "pass")
	// case 2: throttled once, retried, then a crash finding at 95%.
	obs.Request("TestConnectionFunction", 400, 3*time.Millisecond)
	obs.Throttled()
	obs.RateChanged(2.5)
	obs.Retried()
	obs.Request("TestConnectionFunction", 200, 40*time.Millisecond)
	obs.Utilization(95)
	obs.Finding("crash", cffuzz.SeverityHigh, true)
	obs.ShrinkStep()
	obs.ShrinkStep()
	obs.ShrinkStep()
	obs.CorpusSize(3)
	obs.CaseDone("emulator", "boundary", cffuzz.ClassBoundary, "finding")
	// case 3: same crash again, over budget (150%), not unique.
	obs.Request("TestConnectionFunction", 200, 2*time.Second)
	obs.Utilization(150)
	obs.Finding("crash", cffuzz.SeverityHigh, false)
	obs.CaseDone("emulator", "boundary", cffuzz.ClassBoundary, "finding")
	// case 4: transport error; no utilization in the answer.
	obs.Request("TestConnectionFunction", 0, 20*time.Second)
	obs.Utilization(-1)
	obs.CaseDone("emulator", "malformed", cffuzz.ClassMalformed, "transport-error")
	// case 5: a low-severity finding on a malformed input.
	obs.Request("TestConnectionFunction", 200, 100*time.Microsecond)
	obs.Utilization(0)
	obs.Finding("crash", cffuzz.SeverityLow, true)
	obs.CaseDone("emulator", "malformed", cffuzz.ClassMalformed, "finding")
	obs.Completed(endTime)
}

func TestObserverSequence(t *testing.T) {
	c := newCampaign()
	drive(c)
	reg := c.Registry()

	values := []struct {
		reason string
		name   string
		labels []string // name=value pairs, empty for a single metric
		want   float64
	}{
		{"one passing production case", "cffuzz_cases_total", []string{"emulator", "production", "pass"}, 1},
		{"two boundary findings", "cffuzz_cases_total", []string{"emulator", "boundary", "finding"}, 2},
		{"one transport error", "cffuzz_cases_total", []string{"emulator", "malformed", "transport-error"}, 1},
		{"one malformed finding", "cffuzz_cases_total", []string{"emulator", "malformed", "finding"}, 1},
		{"four 200s", "cffuzz_api_requests_total", []string{"TestConnectionFunction", "200"}, 4},
		{"one throttled 400", "cffuzz_api_requests_total", []string{"TestConnectionFunction", "400"}, 1},
		{"transport errors are code 0", "cffuzz_api_requests_total", []string{"TestConnectionFunction", "0"}, 1},
		{"one throttle", "cffuzz_throttles_total", nil, 1},
		{"one retry", "cffuzz_retries_total", nil, 1},
		{"rate is the last set", "cffuzz_rate_limit_requests_per_second", nil, 2.5},
		{"high crash raised twice", "cffuzz_findings_total", []string{"crash", "high"}, 2},
		{"low crash raised once", "cffuzz_findings_total", []string{"crash", "low"}, 1},
		{"high crash unique once", "cffuzz_findings_unique_total", []string{"crash", "high"}, 1},
		{"low crash unique once", "cffuzz_findings_unique_total", []string{"crash", "low"}, 1},
		{"last unique finding from the clock", "cffuzz_last_unique_finding_timestamp_seconds", nil, float64(uniqueTime.Unix())},
		{"three shrink steps", "cffuzz_shrink_steps_total", nil, 3},
		{"corpus size is the last set", "cffuzz_corpus_entries", nil, 3},
		{"start time", "cffuzz_campaign_start_timestamp_seconds", nil, float64(startTime.Unix())},
		{"completion time", "cffuzz_campaign_last_completion_timestamp_seconds", nil, float64(endTime.Unix())},
	}
	for _, v := range values {
		got := gatherValue(t, reg, v.name, v.labels)
		if got != v.want {
			t.Errorf("%s: %s%v = %v, want %v", v.reason, v.name, v.labels, got, v.want)
		}
	}

	histograms := `
# HELP cffuzz_compute_utilization_ratio ComputeUtilization of successful tests as a ratio of the function's compute budget (1 = the whole budget).
# TYPE cffuzz_compute_utilization_ratio histogram
cffuzz_compute_utilization_ratio_bucket{le="0.1"} 1
cffuzz_compute_utilization_ratio_bucket{le="0.2"} 2
cffuzz_compute_utilization_ratio_bucket{le="0.3"} 2
cffuzz_compute_utilization_ratio_bucket{le="0.4"} 2
cffuzz_compute_utilization_ratio_bucket{le="0.5"} 2
cffuzz_compute_utilization_ratio_bucket{le="0.6"} 2
cffuzz_compute_utilization_ratio_bucket{le="0.7"} 2
cffuzz_compute_utilization_ratio_bucket{le="0.8"} 2
cffuzz_compute_utilization_ratio_bucket{le="0.9"} 2
cffuzz_compute_utilization_ratio_bucket{le="1"} 3
cffuzz_compute_utilization_ratio_bucket{le="1.25"} 3
cffuzz_compute_utilization_ratio_bucket{le="1.5"} 4
cffuzz_compute_utilization_ratio_bucket{le="2"} 4
cffuzz_compute_utilization_ratio_bucket{le="+Inf"} 4
cffuzz_compute_utilization_ratio_sum 2.57
cffuzz_compute_utilization_ratio_count 4
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(histograms), "cffuzz_compute_utilization_ratio"); err != nil {
		t.Errorf("utilization histogram: %v", err)
	}
	// Durations: 100µs, 200µs, 3ms, 40ms, 2s, 20s.
	wantCum := map[string]uint64{}
	for _, b := range metrics.RequestDurationBuckets {
		n := uint64(0)
		for _, d := range []float64{100e-6, 200e-6, 3e-3, 40e-3, 2, 20} {
			if d <= b {
				n++
			}
		}
		wantCum[formatFloat(b)] = n
	}
	h := gatherHistogram(t, reg, "cffuzz_api_request_duration_seconds")
	if h.GetSampleCount() != 6 {
		t.Errorf("request duration count = %d, want 6", h.GetSampleCount())
	}
	if want := 100e-6 + 200e-6 + 3e-3 + 40e-3 + 2 + 20; abs(h.GetSampleSum()-want) > 1e-9 {
		t.Errorf("request duration sum = %v, want %v", h.GetSampleSum(), want)
	}
	for _, b := range h.GetBucket() {
		if got, want := b.GetCumulativeCount(), wantCum[formatFloat(b.GetUpperBound())]; got != want {
			t.Errorf("request duration bucket le=%v = %d, want %d", b.GetUpperBound(), got, want)
		}
	}
	if n := len(h.GetBucket()); n != len(metrics.RequestDurationBuckets) {
		t.Errorf("request duration has %d buckets, want %d", n, len(metrics.RequestDurationBuckets))
	}

	if got := gatherValue(t, reg, "cffuzz_build_info", nil); got != 1 {
		t.Errorf("cffuzz_build_info = %v, want 1", got)
	}
	if got := gatherLabel(t, reg, "cffuzz_build_info", "version"); got != "1.2.3" {
		t.Errorf("cffuzz_build_info version = %q, want 1.2.3", got)
	}
	if n, err := testutil.GatherAndCount(reg, "go_build_info"); err != nil || n != 1 {
		t.Errorf("go_build_info: %d series, %v; want the standard build-info collector", n, err)
	}
}

func TestBuckets(t *testing.T) {
	b := metrics.RequestDurationBuckets
	if b[0] != 50e-6 || b[len(b)-1] != 10 {
		t.Errorf("request duration buckets span %v..%v, want 50µs..10s", b[0], b[len(b)-1])
	}
	u := metrics.UtilizationBuckets
	if u[0] != 0.1 || u[9] != 1 || u[len(u)-1] != 2 {
		t.Errorf("utilization buckets = %v, want 0.1..1 then up to 2", u)
	}
}

func TestLint(t *testing.T) {
	c := newCampaign()
	drive(c)
	problems, err := testutil.GatherAndLint(c.Registry())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}

func TestOwnRegistryAndConstLabels(t *testing.T) {
	a := metrics.New(metrics.Options{ConstLabels: map[string]string{"env": "ci"}})
	b := metrics.New(metrics.Options{})
	a.Throttled()
	if got := gatherValue(t, b.Registry(), "cffuzz_throttles_total", nil); got != 0 {
		t.Errorf("campaigns share state: b's throttles = %v after a.Throttled()", got)
	}
	if got := gatherLabel(t, a.Registry(), "cffuzz_throttles_total", "env"); got != "ci" {
		t.Errorf("const label env = %q, want ci", got)
	}
	if got := gatherLabel(t, b.Registry(), "cffuzz_build_info", "version"); got != "devel" {
		t.Errorf("default version = %q, want devel", got)
	}
}

func TestConcurrent(t *testing.T) {
	c := newCampaign()
	const workers, each = 8, 500
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				c.CaseDone("emulator", "production", cffuzz.ClassProduction, "pass")
				c.Request("TestConnectionFunction", 200, time.Millisecond)
				c.Utilization(i % 120)
				c.Throttled()
				c.Retried()
				c.RateChanged(float64(i))
				c.Finding("crash", cffuzz.SeverityMedium, i == 0)
				c.ShrinkStep()
				c.CorpusSize(i)
			}
		}()
	}
	wg.Wait()
	reg := c.Registry()
	for _, m := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"cffuzz_cases_total", []string{"emulator", "production", "pass"}, workers * each},
		{"cffuzz_api_requests_total", []string{"TestConnectionFunction", "200"}, workers * each},
		{"cffuzz_throttles_total", nil, workers * each},
		{"cffuzz_retries_total", nil, workers * each},
		{"cffuzz_findings_total", []string{"crash", "medium"}, workers * each},
		{"cffuzz_findings_unique_total", []string{"crash", "medium"}, workers},
		{"cffuzz_shrink_steps_total", nil, workers * each},
	} {
		if got := gatherValue(t, reg, m.name, m.labels); got != m.want {
			t.Errorf("%s%v = %v, want %v", m.name, m.labels, got, m.want)
		}
	}
	if got := gatherHistogram(t, reg, "cffuzz_compute_utilization_ratio").GetSampleCount(); got != workers*each {
		t.Errorf("utilization count = %d, want %d", got, workers*each)
	}
}
