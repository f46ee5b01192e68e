package target

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// EmbeddedOptions configures an Embedded target. Only Code is required.
type EmbeddedOptions struct {
	// Emulator configures the emulator (executor, faults, metrics registerer, seed ...).
	Emulator emulator.Options
	// Name labels the target (default "emulator").
	Name string
	// Code is the connection function's source.
	Code []byte
	// FunctionName names the function (default "cffuzz-function").
	FunctionName string
	// KVS, when set, is associated with the function under a generated ARN.
	KVS *runtime.KVS
	// Publish publishes the function and tests the LIVE stage.
	Publish bool
	// Stage is the stage tested when a case names none: DEVELOPMENT, or
	// LIVE (the default when Publish is set).
	Stage string
	// Transport is how cases reach the emulator: TransportDirect (the
	// default) calls its Go API in process; TransportSDK sends them
	// through the AWS SDK over loopback HTTP, as to AWS. Wire cases always
	// go over raw HTTP.
	Transport string
	// Feedback asks for instrumented runs: each Outcome then carries the
	// execution's coverage.Feedback (TransportDirect only).
	Feedback bool
	// MaxConns and Timeout are as in SDKOptions.
	MaxConns int
	Timeout  time.Duration
}

// The transports of an Embedded target.
const (
	// TransportDirect calls the emulator through its Go API
	// (emulator.Server.TestFunction): no HTTP, XML or SDK.
	TransportDirect = "direct"
	// TransportSDK calls it through the AWS SDK for Go v2 over loopback
	// HTTP, through the client that reaches AWS (unsigned: an endpoint
	// without credentials, see SDKOptions.Credentials).
	TransportSDK = "sdk"
)

// Embedded is a Target over an emulator it starts on a loopback port. By
// default the cases reach it through its Go API (a Direct target); with
// TransportSDK they go through the AWS SDK and HTTP as they would to AWS
// (unsigned). Wire cases always go over raw HTTP. The embedded SDK target
// (Client, FunctionID, ETag) addresses the same function over HTTP. Close
// stops the emulator.
type Embedded struct {
	*SDK
	running *emulator.Running
	direct  *Direct // nil with TransportSDK
}

// NewEmbedded starts an emulator on 127.0.0.1, creates the function from
// opts.Code in it (with its KVS), and returns a target named "emulator"
// that tests it.
func NewEmbedded(ctx context.Context, opts EmbeddedOptions) (*Embedded, error) {
	if len(opts.Code) == 0 {
		return nil, errors.New("target: no function code for the embedded emulator")
	}
	name := opts.FunctionName
	if name == "" {
		name = "cffuzz-function"
	}
	run, err := emulator.Start(opts.Emulator, emulator.DefaultAddr)
	if err != nil {
		return nil, fmt.Errorf("target: start the embedded emulator: %w", err)
	}
	e := &Embedded{running: run}
	fail := func(err error) (*Embedded, error) {
		_ = run.Close()
		return nil, err
	}
	cfg := emulator.FunctionConfig{Comment: "cffuzz"}
	if opts.KVS != nil {
		if cfg.KeyValueStoreARN, err = run.AddKVS("", opts.KVS); err != nil {
			return fail(fmt.Errorf("target: add the key-value store to the emulator: %w", err))
		}
	}
	info, err := run.CreateFunction(name, opts.Code, cfg)
	if err != nil {
		return fail(fmt.Errorf("target: create function %q in the emulator: %w", name, err))
	}
	devETag := info.ETag
	etag, stage := devETag, "DEVELOPMENT"
	if opts.Publish {
		if info, err = run.PublishFunction(info.ID); err != nil {
			return fail(fmt.Errorf("target: publish function %q in the emulator: %w", name, err))
		}
		etag, stage = info.LiveETag, "LIVE"
	}
	if opts.Stage != "" {
		if stage, err = normalizeStage(opts.Stage); err != nil {
			return fail(err)
		}
		if stage == "DEVELOPMENT" {
			etag = devETag
		} else if !opts.Publish {
			return fail(errors.New("target: the LIVE stage of the embedded emulator needs Publish"))
		}
	}
	label := cmp.Or(opts.Name, "emulator")
	e.SDK, err = NewSDK(ctx, SDKOptions{
		Name: label, Endpoint: run.URL(), FunctionID: info.ID, ETag: etag, Stage: stage,
		MaxConns: opts.MaxConns, Timeout: opts.Timeout,
	})
	if err != nil {
		return fail(err)
	}
	switch opts.Transport {
	case "", TransportDirect:
		e.direct, err = NewDirect(DirectOptions{
			Name: label, Server: run.Server, FunctionID: info.ID, ETag: etag, Stage: stage,
			Feedback: opts.Feedback, Timeout: opts.Timeout, Wire: e.SDK.wire,
		})
		if err != nil {
			return fail(err)
		}
	case TransportSDK:
		if opts.Feedback {
			return fail(errors.New("target: feedback needs the direct transport of the embedded emulator"))
		}
	default:
		return fail(fmt.Errorf("target: unknown transport %q: use %q or %q", opts.Transport, TransportDirect, TransportSDK))
	}
	return e, nil
}

// Test runs c once: through the emulator's Go API by default, through the
// SDK with TransportSDK, and over raw HTTP for wire cases.
func (e *Embedded) Test(ctx context.Context, c *cffuzz.Case) (*cffuzz.Outcome, error) {
	if e.direct == nil || c.Wire != nil {
		return e.SDK.Test(ctx, c)
	}
	return e.direct.Test(ctx, c)
}

// Emulator returns the running emulator, for tests that inspect it.
func (e *Embedded) Emulator() *emulator.Running { return e.running }

// URL returns the emulator's base URL.
func (e *Embedded) URL() string { return e.running.URL() }

// Close stops the emulator.
func (e *Embedded) Close() error { return e.running.Close() }
