package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func entryNames(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		if !de.IsDir() && !strings.HasPrefix(de.Name(), ".") {
			names = append(names, de.Name())
		}
	}
	sort.Strings(names)
	return names
}

// TestCorpusMergeAndExport joins the corpora of two shards of the demo
// campaign and exports an entry in both formats.
func TestCorpusMergeAndExport(t *testing.T) {
	union := map[string]bool{}
	var shards []string
	for _, shard := range []string{"1/2", "2/2"} {
		out := demoRun(t, "--shard", shard)
		var report struct {
			Shard string `json:"shard"`
		}
		readJSON(t, filepath.Join(out, "report.json"), &report)
		if report.Shard != shard {
			t.Errorf("report.json shard = %q, want %q", report.Shard, shard)
		}
		dir := filepath.Join(out, "corpus")
		for _, n := range entryNames(t, dir) {
			union[n] = true
		}
		shards = append(shards, dir)
	}
	dst := filepath.Join(t.TempDir(), "merged")
	r := fuzz(t, append([]string{"corpus", "merge", dst}, shards...)...)
	mustCode(t, r, exitOK, "corpus merge")
	merged := entryNames(t, dst)
	if len(merged) != len(union) || len(merged) == 0 {
		t.Errorf("merged corpus has %v, want the union of the shards' %v", merged, union)
	}
	r = fuzz(t, append([]string{"corpus", "merge", dst}, shards...)...)
	mustCode(t, r, exitOK, "corpus merge again")
	if !strings.Contains(r.stdout, "added 0 entries") {
		t.Errorf("merging the same shards twice added entries: %s", r.stdout)
	}

	entry := filepath.Join(dst, merged[0])
	tests := []struct {
		reason string
		args   []string
		want   int
		stdout string
	}{
		{"gofuzz is the default", []string{"corpus", "export", entry}, exitOK, "go test fuzz v1\n[]byte("},
		{"gofuzz by name", []string{"corpus", "export", "--format", "gofuzz", entry}, exitOK, "go test fuzz v1\n"},
		{"a table-test row carries the signature", []string{"corpus", "export", "--format", "table", entry}, exitOK, "signature:"},
		{"unknown formats are refused", []string{"corpus", "export", "--format", "csv", entry}, exitUsage, ""},
		{"export takes one entry", []string{"corpus", "export"}, exitUsage, ""},
		{"a missing entry is a usage error", []string{"corpus", "export", entry + "-nope"}, exitUsage, ""},
		{"a corpus directory is not an entry", []string{"corpus", "export", dst}, exitUsage, ""},
		{"merge needs a source", []string{"corpus", "merge", dst}, exitUsage, ""},
	}
	for _, tt := range tests {
		r := fuzz(t, tt.args...)
		if r.code != tt.want || !strings.Contains(r.stdout, tt.stdout) {
			t.Errorf("%s: exit %d, stdout %q; want %d with %q\nstderr: %s", tt.reason, r.code, r.stdout, tt.want, tt.stdout, r.stderr)
		}
	}
}
