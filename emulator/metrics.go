package emulator

import (
	"fmt"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the emulator's Prometheus collectors. A nil *metrics records
// nothing. Every label has a small, fixed set of values.
type metrics struct {
	requests    *prometheus.CounterVec   // operation, code
	duration    *prometheus.HistogramVec // operation
	executions  *prometheus.CounterVec   // outcome
	utilization prometheus.Histogram
	faults      *prometheus.CounterVec // kind
	limited     prometheus.Counter
	functions   prometheus.Gauge
	panics      prometheus.Counter
}

// newMetrics registers the collectors with reg; a nil reg disables metrics.
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	if reg == nil {
		return nil, nil
	}
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cffuzz_emulator_requests_total",
			Help: "API requests answered, by operation and HTTP status code (0: connection dropped).",
		}, []string{"operation", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "cffuzz_emulator_request_duration_seconds",
			Help:    "Time to answer an API request, by operation.",
			Buckets: prometheus.ExponentialBuckets(50e-6, 2, 14),
		}, []string{"operation"}),
		executions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cffuzz_emulator_executions_total",
			Help: "Function executions by TestConnectionFunction, by outcome (allow, deny, none, error, timeout, failed, client_closed).",
		}, []string{"outcome"}),
		utilization: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "cffuzz_emulator_execution_utilization_ratio",
			Help:    "ComputeUtilization of executions as a ratio of the 5 ms budget (1 = 100%).",
			Buckets: []float64{0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.85, 1, 1.5, 2, 4},
		}),
		faults: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cffuzz_emulator_faults_injected_total",
			Help: "Faults injected, by kind (throttling, internal_error, service_unavailable, latency, drop).",
		}, []string{"kind"}),
		limited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cffuzz_emulator_rate_limited_total",
			Help: "Requests answered Throttling by the RateLimit option.",
		}),
		functions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "cffuzz_emulator_functions",
			Help: "Connection functions stored.",
		}),
		panics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cffuzz_emulator_panics_total",
			Help: "Requests that panicked in the emulator's own code (answered 500 InternalError); nonzero is a bug.",
		}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.executions, m.utilization, m.faults, m.limited, m.functions, m.panics} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("emulator: registering metrics (use one registry per Server): %w", err)
		}
	}
	return m, nil
}

func (m *metrics) request(op string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(op, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(op).Observe(d.Seconds())
}

func (m *metrics) execution(outcome string, utilization int) {
	if m == nil {
		return
	}
	m.executions.WithLabelValues(outcome).Inc()
	if outcome != outcomeFailed && outcome != outcomeClientClosed {
		m.utilization.Observe(float64(utilization) / 100)
	}
}

func (m *metrics) fault(kind string) {
	if m == nil {
		return
	}
	m.faults.WithLabelValues(kind).Inc()
}

func (m *metrics) rateLimited() {
	if m == nil {
		return
	}
	m.limited.Inc()
}

func (m *metrics) setFunctions(n int) {
	if m == nil {
		return
	}
	m.functions.Set(float64(n))
}

// Outcomes of the executions metric that are no function result.
const (
	// outcomeFailed: the executor failed (answered 500 TestFunctionFailed).
	outcomeFailed = "failed"
	// outcomeClientClosed: the client went away before the answer.
	outcomeClientClosed = "client_closed"
)

// StatusClientClosed is the status recorded (in the requests metric and the
// debug log) for a request whose client went away before it was answered,
// as nginx's 499; no client ever sees it.
const StatusClientClosed = 499

func errClientClosed() *APIError {
	return apiErr(StatusClientClosed, "ClientClosedRequest", "The client closed the connection before the answer.")
}

func (m *metrics) panicked() {
	if m == nil {
		return
	}
	m.panics.Inc()
}
