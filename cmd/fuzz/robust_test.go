package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
	"github.com/cffuzz/cffuzz/internal/target"
	"github.com/cffuzz/cffuzz/reports"
)

// silentServer accepts connections on a loopback port and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// hangOnTest serves the emulator's API, except that TestConnectionFunction
// never answers: deployment works, testing hangs.
func hangOnTest(t *testing.T) string {
	t.Helper()
	em := emulatortest.NewServer(t, emulator.Options{})
	u, _ := url.Parse(em.URL())
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/test") {
			<-r.Context().Done()
			return
		}
		proxy.ServeHTTP(w, r)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		srv.Close()
	})
	return "http://" + ln.Addr().String()
}

// TestHangingTargetFailsTheGate: a target that never answers ends the
// campaign within bounds with exit 3 and a message that says it hung,
// never with a green "0 cases".
func TestHangingTargetFailsTheGate(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.js", "function connectionHandler(connection) {\n  connection.allow();\n}\n")
	tests := []struct {
		reason string
		target string
		extra  []string
		stderr string
		bound  time.Duration
	}{
		{"the issue's command: deployment to a silent server times out (default --timeout 10s)",
			silentServer(t), nil, "no answer within 10s", 25 * time.Second},
		{"deployment works but every test call hangs: the duration still ends the campaign, and no answer means exit 3",
			hangOnTest(t), []string{"--timeout", "4s", "--duration", "2s"}, "answered none of", 25 * time.Second},
		{"without a duration the watchdog ends it: nothing answered for 3 timeouts",
			hangOnTest(t), []string{"--timeout", "500ms", "--duration", "0", "--cases", "1000"}, "hung", 25 * time.Second},
	}
	for _, tt := range tests {
		out := filepath.Join(dir, "out")
		args := append([]string{"run", "--function", ok, "--cases", "20", "--duration", "10s", "--target", tt.target, "--deploy",
			"--out", out, "--progress", "none", "--metrics-addr", ""}, tt.extra...)
		start := time.Now()
		r := fuzz(t, args...)
		el := time.Since(start)
		if r.code != exitTarget || !strings.Contains(r.stderr, tt.stderr) || strings.Contains(r.stdout, "PASS") {
			t.Errorf("%s: exit %d, want %d with %q in stderr and no PASS\nstdout:\n%s\nstderr:\n%s", tt.reason, r.code, exitTarget, tt.stderr, r.stdout, r.stderr)
		}
		if el > tt.bound {
			t.Errorf("%s: took %s, want under %s", tt.reason, el, tt.bound)
		}
	}
}

// TestInterruptedOrEmptyCampaignFails: a campaign interrupted by a signal
// or one that ran no case never passes.
func TestInterruptedOrEmptyCampaignFails(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.js", "function connectionHandler(connection) {\n  connection.allow();\n}\n")
	base := []string{"run", "--function", ok, "--out", filepath.Join(dir, "out"), "--progress", "none", "--isolation", "inprocess", "--metrics-addr", ""}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(time.Second, cancel) // as SIGTERM does through signal.NotifyContext
	r := fuzzCtx(t, ctx, append(base, "--duration", "1m", "--rate", "20")...)
	if r.code == exitOK || strings.Contains(r.stdout, "PASS") || !strings.Contains(r.stderr, "interrupted") {
		t.Errorf("an interrupted campaign: exit %d, want non-zero and 'interrupted', no PASS\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	var rep cffuzz.Report
	readJSON(t, filepath.Join(dir, "out", "report.json"), &rep)
	if rep.StopReason != "interrupted" || rep.Cases == 0 {
		t.Errorf("an interrupted campaign still writes its partial report: stop %q, %d cases", rep.StopReason, rep.Cases)
	}

	// --shard 5/5 of 2 cases holds no case at all.
	r = fuzz(t, append(base, "--cases", "2", "--shard", "5/5", "--corpus", "-")...)
	if r.code == exitOK || !strings.Contains(r.stderr, "ran no case") {
		t.Errorf("a campaign that ran no case: exit %d, want non-zero and 'ran no case'\nstderr:\n%s", r.code, r.stderr)
	}
	r = fuzz(t, append(base, "--cases", "2", "--shard", "5/5", "--corpus", "-", "--allow-empty")...)
	mustCode(t, r, exitOK, "a campaign that ran no case, allowed with --allow-empty")
}

// asFuzzEnv makes this test binary act as the fuzz command (see init), so
// that a test can run a campaign as a subprocess and kill it.
const asFuzzEnv = "CFFUZZ_TEST_AS_FUZZ"

func init() {
	if os.Getenv(asFuzzEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
}

// TestKill9KeepsFindings starts a long campaign on a function with an early
// bug as a subprocess, waits until its progress shows a finding, kills it
// with SIGKILL (at a random moment after that), and checks that the corpus
// and the findings journal hold the finding and that replay reproduces it.
func TestKill9KeepsFindings(t *testing.T) {
	dir := t.TempDir()
	fn := writeFile(t, dir, "early.js", "function connectionHandler(connection) {\n  var cert = null;\n  if (cert.subject) { connection.deny(); }\n  connection.allow();\n}\n")
	for i := range 3 {
		out := filepath.Join(dir, fmt.Sprintf("out-%d", i))
		cmd := exec.Command(os.Args[0], "run", "--function", fn, "--cases", "200000", "--out", out,
			"--isolation", "inprocess", "--metrics-addr", "", "--progress", "line", "--shrink-timeout", "30s")
		cmd.Env = append(os.Environ(), asFuzzEnv+"=1")
		stderr := &syncBuffer{}
		cmd.Stderr, cmd.Stdout = stderr, io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for !regexp.MustCompile(`[1-9][0-9]* findings`).MatchString(stderr.String()) {
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				t.Fatalf("no finding in the progress after 30 s:\n%s", stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("kill %d: the campaign was not killed but ended (%v): make it longer\n%s", i, err, stderr.String())
		}

		entries, _ := filepath.Glob(filepath.Join(out, "corpus", "????????????????"))
		if len(entries) == 0 {
			t.Fatalf("kill %d: no corpus entry after kill -9", i)
		}
		journal, err := os.ReadFile(filepath.Join(out, reports.JournalFile))
		if err != nil || !strings.Contains(string(journal), `"event":"raised"`) || !strings.Contains(string(journal), "TypeError") {
			t.Fatalf("kill %d: the findings journal does not hold the raised finding (%v):\n%s", i, err, journal)
		}
		// No report.json: fuzz report says what the journal holds.
		r := fuzz(t, "report", out)
		if r.code != exitUsage || !strings.Contains(r.stdout, reports.JournalFile+" holds") || !strings.Contains(r.stdout, "TypeError") {
			t.Fatalf("kill %d: fuzz report of the killed run: exit %d, want %d with the journal's TypeError\n%s\n%s", i, r.code, exitUsage, r.stdout, r.stderr)
		}
		r = fuzz(t, "replay", "--function", fn, "--isolation", "inprocess", "--out", out, filepath.Join(out, "corpus"))
		if r.code != exitFindings || !strings.Contains(r.stdout, "FAIL") || !strings.Contains(r.stdout, "TypeError") {
			t.Fatalf("kill %d: replay of the saved entry: exit %d, want %d with the TypeError\n%s\n%s", i, r.code, exitFindings, r.stdout, r.stderr)
		}
		if i > 0 {
			continue
		}
		// The next run finishes the work: it replays the raw entry,
		// confirms and minimizes it, and the minimized entry replaces it.
		r = fuzz(t, "run", "--function", fn, "--cases", "50", "--out", out, "--isolation", "inprocess", "--metrics-addr", "", "--progress", "none")
		mustCode(t, r, exitFindings, "the run after the kill")
		var ff cffuzz.FindingsFile
		readJSON(t, filepath.Join(out, "findings.json"), &ff)
		after, _ := filepath.Glob(filepath.Join(out, "corpus", "????????????????"))
		if len(ff.Findings) != 1 || len(after) != 1 || after[0] != ff.Findings[0].CorpusFile || ff.Findings[0].MinimizedSize >= ff.Findings[0].OriginalSize {
			t.Fatalf("after the next run: %d findings, corpus %v; want one minimized finding whose entry replaced the raw one", len(ff.Findings), after)
		}
	}
}

// TestBrokenPropertyFailsTheGate: a property that throws, or loops, on every
// case is a high finding in every report and a non-zero exit, never a
// warning next to a PASS.
func TestBrokenPropertyFailsTheGate(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.js", "function connectionHandler(connection) {\n  connection.allow();\n}\n")
	tests := []struct {
		reason, property, want string
	}{
		{"a property that throws", "function check(connection, outcome) { return connection.no.such.field; }", "TypeError"},
		{"a property that never ends", "function check(connection, outcome) { for (;;) {} }", "CPU time"},
	}
	for i, tt := range tests {
		prop := writeFile(t, dir, fmt.Sprintf("prop%d.js", i), tt.property)
		out := filepath.Join(dir, fmt.Sprintf("out%d", i))
		r := fuzz(t, "run", "--function", ok, "--property", prop, "--cases", "10", "--shrink-timeout", "300ms", "--out", out, "--corpus", "-",
			"--isolation", "inprocess", "--metrics-addr", "", "--progress", "none")
		if r.code != exitFindings {
			t.Errorf("%s: exit %d, want %d\n%s\n%s", tt.reason, r.code, exitFindings, r.stdout, r.stderr)
			continue
		}
		var ff cffuzz.FindingsFile
		readJSON(t, filepath.Join(out, "findings.json"), &ff)
		found := false
		for _, f := range ff.Findings {
			found = found || (f.Oracle == "property" && f.Severity == cffuzz.SeverityHigh && strings.Contains(f.Message, "broken") && strings.Contains(f.Message, tt.want))
		}
		junit, _ := os.ReadFile(filepath.Join(out, "junit.xml"))
		if !found || !strings.Contains(string(junit), "broken") {
			t.Errorf("%s: no high 'broken property' finding in findings.json and junit.xml: %+v", tt.reason, ff.Findings)
		}
	}
}

// TestFunctionIDAlone: --function-id without --function tests that function
// on the target, with its own code's dictionary, never the demonstration
// campaign (its property, its key-value store, its label).
func TestFunctionIDAlone(t *testing.T) {
	em := emulatortest.NewServer(t, emulator.Options{})
	client, err := target.NewClient(context.Background(), target.SDKOptions{Endpoint: em.URL()})
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := target.Deploy(context.Background(), client, target.Deployment{Name: "users-fn",
		Code: []byte("function connectionHandler(connection) {\n  connection.allow();\n}\n")})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	r := fuzz(t, "run", "--function-id", id, "--target", em.URL(), "--cases", "40", "--out", out, "--metrics-addr", "", "--progress", "none")
	mustCode(t, r, exitOK, "a clean function by id")
	var rep cffuzz.Report
	readJSON(t, filepath.Join(out, "report.json"), &rep)
	if strings.Contains(rep.Function, "demo") || strings.Contains(rep.Campaign, "demo") || strings.Contains(r.stderr+r.stdout, "demo") {
		t.Errorf("the report is labelled with the demo: function %q campaign %q\n%s%s", rep.Function, rep.Campaign, r.stdout, r.stderr)
	}
	if rep.Function != id || rep.Cases == 0 {
		t.Errorf("report function %q with %d cases, want %q with some cases", rep.Function, rep.Cases, id)
	}
	for _, o := range rep.Oracles {
		if o == "property" {
			t.Errorf("the demo's property was applied to the user's function: oracles %v", rep.Oracles)
		}
	}
	// The function's code is fetched for the dictionary: a crash gated on
	// one of its literals is found by id as it is from the file.
	gated, _, err := target.Deploy(context.Background(), client, target.Deployment{Name: "gated-fn",
		Code: []byte("function connectionHandler(connection) {\n  if (connection.clientIp === '198.51.100.77') { var x = null; x.boom; }\n  connection.allow();\n}\n")})
	if err != nil {
		t.Fatal(err)
	}
	r = fuzz(t, "run", "--function-id", gated, "--target", em.URL(), "--cases", "300", "--out", t.TempDir(), "--metrics-addr", "", "--progress", "none")
	if r.code != exitFindings || !strings.Contains(r.stdout, "TypeError") {
		t.Errorf("a literal-gated crash by --function-id: exit %d, want %d with the TypeError (the dictionary comes from the fetched code)\n%s\n%s", r.code, exitFindings, r.stdout, r.stderr)
	}

	r = fuzz(t, "run", "--function-id", id, "--cases", "10", "--out", out, "--metrics-addr", "", "--progress", "none")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--function-id") {
		t.Errorf("--function-id on the embedded emulator: exit %d, want %d and a message naming --function-id\n%s", r.code, exitUsage, r.stderr)
	}
}

// TestDeployUnderThrottles: throttles on the deployment's calls (List,
// Describe, Create) are retried with backoff, not exit 3.
func TestDeployUnderThrottles(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.js", "function connectionHandler(connection) {\n  connection.allow();\n}\n")
	byOp := map[string]emulator.FaultRates{}
	for _, op := range []string{emulator.OpList, emulator.OpDescribe, emulator.OpCreate} {
		byOp[op] = emulator.FaultRates{Throttling: 0.3}
	}
	em := emulatortest.NewServer(t, emulator.Options{Faults: emulator.Faults{ByOperation: byOp, Seed: 5}})
	r := fuzz(t, "run", "--function", ok, "--target", em.URL(), "--deploy", "--cases", "20", "--out", filepath.Join(dir, "out"),
		"--metrics-addr", "", "--progress", "none")
	mustCode(t, r, exitOK, "a deployment whose calls are throttled 30% of the time")
}

// TestReplayOnHangingTarget: replaying a corpus against a target that never
// answers fails with exit 3 within bounds: no entry passes because nothing
// ran it.
func TestReplayOnHangingTarget(t *testing.T) {
	dir := t.TempDir()
	fn := writeFile(t, dir, "early.js", "function connectionHandler(connection) {\n  var cert = null;\n  if (cert.subject) { connection.deny(); }\n  connection.allow();\n}\n")
	out := filepath.Join(dir, "out")
	r := fuzz(t, "run", "--function", fn, "--cases", "20", "--out", out, "--isolation", "inprocess", "--metrics-addr", "", "--progress", "none")
	mustCode(t, r, exitFindings, "the campaign that fills the corpus")
	start := time.Now()
	r = fuzz(t, "replay", "--function", fn, "--target", hangOnTest(t), "--deploy", "--timeout", "300ms", "--out", out, filepath.Join(out, "corpus"))
	if r.code != exitTarget || !strings.Contains(r.stderr, "hung") {
		t.Errorf("replay on a hanging target: exit %d, want %d saying it hung\n%s\n%s", r.code, exitTarget, r.stdout, r.stderr)
	}
	if el := time.Since(start); el > 20*time.Second {
		t.Errorf("replay on a hanging target took %s", el)
	}
}
