package corpus_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
)

// TestReplaceSameInputUpdatesMetadata: a bug raised again with the same
// input at a higher severity (or confirmed without shrinking) keeps one
// entry, and that entry says what is known now, not what was known first.
func TestReplaceSameInputUpdatesMetadata(t *testing.T) {
	c, err := corpus.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	low := finding(`{"x":1}`, "crash/x", cffuzz.SeverityLow)
	path, added, err := c.Add(low)
	if err != nil || !added {
		t.Fatalf("Add: %v, added %v", err, added)
	}
	high := low
	high.Severity, high.ShrinkSteps = cffuzz.SeverityHigh, 9
	got, err := c.Replace(path, high)
	if err != nil || got != path {
		t.Fatalf("Replace: %q, %v; want the same entry %q", got, err, path)
	}
	es, err := c.Entries()
	if err != nil || len(es) != 1 {
		t.Fatalf("Entries: %d, %v; want one", len(es), err)
	}
	if f := es[0].Finding; f.Severity != cffuzz.SeverityHigh || f.ShrinkSteps != 9 {
		t.Errorf("the entry kept the old metadata: severity %s, shrink steps %d", f.Severity, f.ShrinkSteps)
	}
	if tmps, _ := filepath.Glob(filepath.Join(c.Dir(), ".tmp-*")); len(tmps) > 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
}

func TestAddSmallest(t *testing.T) {
	tests := []struct {
		reason    string
		first     string
		second    string
		wantInput string
		wantAdded bool
	}{
		{"a smaller input of the same bug replaces the entry", `{"long":"xxxxxxxx"}`, `{}`, `{}`, true},
		{"a larger input of the same bug is not stored", `{}`, `{"long":"xxxxxxxx"}`, `{}`, false},
		{"the same input is stored once", `{"a":1}`, `{"a":1}`, `{"a":1}`, false},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		c, err := corpus.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.AddSmallest(finding(tt.first, "crash/x", cffuzz.SeverityHigh)); err != nil {
			t.Fatal(err)
		}
		path, added, err := c.AddSmallest(finding(tt.second, "crash/x", cffuzz.SeverityHigh))
		if err != nil || added != tt.wantAdded {
			t.Errorf("%s: added %v, %v; want %v", tt.reason, added, err, tt.wantAdded)
		}
		es, err := c.Entries()
		if err != nil || len(es) != 1 || string(es[0].Input) != tt.wantInput || es[0].Path != path {
			t.Errorf("%s: %d entries (%v), want one holding %s at %s", tt.reason, len(es), err, tt.wantInput, path)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("%s: %d files in the corpus, want 1", tt.reason, len(ents))
		}
	}
}
