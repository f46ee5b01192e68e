package corpus

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cffuzz/cffuzz"
)

// DefaultTmpGrace is how old a ".tmp-" file of an interrupted write must
// be before Open removes it. A write holds its temporary file for
// milliseconds; an hour leaves room for any writer still at work.
const DefaultTmpGrace = time.Hour

// QuarantineDir is the subdirectory corrupt entries are moved to.
const QuarantineDir = "quarantine"

// Options configures a Corpus. The zero value opens an untagged corpus:
// entries are written as v1 and every entry is replayed.
type Options struct {
	// Function is the key of the function the corpus belongs to (see
	// FunctionKey). When set, new entries are tagged with it (format v2),
	// and Entries leaves out entries tagged with another function,
	// counting them in its *LoadError. Untagged entries belong to every
	// function.
	Function string
	// TmpGrace is the age past which Open removes ".tmp-" files left by
	// interrupted writes (default DefaultTmpGrace).
	TmpGrace time.Duration
	// Now is the clock TmpGrace is measured with (default time.Now).
	Now func() time.Time
}

// Corpus is a corpus directory. Its methods are safe for concurrent use, and
// several Corpus values (in several processes) may share a directory.
type Corpus struct {
	dir  string
	opts Options

	mu       sync.Mutex
	names    map[string]bool     // entry names known to exist
	sigs     map[sigKey]sigEntry // (function, signature) → entry
	problems []Problem           // every problem met so far, once each
	seen     map[string]bool     // path+kind of the problems recorded
}

// sigKey identifies a bug in one function's corpus.
type sigKey struct{ function, signature string }

// sigEntry is the entry stored for a bug.
type sigEntry struct {
	path string
	size int
}

// Open opens the corpus in dir, creating the directory if needed, with
// the zero Options.
func Open(dir string) (*Corpus, error) { return OpenWith(dir, Options{}) }

// OpenWith opens the corpus in dir, creating the directory if needed:
// it removes stale temporary files, moves corrupt entries to the
// quarantine subdirectory and indexes the rest. Damage never stops it:
// Entries reports what was found.
func OpenWith(dir string, opts Options) (*Corpus, error) {
	if opts.TmpGrace <= 0 {
		opts.TmpGrace = DefaultTmpGrace
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create corpus directory: %w", err)
	}
	c := &Corpus{dir: dir, opts: opts, names: map[string]bool{}, sigs: map[sigKey]sigEntry{}, seen: map[string]bool{}}
	c.removeStaleTemps()
	entries, problems, err := readEntries(dir, true)
	if err != nil {
		return nil, err
	}
	c.record(problems)
	for _, e := range entries {
		c.index(filepath.Base(e.Path), e.Path, e.Function, e.Finding.Signature, len(e.Input))
	}
	return c, nil
}

// Dir returns the corpus directory.
func (c *Corpus) Dir() string { return c.dir }

func (c *Corpus) index(name, path, function, sig string, size int) {
	c.names[name] = true
	k := sigKey{function, sig}
	if _, ok := c.sigs[k]; !ok {
		c.sigs[k] = sigEntry{path, size}
	}
}

// existing returns the entry stored for sig in function's corpus: its own
// or an untagged one.
func (c *Corpus) existing(function, sig string) (sigEntry, bool) {
	if e, ok := c.sigs[sigKey{function, sig}]; ok {
		return e, true
	}
	e, ok := c.sigs[sigKey{"", sig}]
	return e, ok
}

// record adds problems not recorded yet; c.mu is held or c is new.
func (c *Corpus) record(problems []Problem) {
	for _, p := range problems {
		k := p.Kind + "\x00" + p.Path
		if !c.seen[k] {
			c.seen[k] = true
			c.problems = append(c.problems, p)
		}
	}
}

// removeStaleTemps removes the ".tmp-" files older than TmpGrace.
func (c *Corpus) removeStaleTemps() {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return // readEntries reports an unreadable directory
	}
	now := c.opts.Now()
	for _, de := range des {
		if !strings.HasPrefix(de.Name(), tmpPrefix) || !de.Type().IsRegular() {
			continue
		}
		fi, err := de.Info()
		if err != nil || now.Sub(fi.ModTime()) < c.opts.TmpGrace {
			continue
		}
		path := filepath.Join(c.dir, de.Name())
		if err := os.Remove(path); err == nil {
			c.record([]Problem{{Path: path, Kind: ProblemStaleTemp,
				Err: fmt.Errorf("removed: a temporary file left by an interrupted write %s ago", now.Sub(fi.ModTime()).Round(time.Second))}})
		}
	}
}

// Add stores f with its minimized input (its original input if it has no
// minimized one), tagged with the corpus's function, and returns the
// entry's path. added is false, and nothing is written, when an entry with
// the same content hash or the same signature already exists; path is then
// that entry's.
func (c *Corpus) Add(f cffuzz.Finding) (path string, added bool, err error) {
	path, added, _, err = c.add(f, c.opts.Function, false)
	return path, added, err
}

// EntryName returns the file name f is stored under in this corpus (see
// NameFor).
func (c *Corpus) EntryName(f cffuzz.Finding) (string, error) { return NameFor(f, c.opts.Function) }

// add stores f in function's corpus; with smaller, an existing entry of
// the same bug whose input is larger is replaced (on equal sizes, the
// entry of the smaller name is kept, so the result does not depend on
// the order of the adds); replaced says so.
func (c *Corpus) add(f cffuzz.Finding, function string, smaller bool) (path string, added, replaced bool, err error) {
	name, err := NameFor(f, function)
	if err != nil {
		return "", false, false, err
	}
	path = filepath.Join(c.dir, name)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.names[name] {
		return path, false, false, nil
	}
	old, dup := c.existing(function, f.Signature)
	size := len(input(f))
	if dup && (!smaller || old.size < size || old.size == size && filepath.Base(old.path) < name) {
		return old.path, false, false, nil
	}
	data, err := MarshalFor(f, function)
	if err != nil {
		return "", false, false, err
	}
	created, err := writeNew(c.dir, name, data)
	if err != nil {
		return "", false, false, fmt.Errorf("add to corpus %s: %w", c.dir, err)
	}
	if dup {
		// Written first, removed after: a crash in between leaves both.
		if err := c.removeLocked(old.path); err != nil {
			return path, created, true, err
		}
	}
	c.names[name] = true
	c.sigs[sigKey{function, f.Signature}] = sigEntry{path, size}
	return path, created, dup, nil
}

// Entries reads every entry of the corpus's function, in replay order:
// highest severity first, then by name. Files that are not entries (a
// README, ".tmp-" files) are ignored. When something was wrong the entries
// that could be used come with a *LoadError that lists each damaged file
// (a corrupt entry, moved to the quarantine subdirectory; a link, which is
// never followed; a directory; an entry of an unknown format) and counts
// the entries of other functions left out. Any other error means the
// directory could not be read.
func (c *Corpus) Entries() ([]Entry, error) {
	entries, problems, err := readEntries(c.dir, true)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.record(problems)
	le := &LoadError{Dir: c.dir, Function: c.opts.Function, Problems: slices.Clone(c.problems)}
	c.mu.Unlock()
	out := entries[:0]
	for _, e := range entries {
		if c.opts.Function != "" && e.Function != "" && e.Function != c.opts.Function {
			if le.Skipped == nil {
				le.Skipped = map[string]int{}
			}
			le.Skipped[e.Function]++
			continue
		}
		out = append(out, e)
	}
	if len(le.Problems) == 0 && len(le.Skipped) == 0 {
		return out, nil
	}
	return out, le
}

// readEntries reads the entries of dir in replay order. With quarantine,
// corrupt entries are moved to dir/QuarantineDir. Its error is only for a
// directory that cannot be read; damaged files are problems.
func readEntries(dir string, quarantine bool) ([]Entry, []Problem, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read corpus: %w", err)
	}
	var out []Entry
	var problems []Problem
	for _, de := range des {
		if !isEntryName(de.Name()) {
			continue
		}
		path := filepath.Join(dir, de.Name())
		switch t := de.Type(); {
		case t&fs.ModeSymlink != 0:
			problems = append(problems, Problem{Path: path, Kind: ProblemLink,
				Err: errors.New("is a symbolic link, which is never followed: replace it with the entry file itself, or remove it")})
			continue
		case t.IsDir():
			problems = append(problems, Problem{Path: path, Kind: ProblemNotFile,
				Err: errors.New("is a directory, not an entry: move it out of the corpus")})
			continue
		case !t.IsRegular():
			problems = append(problems, Problem{Path: path, Kind: ProblemNotFile,
				Err: fmt.Errorf("is not a regular file (%v): remove it", t)})
			continue
		}
		e, err := readEntry(path)
		var ve *versionError
		switch {
		case err == nil:
			out = append(out, e)
		case errors.As(err, &ve):
			problems = append(problems, Problem{Path: path, Kind: ProblemVersion, Err: err})
		case errors.Is(err, errNotRegular), errors.Is(err, fs.ErrNotExist):
			// Replaced or removed while being read: the next read sees it.
		case quarantine:
			p := Problem{Path: path, Kind: ProblemCorrupt, Err: err}
			if moved, qerr := moveToQuarantine(dir, de.Name()); qerr == nil {
				p.MovedTo = moved
			} else {
				p.Err = fmt.Errorf("%w (and it could not be quarantined: %v)", err, qerr)
			}
			problems = append(problems, p)
		default:
			problems = append(problems, Problem{Path: path, Kind: ProblemCorrupt, Err: err})
		}
	}
	slices.SortFunc(out, func(a, b Entry) int {
		if c := cmp.Compare(b.Finding.Severity, a.Finding.Severity); c != 0 {
			return c
		}
		return cmp.Compare(filepath.Base(a.Path), filepath.Base(b.Path))
	})
	return out, problems, nil
}

// errNotRegular: the path was replaced by something else than a regular
// file between listing and opening it.
var errNotRegular = errors.New("not a regular file")

// readEntry reads the entry at path without following a link: the file
// opened must be the regular file the path names.
func readEntry(path string) (Entry, error) {
	lst, err := os.Lstat(path)
	if err != nil {
		return Entry{}, fmt.Errorf("corpus entry %s: %w", path, err)
	}
	if !lst.Mode().IsRegular() {
		return Entry{}, fmt.Errorf("corpus entry %s: %w", path, errNotRegular)
	}
	f, err := os.Open(path)
	if err != nil {
		return Entry{}, fmt.Errorf("corpus entry %s: %w", path, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !os.SameFile(lst, st) {
		return Entry{}, fmt.Errorf("corpus entry %s: %w", path, errNotRegular)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxEntrySize+1))
	if err != nil {
		return Entry{}, fmt.Errorf("corpus entry %s: %w", path, err)
	}
	return ParseEntry(path, data)
}

// moveToQuarantine moves dir/name into dir/QuarantineDir, under a new name
// if one of that name is there already, and returns where it went.
func moveToQuarantine(dir, name string) (string, error) {
	q := filepath.Join(dir, QuarantineDir)
	if err := os.MkdirAll(q, 0o755); err != nil {
		return "", err
	}
	dst := filepath.Join(q, name)
	for i := 1; ; i++ {
		if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
			break
		}
		dst = filepath.Join(q, fmt.Sprintf("%s.%d", name, i))
	}
	if err := os.Rename(filepath.Join(dir, name), dst); err != nil {
		return "", err
	}
	return dst, nil
}

// isEntryName reports whether name is a content-hash entry name.
func isEntryName(name string) bool {
	if len(name) != nameLen {
		return false
	}
	for _, r := range name {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}
