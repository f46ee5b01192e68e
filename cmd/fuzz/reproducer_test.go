package main

import (
	"flag"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/calibrate"
	"github.com/cffuzz/cffuzz/internal/campaign"
)

// TestReproducerFlags runs a campaign whose findings depend on a flag, then
// runs each finding's reproducer exactly as printed: it must carry that
// flag and raise the same signature again.
func TestReproducerFlags(t *testing.T) {
	dir := t.TempDir()
	allow := writeFile(t, dir, "allow.js", "function connectionHandler(connection) {\n  connection.allow();\n}\n")
	deny := writeFile(t, dir, "deny.js", "function connectionHandler(connection) {\n  connection.deny();\n}\n")
	never := writeFile(t, dir, "never.js", "function check(connection, outcome) {\n  return 'never holds';\n}\n")
	tests := []struct {
		name   string
		reason string
		args   []string
		// want must appear in every reproducer.
		want []string
	}{
		{"compare", "a differential finding only exists with the other version: replay needs --compare",
			[]string{"--compare", deny}, []string{"--compare " + deny}},
		{"generation flags", "without the corpus the reproducer re-generates the case: same weights and present",
			[]string{"--property", never, "--corpus", "-", "--weights", "production=1,boundary=0", "--now", "2026-01-02T03:04:05Z"},
			[]string{"--property " + never, "--weights boundary=0,production=1", "--now 2026-01-02T03:04:05Z", "--corpus -"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"run", "--function", allow, "--out", out, "--progress", "none"}, quick("20")...)
			r := fuzz(t, append(args, tt.args...)...)
			mustCode(t, r, exitFindings, tt.reason)
			var ff cffuzz.FindingsFile
			readJSON(t, filepath.Join(out, "findings.json"), &ff)
			if len(ff.Findings) == 0 {
				t.Fatalf("%s: no findings", tt.reason)
			}
			for _, f := range ff.Findings {
				for _, w := range tt.want {
					if !strings.Contains(f.Reproducer, w) {
						t.Errorf("%s: reproducer %q lacks %q", tt.reason, f.Reproducer, w)
					}
				}
				cmd, _, _ := strings.Cut(f.Reproducer, "#")
				fields := strings.Fields(cmd)
				if len(fields) < 2 || fields[0] != "fuzz" {
					t.Fatalf("reproducer %q is not a fuzz command", f.Reproducer)
				}
				again := t.TempDir()
				rargs := append([]string{fields[1], "--out", again, "--isolation", "inprocess"}, fields[2:]...)
				if fields[1] == "run" {
					rargs = append(rargs, "--metrics-addr", "", "--progress", "none")
				}
				r := fuzz(t, rargs...)
				mustCode(t, r, exitFindings, tt.reason+": "+f.Reproducer)
				if fields[1] == "run" {
					var ff2 cffuzz.FindingsFile
					readJSON(t, filepath.Join(again, "findings.json"), &ff2)
					found := false
					for _, g := range ff2.Findings {
						found = found || g.Signature == f.Signature && g.Case == f.Case
					}
					if !found {
						t.Errorf("%s: %q did not raise %s at case %d again", tt.reason, f.Reproducer, f.Signature, f.Case)
					}
				}
			}
		})
	}
}

// TestReplayRendererFlags: every flag a replay command carries is a flag
// of the command it runs (fuzz replay for an entry, fuzz run for a case),
// with its value as given, so that parsing the command and rendering
// again gives the same command.
func TestReplayRendererFlags(t *testing.T) {
	run := runCommand(io.Discard, io.Discard).FlagSet
	replay := replayCommand(io.Discard, io.Discard).FlagSet
	for _, name := range raiseFlags {
		if run.Lookup(name) == nil || replay.Lookup(name) == nil {
			t.Errorf("%s changes what a case raises but is not a flag of both fuzz run and fuzz replay", name)
		}
	}
	for _, name := range append(genFlags, "now", "concurrency", "seed", "cases", "corpus") {
		if run.Lookup(name) == nil {
			t.Errorf("%s is not a flag of fuzz run", name)
		}
	}

	dir := t.TempDir()
	calib := filepath.Join(dir, "my calibration.json")
	f := &calibrate.File{Version: calibrate.Version, Target: "test", Probes: []calibrate.Recording{{Probe: calibrate.Probes()[0]}},
		Fit: calibrate.Fit{Scale: 20, BudgetMillis: 5, TimeLimitMillis: 20}}
	if err := f.Save(calib); err != nil {
		t.Fatal(err)
	}
	// Every carried flag set, each value needing what quoting it needs.
	args := []string{
		"--function", "dir/my fn.js", "--kvs", "kvs.json", "--property", "a.js", "--property", "it's.js", "--expect", "exp.yaml",
		"--target", "http://127.0.0.1:4566", "--function-id", "cf_X", "--kvs-arn", "arn:aws:cloudfront::1:key-value-store/k",
		"--name", "n", "--stage", "LIVE", "--publish", "--compare", "live", "--determinism", "--strict-syntax",
		"--utilization-threshold", "50", "--budget", "3ms", "--time-limit", "9ms", "--host-speed", "1.5", "--calibration", calib,
		"--weights", "production=1,boundary=0", "--wire", "--feedback=false",
		// Not carried: they change neither the case nor what it raises.
		"--out", "elsewhere", "--rate", "5", "--quiet",
	}
	tests := []struct {
		reason string
		cmd    string
		fs     func() *flag.FlagSet
		spec   campaign.ReplaySpec
	}{
		{"a corpus entry is replayed", "replay", func() *flag.FlagSet { return replayCommand(io.Discard, io.Discard).FlagSet },
			campaign.ReplaySpec{Entry: "out dir/corpus/3f2a9c0d1e4b5a6c"}},
		{"a generated case is re-run", "run", func() *flag.FlagSet { return runCommand(io.Discard, io.Discard).FlagSet },
			campaign.ReplaySpec{Seed: 7, Case: 41, Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Serial: true}},
	}
	for _, tt := range tests {
		set := runCommand(io.Discard, io.Discard).FlagSet
		if err := set.Parse(args); err != nil {
			t.Fatal(err)
		}
		got := newReplayRenderer(set)(tt.spec)
		words := shSplit(t, got)
		if len(words) < 2 || words[0] != "fuzz" || words[1] != tt.cmd {
			t.Fatalf("%s: %q is not fuzz %s", tt.reason, got, tt.cmd)
		}
		for _, name := range raiseFlags {
			if !strings.Contains(got, " --"+name) {
				t.Errorf("%s: %q does not carry --%s (set it in this test's args when adding a flag to raiseFlags)", tt.reason, got, name)
			}
		}
		fs := tt.fs()
		for _, w := range words[2:] {
			name, _, _ := strings.Cut(strings.TrimPrefix(w, "--"), "=")
			if strings.HasPrefix(w, "--") && fs.Lookup(name) == nil {
				t.Errorf("%s: %q carries --%s, which fuzz %s does not define", tt.reason, got, name, tt.cmd)
			}
			for _, no := range []string{"out", "rate", "quiet"} {
				if name == no {
					t.Errorf("%s: %q carries --%s, which changes nothing a case raises", tt.reason, got, no)
				}
			}
		}
		if err := fs.Parse(words[2:]); err != nil {
			t.Fatalf("%s: fuzz %s does not parse %q: %v", tt.reason, tt.cmd, got, err)
		}
		if tt.cmd == "replay" {
			if fs.NArg() != 1 || fs.Arg(0) != tt.spec.Entry {
				t.Errorf("%s: %q replays %q, want %q", tt.reason, got, fs.Args(), tt.spec.Entry)
			}
			continue
		}
		again := newReplayRenderer(fs)(tt.spec)
		if again != got {
			t.Errorf("%s: rendering the parsed command again differs:\n got %s\nwant %s", tt.reason, again, got)
		}
		for _, want := range []string{"--weights boundary=0,production=1", "--feedback=false", "--concurrency 1", "--seed 7", "--cases 42", "--now 2026-01-02T03:04:05Z", "--corpus -", "# case 41"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: %q lacks %q", tt.reason, got, want)
			}
		}
	}
}

// shSplit splits a command into words as sh does, up to a comment.
func shSplit(t *testing.T, cmd string) []string {
	t.Helper()
	out, err := exec.Command("sh", "-c", "set -f; for w in "+cmd+"\ndo printf '%s\\0' \"$w\"; done").Output()
	if err != nil {
		t.Fatalf("sh cannot read %q: %v", cmd, err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}
