package metrics

import (
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/runner"
)

// Options configure a Campaign. The zero value is usable.
type Options struct {
	// Version is cffuzz's version, exported as the version label of
	// cffuzz_build_info. Empty means "devel".
	Version string
	// Campaign and Shard name this campaign and shard. They are not metric
	// labels; Push uses them as the default Pushgateway grouping.
	Campaign string
	Shard    string
	// ConstLabels are added to every cffuzz_ metric. Keep them few and
	// bounded (an environment name, say); never an input or an id that
	// changes with every run.
	ConstLabels prometheus.Labels
	// Now is the clock used for cffuzz_last_unique_finding_timestamp_seconds.
	// Nil means time.Now.
	Now func() time.Time
}

// Campaign holds the Prometheus collectors of one campaign in a registry of
// its own. It implements runner.Observer; all its methods are safe for
// concurrent use.
type Campaign struct {
	opts Options
	reg  *prometheus.Registry

	cases           *prometheus.CounterVec
	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec
	throttles       prometheus.Counter
	retries         prometheus.Counter
	rate            prometheus.Gauge
	utilization     prometheus.Histogram
	findings        *prometheus.CounterVec
	findingsUnique  *prometheus.CounterVec
	lastUnique      prometheus.Gauge
	shrinkSteps     prometheus.Counter
	corpusEntries   prometheus.Gauge
	started         prometheus.Gauge
	completed       prometheus.Gauge
}

var _ runner.Observer = (*Campaign)(nil)

// RequestDurationBuckets are the buckets of
// cffuzz_api_request_duration_seconds, in a 1-2.5-5 series from 50 µs (an
// emulator call on loopback) to 10 s (a slow AWS answer).
var RequestDurationBuckets = []float64{
	50e-6, 100e-6, 250e-6, 500e-6,
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
	1, 2.5, 5, 10,
}

// UtilizationBuckets are the buckets of cffuzz_compute_utilization_ratio:
// tenths up to the whole budget (1.0), then coarser buckets up to twice it.
var UtilizationBuckets = []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 2}

// New returns a Campaign with a fresh registry holding the cffuzz metrics,
// the Go runtime, process and Go build-info collectors, and
// cffuzz_build_info.
func New(opts Options) *Campaign {
	if opts.Version == "" {
		opts.Version = "devel"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
	)
	r := prometheus.WrapRegistererWith(opts.ConstLabels, reg)
	c := &Campaign{opts: opts, reg: reg}

	c.cases = newCounterVec("cffuzz_cases_total",
		"Finished cases by target, generator family and outcome (pass, finding, api-error, transport-error, throttled).",
		"target", "family", "outcome")
	c.requests = newCounterVec("cffuzz_api_requests_total",
		"HTTP exchanges with the target by API operation and HTTP status code (\"0\" for a transport error).",
		"operation", "code")
	c.requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cffuzz_api_request_duration_seconds",
		Help:    "Duration of HTTP exchanges with the target by API operation.",
		Buckets: RequestDurationBuckets,
	}, []string{"operation"})
	c.throttles = newCounter("cffuzz_throttles_total",
		"Attempts the target answered with a throttling error.")
	c.retries = newCounter("cffuzz_retries_total",
		"Attempts that were retries of an earlier attempt.")
	c.rate = newGauge("cffuzz_rate_limit_requests_per_second",
		"Current rate of the request limiter.")
	c.utilization = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "cffuzz_compute_utilization_ratio",
		Help:    "ComputeUtilization of successful tests as a ratio of the function's compute budget (1 = the whole budget).",
		Buckets: UtilizationBuckets,
	})
	c.findings = newCounterVec("cffuzz_findings_total",
		"Findings raised, counting every case that raised one, by oracle and severity.",
		"oracle", "severity")
	c.findingsUnique = newCounterVec("cffuzz_findings_unique_total",
		"Findings with a signature not seen before in this campaign, by oracle and severity.",
		"oracle", "severity")
	c.lastUnique = newGauge("cffuzz_last_unique_finding_timestamp_seconds",
		"Unix time of the last finding with a new signature (0: none yet).")
	c.shrinkSteps = newCounter("cffuzz_shrink_steps_total",
		"Accepted shrink steps while minimizing findings.")
	c.corpusEntries = newGauge("cffuzz_corpus_entries",
		"Number of entries in the corpus.")
	c.started = newGauge("cffuzz_campaign_start_timestamp_seconds",
		"Unix time the campaign started.")
	c.completed = newGauge("cffuzz_campaign_last_completion_timestamp_seconds",
		"Unix time the campaign last completed (0: still running).")
	buildInfo := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "cffuzz_build_info",
		Help:        "Always 1; labels say which cffuzz version and Go version built the binary.",
		ConstLabels: prometheus.Labels{"version": opts.Version, "goversion": runtime.Version()},
	})
	buildInfo.Set(1)
	r.MustRegister(c.cases, c.requests, c.requestDuration, c.throttles, c.retries, c.rate,
		c.utilization, c.findings, c.findingsUnique, c.lastUnique, c.shrinkSteps,
		c.corpusEntries, c.started, c.completed, buildInfo)
	return c
}

// Registry returns the campaign's registry, to register more collectors or
// to gather.
func (c *Campaign) Registry() *prometheus.Registry { return c.reg }

// CaseDone counts one finished case in cffuzz_cases_total. class is not a
// label: family already says it in fewer series.
func (c *Campaign) CaseDone(target, family string, _ cffuzz.Class, outcome string) {
	c.cases.WithLabelValues(target, family, outcome).Inc()
}

// Request counts one HTTP exchange and observes its duration.
func (c *Campaign) Request(op string, status int, d time.Duration) {
	c.requests.WithLabelValues(op, strconv.Itoa(status)).Inc()
	c.requestDuration.WithLabelValues(op).Observe(d.Seconds())
}

// Utilization observes one ComputeUtilization value, given in percent, as a
// ratio. Negative values (no utilization in the answer) are ignored.
func (c *Campaign) Utilization(percent int) {
	if percent < 0 {
		return
	}
	c.utilization.Observe(float64(percent) / 100)
}

// Throttled counts one throttled attempt.
func (c *Campaign) Throttled() { c.throttles.Inc() }

// Retried counts one retried attempt.
func (c *Campaign) Retried() { c.retries.Inc() }

// RateChanged sets the limiter's current rate.
func (c *Campaign) RateChanged(perSecond float64) { c.rate.Set(perSecond) }

// Finding counts a raised finding; a unique one is also counted in
// cffuzz_findings_unique_total and sets
// cffuzz_last_unique_finding_timestamp_seconds.
func (c *Campaign) Finding(oracle string, severity cffuzz.Severity, unique bool) {
	c.findings.WithLabelValues(oracle, severity.String()).Inc()
	if unique {
		c.findingsUnique.WithLabelValues(oracle, severity.String()).Inc()
		c.lastUnique.Set(unixSeconds(c.opts.Now()))
	}
}

// ShrinkStep counts one accepted shrink step.
func (c *Campaign) ShrinkStep() { c.shrinkSteps.Inc() }

// CorpusSize sets the number of corpus entries.
func (c *Campaign) CorpusSize(n int) { c.corpusEntries.Set(float64(n)) }

// Started sets the campaign's start time.
func (c *Campaign) Started(t time.Time) { c.started.Set(unixSeconds(t)) }

// Completed sets the campaign's completion time.
func (c *Campaign) Completed(t time.Time) { c.completed.Set(unixSeconds(t)) }

func newCounter(name, help string) prometheus.Counter {
	return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
}

func newCounterVec(name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
}

func newGauge(name, help string) prometheus.Gauge {
	return prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
