package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
)

// The tests of the user's path (issue 10): each item the issue lists, with
// the command that showed it.

// TestBadFlagValueIsOneLine: a bad value prints one line on stderr that
// names the flag and what it accepts, not the whole help, and exits 2.
func TestBadFlagValueIsOneLine(t *testing.T) {
	for _, tc := range []struct {
		reason string
		args   []string
		want   []string // in the one line
	}{
		{"a number that is not one", []string{"run", "--cases", "abc"}, []string{"--cases", `"abc"`, "a whole number"}},
		{"NaN is no rate", []string{"run", "--rate", "NaN"}, []string{"--rate", "finite number"}},
		{"nor is infinity", []string{"run", "--rate", "Inf"}, []string{"--rate", "finite number"}},
		{"nor a negative rate", []string{"run", "--rate", "-1"}, []string{"--rate", "≥ 0"}},
		{"a duration needs a unit", []string{"run", "--duration", "5"}, []string{"--duration", "500ms, 30s, 10m"}},
		{"severities are a list", []string{"run", "--fail-on", "severe"}, []string{"--fail-on", "info, low, medium, high, critical, none"}},
		{"a boolean", []string{"run", "--quiet=maybe"}, []string{"--quiet", "true or false"}},
		{"an unknown flag", []string{"replay", "--no-such-flag"}, []string{"--no-such-flag", "fuzz replay --help"}},
		{"a flag without its value", []string{"run", "--cases"}, []string{"--cases", "needs a value"}},
		{"from the environment", []string{"run"}, []string{"CFFUZZ_CASES", "--cases", "a whole number"}},
		{"fuzz help of no command", []string{"help", "nope"}, []string{`"nope"`, "fuzz help"}},
	} {
		if tc.reason == "from the environment" {
			t.Setenv("CFFUZZ_CASES", "many")
		}
		r := fuzz(t, tc.args...)
		os.Unsetenv("CFFUZZ_CASES")
		if r.code != exitUsage {
			t.Errorf("%s: fuzz %s: exit %d, want %d", tc.reason, strings.Join(tc.args, " "), r.code, exitUsage)
		}
		line := strings.TrimSuffix(r.stderr, "\n")
		if strings.Contains(line, "\n") || strings.Contains(r.stderr, "FLAGS") || r.stdout != "" {
			t.Errorf("%s: want one line on stderr and nothing on stdout, got stdout %q, stderr:\n%s", tc.reason, r.stdout, r.stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(line, w) {
				t.Errorf("%s: %q does not say %q", tc.reason, line, w)
			}
		}
	}
}

// TestBadConfigValueIsOneLine: a bad value in cffuzz.yaml names the file,
// the key and what it accepts.
func TestBadConfigValueIsOneLine(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("cffuzz.yaml", []byte("cases: abc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := fuzz(t, "run")
	want := "fuzz run: the config file cffuzz.yaml sets cases to a value it does not accept: want a whole number"
	if r.code != exitUsage || !strings.HasPrefix(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("a bad value in cffuzz.yaml: exit %d, stderr %q; want one line starting %q", r.code, r.stderr, want)
	}
}

// TestInterruptedRunExits130: Ctrl-C (SIGINT, or SIGTERM, through
// signal.NotifyContext) during a run exits 130, and neither the summary
// nor the reports say PASS.
func TestInterruptedRunExits130(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.js", "function connectionHandler(connection) {\n  connection.allow();\n}\n")
	out := filepath.Join(dir, "out")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(time.Second, cancel)
	r := fuzzCtx(t, ctx, "run", "--function", ok, "--duration", "1m", "--rate", "20", "--out", out,
		"--progress", "none", "--isolation", "inprocess")
	if r.code != exitInterrupted {
		t.Errorf("interrupted run: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitInterrupted, r.stdout, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "INTERRUPTED: ") || strings.Contains(r.stdout, "PASS") {
		t.Errorf("the summary of an interrupted run:\n%s", r.stdout)
	}
	for _, name := range []string{"summary.md", "report.html"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "INTERRUPTED") || strings.Contains(string(b), "PASS:") || strings.Contains(string(b), "**PASS**") {
			t.Errorf("%s does not say the run was interrupted, or says PASS", name)
		}
	}

	// Replay, interrupted before its first entry.
	corpusDir := filepath.Join(out, "corpus")
	if err := os.MkdirAll(corpusDir, 0o755); err != nil {
		t.Fatal(err)
	}
	done, cancelReplay := context.WithCancel(context.Background())
	cancelReplay()
	r = fuzzCtx(t, done, "replay", "--function", ok, "--isolation", "inprocess", "--out", filepath.Join(dir, "replay"), corpusDir)
	if r.code == exitOK {
		t.Errorf("interrupted replay: exit 0\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
}

// TestReportExitCodes: fuzz report judges the findings it re-renders as
// run does, and refuses a directory without a readable campaign.
func TestReportExitCodes(t *testing.T) {
	out := demoRun(t)
	mustCode(t, fuzz(t, "report", out), exitFindings, "fuzz report of the demo's findings (at or above medium)")
	r := fuzz(t, "report", "--fail-on", "none", out)
	mustCode(t, r, exitOK, "fuzz report --fail-on none")
	b, err := os.ReadFile(filepath.Join(out, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{string(b), r.stdout} {
		if strings.Contains(s, "severity(") {
			t.Errorf("--fail-on none is rendered as a number:\n%s", s)
		}
	}
	mustCode(t, fuzz(t, "report", filepath.Join(out, "nope")), exitUsage, "fuzz report of a missing directory")
	if err := os.WriteFile(filepath.Join(out, "report.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = fuzz(t, "report", out)
	if r.code != exitUsage || !strings.Contains(r.stderr, "corrupt report") {
		t.Errorf("fuzz report of a corrupt report.json: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestReplayAgreesWithRunOnFailOn: a stored finding below --fail-on
// passes replay as it passed run, and both fail when --fail-on reaches it.
func TestReplayAgreesWithRunOnFailOn(t *testing.T) {
	dir := t.TempDir()
	// Only a malformed object (clientIp not a string) crashes it: low.
	fn := writeFile(t, dir, "low.js", "function connectionHandler(connection) {\n"+
		"  if (typeof connection.clientIp !== 'string') {\n    throw new TypeError('clientIp is not a string');\n  }\n"+
		"  connection.allow();\n}\n")
	corpusDir := filepath.Join(dir, "corpus")
	base := []string{"--function", fn, "--isolation", "inprocess", "--progress", "none"}
	r := fuzz(t, append([]string{"run", "--cases", "300", "--corpus", corpusDir, "--out", filepath.Join(dir, "run")}, base...)...)
	mustCode(t, r, exitOK, "run: a low finding is below --fail-on medium")
	if !strings.Contains(r.stdout, "1 low") {
		t.Fatalf("the test function gave no low finding:\n%s", r.stdout)
	}
	for _, tc := range []struct {
		failOn string
		want   int
	}{{"medium", exitOK}, {"low", exitFindings}} {
		r := fuzz(t, append([]string{"replay", "--fail-on", tc.failOn, "--out", filepath.Join(dir, "replay-"+tc.failOn)}, append(base, corpusDir)...)...)
		mustCode(t, r, tc.want, "replay --fail-on "+tc.failOn)
		r = fuzz(t, append([]string{"run", "--fail-on", tc.failOn, "--cases", "300", "--corpus", corpusDir, "--out", filepath.Join(dir, "run-"+tc.failOn)}, base...)...)
		mustCode(t, r, tc.want, "run --fail-on "+tc.failOn)
	}
}

// TestDurationStopReason is the command: at 0.5 requests per
// second, 5 cases cannot run in 3 s, so the duration stopped the campaign.
func TestDurationStopReason(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for 3 s")
	}
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.js", "function connectionHandler(connection) {\n  connection.allow();\n}\n")
	out := filepath.Join(dir, "out")
	r := fuzz(t, "run", "--function", ok, "--rate", "0.5", "--cases", "5", "--duration", "3s", "--out", out,
		"--progress", "none", "--isolation", "inprocess", "--corpus", "-")
	mustCode(t, r, exitOK, "a short paced campaign")
	if !strings.Contains(r.stdout, "stopped by: duration") {
		t.Errorf("the closing summary does not say the duration stopped it:\n%s", r.stdout)
	}
	var rep cffuzz.Report
	readJSON(t, filepath.Join(out, "report.json"), &rep)
	if rep.StopReason != "duration" || rep.Cases >= 5 {
		t.Errorf("stopped by %q after %d cases, want duration before 5", rep.StopReason, rep.Cases)
	}
}

// TestWrongServerIsNamed: an endpoint that is not the CloudFront API (a web
// server answering 200 with a page) gets an error saying so, exit 3.
func TestWrongServerIsNamed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>It works!</body></html>"))
	}))
	defer srv.Close()
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.js", "function connectionHandler(connection) {\n  connection.allow();\n}\n")
	r := fuzz(t, "run", "--function", ok, "--target", srv.URL, "--deploy", "--cases", "5", "--out", filepath.Join(dir, "out"),
		"--progress", "none")
	if r.code != exitTarget || !strings.Contains(r.stderr, "not a CloudFront API answer") || strings.Contains(r.stderr, "has no Id") {
		t.Errorf("a web server as --target: exit %d, want %d saying it is not the CloudFront API\nstderr:\n%s", r.code, exitTarget, r.stderr)
	}
	if !strings.Contains(r.stderr, `text/html`) {
		t.Errorf("the error does not say what the server answered:\n%s", r.stderr)
	}
}

// TestMetricsServedOnlyWhenAsked: no --metrics-addr, no listening port.
func TestMetricsServedOnlyWhenAsked(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.js", "function connectionHandler(connection) {\n  connection.allow();\n}\n")
	args := []string{"run", "--function", ok, "--cases", "20", "--out", filepath.Join(dir, "out"), "--isolation", "inprocess", "--progress", "none"}
	r := fuzz(t, args...)
	mustCode(t, r, exitOK, "run without --metrics-addr")
	if strings.Contains(r.stderr, "metrics were served") {
		t.Errorf("a metrics server started unasked:\n%s", r.stderr)
	}
	r = fuzz(t, append(args, "--metrics-addr", "127.0.0.1:0")...)
	mustCode(t, r, exitOK, "run with --metrics-addr")
	if !strings.Contains(r.stderr, "metrics were served on http://127.0.0.1:") {
		t.Errorf("--metrics-addr did not serve metrics:\n%s", r.stderr)
	}
}

// TestDecidedCountIsReal: a function that calls allow() 10,000 times is
// said to have decided 10,000 times (the runtime lists only the first 1000
// calls), and the message does not quote them all.
func TestDecidedCountIsReal(t *testing.T) {
	dir := t.TempDir()
	fn := writeFile(t, dir, "many.js", "function connectionHandler(connection) {\n"+
		"  for (let i = 0; i < 10000; i++) {\n    connection.allow();\n  }\n}\n")
	out := filepath.Join(dir, "out")
	r := fuzz(t, "run", "--function", fn, "--cases", "5", "--out", out, "--progress", "none", "--isolation", "inprocess",
		"--budget", "1s", "--time-limit", "5s", "--corpus", "-")
	mustCode(t, r, exitFindings, "a function that decides 10,000 times")
	var ff cffuzz.FindingsFile
	readJSON(t, filepath.Join(out, "findings.json"), &ff)
	for _, f := range ff.Findings {
		if f.Kind != "multiple-decisions" {
			continue
		}
		if !strings.Contains(f.Message, "decided 10000 times") || len(f.Message) > 300 {
			t.Errorf("message %q, want the real count and a short list", f.Message)
		}
		return
	}
	t.Errorf("no multiple-decisions finding: %+v", ff.Findings)
}

// TestRawReproducerWithAWSCLI runs the aws command a finding prints, as
// printed (with the function's id and ETag, and --endpoint-url for the
// emulator): the AWS CLI sends the raw reproducer, and the function fails
// on it as the finding says.
func TestRawReproducerWithAWSCLI(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil || testing.Short() {
		t.Skip("the aws CLI is not installed, or -short")
	}
	out := demoRun(t)
	var ff cffuzz.FindingsFile
	readJSON(t, filepath.Join(out, "findings.json"), &ff)
	code, err := os.ReadFile(example("demo.js"))
	if err != nil {
		t.Fatal(err)
	}
	srv := emulatortest.NewServer(t, emulator.Options{Credentials: &emulator.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}})
	info, err := srv.CreateFunction("demo", code, emulator.FunctionConfig{Comment: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	tried := 0
	for _, f := range ff.Findings {
		if f.Oracle != "crash" || f.AWSCommand == "" || tried > 0 {
			continue // one is enough: the CLI takes seconds to start
		}
		tried++
		if _, err := os.Stat(f.RawFile); err != nil {
			t.Fatalf("raw reproducer %s: %v", f.RawFile, err)
		}
		cmdline := strings.NewReplacer("FUNCTION_ID", info.ID, "ETAG", info.ETag).Replace(f.AWSCommand)
		args := append(strings.Fields(cmdline)[1:], "--endpoint-url", srv.URL(), "--output", "json")
		cmd := exec.Command(aws, args...)
		dir := t.TempDir()
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret",
			"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE="+filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"))
		res, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", cmdline, err, res)
		}
		var got struct {
			ConnectionFunctionTestResult struct{ ConnectionFunctionErrorMessage string }
		}
		if err := json.Unmarshal(res, &got); err != nil {
			t.Fatalf("aws output is not JSON: %v\n%s", err, res)
		}
		if msg := got.ConnectionFunctionTestResult.ConnectionFunctionErrorMessage; !strings.Contains(msg, f.Kind) {
			t.Errorf("the raw reproducer of %q sent by the AWS CLI gave %q, want a %s", f.Message, msg, f.Kind)
		}
	}
	if tried == 0 {
		t.Fatal("the demo campaign gave no crash finding with an aws command")
	}
}

// TestShadowCoverageIsSaid: against an endpoint, which gives no coverage,
// the coverage comes from running the cases in a local shadow, and every
// report that shows coverage says so.
func TestShadowCoverageIsSaid(t *testing.T) {
	em := emulatortest.NewServer(t, emulator.Options{})
	dir := t.TempDir()
	fn := writeFile(t, dir, "fn.js", "function connectionHandler(connection) {\n"+
		"  if (String(connection.clientIp).indexOf('10.') === 0) {\n    connection.deny();\n  } else {\n    connection.allow();\n  }\n}\n")
	out := filepath.Join(dir, "out")
	r := fuzz(t, "run", "--function", fn, "--target", em.URL(), "--deploy", "--cases", "50", "--out", out, "--progress", "none")
	mustCode(t, r, exitOK, "a campaign against an endpoint")
	var rep cffuzz.Report
	readJSON(t, filepath.Join(out, "report.json"), &rep)
	if rep.Coverage == nil || !rep.Coverage.Shadow || rep.Coverage.Branches.Total == 0 {
		t.Fatalf("report.json coverage %+v, want a shadow-measured summary", rep.Coverage)
	}
	for name, want := range map[string]string{"summary.md": "measured by shadow execution", "report.html": `id="shadow-note"`} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), want) {
			t.Errorf("%s does not say the coverage came from shadow execution", name)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "coverage.lcov")); err != nil {
		t.Errorf("no coverage.lcov: %v", err)
	}
}
