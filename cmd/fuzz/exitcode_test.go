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
	big := writeFile(t, dir, "big.js", "function connectionHandler(connection) {\n  connection.allow();\n}\n"+
		"// "+strings.Repeat("x", 10240)+"\n")
	withClass := writeFile(t, dir, "class.js", "function connectionHandler(connection) {\n  connection.allow();\n  class A { x = 1; }\n}\n")
	withForOf := writeFile(t, dir, "forof.js", "function connectionHandler(connection) {\n  for (const x of [1]) {}\n  connection.allow();\n}\n")
	unclosed := writeFile(t, dir, "unclosed.js", "function connectionHandler(connection) {\n  connection.allow(;\n}\n")
	emptyCorpus := filepath.Join(dir, "empty-corpus")
	outDir := filepath.Join(dir, "out")
	for _, d := range []string{emptyCorpus, filepath.Join(outDir, "corpus")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
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
		{"function over 10 KB", "CloudFront refuses a connection function over 10240 bytes at create time: the user's function must shrink",
			append([]string{"run", "--function", big}, quick("300")...), exitUsage, "big.js is 10309 bytes, over CloudFront's limit of 10240 bytes"},
		{"class declaration", "a function that does not compile fails up front with its position, not as a crash on every case",
			append([]string{"run", "--function", withClass}, quick("300")...), exitUsage, "class.js:3:13: SyntaxError: class fields, private names and static blocks are ES2022"},
		{"for...of", "a feature only the connection-function page promises is a compile error under --strict-syntax",
			append([]string{"run", "--function", withForOf, "--strict-syntax"}, quick("300")...), exitUsage, "forof.js:2:3: SyntaxError: for...of loops refused by strict syntax"},
		{"syntax error", "a plain JavaScript syntax error is named with its line and column",
			append([]string{"run", "--function", unclosed}, quick("300")...), exitUsage, "unclosed.js:2:"},
		{"compare function does not compile", "the other version of --compare is checked like the function",
			append([]string{"run", "--function", example("clean.js"), "--compare", withClass}, quick("300")...), exitUsage, "class.js:3:13: SyntaxError"},
		{"replay a syntax error", "replay loads the function like run",
			[]string{"replay", "--function", withClass, "--out", t.TempDir(), emptyCorpus}, exitUsage, "class.js:3:13"},
		{"replay an empty corpus", "an empty corpus (a first nightly run) passes, with a note",
			[]string{"replay", "--function", example("clean.js"), "--out", t.TempDir(), emptyCorpus}, exitOK, "holds no corpus entries"},
		{"replay the output directory", "the entries are in OUT/corpus, not OUT",
			[]string{"replay", "--function", example("clean.js"), "--out", t.TempDir(), outDir}, exitUsage, "did you mean " + filepath.Join(outDir, "corpus")},
		{"replay with flags after the paths", "Go flags stop at the first path: say so instead of a bare stat error",
			[]string{"replay", "--function", example("clean.js"), "--out", t.TempDir(), emptyCorpus, "--fail-on", "high"}, exitUsage, "flags go before"},
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
