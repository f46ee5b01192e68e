package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/examples"
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

// TestInit checks that `fuzz init` writes the starter config, that `fuzz
// run --config` accepts it, and that init does not overwrite by accident.
func TestInit(t *testing.T) {
	r := fuzz(t, "init")
	mustCode(t, r, exitOK, "fuzz init")
	if r.stdout != string(examples.Config) {
		t.Errorf("fuzz init printed something other than examples/cffuzz.yaml:\n%s", r.stdout)
	}

	tmp := t.TempDir()
	file := filepath.Join(tmp, "cffuzz.yaml")
	mustCode(t, fuzz(t, "init", file), exitOK, "fuzz init FILE")
	written, err := os.ReadFile(file)
	if err != nil || !bytes.Equal(written, examples.Config) {
		t.Fatalf("fuzz init FILE wrote %d bytes (%v), want examples/cffuzz.yaml", len(written), err)
	}

	// The starter config names the example files relative to the module root.
	t.Chdir(repoRoot)
	out := filepath.Join(tmp, "out")
	r = fuzz(t, "run", "--config", file, "--out", out, "--corpus", filepath.Join(tmp, "corpus"),
		"--cases", "300", "--isolation", "inprocess", "--metrics-addr", "", "--progress", "none")
	mustCode(t, r, exitFindings, "fuzz run --config on the starter config (the demo function has bugs)")
	var report struct {
		Cases    int64    `json:"cases"`
		Function string   `json:"function"`
		Oracles  []string `json:"oracles"`
	}
	readJSON(t, filepath.Join(out, "report.json"), &report)
	if report.Cases != 300 || report.Function != "examples/functions/demo.js" || !strings.Contains(strings.Join(report.Oracles, ","), "property") {
		t.Errorf("run with the starter config: %+v; want 300 cases of examples/functions/demo.js with its property", report)
	}
	if _, err := os.Stat(filepath.Join(tmp, "corpus")); err != nil {
		t.Errorf("--corpus did not override the config's corpus: %v", err)
	}

	r = fuzz(t, "init", file)
	if r.code != exitUsage || !strings.Contains(r.stderr, "--force") {
		t.Errorf("fuzz init over an existing file: exit %d, stderr %q; want 2 suggesting --force", r.code, r.stderr)
	}
	mustCode(t, fuzz(t, "init", "--force", file), exitOK, "fuzz init --force")
	mustCode(t, fuzz(t, "init", "a.yaml", "b.yaml"), exitUsage, "fuzz init with two files")
}

// TestHelp checks that every command's help has examples and exits 0, and
// goes to the writers run was given (not the process's stderr).
func TestHelp(t *testing.T) {
	commands := [][]string{{}, {"run"}, {"replay"}, {"report"}, {"emulate"}, {"corpus"}, {"corpus", "merge"},
		{"corpus", "export"}, {"init"}, {"version"}}
	for _, c := range commands {
		for _, help := range []string{"--help", "-h"} {
			args := append(append([]string{}, c...), help)
			r := fuzz(t, args...)
			if r.code != exitOK {
				t.Errorf("fuzz %s: exit code %d, want 0", strings.Join(args, " "), r.code)
			}
			if out := r.stdout + r.stderr; !strings.Contains(out, "Examples:\n  fuzz ") {
				t.Errorf("fuzz %s shows no Examples: section:\n%s", strings.Join(args, " "), out)
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
