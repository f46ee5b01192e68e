package corpus_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
)

// loadError returns the *corpus.LoadError of err, failing on any other error.
func loadError(t *testing.T, err error) *corpus.LoadError {
	t.Helper()
	if err == nil {
		return nil
	}
	var le *corpus.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v (%T), want a *corpus.LoadError", err, err)
	}
	return le
}

// TestDamagedEntries damages a corpus in each way a file can be damaged:
// every damaged file is reported by name, the good entries still load,
// corrupt files are quarantined so the next run is clean, and links are
// never followed.
func TestDamagedEntries(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	good, _ := corpus.Marshal(finding(`{"outside":1}`, "sig-outside", cffuzz.SeverityHigh))
	os.WriteFile(secret, good, 0o644)

	tests := []struct {
		name       string
		damage     func(dir, entry string) error
		kind       string
		want       string
		quarantine bool
		reason     string
	}{
		{"truncated", func(dir, entry string) error {
			data, _ := os.ReadFile(entry)
			return os.WriteFile(entry, data[:len(data)-4], 0o644)
		}, corpus.ProblemCorrupt, "truncated or edited", true, "a cut-short file is quarantined, not fatal"},
		{"garbage", func(dir, entry string) error {
			return os.WriteFile(filepath.Join(dir, "aaaaaaaaaaaaaaaa"), []byte("\x00\x01 not an entry"), 0o644)
		}, corpus.ProblemCorrupt, "not a cffuzz corpus entry", true, "garbage under an entry's name"},
		{"symlink to a file outside", func(dir, entry string) error {
			return os.Symlink(secret, filepath.Join(dir, "bbbbbbbbbbbbbbbb"))
		}, corpus.ProblemLink, "never followed", false, "a link is reported and not followed out of the corpus"},
		{"entry replaced by a symlink", func(dir, entry string) error {
			if err := os.Remove(entry); err != nil {
				return err
			}
			return os.Symlink(secret, entry)
		}, corpus.ProblemLink, "symbolic link", false, "the entry findings.json names is now a link: reported, never silent"},
		{"directory", func(dir, entry string) error {
			return os.Mkdir(filepath.Join(dir, "cccccccccccccccc"), 0o755)
		}, corpus.ProblemNotFile, "is a directory", false, "a directory with an entry's name"},
		{"newer version", func(dir, entry string) error {
			return os.WriteFile(filepath.Join(dir, "dddddddddddddddd"), []byte("cffuzz corpus v9\n{}"), 0o644)
		}, corpus.ProblemVersion, "unknown format", false, "a newer cffuzz's entry stays in place"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			c, err := corpus.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			entry, _, err := c.Add(leafFinding())
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := c.Add(finding(`{"other":2}`, "sig-other", cffuzz.SeverityLow)); err != nil {
				t.Fatal(err)
			}
			if err := tt.damage(dir, entry); err != nil {
				t.Fatal(err)
			}

			c2, err := corpus.Open(dir) // the next run
			if err != nil {
				t.Fatalf("%s: Open failed: %v", tt.reason, err)
			}
			entries, err := c2.Entries()
			le := loadError(t, err)
			if le == nil || len(le.Problems) != 1 {
				t.Fatalf("%s: err = %v, want one problem", tt.reason, err)
			}
			p := le.Problems[0]
			if p.Kind != tt.kind || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), filepath.Base(p.Path)) {
				t.Errorf("%s: problem %+v (%v), want kind %s mentioning %q and naming the file", tt.reason, p, err, tt.kind, tt.want)
			}
			if le.Damaged() != 1 {
				t.Errorf("%s: Damaged() = %d, want 1", tt.reason, le.Damaged())
			}
			for _, e := range entries {
				if e.Finding.Signature == "sig-outside" {
					t.Errorf("%s: an entry was read through a link from outside the corpus", tt.reason)
				}
			}
			if len(entries) == 0 || entries[len(entries)-1].Finding.Signature != "sig-other" {
				t.Errorf("%s: the undamaged entries did not load: %d entries", tt.reason, len(entries))
			}
			_, statErr := os.Lstat(p.Path)
			if tt.quarantine {
				if p.MovedTo == "" || statErr == nil {
					t.Errorf("%s: not quarantined (moved to %q, still there: %v)", tt.reason, p.MovedTo, statErr == nil)
				}
				if filepath.Dir(p.MovedTo) != filepath.Join(dir, corpus.QuarantineDir) {
					t.Errorf("%s: moved to %s, want the quarantine directory", tt.reason, p.MovedTo)
				}
				// The run after: clean.
				c3, _ := corpus.Open(dir)
				if _, err := c3.Entries(); err != nil {
					t.Errorf("%s: the run after the quarantine still reports: %v", tt.reason, err)
				}
			} else if statErr != nil {
				t.Errorf("%s: the file was moved or removed: %v", tt.reason, statErr)
			}
			if _, err := os.Stat(secret); err != nil {
				t.Errorf("%s: the file outside the corpus was touched: %v", tt.reason, err)
			}
		})
	}
}

// TestStaleTempFiles checks that Open removes the temporary files of
// interrupted writes once they are older than the grace period, and only
// those.
func TestStaleTempFiles(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		age      time.Duration
		wantGone bool
		reason   string
	}{
		{".tmp-0123456789abcdef-111", 2 * time.Hour, true, "left by a write killed two hours ago"},
		{".tmp-0123456789abcdef-222", 10 * time.Second, false, "a write that may still be in progress"},
		{".tmpfile", 2 * time.Hour, false, "not a temporary file of ours (no '-')"},
		{"notes.txt", 2 * time.Hour, false, "not ours at all"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		os.WriteFile(path, []byte("x"), 0o644)
		os.Chtimes(path, now.Add(-tt.age), now.Add(-tt.age))
	}
	c, err := corpus.OpenWith(dir, corpus.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	_, loadErr := c.Entries()
	le := loadError(t, loadErr)
	for _, tt := range tests {
		_, err := os.Stat(filepath.Join(dir, tt.name))
		if gone := err != nil; gone != tt.wantGone {
			t.Errorf("%s (%s): removed = %v, want %v", tt.name, tt.reason, gone, tt.wantGone)
		}
		if tt.wantGone && (le == nil || !strings.Contains(loadErr.Error(), tt.name) || le.Damaged() != 0) {
			t.Errorf("the removal of %s is not reported as a note: %v", tt.name, loadErr)
		}
	}
}

// TestMergeKeepsTheSmaller merges two shards that found one bug under
// inputs of different sizes, in both orders: the smaller input is kept.
func TestMergeKeepsTheSmaller(t *testing.T) {
	root := t.TempDir()
	big := finding(`{"clientCertificate":null,"padding":"xxxxxxxxxxxx"}`, "sig-bug", cffuzz.SeverityHigh)
	small := finding(`{"clientCertificate":null}`, "sig-bug", cffuzz.SeverityHigh)
	shard := func(name string, f cffuzz.Finding) string {
		dir := filepath.Join(root, name)
		c, err := corpus.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.Add(f); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	bigDir, smallDir := shard("big", big), shard("small", small)
	for _, tt := range []struct {
		srcs   []string
		reason string
	}{
		{[]string{bigDir, smallDir}, "the smaller comes second: it replaces the larger"},
		{[]string{smallDir, bigDir}, "the smaller comes first: the larger is not added"},
	} {
		dst := filepath.Join(root, "merged-"+filepath.Base(tt.srcs[0]))
		added, err := corpus.Merge(dst, tt.srcs...)
		if err != nil {
			t.Fatal(err)
		}
		if added != 1 {
			t.Errorf("%s: added %d, want 1 (a replacement adds no entry)", tt.reason, added)
		}
		c, _ := corpus.Open(dst)
		entries, err := c.Entries()
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || string(entries[0].Input) != string(small.Minimized) {
			var got []string
			for _, e := range entries {
				got = append(got, string(e.Input))
			}
			t.Errorf("%s: merged corpus holds %q, want only the smaller input", tt.reason, got)
		}
		if got := files(t, dst); len(got) != 1 {
			t.Errorf("%s: merged directory holds %v, want one entry", tt.reason, got)
		}
	}
}

// TestFunctionTags keeps the corpora of two functions in one directory:
// each replays only its own entries (and untagged old ones), says how many
// of another function's it left out, and the same input found in both is
// stored for each.
func TestFunctionTags(t *testing.T) {
	dir := t.TempDir()
	demo, err := corpus.OpenWith(dir, corpus.Options{Function: corpus.FunctionKey("examples/functions/demo.js")})
	if err != nil {
		t.Fatal(err)
	}
	mine, err := corpus.OpenWith(dir, corpus.Options{Function: corpus.FunctionKey("fn.js")})
	if err != nil {
		t.Fatal(err)
	}
	untagged, _ := corpus.Open(dir)
	shared := leafFinding()
	for _, add := range []struct {
		c      *corpus.Corpus
		f      cffuzz.Finding
		reason string
	}{
		{demo, shared, "the demo's finding"},
		{demo, finding(`{"demo":1}`, "sig-demo", cffuzz.SeverityMedium), "another demo finding"},
		{mine, shared, "the same input and bug in the user's function: stored again, for it"},
		{untagged, finding(`{"old":1}`, "sig-old", cffuzz.SeverityLow), "an old untagged (v1) entry"},
	} {
		if _, added, err := add.c.Add(add.f); err != nil || !added {
			t.Fatalf("%s: added = %v, err = %v", add.reason, added, err)
		}
	}
	entries, err := mine.Entries()
	le := loadError(t, err)
	if le == nil || le.Skipped["demo"] != 2 || le.Damaged() != 0 || !strings.Contains(err.Error(), `2 entries of function "demo"`) {
		t.Fatalf("err = %v, want a note that 2 entries of function demo were left out", err)
	}
	var sigs []string
	for _, e := range entries {
		sigs = append(sigs, e.Function+":"+e.Finding.Signature)
	}
	want := []string{"fn:" + shared.Signature, ":sig-old"}
	if strings.Join(sigs, ",") != strings.Join(want, ",") {
		t.Errorf("the user's function replays %v, want %v", sigs, want)
	}
	data, _ := os.ReadFile(entries[0].Path)
	if !strings.HasPrefix(string(data), corpus.Header+"\n") || !strings.Contains(string(data), `"function": "fn"`) {
		t.Errorf("a tagged entry is not v2 with its function:\n%s", data)
	}
	if all, err := untagged.Entries(); err != nil || len(all) != 4 {
		t.Errorf("an untagged corpus reads every entry: %d, %v", len(all), err)
	}
}

func TestFunctionKey(t *testing.T) {
	for _, tt := range []struct {
		in, want, reason string
	}{
		{"examples/functions/demo.js", "demo", "a path: its base name without the extension"},
		{"fn.js", "fn", "a bare file name"},
		{"cf_ABCDEFGHIJKLMNOPQRSTUVWXYZ0", "cf_ABCDEFGHIJKLMNOPQRSTUVWXYZ0", "a function id"},
		{"my function (v2).js", "my_function__v2_", "characters outside the key's alphabet"},
		{".js", ".js", "a dot file"},
		{"", "function", "nothing"},
		{"ünïcode.js", "_n_code", "non-ASCII letters"},
	} {
		if got := corpus.FunctionKey(tt.in); got != tt.want {
			t.Errorf("FunctionKey(%q) = %q, want %q (%s)", tt.in, got, tt.want, tt.reason)
		}
	}
}
