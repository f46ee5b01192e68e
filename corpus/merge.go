package corpus

import (
	"errors"
	"fmt"
)

// Merge adds the entries of the corpora in srcs to the corpus in dst
// (created if needed), as `fuzz corpus merge` does after sharded runs. An
// input or a signature already in dst is not added again, so duplicates
// across shards collapse. Unreadable source entries are skipped and reported
// in the error, with the count of entries that were added.
func Merge(dst string, srcs ...string) (added int, err error) {
	c, err := Open(dst)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, src := range srcs {
		entries, err := readEntries(src)
		if err != nil {
			errs = append(errs, fmt.Errorf("merge from %s: %w", src, err))
		}
		for _, e := range entries {
			_, ok, err := c.Add(e.Finding)
			if err != nil {
				return added, errors.Join(append(errs, err)...)
			}
			if ok {
				added++
			}
		}
	}
	return added, errors.Join(errs...)
}
