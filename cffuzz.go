// Package cffuzz holds the vocabulary that cffuzz's packages share: the Case a
// generator builds and a target runs, the Outcome the target answers with, the
// Signal an oracle raises on that pair, and the Finding, Report and Findings
// file a campaign writes.
//
// The packages around it each do one job:
//
//	generators       builds Cases (gopter) and shrinks their inputs
//	internal/target  sends a Case to the emulator or to AWS, returns an Outcome
//	internal/runner  paces, retries, budgets, shards; confirms, dedups and shrinks findings
//	oracles          pure checks of (Case, Outcome) that raise Signals
//	corpus           findings and seeds on disk
//	reports          report.json, findings.json, JUnit, SARIF, Markdown, HTML
//	emulator         the CloudFront connection-function API, served locally
//	emulator/runtime runs one connection function under cloudfront-js-2.0 rules
package cffuzz

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cffuzz/cffuzz/coverage"
)

// Class is the validity class of a Case: what CloudFront itself could send,
// what sits on a documented limit, or what it never would.
type Class string

// The validity classes. A crash on a ClassMalformed input is not a bug in the
// function (CloudFront never sends such an object) and is reported at low
// severity, apart from the real findings.
const (
	// ClassProduction is an object CloudFront could send in production.
	ClassProduction Class = "production"
	// ClassBoundary is a production-shaped object at or around a documented limit.
	ClassBoundary Class = "boundary"
	// ClassMalformed is an object CloudFront would never send: not JSON,
	// wrong types, missing required fields and so on.
	ClassMalformed Class = "malformed"
	// ClassWire is a raw API request that the SDK would refuse to send.
	ClassWire Class = "wire"
)

// Case is one input of a campaign. It is reproducible from (Seed, Index) and
// the generator options alone.
type Case struct {
	// Seed is the campaign seed and Index the case's position in the case space.
	Seed  int64  `json:"seed"`
	Index uint64 `json:"case"`
	// Family names the generator family that built the case ("production",
	// "boundary", "malformed", "mutation", "wire", "corpus", ...).
	Family string `json:"family"`
	// Class is the validity class of Object (or of Wire for wire cases).
	Class Class `json:"class"`
	// Variant names what the family did to build this case, in a few
	// low-cardinality words ("not-json", "expired-1s", "drop-field").
	Variant string `json:"variant,omitempty"`
	// Object is the connection object, raw bytes before base64 encoding.
	Object []byte `json:"-"`
	// Stage is the stage to test; empty means DEVELOPMENT.
	Stage string `json:"stage,omitempty"`
	// Wire, when non-nil, replaces the SDK call with a raw signed HTTP request.
	Wire *WireRequest `json:"wire,omitempty"`
	// Expect optionally states what the API should answer for this case.
	// Nil means the default expectation of the case's Class.
	Expect *Expectation `json:"expect,omitempty"`
}

// WireRequest is a raw request to the connection-function API, used by the
// wire family to send what the SDK refuses to. Placeholders "{id}" and
// "{etag}" in Path and Header values are replaced by the target.
type WireRequest struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Query  string            `json:"query,omitempty"`
	Header map[string]string `json:"header,omitempty"`
	Body   []byte            `json:"body,omitempty"`
	// Note says what the request exercises, for reports ("missing If-Match").
	Note string `json:"note,omitempty"`
}

// Expectation is what the API should answer for a case: an HTTP status and,
// when it is an error, the error code. Zero fields are not checked.
type Expectation struct {
	Status int    `json:"status,omitempty"`
	Code   string `json:"code,omitempty"`
}

// Decision is what a connection function decided for a connection.
type Decision string

// The decisions. CloudFront treats DecisionNone as a deny.
const (
	DecisionAllow Decision = "allow"
	DecisionDeny  Decision = "deny"
	DecisionNone  Decision = "none"
)

// Outcome is what a target answered for a Case.
type Outcome struct {
	// Target names the target that produced the outcome.
	Target string `json:"target"`
	// Status is the HTTP status of the final attempt (0 on a transport error).
	Status int `json:"status"`
	// ErrorCode and ErrorMessage are the API error, if the API refused the call.
	ErrorCode    string `json:"error_code,omitempty"`
	ErrorMessage string `json:"error_message,omitempty"`
	// Transport is set when no HTTP answer was received (after retries).
	Transport string `json:"transport,omitempty"`
	// Latency is the duration of the final attempt; Attempts counts them all.
	Latency  time.Duration `json:"latency"`
	Attempts int           `json:"attempts"`
	// Sent is when the final attempt was sent: no later than the time the
	// function itself saw, so a property that reads the clock judges the
	// case at the function's "now", not at an arbitrary later moment.
	Sent time.Time `json:"-"`
	// Throttles counts throttled attempts before the final one.
	Throttles int `json:"throttles,omitempty"`

	// The function's result, meaningful when Status is 200.

	// Decision is the first decision the function made.
	Decision Decision `json:"decision,omitempty"`
	// Calls lists every allow/deny call in order ("allow", "deny"), at
	// most the first 1000 in the emulator; CallCount counts them all (0
	// when unknown: then len(Calls) is the count).
	Calls     []string `json:"calls,omitempty"`
	CallCount int      `json:"call_count,omitempty"`
	// FunctionError is ConnectionFunctionErrorMessage: an uncaught exception,
	// a rejected promise, a timeout or a resource limit.
	FunctionError string `json:"function_error,omitempty"`
	// ErrorName is the JavaScript error name ("TypeError", ...) when known.
	ErrorName string `json:"error_name,omitempty"`
	// Line and Column locate the error in the function source when known (1-based).
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Utilization is ComputeUtilization; -1 when the answer had none.
	Utilization int      `json:"utilization"`
	Logs        []string `json:"-"`
	CustomData  string   `json:"-"`
	// Output is ConnectionFunctionOutput as returned.
	Output string `json:"-"`

	// Feedback is what an instrumented execution of the function reached
	// (edges, hit counts, comparisons); nil when the target gives none.
	Feedback *coverage.Feedback `json:"-"`

	// Peer is the outcome of the same case on a second target (differential)
	// or a second run on the same target (determinism); nil otherwise.
	Peer *Outcome `json:"peer,omitempty"`
}

// OK reports whether the API accepted the call and returned a test result.
func (o *Outcome) OK() bool { return o.Status == 200 && o.ErrorCode == "" && o.Transport == "" }

// Throttled reports whether the final answer was a throttle.
func (o *Outcome) Throttled() bool { return IsThrottleCode(o.ErrorCode) }

// IsThrottleCode reports whether an API error code means "slow down".
func IsThrottleCode(code string) bool {
	switch code {
	case "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
		"SlowDown", "RequestThrottled", "RequestThrottledException":
		return true
	}
	return false
}

// Severity ranks findings. The zero value is SeverityInfo.
type Severity int

// The severities, lowest first.
const (
	SeverityInfo Severity = iota
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

// SeverityNone is above every severity: a --fail-on of none, which no
// finding reaches. It prints and parses as "none".
const SeverityNone = SeverityCritical + 1

// String returns the lower-case name of s; SeverityNone (and anything above
// it) is "none".
func (s Severity) String() string {
	switch {
	case s >= SeverityNone:
		return "none"
	case s < 0:
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity parses a severity name (case-insensitive); "none" parses as a
// severity above critical, so that nothing reaches it.
func ParseSeverity(name string) (Severity, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for i, s := range severityNames {
		if s == n {
			return Severity(i), nil
		}
	}
	if n == "none" || n == "never" {
		return SeverityNone, nil
	}
	return 0, fmt.Errorf("unknown severity %q: use one of info, low, medium, high, critical, none", name)
}

// MarshalText encodes s as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Signal is what an oracle raises for one (Case, Outcome): a suspected bug,
// before deduplication, confirmation and shrinking.
type Signal struct {
	// Oracle names the oracle ("crash", "utilization", ...).
	Oracle   string   `json:"oracle"`
	Severity Severity `json:"severity"`
	// Kind is a short, stable, low-cardinality class of the problem
	// ("TypeError", "timeout", "status-mismatch", a property name, ...).
	Kind string `json:"kind"`
	// Message says what went wrong, for people.
	Message string `json:"message"`
	// Key is the normalized text that, with Oracle, Kind and the location,
	// identifies the bug for deduplication. It must not contain raw input.
	Key string `json:"key"`
	// Line and Column locate the problem in the function source (1-based, 0 if unknown).
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Confirm is how many extra runs must raise the same signature before the
	// signal becomes a finding (0: none, e.g. for deterministic errors).
	Confirm int `json:"confirm,omitempty"`
	// ConfirmGap is the least time between two confirming runs (0: none),
	// so that one passing disturbance (a burst of load on the machine that
	// measures) cannot account for all of them.
	ConfirmGap time.Duration `json:"confirm_gap,omitempty"`
	// Score says how strongly this instance shows the problem (for the
	// utilization oracle, the utilization): of two instances of a bug at
	// the same severity, the runner confirms and shrinks the higher-scoring
	// one, which re-runs are likeliest to confirm. Zero for most oracles.
	Score float64 `json:"score,omitempty"`
}

// Signature is the deduplication key of a signal: oracle, kind, source line
// and normalized key. It never contains the raw input. The column is left
// out: one faulting line read two ways (a.b.c with a or a.b undefined) is
// one bug, as a crash's stack frame is in native fuzzers' crash states.
func (s Signal) Signature() string {
	loc := ""
	if s.Line > 0 {
		loc = fmt.Sprintf("@%d", s.Line)
	}
	return s.Oracle + "/" + s.Kind + loc + "/" + s.Key
}

// Finding is a deduplicated, confirmed and minimized Signal.
type Finding struct {
	Oracle    string   `json:"oracle"`
	Severity  Severity `json:"severity"`
	Kind      string   `json:"kind"`
	Signature string   `json:"signature"`
	Message   string   `json:"message"`
	// Count is how many cases raised this signature.
	Count int `json:"count"`
	// Seed and Case identify the first case that raised it.
	Seed   int64  `json:"seed"`
	Case   uint64 `json:"case"`
	Family string `json:"family"`
	Class  Class  `json:"class"`
	// Variant is the Case.Variant of the first case that raised it.
	Variant string `json:"variant,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	// Reproducer is a one-line command that replays the minimized input.
	Reproducer string `json:"reproducer"`
	// Original and Minimized are the failing input before and after shrinking.
	Original  []byte `json:"original"`
	Minimized []byte `json:"minimized"`
	// OriginalSize and MinimizedSize are their lengths in bytes.
	OriginalSize  int `json:"original_size"`
	MinimizedSize int `json:"minimized_size"`
	// ShrinkSteps counts accepted shrink steps.
	ShrinkSteps int `json:"shrink_steps"`
	// Wire holds the raw request for wire-family findings.
	Wire *WireRequest `json:"wire,omitempty"`
	// CorpusFile is the corpus entry the finding was saved to, if any.
	CorpusFile string `json:"corpus_file,omitempty"`
	// RawFile is the minimized connection object as a file of its own
	// (OUT/reproducers/…json), and AWSCommand the AWS CLI command that
	// sends it to TestConnectionFunction (--connection-object fileb://RawFile).
	// The reports fill them in; wire findings have none.
	RawFile    string `json:"raw_file,omitempty"`
	AWSCommand string `json:"aws_command,omitempty"`
	// FirstSeen is when the campaign first raised it.
	FirstSeen time.Time `json:"first_seen"`
	// Replayed marks findings that came from replaying the corpus.
	Replayed bool `json:"replayed,omitempty"`
}

// FindingsFile is the content of findings.json.
type FindingsFile struct {
	Findings []Finding `json:"findings"`
}

// Report is the content of report.json: the campaign's totals.
type Report struct {
	Version    int       `json:"version"`
	Tool       string    `json:"tool"`
	Campaign   string    `json:"campaign"`
	Function   string    `json:"function"`
	Target     string    `json:"target"`
	Seed       int64     `json:"seed"`
	Shard      string    `json:"shard,omitempty"`
	Started    time.Time `json:"started"`
	Finished   time.Time `json:"finished"`
	DurationMS int64     `json:"duration_ms"`
	// StopReason says why the campaign ended (StopCases, StopDuration, ...).
	StopReason StopReason `json:"stop_reason"`

	Cases int64 `json:"cases"`
	// CasesPerSec is the rate of the case loop (findings processing excluded).
	CasesPerSec  float64 `json:"cases_per_second"`
	Replayed     int64   `json:"replayed"`
	Requests     int64   `json:"requests"`
	Throttles    int64   `json:"throttles"`
	Retries      int64   `json:"retries"`
	TransportErr int64   `json:"transport_errors"`
	// ByFamily, ByClass and ByOutcome count cases.
	ByFamily  map[string]int64 `json:"by_family"`
	ByClass   map[string]int64 `json:"by_class"`
	ByOutcome map[string]int64 `json:"by_outcome"`
	// ByDecision counts the function's decisions ("allow", "deny", "none")
	// over the cases the API answered with a test result.
	ByDecision map[string]int64 `json:"by_decision,omitempty"`
	// Utilization summarizes ComputeUtilization over successful tests.
	Utilization UtilizationSummary `json:"utilization"`
	// Findings counts unique findings by severity.
	FindingsBySeverity map[string]int `json:"findings_by_severity"`
	// Timeline samples progress over time, for charts.
	Timeline []TimelinePoint `json:"timeline,omitempty"`
	// Properties lists the oracles and properties that ran, for JUnit.
	Oracles []string `json:"oracles,omitempty"`
	// Coverage summarizes what the campaign reached of the function's code;
	// nil when no execution was instrumented (--feedback=false, or a
	// target with no local shadow).
	Coverage *CoverageSummary `json:"coverage,omitempty"`
	// Warnings are what the reader should know about the run's fidelity:
	// language features the function uses whose support on AWS is
	// unconfirmed (runtime.Warning, docs/runtime.md "Language level").
	Warnings []string `json:"warnings,omitempty"`
}

// CoverageSummary is what a campaign reached of an instrumented function,
// as report.json records it (reports.Coverage has the per-edge detail).
type CoverageSummary struct {
	// File is the function's path, as coverage.lcov names it.
	File string `json:"file"`
	// Shadow says the feedback came from a local shadow execution of the
	// cases in the embedded emulator, not from the target itself.
	Shadow bool `json:"shadow,omitempty"`
	// Edges counts every counter; Branches the two-or-more-way decisions
	// (if/else arms, switch cases, loop body and exit, && || ?? operands,
	// ?: arms); Lines the source lines that hold a counter; Functions the
	// function entries.
	Edges     CoverageCount `json:"edges"`
	Branches  CoverageCount `json:"branches"`
	Lines     CoverageCount `json:"lines"`
	Functions CoverageCount `json:"functions"`
	// ByKind counts edges by coverage.EdgeKind ("then", "case", ...).
	ByKind map[string]CoverageCount `json:"by_kind,omitempty"`
}

// CoverageCount is how many of Total were reached at least once.
type CoverageCount struct {
	Reached int `json:"reached"`
	Total   int `json:"total"`
}

// Percent is Reached as a percentage of Total (100 when Total is 0).
func (c CoverageCount) Percent() float64 {
	if c.Total == 0 {
		return 100
	}
	return 100 * float64(c.Reached) / float64(c.Total)
}

// String is "reached/total (p%)".
func (c CoverageCount) String() string {
	return fmt.Sprintf("%d/%d (%.1f%%)", c.Reached, c.Total, c.Percent())
}

// UtilizationSummary holds percentiles and a histogram of ComputeUtilization.
type UtilizationSummary struct {
	Count int64 `json:"count"`
	P50   int   `json:"p50"`
	P90   int   `json:"p90"`
	P95   int   `json:"p95"`
	P99   int   `json:"p99"`
	Max   int   `json:"max"`
	// Histogram counts values in buckets of 10: [0,10), [10,20) ... [100,+inf).
	Histogram [11]int64 `json:"histogram"`
	// HostSpeedFactor is the factor the embedded emulator scaled this
	// machine's CPU time by, to the reference machine's scale
	// (docs/runtime.md, "Host speed"): 1 means raw CPU time; absent when
	// the utilizations came from another target.
	HostSpeedFactor float64 `json:"host_speed_factor,omitempty"`
}

// TimelinePoint is one progress sample of a campaign.
type TimelinePoint struct {
	ElapsedMS   int64   `json:"elapsed_ms"`
	Cases       int64   `json:"cases"`
	CasesPerSec float64 `json:"cases_per_second"`
	Findings    int     `json:"findings"`
}

// MarshalIndent is json.MarshalIndent with cffuzz's house style (two spaces,
// trailing newline), used for every JSON file cffuzz writes.
func MarshalIndent(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
