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
	tmp, err := writeTemp(dir, name, data)
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp) // after a link, or on failure
	dst := filepath.Join(dir, name)
	switch err := os.Link(tmp, dst); {
	case err == nil:
	case errors.Is(err, fs.ErrExist):
		return false, nil
	default:
		if _, statErr := os.Lstat(dst); statErr == nil {
			return false, nil
		}
		if err := os.Rename(tmp, dst); err != nil {
			return false, fmt.Errorf("move %s into place: %w", dst, err)
		}
	}
	return true, syncDir(dir)
}

// rewrite replaces dir/name with data atomically: a temporary file in dir,
// fsynced, renamed over name, then the directory fsynced. A reader sees
// the old content or the new, never a mix.
func rewrite(dir, name string, data []byte) error {
	tmp, err := writeTemp(dir, name, data)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // on failure; renamed away otherwise
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("move %s into place: %w", name, err)
	}
	return syncDir(dir)
}

// writeTemp writes data to a new temporary file in dir, named after name
// (readers skip it), fsynced and closed, and returns its path.
func writeTemp(dir, name string, data []byte) (string, error) {
	tmp, err := os.CreateTemp(dir, tmpPrefix+name+"-*")
	if err != nil {
		return "", fmt.Errorf("create a temporary file in %s: %w", dir, err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	return tmp.Name(), nil
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
