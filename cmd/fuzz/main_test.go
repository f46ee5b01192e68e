package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// TestMain lets this test binary serve as the emulator's worker process:
// process isolation re-executes it.
func TestMain(m *testing.M) {
	runtime.ServeWorkerIfRequested()
	os.Exit(m.Run())
}

// repoRoot is the module root, resolved before any test changes directory.
var repoRoot = func() string {
	p, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return p
}()

// example returns the path of a file in examples/functions.
func example(name string) string {
	return filepath.Join(repoRoot, "examples", "functions", name)
}

// quick are the flags that keep a campaign small and self-contained: a few
// hundred cases, functions run in this process, no metrics port.
func quick(cases string) []string {
	return []string{"--cases", cases, "--isolation", "inprocess", "--metrics-addr", ""}
}

// cleanArgs run the clean function with what it needs. The generous budget
// and time limit keep a loaded machine from turning slow runs into
// utilization or timeout findings: the clean function must pass on its
// logic, not on the machine's speed.
func cleanArgs() []string {
	return []string{"--function", example("clean.js"), "--kvs", example("demo-kvs.json"),
		"--property", example("demo-property.js"), "--budget", "50ms", "--time-limit", "1s"}
}

// result is what one invocation of the CLI produced.
type result struct {
	code           int
	stdout, stderr string
}

// fuzz runs the CLI in this process with args.
func fuzz(t *testing.T, args ...string) result {
	t.Helper()
	return fuzzCtx(t, context.Background(), args...)
}

func fuzzCtx(t *testing.T, ctx context.Context, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// mustCode fails the test unless r exited with want.
func mustCode(t *testing.T, r result, want int, what string) {
	t.Helper()
	if r.code != want {
		t.Fatalf("%s: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", what, r.code, want, r.stdout, r.stderr)
	}
}

// demoRun runs a small demonstration campaign into a new directory and
// returns it. The demo always has findings, so it exits 1.
func demoRun(t *testing.T, extra ...string) string {
	t.Helper()
	out := t.TempDir()
	args := append([]string{"run", "--out", out, "--progress", "none"}, quick("400")...)
	r := fuzz(t, append(args, extra...)...)
	mustCode(t, r, exitFindings, "demo campaign")
	return out
}

// readJSON decodes the JSON file at path into v.
func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader in different
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
