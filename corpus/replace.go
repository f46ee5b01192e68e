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
// minimized). The new entry is written first and old removed after, so a
// crash in between leaves both entries, never neither. It returns the new
// entry's path; when f's entry is old itself, nothing changes.
func (c *Corpus) Replace(old string, f cffuzz.Finding) (string, error) {
	name, err := NameFor(f, c.opts.Function)
	if err != nil {
		return "", err
	}
	path := filepath.Join(c.dir, name)
	if filepath.Clean(old) == path {
		return path, nil
	}
	data, err := MarshalFor(f, c.opts.Function)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.names[name] {
		if _, err := writeNew(c.dir, name, data); err != nil {
			return "", fmt.Errorf("add to corpus %s: %w", c.dir, err)
		}
		c.names[name] = true
	}
	if err := c.removeLocked(old); err != nil {
		return path, err
	}
	c.sigs[sigKey{c.opts.Function, f.Signature}] = sigEntry{path, len(input(f))}
	return path, nil
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
