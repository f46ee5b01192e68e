package target

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

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
	// MaxConns and Timeout are as in SDKOptions.
	MaxConns int
	Timeout  time.Duration
}

// Embedded is a Target over an emulator it starts on a loopback port: the
// cases go through the AWS SDK and HTTP exactly as they would to AWS. Close
// stops the emulator.
type Embedded struct {
	*SDK
	running *emulator.Running
}

// NewEmbedded starts an emulator on 127.0.0.1, creates the function from
// opts.Code in it (with its KVS), and returns an SDK target named
// "emulator" pointed at it.
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
	etag, stage := info.ETag, "DEVELOPMENT"
	if opts.Publish {
		if info, err = run.PublishFunction(info.ID); err != nil {
			return fail(fmt.Errorf("target: publish function %q in the emulator: %w", name, err))
		}
		etag, stage = info.LiveETag, "LIVE"
	}
	e.SDK, err = NewSDK(ctx, SDKOptions{
		Name: cmp.Or(opts.Name, "emulator"), Endpoint: run.URL(), FunctionID: info.ID, ETag: etag, Stage: stage,
		MaxConns: opts.MaxConns, Timeout: opts.Timeout,
	})
	if err != nil {
		return fail(err)
	}
	return e, nil
}

// Emulator returns the running emulator, for tests that inspect it.
func (e *Embedded) Emulator() *emulator.Running { return e.running }

// URL returns the emulator's base URL.
func (e *Embedded) URL() string { return e.running.URL() }

// Close stops the emulator.
func (e *Embedded) Close() error { return e.running.Close() }
