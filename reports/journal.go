package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cffuzz/cffuzz"
)

// JournalFile is the findings journal a campaign keeps in its output
// directory: one JSON object (a JournalLine) per line, appended and synced
// the moment a finding is raised ("raised", with its raw input) and when it
// is confirmed and minimized ("stored"), so that a campaign killed at any
// moment leaves a record of every finding raised so far, even when it
// never wrote report.json.
const JournalFile = "findings-journal.jsonl"

// JournalPrevFile holds the previous campaign's journal: a campaign that
// starts in a directory moves a non-empty journal there (replacing an
// older one), so a directory never holds more than two campaigns' lines.
const JournalPrevFile = "findings-journal.prev.jsonl"

// MaxJournalBytes bounds one campaign's journal: past it, the campaign
// writes no more lines (the corpus still gets every input), and
// ReadJournal reads no further.
const MaxJournalBytes = 64 << 20

// The events of the journal.
const (
	EventRaised = "raised"
	EventStored = "stored"
)

// JournalLine is one line of the findings journal.
type JournalLine struct {
	// Event is EventRaised (the raw input, before confirmation) or
	// EventStored (confirmed and minimized).
	Event string    `json:"event"`
	Time  time.Time `json:"time"`
	cffuzz.Finding
}

// Journal is what a findings journal holds: the latest state of each bug
// it names.
type Journal struct {
	// Path is the journal's file.
	Path string
	// Findings holds one finding per signature, worst first
	// (cffuzz.CompareFindings): the stored (confirmed, minimized) one when
	// the journal has it, otherwise the last raised one (raised again
	// only at a higher severity).
	Findings []cffuzz.Finding
	// Stored counts the findings that were confirmed and stored.
	Stored int
	// Damaged counts the lines that could not be read: usually the last
	// one, cut short by a kill.
	Damaged int
}

// ReadJournal reads the findings journal in dir. A directory without one
// gives an error for which errors.Is(err, fs.ErrNotExist) holds.
func ReadJournal(dir string) (*Journal, error) {
	path := filepath.Join(dir, JournalFile)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	jr := &Journal{Path: path}
	latest := map[string]JournalLine{}
	var order []string
	rd := bufio.NewReader(io.LimitReader(f, MaxJournalBytes))
	for {
		line, err := rd.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var l JournalLine
			if jerr := json.Unmarshal(line, &l); jerr != nil || l.Signature == "" || (l.Event != EventRaised && l.Event != EventStored) {
				jr.Damaged++
			} else {
				old, seen := latest[l.Signature]
				if !seen {
					order = append(order, l.Signature)
				}
				// A stored line wins over raised ones; of two lines of
				// the same event, the later.
				if !seen || old.Event != EventStored || l.Event == EventStored {
					latest[l.Signature] = l
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	for _, sig := range order {
		l := latest[sig]
		if l.Event == EventStored {
			jr.Stored++
		}
		jr.Findings = append(jr.Findings, l.Finding)
	}
	cffuzz.SortFindings(jr.Findings)
	return jr, nil
}

// WriteJournalSummary writes what a journal holds for a person: a
// headline (how many findings, how many confirmed, how many at or above
// failOn) and one line per finding, worst first, with its corpus entry.
func WriteJournalSummary(w io.Writer, j *Journal, failOn cffuzz.Severity) error {
	failing, _ := cffuzz.CountFailing(j.Findings, failOn)
	var b strings.Builder
	fmt.Fprintf(&b, "%s holds %s (%d confirmed and stored, %d raised only); %d at or above %s",
		j.Path, plural(len(j.Findings), "finding"), j.Stored, len(j.Findings)-j.Stored, failing, failOn)
	if j.Damaged > 0 {
		fmt.Fprintf(&b, "; %s unreadable (cut short by a kill?)", plural(j.Damaged, "line"))
	}
	b.WriteString("\n")
	for _, f := range j.Findings {
		fmt.Fprintf(&b, "  %-8s %-11s %s", f.Severity, f.Oracle, oneLine(f.Message))
		if f.CorpusFile != "" {
			fmt.Fprintf(&b, "\n           corpus entry: %s", f.CorpusFile)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
