package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// baseConfig keeps config-driven campaigns small, quiet and fast: the
// clean function (nothing to confirm or shrink) in this process.
var baseConfig = fmt.Sprintf(`isolation: inprocess
metrics-addr: ""
progress: none
corpus: "-"
function: %q
kvs: %q
budget: 50ms
time-limit: 1s
`, example("clean.js"), example("demo-kvs.json"))

// TestConfigPrecedence checks where settings come from: cffuzz.yaml in the
// working directory, or --config FILE; CFFUZZ_* environment variables win
// over the file, and flags win over both.
func TestConfigPrecedence(t *testing.T) {
	tests := []struct {
		reason    string
		files     map[string]string // written into the working directory
		env       map[string]string
		args      []string
		wantOut   string // the --out directory the report must be in
		wantCases int64
		wantSeed  int64
	}{
		{"cffuzz.yaml in the working directory is read",
			map[string]string{"cffuzz.yaml": baseConfig + "cases: 210\nseed: 7\nout: from-yaml\n"},
			nil, nil, "from-yaml", 210, 7},
		{"a flag overrides the file",
			map[string]string{"cffuzz.yaml": baseConfig + "cases: 210\nseed: 7\nout: from-yaml\n"},
			nil, []string{"--cases", "220"}, "from-yaml", 220, 7},
		{"--config names another file, and cffuzz.yaml is not read",
			map[string]string{"cffuzz.yaml": baseConfig + "cases: 210\nseed: 7\nout: from-yaml\n",
				"other.yaml": baseConfig + "cases: 230\nout: from-other\n"},
			nil, []string{"--config", "other.yaml"}, "from-other", 230, 1},
		{"an environment variable overrides the file",
			map[string]string{"cffuzz.yaml": baseConfig + "cases: 210\nseed: 7\nout: from-yaml\n"},
			map[string]string{"CFFUZZ_CASES": "240", "CFFUZZ_SEED": "9"}, nil, "from-yaml", 240, 9},
		{"a flag overrides the environment",
			map[string]string{"cffuzz.yaml": baseConfig + "out: from-yaml\n"},
			map[string]string{"CFFUZZ_CASES": "240"}, []string{"--cases", "250"}, "from-yaml", 250, 1},
		{"CFFUZZ_CONFIG names the file",
			map[string]string{"nightly.yaml": baseConfig + "cases: 260\nout: from-env-config\n"},
			map[string]string{"CFFUZZ_CONFIG": "nightly.yaml"}, nil, "from-env-config", 260, 1},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			for name, content := range tt.files {
				writeFile(t, dir, name, content)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			r := fuzz(t, append([]string{"run"}, tt.args...)...)
			mustCode(t, r, exitOK, tt.reason)
			var report struct {
				Cases int64 `json:"cases"`
				Seed  int64 `json:"seed"`
			}
			readJSON(t, filepath.Join(dir, tt.wantOut, "report.json"), &report)
			if report.Cases != tt.wantCases || report.Seed != tt.wantSeed {
				t.Errorf("%s: %d cases with seed %d, want %d with seed %d", tt.reason, report.Cases, report.Seed, tt.wantCases, tt.wantSeed)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, dir, "typo.yaml", baseConfig+"cases: 200\ncasess: 300\n")
	writeFile(t, dir, "badvalue.yaml", baseConfig+"fail-on: severe\n")
	writeFile(t, dir, "emulate.yaml", baseConfig+"cases: 200\naddr: 127.0.0.1:0\nfaults: drop=0.5\n")
	tests := []struct {
		reason string
		args   []string
		want   int
		stderr []string
	}{
		{"an unknown key names the file and the key", []string{"run", "--config", "typo.yaml"}, exitUsage,
			[]string{"typo.yaml", `"casess"`}},
		{"a bad value names the file and the flag", []string{"run", "--config", "badvalue.yaml"}, exitUsage,
			[]string{"badvalue.yaml", "fail-on", "severe"}},
		{"a missing --config file is named, not silently skipped", []string{"run", "--config", "nope.yaml"}, exitUsage,
			[]string{"nope.yaml", "fuzz init"}},
		{"a directory is not a config file", []string{"run", "--config", dir}, exitUsage,
			[]string{"is a directory"}},
		// One file configures run, replay and emulate: keys of the other
		// commands are not errors.
		{"replay skips run's and emulate's keys", []string{"replay", "--config", "emulate.yaml", "--out", "replay-out", dir}, exitOK,
			[]string{"0 entries replayed"}},
	}
	for _, tt := range tests {
		r := fuzz(t, tt.args...)
		if r.code != tt.want {
			t.Errorf("%s: exit code %d, want %d\nstderr:\n%s", tt.reason, r.code, tt.want, r.stderr)
		}
		for _, s := range tt.stderr {
			if !strings.Contains(r.stderr+r.stdout, s) {
				t.Errorf("%s: output does not mention %s:\n%s%s", tt.reason, s, r.stdout, r.stderr)
			}
		}
	}
}

// TestInit checks that `fuzz init && fuzz run` works in an empty
// directory (the issue: init wrote the demo's paths, which exist only in
// this repository), that --function names the user's file, and that init
// does not overwrite by accident.
func TestInit(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	r := fuzz(t, "init")
	mustCode(t, r, exitOK, "fuzz init in an empty directory")
	for _, f := range []string{"cffuzz.yaml", "connection-function.js"} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("fuzz init did not write %s: %v\n%s", f, err, r.stdout)
		}
	}
	written, _ := os.ReadFile("cffuzz.yaml")
	if bytes.Contains(written, []byte("\nfunction: examples/")) || bytes.Contains(written, []byte("\nmetrics-addr:")) {
		t.Errorf("the starter config names the demo's files or starts a metrics server:\n%s", written)
	}
	r = fuzz(t, "run", "--cases", "300", "--isolation", "inprocess", "--progress", "none")
	mustCode(t, r, exitOK, "fuzz run right after fuzz init (the starter function is clean)")
	var report struct {
		Cases    int64  `json:"cases"`
		Function string `json:"function"`
	}
	readJSON(t, filepath.Join(dir, "cffuzz-out", "report.json"), &report)
	if report.Cases != 300 || report.Function != "connection-function.js" {
		t.Errorf("run after init: %+v; want 300 cases of connection-function.js", report)
	}
	if _, err := os.Stat("cffuzz-corpus"); err != nil {
		t.Errorf("the config's corpus directory was not used: %v", err)
	}

	// An existing config is kept; --force replaces it; the user's own
	// function is named with --function and not replaced by the starter.
	r = fuzz(t, "init")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--force") {
		t.Errorf("fuzz init over an existing file: exit %d, stderr %q; want 2 suggesting --force", r.code, r.stderr)
	}
	if err := os.WriteFile("mine.js", []byte("function connectionHandler(c) { c.deny(); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustCode(t, fuzz(t, "init", "--force", "--function", "mine.js"), exitOK, "fuzz init --force --function mine.js")
	written, _ = os.ReadFile("cffuzz.yaml")
	if !bytes.Contains(written, []byte("\nfunction: mine.js ")) {
		t.Errorf("--function is not what the config names:\n%s", written)
	}
	r = fuzz(t, "run", "--cases", "50", "--isolation", "inprocess", "--progress", "none")
	mustCode(t, r, exitOK, "fuzz run on the user's function named by fuzz init --function")
	r = fuzz(t, "init", "--function", "nope.js", "other.yaml")
	if r.code != exitUsage || !strings.Contains(r.stderr, "nope.js") {
		t.Errorf("fuzz init --function with a missing file: exit %d, stderr %q", r.code, r.stderr)
	}
	mustCode(t, fuzz(t, "init", "a.yaml", "b.yaml"), exitUsage, "fuzz init with two files")

	// - writes to stdout, and the file is the config fuzz run reads.
	r = fuzz(t, "init", "--function", "mine.js", "-")
	if r.code != exitOK || !strings.Contains(r.stdout, "function: mine.js ") || !strings.Contains(r.stdout, "# kvs:") {
		t.Errorf("fuzz init - : exit %d\n%s", r.code, r.stdout)
	}
	if strings.Contains(r.stdout, "wrote") {
		t.Error("fuzz init - mixed status lines into the config")
	}
}

// TestHelp checks that every command's help has examples and exits 0, and
// goes to the writers run was given (not the process's stderr).
func TestHelp(t *testing.T) {
	commands := [][]string{{}, {"run"}, {"replay"}, {"report"}, {"emulate"}, {"corpus"}, {"corpus", "merge"},
		{"corpus", "export"}, {"init"}, {"version"}}
	for _, c := range commands {
		for _, help := range [][]string{append(append([]string{}, c...), "--help"), append(append([]string{}, c...), "-h"),
			append([]string{"help"}, c...)} {
			r := fuzz(t, help...)
			if r.code != exitOK {
				t.Errorf("fuzz %s: exit code %d, want 0", strings.Join(help, " "), r.code)
			}
			// Help that was asked for goes to stdout, so that | less works.
			if !strings.Contains(r.stdout, "Examples:\n  fuzz ") || r.stderr != "" {
				t.Errorf("fuzz %s: the help is not on stdout (stdout %d bytes, stderr %q)", strings.Join(help, " "), len(r.stdout), r.stderr)
			}
		}
	}
	r := fuzz(t)
	if r.code != exitOK || !strings.Contains(r.stderr, "SUBCOMMANDS") {
		t.Errorf("fuzz with no command: exit %d, want 0 and the command list:\n%s", r.code, r.stderr)
	}
}

func Example_version() {
	run(context.Background(), []string{"version"}, os.Stdout, os.Stderr)
	// Output: cffuzz devel
}
