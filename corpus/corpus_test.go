package corpus_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
)

// files lists the directory, sorted.
func files(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, de := range des {
		out = append(out, de.Name())
	}
	return out
}

func TestAdd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "corpus")
	c, err := corpus.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	leaf := leafFinding()
	sameSigOtherInput := leafFinding()
	sameSigOtherInput.Minimized = []byte(`{"clientCertificate":null,"x":1}`)
	otherBug := finding(`{"clientIp":7}`, "crash/TypeError@9:1/TypeError: x.split is not a function", cffuzz.SeverityHigh)
	sameInputOtherBug := finding(`{"clientIp":7}`, "decision/no-decision/none", cffuzz.SeverityMedium)

	tests := []struct {
		f         cffuzz.Finding
		wantAdded bool
		wantSame  int // index of the earlier row whose path is expected, or -1
		reason    string
	}{
		{leaf, true, -1, "a new finding is written"},
		{leaf, false, 0, "the same finding again writes nothing"},
		{sameSigOtherInput, false, 0, "the same bug under another input is not stored twice"},
		{otherBug, true, -1, "another bug is written"},
		{sameInputOtherBug, false, 3, "one input is stored once, whatever it raised"},
	}
	var paths []string
	for i, tt := range tests {
		path, added, err := c.Add(tt.f)
		if err != nil {
			t.Fatalf("row %d (%s): %v", i, tt.reason, err)
		}
		paths = append(paths, path)
		if added != tt.wantAdded {
			t.Errorf("%s: added = %v, want %v", tt.reason, added, tt.wantAdded)
		}
		if tt.wantSame >= 0 && path != paths[tt.wantSame] {
			t.Errorf("%s: path %s, want the existing %s", tt.reason, path, paths[tt.wantSame])
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s: %v", tt.reason, err)
		}
	}
	if got := files(t, dir); len(got) != 2 {
		t.Errorf("corpus holds %v, want 2 entries and no temporary files", got)
	}

	// A second Corpus on the same directory knows the existing entries.
	c2, err := corpus.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, added, err := c2.Add(sameSigOtherInput); err != nil || added {
		t.Errorf("reopened corpus: added = %v, err = %v; want the signature to be known", added, err)
	}
}

func TestEntriesReplayOrder(t *testing.T) {
	dir := t.TempDir()
	c, err := corpus.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, sev := range []cffuzz.Severity{cffuzz.SeverityLow, cffuzz.SeverityHigh, cffuzz.SeverityMedium, cffuzz.SeverityHigh} {
		f := finding(strings.Repeat("x", i+1), "sig"+strings.Repeat("!", i), sev)
		if _, _, err := c.Add(f); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "README"), []byte("not an entry"), 0o644)
	os.WriteFile(filepath.Join(dir, ".tmp-0123456789abcdef-1"), []byte("a write in progress"), 0o644)

	entries, err := c.Entries()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Fatalf("got %d entries, want 4", len(entries))
	}
	for i := 1; i < len(entries); i++ {
		a, b := entries[i-1], entries[i]
		if a.Finding.Severity < b.Finding.Severity ||
			a.Finding.Severity == b.Finding.Severity && filepath.Base(a.Path) > filepath.Base(b.Path) {
			t.Errorf("entries %d and %d out of replay order: %v %s, %v %s", i-1, i, a.Finding.Severity, a.Path, b.Finding.Severity, b.Path)
		}
	}
	if entries[0].Finding.CorpusFile != entries[0].Path || string(entries[0].Finding.Minimized) != string(entries[0].Input) {
		t.Errorf("entry finding does not point at its file and input: %+v", entries[0].Finding)
	}
}

func TestEntriesReportsCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	c, err := corpus.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Add(leafFinding()); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "ffffffffffffffff")
	os.WriteFile(bad, []byte("cffuzz corpus v7\n"), 0o644)
	entries, err := c.Entries()
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("err = %v, want it to name %s and its unknown format", err, bad)
	}
	if _, err := os.Stat(bad); err != nil {
		t.Errorf("an entry of a newer version must stay in place for the cffuzz that wrote it: %v", err)
	}
	if len(entries) != 1 {
		t.Errorf("got %d good entries alongside the error, want 1", len(entries))
	}
	if _, err := corpus.Open(dir); err != nil {
		t.Errorf("a corrupt entry must not stop Open: %v", err)
	}
}

func TestAddConcurrent(t *testing.T) {
	dir := t.TempDir()
	c1, err := corpus.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := corpus.Open(dir) // as a second process would
	if err != nil {
		t.Fatal(err)
	}
	for round := range 20 {
		f := finding(strings.Repeat("y", round+1), "sig-"+strings.Repeat("y", round+1), cffuzz.SeverityHigh)
		var wg sync.WaitGroup
		var mu sync.Mutex
		added := 0
		for _, c := range []*corpus.Corpus{c1, c1, c2, c2} {
			wg.Go(func() {
				_, ok, err := c.Add(f)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					added++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if added != 1 {
			t.Fatalf("round %d: %d adders reported adding the same finding, want exactly 1", round, added)
		}
	}
	if got := files(t, dir); len(got) != 20 {
		t.Errorf("corpus holds %d files, want 20 (no duplicates, no temporary files): %v", len(got), got)
	}
}

func TestMerge(t *testing.T) {
	root := t.TempDir()
	shard := func(name string, fs ...cffuzz.Finding) string {
		dir := filepath.Join(root, name)
		c, err := corpus.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if _, _, err := c.Add(f); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	a := finding("a", "sig-a", cffuzz.SeverityHigh)
	b := finding("b", "sig-b", cffuzz.SeverityLow)
	bAgain := finding("b2", "sig-b", cffuzz.SeverityLow)
	s1 := shard("s1", a, b)
	s2 := shard("s2", a, bAgain, finding("c", "sig-c", cffuzz.SeverityMedium))
	dst := filepath.Join(root, "merged")

	tests := []struct {
		srcs      []string
		wantAdded int
		reason    string
	}{
		{[]string{s1, s2}, 3, "duplicates by content hash and by signature collapse"},
		{[]string{s1, s2}, 0, "merging again adds nothing"},
	}
	for _, tt := range tests {
		added, err := corpus.Merge(dst, tt.srcs...)
		if err != nil {
			t.Fatalf("%s: %v", tt.reason, err)
		}
		if added != tt.wantAdded {
			t.Errorf("%s: added %d, want %d", tt.reason, added, tt.wantAdded)
		}
	}
	if got := files(t, dst); len(got) != 3 {
		t.Errorf("merged corpus holds %v, want 3 entries", got)
	}
	if _, err := corpus.Merge(dst, filepath.Join(root, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("merging a missing corpus: err = %v, want one naming it", err)
	}
}
