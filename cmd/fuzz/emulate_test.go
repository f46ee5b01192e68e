package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/cffuzz/cffuzz/generators"
)

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestEmulate serves the emulator with `fuzz emulate`, uses it through the
// AWS SDK, reads its metrics, and stops it as Ctrl-C would.
func TestEmulate(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	// Default isolation: functions run in worker subprocesses, which are
	// this test binary (see TestMain).
	go func() {
		done <- run(ctx, []string{"emulate", "--addr", addr, "--function", example("clean.js"),
			"--kvs", example("demo-kvs.json"), "--seed", "1", "--time-limit", "1s"}, &stdout, &stderr)
	}()
	for !strings.Contains(stdout.String(), "listening on") {
		select {
		case code := <-done:
			t.Fatalf("fuzz emulate exited with %d before listening\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	endpoint := "http://" + addr

	client := cloudfront.New(cloudfront.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	})
	list, err := client.ListConnectionFunctions(ctx, &cloudfront.ListConnectionFunctionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.ConnectionFunctions) != 1 || aws.ToString(list.ConnectionFunctions[0].Name) != "clean" {
		t.Fatalf("ListConnectionFunctions: %d functions, want the preloaded clean", len(list.ConnectionFunctions))
	}
	id := list.ConnectionFunctions[0].Id
	desc, err := client.DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: id})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "id "+aws.ToString(id)+", ETag "+aws.ToString(desc.ETag)) {
		t.Errorf("stdout does not name the preloaded function's id and ETag:\n%s", stdout.String())
	}
	seed := generators.DefaultSeeds()[0]
	res, err := client.TestConnectionFunction(ctx, &cloudfront.TestConnectionFunctionInput{
		Id: id, IfMatch: desc.ETag, ConnectionObject: seed,
	})
	if err != nil {
		t.Fatal(err)
	}
	tr := res.ConnectionFunctionTestResult
	if tr == nil || tr.ComputeUtilization == nil || aws.ToString(tr.ConnectionFunctionErrorMessage) != "" {
		t.Fatalf("TestConnectionFunction: %+v, want a result without error", tr)
	}

	resp, err := http.Get(endpoint + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "cffuzz_emulator_") {
		t.Errorf("/metrics: HTTP %d, %v; no cffuzz_emulator_ metrics:\n%.500s", resp.StatusCode, err, body)
	}

	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("fuzz emulate exited with %d after cancellation, want 0\nstderr:\n%s", code, stderr.String())
	}
}

func TestEmulateErrors(t *testing.T) {
	tests := []struct {
		reason string
		args   []string
		stderr string
	}{
		{"faults are kind=probability", []string{"emulate", "--faults", "drop=2"}, "--faults"},
		{"unknown faults are named", []string{"emulate", "--faults", "gremlins=0.1"}, "gremlins"},
		{"isolation is process or inprocess", []string{"emulate", "--isolation", "vm"}, "vm"},
		{"a missing function file", []string{"emulate", "--isolation", "inprocess", "--function", "/nonexistent/fn.js"}, "fn.js"},
		{"emulate takes no arguments", []string{"emulate", "fn.js"}, "no arguments"},
	}
	for _, tt := range tests {
		r := fuzz(t, tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want 2 mentioning %q", tt.reason, r.code, r.stderr, tt.stderr)
		}
	}
}
