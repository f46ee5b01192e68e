package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cffuzz/cffuzz"
)

// Replace stores f in place of the entry at old, an entry of the same bug
// written earlier (a raw input stored the moment it was raised, now
// minimized, or raised again at a higher severity). The new entry is
// written first and old removed after, so a crash in between leaves both
// entries, never neither. When f's entry is old itself (the same input),
// old is rewritten atomically with f's metadata. It returns the new
// entry's path.
func (c *Corpus) Replace(old string, f cffuzz.Finding) (string, error) {
	name, err := NameFor(f, c.opts.Function)
	if err != nil {
		return "", err
	}
	data, err := MarshalFor(f, c.opts.Function)
	if err != nil {
		return "", err
	}
	path := filepath.Join(c.dir, name)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case filepath.Clean(old) == path:
		if err := rewrite(c.dir, name, data); err != nil {
			return "", fmt.Errorf("update corpus entry %s: %w", path, err)
		}
		c.names[name] = true
	case !c.names[name]:
		if _, err := writeNew(c.dir, name, data); err != nil {
			return "", fmt.Errorf("add to corpus %s: %w", c.dir, err)
		}
		c.names[name] = true
		fallthrough
	default:
		if err := c.removeLocked(old); err != nil {
			return path, err
		}
	}
	c.sigs[sigKey{c.opts.Function, f.Signature}] = sigEntry{path, len(input(f))}
	return path, nil
}

// AddSmallest stores f as Add does, except that an entry of the same bug
// whose input is larger than f's is replaced by f's (on equal sizes, the
// entry of the smaller name is kept): the corpus keeps each bug's smallest
// reproducer, whatever the order of the adds. added is false when f's
// entry was not written; path is then the entry kept.
func (c *Corpus) AddSmallest(f cffuzz.Finding) (path string, added bool, err error) {
	path, added, _, err = c.add(f, c.opts.Function, true)
	return path, added, err
}

// Remove deletes the entry at path (which must be in the corpus
// directory) and forgets it. A missing entry is not an error.
func (c *Corpus) Remove(path string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.removeLocked(path)
}

func (c *Corpus) removeLocked(path string) error {
	name := filepath.Base(path)
	if filepath.Clean(filepath.Dir(path)) != filepath.Clean(c.dir) || !isEntryName(name) {
		return fmt.Errorf("remove %s: not an entry of the corpus %s", path, c.dir)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove corpus entry: %w", err)
	}
	delete(c.names, name)
	for k, e := range c.sigs {
		if filepath.Base(e.path) == name {
			delete(c.sigs, k)
		}
	}
	return syncDir(c.dir)
}
