package campaign

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
)

// JournalFile is the findings journal in Config.Out: one JSON object per
// line, appended and synced the moment a finding is raised ("raised", with
// its raw input) and when it is confirmed and minimized ("stored"), so
// that a campaign killed at any moment (kill -9, the OOM killer, a CI
// timeout) leaves a record of every finding raised so far.
const JournalFile = "findings-journal.jsonl"

// JournalLine is one line of the findings journal.
type JournalLine struct {
	// Event is "raised" (the raw input, before confirmation) or "stored"
	// (confirmed and minimized).
	Event string    `json:"event"`
	Time  time.Time `json:"time"`
	cffuzz.Finding
}

// journal saves findings as soon as they are raised: the raw input to the
// corpus (atomically, through corpus.Add), then a line in the journal. It
// is also the runner's Store for the confirmed findings, which replace the
// raw entries of the same bugs.
type journal struct {
	store *corpus.Corpus // nil when the corpus is disabled

	mu   sync.Mutex
	f    *os.File
	raw  map[string]string // signature → raw entry written by this run
	errs []error
}

// openJournal opens (appending) the journal in out.
func openJournal(out string, store *corpus.Corpus) (*journal, error) {
	f, err := os.OpenFile(filepath.Join(out, JournalFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open the findings journal: %w", err)
	}
	return &journal{store: store, f: f, raw: map[string]string{}}, nil
}

// raised saves a finding the moment it is raised. Failures are kept for
// err: the campaign goes on, and says at the end what could not be saved.
func (j *journal) raised(f cffuzz.Finding) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.store != nil {
		path, added, err := j.store.Add(f)
		switch {
		case err != nil:
			j.errs = append(j.errs, err)
		case added:
			j.raw[f.Signature] = path
		case j.raw[f.Signature] == path:
			// Raised again at a higher severity: keep the worse input.
			if path, err = j.store.Replace(path, f); err != nil {
				j.errs = append(j.errs, err)
			} else {
				j.raw[f.Signature] = path
			}
		}
		f.CorpusFile = path
	}
	j.write("raised", f)
}

// Add stores a confirmed finding. An entry of the same bug may exist: the
// raw input this run saved when the bug was raised, or an entry of an
// earlier run (a killed one saves raw inputs only). The finding replaces
// this run's raw entry, and any entry whose input is larger than its own.
func (j *journal) Add(f cffuzz.Finding) (string, bool, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	path, added, err := j.store.Add(f)
	if err != nil || added {
		f.CorpusFile = path
		j.write("stored", f)
		return path, added, err
	}
	if name, err := j.store.EntryName(f); err == nil && filepath.Base(path) == name {
		f.CorpusFile = path
		j.write("stored", f)
		return path, false, nil
	}
	replace := j.raw[f.Signature] == path
	if !replace {
		replace = true
		if data, err := os.ReadFile(path); err == nil {
			if e, err := corpus.ParseEntry(path, data); err == nil {
				replace = len(e.Input) > len(inputOf(f))
			}
		}
	}
	if !replace {
		return path, false, nil
	}
	newPath, err := j.store.Replace(path, f)
	if err != nil {
		return path, false, err
	}
	delete(j.raw, f.Signature)
	f.CorpusFile = newPath
	j.write("stored", f)
	return newPath, true, nil
}

// finish removes the raw entries of bugs that confirmation rejected (when
// the campaign completed, so that every raised bug had its chance) and
// closes the journal. It returns what could not be saved.
func (j *journal) finish(findings []cffuzz.Finding, complete bool) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if complete && j.store != nil {
		kept := map[string]bool{}
		for _, f := range findings {
			kept[f.Signature] = true
		}
		for sig, path := range j.raw {
			if !kept[sig] {
				if err := j.store.Remove(path); err != nil {
					j.errs = append(j.errs, err)
				}
			}
		}
	}
	if err := j.f.Close(); err != nil {
		j.errs = append(j.errs, fmt.Errorf("close the findings journal: %w", err))
	}
	return errors.Join(j.errs...)
}

// write appends one line and syncs it; j.mu is held.
func (j *journal) write(event string, f cffuzz.Finding) {
	line, err := json.Marshal(JournalLine{Event: event, Time: time.Now().UTC(), Finding: f})
	if err != nil {
		j.errs = append(j.errs, fmt.Errorf("findings journal: %w", err))
		return
	}
	if _, err := j.f.Write(append(line, '\n')); err != nil {
		j.errs = append(j.errs, fmt.Errorf("write the findings journal: %w", err))
		return
	}
	if err := j.f.Sync(); err != nil {
		j.errs = append(j.errs, fmt.Errorf("sync the findings journal: %w", err))
	}
}

// inputOf is the input a finding is stored with.
func inputOf(f cffuzz.Finding) []byte {
	if len(f.Minimized) > 0 {
		return f.Minimized
	}
	return f.Original
}
