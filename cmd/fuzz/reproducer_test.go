package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
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
