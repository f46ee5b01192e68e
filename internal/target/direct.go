package target

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// DirectOptions configures a Direct target. Server and FunctionID are
// required.
type DirectOptions struct {
	// Name labels the target (default "emulator").
	Name string
	// Server is the emulator whose function is tested.
	Server *emulator.Server
	// FunctionID and ETag name the function and the stage version tested,
	// as in TestConnectionFunction's path and If-Match header.
	FunctionID, ETag string
	// Stage is the stage tested when a case names none (default
	// DEVELOPMENT).
	Stage string
	// Feedback asks for instrumented runs: each Outcome then carries the
	// execution's coverage.Feedback.
	Feedback bool
	// Timeout bounds one call; zero means 30 s, as for SDK.
	Timeout time.Duration
	// Wire, when set, runs the cases that carry a Wire request; without it
	// such a case is an error.
	Wire *Wire
}

// Direct is a Target that calls an in-process emulator through its Go API
// (emulator.Server.TestFunction): the same validation and the same result
// as TestConnectionFunction over HTTP, without HTTP, XML, SigV4 or the SDK.
// It is safe for concurrent use.
type Direct struct {
	name     string
	srv      *emulator.Server
	id, etag string
	stage    string
	feedback bool
	timeout  time.Duration
	wire     *Wire
}

// NewDirect returns a Direct target for opts.
func NewDirect(opts DirectOptions) (*Direct, error) {
	if opts.Server == nil {
		return nil, errors.New("target: a direct target needs an emulator server")
	}
	if opts.FunctionID == "" {
		return nil, errors.New("target: no function id: create the function in the emulator first")
	}
	stage, err := normalizeStage(opts.Stage)
	if err != nil {
		return nil, err
	}
	return &Direct{
		name: cmp.Or(opts.Name, "emulator"), srv: opts.Server, id: opts.FunctionID, etag: opts.ETag,
		stage: stage, feedback: opts.Feedback, timeout: cmp.Or(opts.Timeout, 30*time.Second), wire: opts.Wire,
	}, nil
}

// Name returns the target's label.
func (d *Direct) Name() string { return d.name }

// Close releases nothing: the emulator belongs to the caller.
func (d *Direct) Close() error { return nil }

// Test runs c once through the emulator's Go API. An API error is an
// Outcome, as over HTTP; the error is returned only when the emulator
// dropped the request (fault injection) or ctx ended, and the Outcome then
// has Transport set.
func (d *Direct) Test(ctx context.Context, c *cffuzz.Case) (*cffuzz.Outcome, error) {
	if c.Wire != nil {
		if d.wire == nil {
			return nil, errors.New("target: a wire case needs an HTTP endpoint; this direct target has none")
		}
		return d.wire.Test(ctx, c)
	}
	stage := d.stage
	if c.Stage != "" {
		stage = c.Stage
	}
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	start := time.Now()
	res, err := d.srv.TestFunction(ctx, emulator.TestRequest{FunctionID: d.id, IfMatch: d.etag, Stage: stage, Object: c.Object, Feedback: d.feedback})
	o := &cffuzz.Outcome{Target: d.name, Latency: time.Since(start), Sent: start, Attempts: 1, Utilization: -1}
	if err != nil {
		var ae *emulator.APIError
		if errors.As(err, &ae) {
			o.Status, o.ErrorCode, o.ErrorMessage = ae.Status, ae.Code, ae.Message
			return o, nil
		}
		if errors.Is(err, emulator.ErrConnectionDropped) {
			o.Transport = "eof" // what a client reads from a connection closed unanswered
		} else {
			o.Transport = TransportClass(err)
		}
		return o, err
	}
	o.Status = 200
	if res.Utilization >= 0 {
		o.Utilization = res.Utilization
	}
	o.Logs = res.Logs
	o.FunctionError = res.Error
	o.Output = res.OutputJSON()
	if res.OutputFormat == "" {
		fillFromResult(o, &res) // what ApplyOutput would read back from o.Output
	} else {
		ApplyOutput(o)
	}
	if d.feedback {
		o.Feedback = res.Feedback
	}
	return o, nil
}

// fillFromResult sets o's fields from the result whose emulator JSON
// output o.Output is, exactly as ApplyOutput would parse them out of it,
// without the JSON round trip: the result's Output with its strings as
// JSON gives them back (each invalid UTF-8 byte as U+FFFD).
// TestDirectMatchesSDK holds it to ApplyOutput.
func fillFromResult(o *cffuzz.Outcome, res *runtime.Result) {
	out := res.Output()
	out.CustomData = jsonText(out.CustomData)
	if out.Error != nil {
		e := *out.Error
		e.Name = jsonText(e.Name)
		out.Error = &e
	}
	applyParsedOutput(o, out)
}

// jsonText is s after a JSON round trip: each invalid UTF-8 byte becomes
// U+FFFD. It returns s itself when it is valid.
func jsonText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}
