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
	"github.com/cffuzz/cffuzz/reports"
)

// journal saves findings as soon as they are raised: the raw input to the
// corpus (atomically), then a line in the findings journal
// (reports.JournalFile), synced, so that a campaign killed at any moment
// (kill -9, the OOM killer, a CI timeout) leaves a record of every
// finding raised so far. It is also the runner's
// Store for the confirmed findings, which replace the raw entries of the
// same bugs.
type journal struct {
	store *corpus.Corpus // nil when the corpus is disabled
	logf  func(string, ...any)

	mu      sync.Mutex
	f       *os.File
	size    int64             // bytes written to f
	dropped int               // lines not written past reports.MaxJournalBytes
	raw     map[string]string // signature → raw entry written by this run
	errs    []error
}

// openJournal starts the journal (reports.JournalFile) in out, keeping the
// previous campaign's as reports.JournalPrevFile, so that the journals of a
// directory never hold more than two campaigns.
func openJournal(out string, store *corpus.Corpus, logf func(string, ...any)) (*journal, error) {
	path := filepath.Join(out, reports.JournalFile)
	if st, err := os.Stat(path); err == nil && st.Size() > 0 {
		if err := os.Rename(path, filepath.Join(out, reports.JournalPrevFile)); err != nil {
			return nil, fmt.Errorf("keep the previous findings journal: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open the findings journal: %w", err)
	}
	return &journal{store: store, logf: logf, f: f, raw: map[string]string{}}, nil
}

// raised saves a finding the moment it is raised (for the first time, or
// at a higher severity than before). Failures are kept for finish: the
// campaign goes on, and says at the end what could not be saved.
func (j *journal) raised(f cffuzz.Finding) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.store != nil {
		var path string
		var err error
		if raw := j.raw[f.Signature]; raw != "" {
			// Raised again at a higher severity: the worse input, and
			// the metadata that goes with it, replace this run's entry
			// (rewritten in place when the input is the same).
			if path, err = j.store.Replace(raw, f); err == nil {
				j.raw[f.Signature] = path
			}
		} else {
			// Not added: an earlier run's entry of the same bug (or
			// input) stays; confirmation will decide.
			var added bool
			if path, added, err = j.store.Add(f); err == nil && added {
				j.raw[f.Signature] = path
			}
		}
		if err != nil {
			j.errs = append(j.errs, err)
		}
		f.CorpusFile = path
	}
	j.write(reports.EventRaised, f)
}

// Add stores a confirmed finding. It replaces the raw entry this run saved
// when the bug was raised; without one (the bug has an entry from an
// earlier run), it replaces an entry whose input is larger than its own.
// Each finding is hashed and encoded once; sizes come from the corpus's
// index, never from re-reading entries.
func (j *journal) Add(f cffuzz.Finding) (string, bool, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	var path string
	var added bool
	var err error
	if raw := j.raw[f.Signature]; raw != "" {
		path, err = j.store.Replace(raw, f)
		added = err == nil
		if err == nil {
			delete(j.raw, f.Signature)
		}
	} else {
		path, added, err = j.store.AddSmallest(f)
	}
	if err != nil {
		return path, false, err
	}
	f.CorpusFile = path
	j.write(reports.EventStored, f)
	return path, added, nil
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
	line, err := json.Marshal(reports.JournalLine{Event: event, Time: time.Now().UTC(), Finding: f})
	if err != nil {
		j.errs = append(j.errs, fmt.Errorf("findings journal: %w", err))
		return
	}
	if j.size+int64(len(line))+1 > reports.MaxJournalBytes {
		if j.dropped == 0 && j.logf != nil {
			j.logf("warning: the findings journal %s reached %d MiB: further findings go to the corpus only", j.f.Name(), reports.MaxJournalBytes>>20)
		}
		j.dropped++
		return
	}
	n, err := j.f.Write(append(line, '\n'))
	j.size += int64(n)
	if err != nil {
		j.errs = append(j.errs, fmt.Errorf("write the findings journal: %w", err))
		return
	}
	if err := j.f.Sync(); err != nil {
		j.errs = append(j.errs, fmt.Errorf("sync the findings journal: %w", err))
	}
}
