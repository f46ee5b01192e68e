package runner

import (
	"time"

	"github.com/cffuzz/cffuzz"
)

// Observer is told what a campaign does as it happens. internal/metrics
// implements it with Prometheus collectors; NopObserver ignores everything.
// Every method must be safe for concurrent use and cheap.
type Observer interface {
	// CaseDone counts one finished case. outcome is one of "pass",
	// "finding", "api-error", "transport-error", "throttled".
	CaseDone(target, family string, class cffuzz.Class, outcome string)
	// Request records one HTTP exchange with the target: the API operation
	// ("TestConnectionFunction", ...), the status (0 for a transport error) and its duration.
	Request(op string, status int, d time.Duration)
	// Utilization records one ComputeUtilization value (percent).
	Utilization(percent int)
	// Throttled counts a throttled attempt; Retried counts a retried attempt.
	Throttled()
	Retried()
	// RateChanged reports the limiter's current rate in requests per second.
	RateChanged(perSecond float64)
	// Finding counts a raised finding; unique is true the first time its signature is seen.
	Finding(oracle string, severity cffuzz.Severity, unique bool)
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

func (NopObserver) CaseDone(string, string, cffuzz.Class, string) {}
func (NopObserver) Request(string, int, time.Duration)            {}
func (NopObserver) Utilization(int)                               {}
func (NopObserver) Throttled()                                    {}
func (NopObserver) Retried()                                      {}
func (NopObserver) RateChanged(float64)                           {}
func (NopObserver) Finding(string, cffuzz.Severity, bool)         {}
func (NopObserver) ShrinkStep()                                   {}
func (NopObserver) CorpusSize(int)                                {}
func (NopObserver) Started(time.Time)                             {}
func (NopObserver) Completed(time.Time)                           {}
