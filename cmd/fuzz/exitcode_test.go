package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
)

// closedPort returns a loopback URL nothing listens on: a port that was just
// listened on and closed.
func closedPort(t *testing.T) string {
	t.Helper()
	return "http://" + freeAddr(t)
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	badKVS := writeFile(t, dir, "kvs.json", `{"data": "not a list"`)
	badProperty := writeFile(t, dir, "prop.js", "function check(connection, outcome) { return ")
	badConfig := writeFile(t, dir, "bad.yaml", "cases: [oops\n")
	tests := []struct {
		name   string
		reason string
		args   []string
		want   int
		// stderr, when set, must appear in the error output: exit 2 must
		// say what to fix.
		stderr string
	}{
		{"clean", "the corrected function has nothing at or above medium",
			append(append([]string{"run", "--fail-on", "medium"}, cleanArgs()...), quick("300")...), exitOK, ""},
		{"demo", "the bundled demo has planted bugs",
			append([]string{"run"}, quick("300")...), exitFindings, ""},
		{"unknown flag", "flags are checked before anything runs",
			[]string{"run", "--no-such-flag"}, exitUsage, "no-such-flag"},
		{"unknown command", "a mistyped command is a usage error, not help",
			[]string{"rnu"}, exitUsage, `unknown command "rnu"`},
		{"bad shard", "K must be between 1 and N",
			append([]string{"run", "--shard", "5/4"}, quick("300")...), exitUsage, "5/4"},
		{"bad weights", "weights are family=number",
			[]string{"run", "--weights", "production"}, exitUsage, "family=weight"},
		{"bad fail-on", "severities are a fixed list",
			[]string{"run", "--fail-on", "severe"}, exitUsage, "severe"},
		{"missing function", "the function file must exist",
			append([]string{"run", "--function", filepath.Join(dir, "nope.js")}, quick("300")...), exitUsage, "nope.js"},
		{"function is a directory", "a directory is not a function",
			append([]string{"run", "--function", dir}, quick("300")...), exitUsage, "is a directory"},
		{"invalid KVS file", "the KVS file must be CloudFront's import format",
			append([]string{"run", "--kvs", badKVS}, quick("300")...), exitUsage, "kvs.json"},
		{"invalid property file", "a property that does not compile is a configuration error",
			append([]string{"run", "--property", badProperty}, quick("300")...), exitUsage, "prop.js"},
		{"unknown target", "targets are emulator, aws or an http(s) URL",
			append([]string{"run", "--target", "ftp://example.com"}, quick("300")...), exitUsage, "unknown target"},
		{"function-id on the emulator", "--function-id names a function on aws or an endpoint",
			append([]string{"run", "--function-id", "cf_123"}, quick("300")...), exitUsage, "--function-id"},
		{"bad config file", "a config file that is not YAML is a configuration error",
			[]string{"run", "--config", badConfig}, exitUsage, "bad.yaml"},
		{"missing config file", "a config file named explicitly must exist",
			[]string{"run", "--config", filepath.Join(dir, "missing.yaml")}, exitUsage, "missing.yaml"},
		{"nothing listening", "an endpoint that refuses connections is an unusable target",
			append([]string{"run", "--target", closedPort(t)}, quick("300")...), exitTarget, "could not be used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{}, tt.args...)
			if args[0] == "run" {
				args = append(args[:1:1], append([]string{"--out", t.TempDir(), "--progress", "none"}, args[1:]...)...)
			}
			r := fuzz(t, args...)
			if r.code != tt.want {
				t.Fatalf("%s: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", tt.reason, r.code, tt.want, r.stdout, r.stderr)
			}
			if tt.stderr != "" && !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("%s: stderr does not mention %q:\n%s", tt.reason, tt.stderr, r.stderr)
			}
		})
	}
}

// TestDemoFindsPlantedBugs checks that `fuzz run` with no function finds the
// demo's planted bugs: the missing-certificate TypeError at line 74 and the
// path that calls neither allow() nor deny().
func TestDemoFindsPlantedBugs(t *testing.T) {
	// The no-decision needs a rare OCSP status: give the generators room.
	out := demoRun(t, "--cases", "2000")
	var ff cffuzz.FindingsFile
	readJSON(t, filepath.Join(out, "findings.json"), &ff)
	var typeError, noDecision bool
	for _, f := range ff.Findings {
		if f.Oracle == "crash" && f.Line == 74 && strings.Contains(f.Message, "TypeError") {
			typeError = true
		}
		if f.Oracle == "decision" && f.Severity == cffuzz.SeverityMedium {
			noDecision = true
		}
	}
	if !typeError || !noDecision {
		t.Errorf("TypeError at line 74 found: %v, no-decision found: %v; findings:\n%+v", typeError, noDecision, ff.Findings)
	}
}
