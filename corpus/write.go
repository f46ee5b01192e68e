package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// tmpPrefix starts the names of files being written; readers skip them.
const tmpPrefix = ".tmp-"

// writeNew writes data to dir/name atomically and only if no file of that
// name exists: the data goes to a temporary file in dir, is fsynced, then
// hard-linked to name (which fails if name exists), and the directory is
// fsynced. It reports whether it created the file. On a file system without
// hard links it falls back to rename after checking that name is absent.
func writeNew(dir, name string, data []byte) (created bool, err error) {
	tmp, err := os.CreateTemp(dir, tmpPrefix+name+"-*")
	if err != nil {
		return false, fmt.Errorf("create a temporary file in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name()) // after a link, or on failure
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, fmt.Errorf("sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return false, fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	dst := filepath.Join(dir, name)
	switch err := os.Link(tmp.Name(), dst); {
	case err == nil:
	case errors.Is(err, fs.ErrExist):
		return false, nil
	default:
		if _, statErr := os.Lstat(dst); statErr == nil {
			return false, nil
		}
		if err := os.Rename(tmp.Name(), dst); err != nil {
			return false, fmt.Errorf("move %s into place: %w", dst, err)
		}
	}
	return true, syncDir(dir)
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open %s to sync it: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
