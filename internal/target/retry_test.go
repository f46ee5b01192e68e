package target_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
	"github.com/cffuzz/cffuzz/internal/target"
)

const okFunction = "function connectionHandler(connection) {\n  connection.allow();\n}\n"

// hangingServer accepts connections on a loopback port and never answers.
func hangingServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never read or answered
		}
	}()
	t.Cleanup(func() {
		close(done)
		ln.Close()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// TestDeployRetriesThrottles deploys (create, then update, then publish)
// through an emulator that throttles every setup operation half the time:
// each throttle is retried with backoff, so every deployment succeeds,
// whatever the seed of the faults.
func TestDeployRetriesThrottles(t *testing.T) {
	tests := []struct {
		reason string
		faults emulator.FaultRates
	}{
		{"random throttles on every setup call", emulator.FaultRates{Throttling: 0.5}},
		{"503s are refusals, retried like throttles", emulator.FaultRates{ServiceUnavailable: 0.4}},
	}
	for _, tt := range tests {
		for seed := int64(1); seed <= 4; seed++ {
			byOp := map[string]emulator.FaultRates{}
			for _, op := range []string{emulator.OpList, emulator.OpDescribe, emulator.OpCreate, emulator.OpUpdate, emulator.OpPublish} {
				byOp[op] = tt.faults
			}
			srv := emulatortest.NewServer(t, emulator.Options{Faults: emulator.Faults{ByOperation: byOp, Seed: seed}})
			client, err := target.NewClient(context.Background(), target.SDKOptions{Endpoint: srv.URL()})
			if err != nil {
				t.Fatal(err)
			}
			d := target.Deployment{Name: "fn", Code: []byte(okFunction), Publish: true,
				Calls: target.CallPolicy{Backoff: time.Millisecond, Retries: 20}}
			id, etag, err := target.Deploy(context.Background(), client, d)
			if err != nil || id == "" || etag == "" {
				t.Fatalf("%s, seed %d: create: id %q etag %q err %v", tt.reason, seed, id, etag, err)
			}
			id2, _, err := target.Deploy(context.Background(), client, d)
			if err != nil || id2 != id {
				t.Fatalf("%s, seed %d: update: id %q (want %q) err %v", tt.reason, seed, id2, id, err)
			}
		}
	}
}

// TestSetupTimeouts: a target that accepts connections and never answers
// makes Deploy and NewSDK fail within their call timeout, saying so.
func TestSetupTimeouts(t *testing.T) {
	url := hangingServer(t)
	client, err := target.NewClient(context.Background(), target.SDKOptions{Endpoint: url})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		reason string
		call   func() error
	}{
		{"deploy lists the functions first: that call is bounded", func() error {
			_, _, err := target.Deploy(context.Background(), client, target.Deployment{Name: "fn", Code: []byte(okFunction),
				Calls: target.CallPolicy{Timeout: 300 * time.Millisecond}})
			return err
		}},
		{"NewSDK describes the function for its ETag: that call is bounded", func() error {
			_, err := target.NewSDK(context.Background(), target.SDKOptions{Endpoint: url, FunctionID: "cf_x", Timeout: 300 * time.Millisecond})
			return err
		}},
	}
	for _, tt := range tests {
		start := time.Now()
		err := tt.call()
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("%s: took %s", tt.reason, el)
		}
		if err == nil || !strings.Contains(err.Error(), "no answer within") {
			t.Errorf("%s: err = %v, want a 'no answer within' error", tt.reason, err)
		}
	}
}

// TestRequestTimeouts: a test request, through the SDK or as a raw wire
// request, to a target that never answers ends at the per-request timeout
// as a "timeout" transport error, which the runner may retry.
func TestRequestTimeouts(t *testing.T) {
	url := hangingServer(t)
	opts := target.SDKOptions{Endpoint: url, FunctionID: "cf_x", ETag: "E1", Timeout: 300 * time.Millisecond}
	sdk, err := target.NewSDK(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	wire, err := target.NewWire(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		reason string
		tg     target.Target
		c      *cffuzz.Case
	}{
		{"an SDK call", sdk, &cffuzz.Case{Object: []byte(`{}`)}},
		{"a raw wire request", wire, &cffuzz.Case{Wire: &cffuzz.WireRequest{Method: "POST", Path: "/2020-05-31/connection-function/{id}/test", Body: []byte("<x/>")}}},
	}
	for _, tt := range tests {
		start := time.Now()
		o, err := tt.tg.Test(context.Background(), tt.c)
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("%s: took %s with a 300 ms timeout", tt.reason, el)
		}
		if err == nil || o == nil || o.Transport != "timeout" {
			t.Errorf("%s: outcome %+v, err %v; want a timeout transport error", tt.reason, o, err)
		}
	}
}
