package target_test

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/coverage"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/target"
)

// echoCode logs and records what it is given, and decides by the object's
// "mode": allow, deny, both (two decisions), none, or anything else (a
// TypeError on line 6).
const echoCode = `function connectionHandler(connection) {
  console.log("ip " + connection.clientIp);
  console.log("mode\r\n" + connection.mode + "<&>");
  if (connection.custom) { connection.logCustomData(connection.custom); }
  var m = connection.mode;
  if (m === "allow") { connection.allow(); } else if (m === "deny") { connection.deny(); } else if (m === "both") { connection.allow(); connection.deny(); } else if (m === "none") { } else { m.nope.x = 1; }
}`

// comparable strips what legitimately differs between two runs of one
// case: when it was sent, the latency, and the exact compute utilization
// (CPU time).
func comparable(o *cffuzz.Outcome) cffuzz.Outcome {
	c := *o
	c.Latency, c.Sent = 0, time.Time{}
	if c.Utilization > 0 {
		c.Utilization = 0
	}
	if len(c.Logs) == 0 {
		c.Logs = nil
	}
	if len(c.Calls) == 0 {
		c.Calls = nil
	}
	return c
}

// sdkTwin returns an SDK target on e's emulator, function, stage and ETag.
func sdkTwin(t *testing.T, e *target.Embedded, stage string) *target.SDK {
	t.Helper()
	s, err := target.NewSDK(context.Background(), target.SDKOptions{Endpoint: e.URL(), FunctionID: e.FunctionID(), ETag: e.ETag(), Stage: stage, Name: e.Name()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDirectMatchesSDK(t *testing.T) {
	tests := []struct {
		reason string
		opts   emulator.Options
		c      cffuzz.Case
	}{
		{"an allow with logs", emulator.Options{}, cffuzz.Case{Object: []byte(`{"clientIp":"203.0.113.1","mode":"allow"}`)}},
		{"a deny with custom data XML must escape", emulator.Options{}, cffuzz.Case{Object: []byte(`{"mode":"deny","custom":"<a href=\"x\">&amp;</a>"}`)}},
		{"two decisions", emulator.Options{}, cffuzz.Case{Object: []byte(`{"mode":"both"}`)}},
		{"no decision", emulator.Options{}, cffuzz.Case{Object: []byte(`{"mode":"none"}`)}},
		{"an exception with its location", emulator.Options{}, cffuzz.Case{Object: []byte(`{"mode":"other"}`)}},
		{"logs with characters XML cannot carry", emulator.Options{}, cffuzz.Case{Object: []byte(`{"clientIp":"a\u0001b\u0000c\ud800d\uffffe","mode":"allow"}`)}},
		{"custom data with a lone surrogate", emulator.Options{}, cffuzz.Case{Object: []byte(`{"mode":"deny","custom":"a\ud800b\u0001c"}`)}},
		{"an error message with characters XML cannot carry", emulator.Options{}, cffuzz.Case{Object: []byte(`{"mode":"x\u0002y"}`)}},
		{"an empty object is refused as not JSON", emulator.Options{}, cffuzz.Case{Object: []byte{}}},
		{"a nil object is sent as an empty one", emulator.Options{}, cffuzz.Case{}},
		{"a non-JSON object is refused", emulator.Options{}, cffuzz.Case{Object: []byte(`not json`)}},
		{"a non-JSON object runs when validation is off", emulator.Options{ObjectValidation: emulator.ObjectValidationNone}, cffuzz.Case{Object: []byte(`not json`)}},
		{"an object over the model's length limit", emulator.Options{}, cffuzz.Case{Object: bytes.Repeat([]byte("a"), emulator.DefaultMaxObjectBytes+1)}},
		{"an object whose request body is too large", emulator.Options{MaxBodyBytes: 4096}, cffuzz.Case{Object: bytes.Repeat([]byte("a"), 4000)}},
		{"an unpublished LIVE stage", emulator.Options{}, cffuzz.Case{Object: []byte(`{}`), Stage: "LIVE"}},
		{"an unknown stage", emulator.Options{}, cffuzz.Case{Object: []byte(`{}`), Stage: "STAGING"}},
		{"a throttle", emulator.Options{Faults: emulator.Faults{FaultRates: emulator.FaultRates{Throttling: 1}}}, cffuzz.Case{Object: []byte(`{"mode":"allow"}`)}},
		{"an injected 503", emulator.Options{Faults: emulator.Faults{FaultRates: emulator.FaultRates{ServiceUnavailable: 1}}}, cffuzz.Case{Object: []byte(`{"mode":"allow"}`)}},
		{"a rate limit", emulator.Options{RateLimit: emulator.RateLimit{PerSecond: 0.001, Burst: 1}}, cffuzz.Case{Object: []byte(`{"mode":"allow"}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			// Two emulators with the same options and seed (so the same
			// function ids and fault draws): one over the SDK, one
			// through the Go API.
			tt.opts.Seed = 42
			direct := newEmbedded(t, target.EmbeddedOptions{Code: []byte(echoCode), Emulator: tt.opts})
			sdk := newEmbedded(t, target.EmbeddedOptions{Code: []byte(echoCode), Emulator: tt.opts, Transport: target.TransportSDK})
			want, werr := sdk.Test(context.Background(), &tt.c)
			got, gerr := direct.Test(context.Background(), &tt.c)
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("errors differ: SDK %v, direct %v", werr, gerr)
			}
			if g, w := comparable(got), comparable(want); !reflect.DeepEqual(g, w) {
				t.Errorf("outcomes differ:\ndirect %+v\nSDK    %+v", g, w)
			}
		})
	}
}

func TestDirectDroppedConnection(t *testing.T) {
	e := newEmbedded(t, target.EmbeddedOptions{Emulator: emulator.Options{Faults: emulator.Faults{FaultRates: emulator.FaultRates{Drop: 1}}}})
	o, err := e.Test(context.Background(), &cffuzz.Case{Object: []byte(`{}`)})
	if err == nil || o.Transport == "" || o.Status != 0 {
		t.Fatalf("a dropped request: outcome %+v, err %v; want a transport error", o, err)
	}
	sdk := sdkTwin(t, e, "")
	so, serr := sdk.Test(context.Background(), &cffuzz.Case{Object: []byte(`{}`)})
	if serr == nil || so.Transport != o.Transport {
		t.Errorf("the SDK reads a dropped connection as %q (%v), the direct target as %q", so.Transport, serr, o.Transport)
	}
}

func TestEmbeddedStagesAndTransports(t *testing.T) {
	code := strings.Replace(fnCode, `connection.deny(); }
}`, `connection.deny(); }
}`, 1)
	tests := []struct {
		reason string
		opts   target.EmbeddedOptions
		stage  string // of an explicit case stage, "" for none
		ok     bool
	}{
		{"the default tests DEVELOPMENT", target.EmbeddedOptions{}, "", true},
		{"published tests LIVE", target.EmbeddedOptions{Publish: true}, "", true},
		{"published, asked for DEVELOPMENT", target.EmbeddedOptions{Publish: true, Stage: "development"}, "", true},
		{"the SDK transport", target.EmbeddedOptions{Transport: target.TransportSDK}, "", true},
		{"a case naming LIVE on an unpublished function", target.EmbeddedOptions{}, "LIVE", false},
	}
	for _, tt := range tests {
		tt.opts.Code = []byte(code)
		e := newEmbedded(t, tt.opts)
		o, err := e.Test(context.Background(), &cffuzz.Case{Object: []byte(`{"clientIp":"203.0.113.1"}`), Stage: tt.stage})
		if err != nil {
			t.Fatalf("%s: %v", tt.reason, err)
		}
		if o.OK() != tt.ok {
			t.Errorf("%s: outcome %+v, want OK %v", tt.reason, o, tt.ok)
		}
	}
	for _, bad := range []target.EmbeddedOptions{
		{Code: []byte(code), Transport: "carrier-pigeon"},
		{Code: []byte(code), Stage: "LIVE"},
		{Code: []byte(code), Stage: "STAGING"},
		{Code: []byte(code), Transport: target.TransportSDK, Feedback: true},
	} {
		if e, err := target.NewEmbedded(context.Background(), bad); err == nil {
			_ = e.Close()
			t.Errorf("options %+v should be refused", bad)
		}
	}
}

// feedbackExecutor is an executor that runs functions in process and
// records whether feedback was asked for, answering with one edge hit
// when it was: it checks the target's plumbing apart from the
// instrumentation itself.
type feedbackExecutor struct {
	runtime.Executor
	asked chan bool
}

func (f *feedbackExecutor) Execute(ctx context.Context, req runtime.Request) (runtime.Result, error) {
	res, err := f.Executor.Execute(ctx, req)
	f.asked <- req.Feedback
	if req.Feedback {
		res.Feedback = &coverage.Feedback{Hits: []uint32{1}}
	}
	return res, err
}

func newFeedbackExecutor(t *testing.T) *feedbackExecutor {
	ex := runtime.NewInProcess(runtime.Options{})
	t.Cleanup(func() { _ = ex.Close() })
	return &feedbackExecutor{Executor: ex, asked: make(chan bool, 16)}
}

func TestDirectFeedback(t *testing.T) {
	tests := []struct {
		reason   string
		feedback bool
	}{
		{"feedback requested reaches the executor and the outcome", true},
		{"feedback not requested is neither asked for nor kept", false},
	}
	for _, tt := range tests {
		ex := newFeedbackExecutor(t)
		e := newEmbedded(t, target.EmbeddedOptions{Code: []byte(echoCode), Feedback: tt.feedback, Emulator: emulator.Options{Executor: ex}})
		o, err := e.Test(context.Background(), &cffuzz.Case{Object: []byte(`{"mode":"deny"}`)})
		if err != nil {
			t.Fatal(err)
		}
		if asked := <-ex.asked; asked != tt.feedback {
			t.Errorf("%s: the executor was asked for feedback: %v", tt.reason, asked)
		}
		if (o.Feedback != nil) != tt.feedback {
			t.Errorf("%s: outcome feedback %v", tt.reason, o.Feedback)
		}
		if o.Decision != cffuzz.DecisionDeny {
			t.Errorf("%s: decision %q", tt.reason, o.Decision)
		}
	}
}

func TestShadowTakesOnlyFeedback(t *testing.T) {
	primary := newEmbedded(t, target.EmbeddedOptions{Code: []byte(echoCode), Transport: target.TransportSDK})
	ex := newFeedbackExecutor(t)
	shadow := newEmbedded(t, target.EmbeddedOptions{Code: []byte(echoCode), Feedback: true, Name: "shadow", Emulator: emulator.Options{Executor: ex}})
	s, err := target.NewShadow(primary, shadow)
	if err != nil {
		t.Fatal(err)
	}
	c := &cffuzz.Case{Object: []byte(`{"mode":"allow"}`)}
	o, err := s.Test(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if !<-ex.asked {
		t.Error("the shadow target was not asked for feedback")
	}
	if o.Target != "emulator" || o.Decision != cffuzz.DecisionAllow {
		t.Errorf("shadow outcome %+v: want the primary's", o)
	}
	if o.Feedback == nil {
		t.Errorf("shadow outcome has no feedback from the shadow target")
	}
	want, err := primary.Test(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	g := comparable(o)
	g.Feedback = nil
	if w := comparable(want); !reflect.DeepEqual(g, w) {
		t.Errorf("shadow changed the primary's outcome:\n%+v\n%+v", g, w)
	}
	if s.Name() != "emulator" {
		t.Errorf("shadow name %q", s.Name())
	}
	if _, err := target.NewShadow(primary, nil); err == nil {
		t.Error("a shadow without a feedback target should be refused")
	}
}
