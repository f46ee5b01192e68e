package campaign_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/corpus"
	"github.com/cffuzz/cffuzz/internal/campaign"
)

// TestCorpusDamageAndOtherFunctions runs the demo campaign, damages its
// corpus, and runs a user's function with the same output directory: the
// run goes on, names the damaged files, quarantines the corrupt one, and
// replays none of the demo's entries against the user's function; replay
// refuses a demo entry named explicitly.
func TestCorpusDamageAndOtherFunctions(t *testing.T) {
	out := t.TempDir()
	demo, err := campaign.Run(context.Background(), campaign.Config{Cases: 300, Out: out, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, "corpus")
	c, _ := corpus.Open(dir)
	stored, _ := c.Entries()
	if len(demo.Findings) == 0 || len(stored) == 0 {
		t.Fatalf("the demo campaign stored %d entries for %d findings; the test needs some", len(stored), len(demo.Findings))
	}
	corrupt := filepath.Join(dir, "eeeeeeeeeeeeeeee")
	os.WriteFile(corrupt, []byte("cffuzz corpus v1\n{not json"), 0o644)
	link := filepath.Join(dir, "ffffffffffffffff")
	if err := os.Symlink(stored[0].Path, link); err != nil {
		t.Fatal(err)
	}

	fn := filepath.Join(t.TempDir(), "fn.js")
	os.WriteFile(fn, []byte(`function connectionHandler(connection) { connection.allow(); }`), 0o644)
	var log bytes.Buffer
	res, err := campaign.Run(context.Background(), campaign.Config{Function: fn, Cases: 50, Out: out, Seed: 1, Log: &log})
	if err != nil {
		t.Fatalf("a damaged corpus stopped the run: %v\n%s", err, log.String())
	}
	for _, want := range []string{corrupt, "quarantine", link, "never followed", `entries of function "demo"`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the run's warnings do not mention %q:\n%s", want, log.String())
		}
	}
	if w := strings.Join(res.Report.Warnings, "\n"); !strings.Contains(w, corrupt) || !strings.Contains(w, link) {
		t.Errorf("report warnings do not name the damaged entries: %q", res.Report.Warnings)
	}
	if res.Report.Replayed != 0 {
		t.Errorf("%d of the demo's entries were replayed against fn.js", res.Report.Replayed)
	}
	if _, err := os.Stat(corrupt); err == nil {
		t.Error("the corrupt entry is still in the corpus")
	}

	_, err = campaign.Replay(context.Background(), campaign.Config{Function: fn}, []string{stored[0].Path})
	if err == nil || !strings.Contains(err.Error(), `function "demo"`) {
		t.Errorf("replaying a demo entry against fn.js: err = %v, want a refusal naming the demo", err)
	}
}
