package campaign

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
	"github.com/cffuzz/cffuzz/reports"
)

func rawFinding(input string, sev cffuzz.Severity) cffuzz.Finding {
	return cffuzz.Finding{Oracle: "crash", Kind: "TypeError", Signature: "crash/TypeError@3:1", Message: "boom",
		Severity: sev, Original: []byte(input), OriginalSize: len(input), Class: cffuzz.ClassProduction}
}

// TestJournalLifecycle follows one bug through the journal: raised, raised
// again at a higher severity (with the same input, then another),
// confirmed; the corpus holds one entry whose metadata is the latest, and
// the journal reads back as that bug.
func TestJournalLifecycle(t *testing.T) {
	tests := []struct {
		reason string
		// again is the input the bug is raised with at high severity.
		again string
		// minimized is the confirmed finding's input.
		minimized string
	}{
		{"the same input raised again at a higher severity, confirmed without shrinking", `{"a":"xxxx"}`, `{"a":"xxxx"}`},
		{"the same input raised again, then shrunk", `{"a":"xxxx"}`, `{}`},
		{"another input raised at a higher severity, then confirmed as it is", `{"b":"yyyyyyyy"}`, `{"b":"yyyyyyyy"}`},
	}
	for _, tt := range tests {
		out := t.TempDir()
		store, err := corpus.OpenWith(filepath.Join(out, "corpus"), corpus.Options{Function: "fn"})
		if err != nil {
			t.Fatal(err)
		}
		j, err := openJournal(out, store, t.Logf)
		if err != nil {
			t.Fatal(err)
		}
		j.raised(rawFinding(`{"a":"xxxx"}`, cffuzz.SeverityLow))
		j.raised(rawFinding(tt.again, cffuzz.SeverityHigh))

		es, err := store.Entries()
		if err != nil || len(es) != 1 || es[0].Finding.Severity != cffuzz.SeverityHigh || string(es[0].Input) != tt.again {
			t.Fatalf("%s: after raising again, %d entries (%v): want one, high, holding %s; got %+v", tt.reason, len(es), err, tt.again, es)
		}

		confirmed := rawFinding(tt.again, cffuzz.SeverityHigh)
		confirmed.Minimized, confirmed.MinimizedSize, confirmed.ShrinkSteps = []byte(tt.minimized), len(tt.minimized), 3
		path, _, err := j.Add(confirmed)
		if err != nil {
			t.Fatal(err)
		}
		if err := j.finish([]cffuzz.Finding{confirmed}, true); err != nil {
			t.Fatal(err)
		}
		es, err = store.Entries()
		if err != nil || len(es) != 1 || es[0].Path != path || string(es[0].Input) != tt.minimized || es[0].Finding.ShrinkSteps != 3 || es[0].Finding.Severity != cffuzz.SeverityHigh {
			t.Errorf("%s: after confirmation, %d entries (%v), want one at %s holding %s with its shrink steps; got %+v", tt.reason, len(es), err, path, tt.minimized, es)
		}

		jr, err := reports.ReadJournal(out)
		if err != nil {
			t.Fatal(err)
		}
		if len(jr.Findings) != 1 || jr.Stored != 1 || jr.Damaged != 0 || jr.Findings[0].Severity != cffuzz.SeverityHigh || jr.Findings[0].CorpusFile != path {
			t.Errorf("%s: the journal reads back as %+v, want one stored high finding at %s", tt.reason, jr, path)
		}
	}
}

// TestJournalRotatesAndReadsKilledRuns: a new campaign keeps the previous
// journal aside (so two never pile up in one file), and a journal cut
// short by a kill reads back with its last line counted as damaged.
func TestJournalRotatesAndReadsKilledRuns(t *testing.T) {
	out := t.TempDir()
	j, err := openJournal(out, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	j.raised(rawFinding(`{}`, cffuzz.SeverityHigh))
	second := rawFinding(`{}`, cffuzz.SeverityMedium)
	second.Signature = "decision/none"
	j.raised(second)
	if err := j.finish(nil, false); err != nil {
		t.Fatal(err)
	}
	// A kill in the middle of a line.
	f, err := os.OpenFile(filepath.Join(out, reports.JournalFile), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"event":"raised","time":"2026-`)
	f.Close()

	jr, err := reports.ReadJournal(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(jr.Findings) != 2 || jr.Stored != 0 || jr.Damaged != 1 || jr.Findings[0].Severity != cffuzz.SeverityHigh {
		t.Errorf("killed run: %+v, want two raised findings, worst first, and one damaged line", jr)
	}

	j, err = openJournal(out, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.finish(nil, true); err != nil {
		t.Fatal(err)
	}
	prev, err := os.ReadFile(filepath.Join(out, reports.JournalPrevFile))
	if err != nil || strings.Count(string(prev), `"event":"raised"`) != 3 {
		t.Errorf("the previous journal was not kept aside: %v\n%s", err, prev)
	}
	if jr, err := reports.ReadJournal(out); err != nil || len(jr.Findings) != 0 {
		t.Errorf("the new campaign's journal holds %+v (%v), want nothing", jr, err)
	}
}
