package main

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/corpus"
)

// signatures returns the bug signatures of the entries in a corpus.
func signatures(t *testing.T, dir string) map[string]bool {
	t.Helper()
	c, err := corpus.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := c.Entries()
	if err != nil {
		t.Fatal(err)
	}
	sigs := map[string]bool{}
	for _, e := range entries {
		sigs[e.Finding.Signature] = true
	}
	return sigs
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
		for sig := range signatures(t, dir) {
			union[sig] = true
		}
		shards = append(shards, dir)
	}
	dst := filepath.Join(t.TempDir(), "merged")
	r := fuzz(t, append([]string{"corpus", "merge", dst}, shards...)...)
	mustCode(t, r, exitOK, "corpus merge")
	// Duplicates collapse: one entry per bug found by either shard.
	merged := signatures(t, dst)
	if !maps.Equal(merged, union) || len(merged) == 0 {
		t.Errorf("merged corpus has bugs %v, want the union of the shards' %v", merged, union)
	}
	des, err := os.ReadDir(dst)
	if err != nil {
		t.Fatal(err)
	}
	if len(des) != len(merged) {
		t.Errorf("merged corpus has %d files for %d bugs", len(des), len(merged))
	}
	r = fuzz(t, append([]string{"corpus", "merge", dst}, shards...)...)
	mustCode(t, r, exitOK, "corpus merge again")
	if !strings.Contains(r.stdout, "added 0 entries") {
		t.Errorf("merging the same shards twice added entries: %s", r.stdout)
	}

	entry := filepath.Join(dst, des[0].Name())
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
