package corpus

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/cffuzz/cffuzz"
)

// Corpus is a corpus directory. Its methods are safe for concurrent use, and
// several Corpus values (in several processes) may share a directory.
type Corpus struct {
	dir string

	mu    sync.Mutex
	names map[string]bool   // entry names known to exist
	sigs  map[string]string // signature → entry path
}

// Open opens the corpus in dir, creating the directory if needed, and
// indexes its entries. Corrupt entries do not stop Open; Entries reports them.
func Open(dir string) (*Corpus, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create corpus directory: %w", err)
	}
	c := &Corpus{dir: dir, names: map[string]bool{}, sigs: map[string]string{}}
	entries, _ := readEntries(dir) // bad files are reported by Entries
	for _, e := range entries {
		c.index(filepath.Base(e.Path), e.Path, e.Finding.Signature)
	}
	return c, nil
}

// Dir returns the corpus directory.
func (c *Corpus) Dir() string { return c.dir }

func (c *Corpus) index(name, path, sig string) {
	c.names[name] = true
	if _, ok := c.sigs[sig]; !ok {
		c.sigs[sig] = path
	}
}

// Add stores f with its minimized input (its original input if it has no
// minimized one) and returns the entry's path. added is false, and nothing
// is written, when an entry with the same content hash or the same
// signature already exists; path is then that entry's.
func (c *Corpus) Add(f cffuzz.Finding) (path string, added bool, err error) {
	name, err := Name(f)
	if err != nil {
		return "", false, err
	}
	path = filepath.Join(c.dir, name)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.names[name] {
		return path, false, nil
	}
	if p, ok := c.sigs[f.Signature]; ok {
		return p, false, nil
	}
	data, err := Marshal(f)
	if err != nil {
		return "", false, err
	}
	created, err := writeNew(c.dir, name, data)
	if err != nil {
		return "", false, fmt.Errorf("add to corpus %s: %w", c.dir, err)
	}
	c.index(name, path, f.Signature)
	return path, created, nil
}

// Entries reads every entry, in replay order: highest severity first, then
// by name. Files that are not entries are ignored. Entries that cannot be
// read or parsed are left out and reported together in the error, each
// naming its file; the entries that could be read are returned with it.
func (c *Corpus) Entries() ([]Entry, error) { return readEntries(c.dir) }

func readEntries(dir string) ([]Entry, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read corpus: %w", err)
	}
	var out []Entry
	var errs []error
	for _, de := range des {
		if !isEntryName(de.Name()) || !de.Type().IsRegular() {
			continue
		}
		e, err := readEntry(filepath.Join(dir, de.Name()))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int {
		if c := cmp.Compare(b.Finding.Severity, a.Finding.Severity); c != 0 {
			return c
		}
		return cmp.Compare(filepath.Base(a.Path), filepath.Base(b.Path))
	})
	return out, errors.Join(errs...)
}

func readEntry(path string) (Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return Entry{}, fmt.Errorf("corpus entry %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxEntrySize+1))
	if err != nil {
		return Entry{}, fmt.Errorf("corpus entry %s: %w", path, err)
	}
	return ParseEntry(path, data)
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
