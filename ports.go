package cffuzz

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net"
	"slices"
	"strings"
	"syscall"
	"time"
)

// This file holds the ports of the campaign loop: the interfaces the
// runner drives (Target, Oracle, Observer) and the values it reports
// (Snapshot, Phase, StopReason), and the one order of findings. They live
// in the vocabulary so that internal/runner depends on nothing but them:
// no JavaScript engine, no AWS SDK, no emulator.

// OpTest is the API operation of a case, as passed to Observer.Request.
const OpTest = "TestConnectionFunction"

// Target runs cases against one connection function.
type Target interface {
	// Name is a short, low-cardinality label ("emulator", "endpoint", "aws").
	Name() string
	// Test runs one case once. API errors, throttles included, are reported
	// in the Outcome; the error is for transport failures (no HTTP answer),
	// which the runner may retry.
	Test(ctx context.Context, c *Case) (*Outcome, error)
	// Close releases the target (and deletes what it deployed, if asked to).
	Close() error
}

// Oracle checks one case's outcome. Implementations must be pure (no I/O)
// and safe for concurrent use.
type Oracle interface {
	// Name is the oracle's stable name, used in signatures, metrics and reports.
	Name() string
	// Check returns the signals raised by the case's outcome, or nil.
	Check(c *Case, o *Outcome) []Signal
}

// Observer is told what a campaign does as it happens. internal/metrics
// implements it with Prometheus collectors; NopObserver ignores everything.
// Every method must be safe for concurrent use and cheap.
type Observer interface {
	// CaseDone counts one finished case. outcome is one of "pass",
	// "finding", "api-error", "transport-error", "throttled".
	CaseDone(target, family string, class Class, outcome string)
	// Request records one exchange with the target: the API operation
	// (OpTest, ...), the status (0 for a transport error) and its duration.
	Request(op string, status int, d time.Duration)
	// Utilization records one ComputeUtilization value (percent).
	Utilization(percent int)
	// Throttled counts a throttled attempt; Retried counts a retried attempt.
	Throttled()
	Retried()
	// RateChanged reports the limiter's current rate in requests per second.
	RateChanged(perSecond float64)
	// Finding counts a raised finding; unique is true the first time its signature is seen.
	Finding(oracle string, severity Severity, unique bool)
	// ShrinkStep counts one accepted shrink step.
	ShrinkStep()
	// CorpusSize reports the number of corpus entries.
	CorpusSize(n int)
	// Started and Completed mark the campaign's start and end.
	Started(t time.Time)
	Completed(t time.Time)
}

// NopObserver is an Observer that does nothing.
type NopObserver struct{}

func (NopObserver) CaseDone(string, string, Class, string) {}
func (NopObserver) Request(string, int, time.Duration)     {}
func (NopObserver) Utilization(int)                        {}
func (NopObserver) Throttled()                             {}
func (NopObserver) Retried()                               {}
func (NopObserver) RateChanged(float64)                    {}
func (NopObserver) Finding(string, Severity, bool)         {}
func (NopObserver) ShrinkStep()                            {}
func (NopObserver) CorpusSize(int)                         {}
func (NopObserver) Started(time.Time)                      {}
func (NopObserver) Completed(time.Time)                    {}

// Phase is what a campaign is doing.
type Phase string

// The phases of a campaign, in order.
const (
	// PhaseCases: the cases run.
	PhaseCases Phase = "cases"
	// PhaseFindings: the raised findings are confirmed and minimized.
	PhaseFindings Phase = "findings"
)

// StopReason says why a campaign's case loop ended (Report.StopReason).
type StopReason string

// The stop reasons.
const (
	// StopCases: the case budget was spent.
	StopCases StopReason = "cases"
	// StopDuration: the duration budget was spent.
	StopDuration StopReason = "duration"
	// StopInterrupted: the context was cancelled (Ctrl-C).
	StopInterrupted StopReason = "interrupted"
	// StopTargetHung: requests were in flight and none was answered for
	// the runner's hang timeout.
	StopTargetHung StopReason = "target-hung"
	// StopError: the campaign failed.
	StopError StopReason = "error"
)

// Snapshot is a campaign's progress at one moment.
type Snapshot struct {
	// Phase is PhaseCases while cases run and PhaseFindings while findings
	// are confirmed and minimized.
	Phase   Phase
	Elapsed time.Duration
	// Cases counts finished cases, CasesPerSec their average rate so far.
	Cases       int64
	CasesPerSec float64
	// Budget is how many cases this run will run in all (its shard of the
	// case space, with the replayed inputs), 0 when only a duration bounds
	// it; Duration is the duration budget, 0 when none.
	Budget   int64
	Duration time.Duration
	// ETA estimates the time left in the case loop under the budgets, 0
	// when unknown or after the loop.
	ETA time.Duration
	// Findings counts unique signatures raised so far (not yet confirmed),
	// and FindingsBySeverity the same by their current severity name.
	Findings           int
	FindingsBySeverity map[string]int
	// UtilizationP95 is the 95th percentile of ComputeUtilization so far.
	UtilizationP95  int
	Requests        int64
	Throttles       int64
	Retries         int64
	TransportErrors int64
	// Rate is the pacer's current rate in requests per second, 0 when unlimited.
	Rate float64
}

// CompareFindings is the one order of findings, worst first, used by the
// runner, the terminal summary and every report: by severity (highest
// first), then count (highest first), then oracle and signature.
func CompareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(b.Severity, a.Severity),
		cmp.Compare(b.Count, a.Count),
		strings.Compare(a.Oracle, b.Oracle),
		strings.Compare(a.Signature, b.Signature),
	)
}

// SortFindings sorts findings in place by CompareFindings.
func SortFindings(fs []Finding) { slices.SortStableFunc(fs, CompareFindings) }

// TransportClass names the kind of a transport failure with a short, stable
// word: "timeout", "canceled", "connection-refused", "connection-reset",
// "eof", "dns", or the error text itself when it is none of those.
func TransportClass(err error) string {
	var dnsErr *net.DNSError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection-refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection-reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "eof"
	case errors.As(err, &dnsErr):
		return "dns"
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "EOF"):
		return "eof"
	case strings.Contains(msg, "connection reset"), strings.Contains(msg, "broken pipe"):
		return "connection-reset"
	}
	return msg
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
