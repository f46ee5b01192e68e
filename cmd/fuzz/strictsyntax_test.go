package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStrictSyntaxFlag checks that --strict-syntax reaches the campaign: a
// function using optional chaining runs by default (with a warning) and is
// a usage error (exit 2) naming the feature and position under the flag.
func TestStrictSyntaxFlag(t *testing.T) {
	dir := t.TempDir()
	fn := filepath.Join(dir, "fn.js")
	if err := os.WriteFile(fn, []byte("function connectionHandler(connection) {\n  if (connection.clientCertificate?.certificates) connection.allow();\n  else connection.allow();\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"run", "--function", fn, "--cases", "10", "--corpus", "-", "--isolation", "inprocess", "--progress", "none"}
	r := fuzz(t, append(base, "--out", filepath.Join(dir, "a"))...)
	mustCode(t, r, exitOK, "optional chaining by default")
	if !strings.Contains(r.stdout+r.stderr, "optional chaining (?.): support on AWS is unconfirmed") {
		t.Errorf("the default run does not warn about optional chaining:\n%s%s", r.stdout, r.stderr)
	}
	r = fuzz(t, append(base, "--out", filepath.Join(dir, "b"), "--strict-syntax")...)
	mustCode(t, r, exitUsage, "optional chaining with --strict-syntax")
	if !strings.Contains(r.stderr, "fn.js:2:") || !strings.Contains(r.stderr, "optional chaining") {
		t.Errorf("the refusal does not name the position and the feature:\n%s", r.stderr)
	}
}
