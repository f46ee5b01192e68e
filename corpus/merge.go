package corpus

import (
	"errors"
	"fmt"
)

// Merge adds the entries of the corpora in srcs to the corpus in dst
// (created if needed), as `fuzz corpus merge` does after sharded runs. An
// input already in dst is not added again, and of two entries of one bug
// (one signature, in one function's corpus) the one with the smaller input
// is kept, so duplicates across shards collapse to their best reproducer
// whatever the order of srcs. Entries keep their function tags. Damaged
// source entries are skipped (never moved: the sources are only read) and
// reported in the error, with the count of entries added (a smaller input
// that replaces a larger one adds no entry and is not counted).
func Merge(dst string, srcs ...string) (added int, err error) {
	c, err := Open(dst)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, src := range srcs {
		entries, problems, err := readEntries(src, false)
		if err != nil {
			errs = append(errs, fmt.Errorf("merge from %s: %w", src, err))
		}
		for _, p := range problems {
			errs = append(errs, fmt.Errorf("merge from %s: %s", src, p))
		}
		for _, e := range entries {
			_, ok, replaced, err := c.add(e.Finding, e.Function, true)
			if err != nil {
				return added, errors.Join(append(errs, err)...)
			}
			if ok && !replaced {
				added++
			}
		}
	}
	return added, errors.Join(errs...)
}
