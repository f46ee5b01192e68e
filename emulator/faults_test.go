package emulator_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
)

// TestFaultStatistics checks that injected faults follow their
// probabilities, are reproducible from the seed, and are counted.
func TestFaultStatistics(t *testing.T) {
	const n = 4000
	rates := emulator.FaultRates{Throttling: 0.10, InternalError: 0.05, ServiceUnavailable: 0.05}
	run := func() (map[int]int, *prometheus.Registry, []int) {
		reg := prometheus.NewPedanticRegistry()
		s, err := emulator.New(emulator.Options{Executor: &fakeExecutor{}, Registerer: reg, Faults: emulator.Faults{FaultRates: rates, Seed: 42}})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		counts := map[int]int{}
		var seq []int
		for range n {
			rec := do(s, "POST", "/2020-05-31/connection-functions", nil, "")
			counts[rec.Code]++
			seq = append(seq, rec.Code)
			if rec.Code == 400 && errorMessage(rec.Body.Bytes()) != "Rate exceeded" {
				t.Fatalf("throttle message %q, want Rate exceeded", errorMessage(rec.Body.Bytes()))
			}
			if rec.Code >= 500 && errorMessage(rec.Body.Bytes()) != "CloudFront encountered an internal error. Please try again." {
				t.Fatalf("5xx message %q", errorMessage(rec.Body.Bytes()))
			}
		}
		return counts, reg, seq
	}
	counts, reg, seq := run()
	for status, p := range map[int]float64{400: rates.Throttling, 500: rates.InternalError, 503: rates.ServiceUnavailable} {
		mean := p * n
		sd := math.Sqrt(n * p * (1 - p))
		if got := float64(counts[status]); math.Abs(got-mean) > 4*sd {
			t.Errorf("status %d: %v of %d requests, want %.0f ± %.0f", status, got, n, mean, 4*sd)
		}
	}
	if got := testutil.ToFloat64(mustVec(t, reg, "cffuzz_emulator_faults_injected_total", "throttling")); int(got) != counts[400] {
		t.Errorf("faults_injected_total{kind=throttling} = %v, want %d", got, counts[400])
	}
	_, _, again := run()
	for i := range seq {
		if seq[i] != again[i] {
			t.Fatalf("request %d: %d then %d; the same seed must inject the same faults", i, seq[i], again[i])
		}
	}
	problems, err := testutil.GatherAndLint(reg)
	if err != nil || len(problems) > 0 {
		t.Errorf("metrics lint: %v %v", err, problems)
	}
}

// mustVec returns the metric of a *Vec family with the given single label value.
func mustVec(t *testing.T, reg *prometheus.Registry, name, label string) prometheus.Collector {
	t.Helper()
	return collectorFunc(func(ch chan<- prometheus.Metric) {
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if mf.GetName() != name {
				continue
			}
			for _, m := range mf.GetMetric() {
				for _, lp := range m.GetLabel() {
					if lp.GetValue() == label {
						ch <- prometheus.MustNewConstMetric(prometheus.NewDesc(name, "", nil, nil), prometheus.CounterValue, m.GetCounter().GetValue())
					}
				}
			}
		}
	})
}

type collectorFunc func(chan<- prometheus.Metric)

func (f collectorFunc) Describe(chan<- *prometheus.Desc)    {}
func (f collectorFunc) Collect(ch chan<- prometheus.Metric) { f(ch) }

// TestFaultsByOperationAndDrop faults only TestConnectionFunction, and drops
// its connections: the SDK sees a transport error, other operations work.
func TestFaultsByOperationAndDrop(t *testing.T) {
	srv := emulatortest.NewServer(t, emulator.Options{Executor: &fakeExecutor{}, Faults: emulator.Faults{
		ByOperation: map[string]emulator.FaultRates{emulator.OpTest: {Drop: 1, Latency: 1}},
		Delay:       time.Millisecond,
	}})
	c := newClient(srv.URL())
	id, etag := create(t, c, "f", allowCode)
	_, err := c.TestConnectionFunction(context.Background(), &cloudfront.TestConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(etag), ConnectionObject: []byte(object)})
	if err == nil || apiCode(err) != "" || !strings.Contains(err.Error(), "EOF") {
		t.Errorf("dropped connection: %v; want a transport error (EOF), no API error", err)
	}
}

// TestRateLimit answers Throttling beyond the configured rate.
func TestRateLimit(t *testing.T) {
	reg := prometheus.NewRegistry()
	s, err := emulator.New(emulator.Options{Executor: &fakeExecutor{}, Registerer: reg, RateLimit: emulator.RateLimit{PerSecond: 0.001, Burst: 3}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var codes []int
	for range 5 {
		codes = append(codes, do(s, "POST", "/2020-05-31/connection-functions", nil, "").Code)
	}
	want := []int{200, 200, 200, 400, 400}
	for i := range want {
		if codes[i] != want[i] {
			t.Fatalf("statuses %v, want %v (burst 3, then Throttling)", codes, want)
		}
	}
	rec := do(s, "POST", "/2020-05-31/connection-functions", nil, "")
	if errorCode(rec.Body.Bytes()) != "Throttling" || errorMessage(rec.Body.Bytes()) != "Rate exceeded" {
		t.Errorf("rate-limited answer %s %q, want Throttling \"Rate exceeded\"", errorCode(rec.Body.Bytes()), errorMessage(rec.Body.Bytes()))
	}
	if got := testutil.ToFloat64(mustVec(t, reg, "cffuzz_emulator_requests_total", "400")); got != 3 {
		t.Errorf("requests_total{code=400} = %v, want 3", got)
	}
}
