package corpus

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
)

// Kinds of Problem.
const (
	// ProblemCorrupt: an entry that cannot be parsed (truncated, edited,
	// not an entry); it is moved to the quarantine subdirectory.
	ProblemCorrupt = "corrupt"
	// ProblemVersion: an entry of a format this cffuzz does not read; left
	// in place for the cffuzz that wrote it.
	ProblemVersion = "unknown-version"
	// ProblemLink: a symbolic link with an entry's name; never followed.
	ProblemLink = "link"
	// ProblemNotFile: a directory or another non-file with an entry's name.
	ProblemNotFile = "not-a-file"
	// ProblemStaleTemp: a temporary file of an interrupted write, removed.
	ProblemStaleTemp = "stale-temp"
)

// Problem is a file of a corpus that could not be used as an entry, or was
// cleaned up.
type Problem struct {
	// Path is the file.
	Path string
	// Kind is one of the Problem* constants.
	Kind string
	// Err says what is wrong and what to do.
	Err error
	// MovedTo is where a corrupt entry was moved, or "".
	MovedTo string
}

func (p Problem) String() string {
	s := p.Err.Error()
	if !strings.Contains(s, p.Path) {
		s = p.Path + ": " + s
	}
	if p.MovedTo != "" {
		s += " (moved to " + p.MovedTo + ")"
	}
	return s
}

// LoadError is what Entries reports besides the entries it returns: the
// damaged files it skipped and the entries of other functions it left out.
// None of it stops a campaign; print it as a warning.
type LoadError struct {
	// Dir is the corpus directory.
	Dir string
	// Function is the corpus's function key ("" for an untagged corpus).
	Function string
	// Problems lists the damaged or cleaned-up files.
	Problems []Problem
	// Skipped counts the entries of other functions, by function key.
	Skipped map[string]int
}

func (e *LoadError) Error() string {
	var lines []string
	for _, p := range e.Problems {
		lines = append(lines, "corpus "+e.Dir+": "+p.String())
	}
	for _, fn := range slices.Sorted(maps.Keys(e.Skipped)) {
		lines = append(lines, fmt.Sprintf("corpus %s: %d entries of function %q are not replayed against %q (use another --corpus directory per function; replay them with that function)",
			e.Dir, e.Skipped[fn], fn, e.Function))
	}
	return strings.Join(lines, "\n")
}

// Damaged returns how many files were corrupt, of an unknown version,
// links or not files (stale temporary files are not counted).
func (e *LoadError) Damaged() int {
	n := 0
	for _, p := range e.Problems {
		if p.Kind != ProblemStaleTemp {
			n++
		}
	}
	return n
}

// FunctionKey returns the key that tags a function's corpus entries: the
// base name of its file without the extension ("fn" for "dir/fn.js"), or
// a function id as it is, reduced to letters, digits, '.', '-' and '_'.
// Two functions of the same file name share a key: give them separate
// corpus directories.
func FunctionKey(pathOrID string) string {
	base := filepath.Base(filepath.ToSlash(pathOrID))
	if ext := filepath.Ext(base); ext != "" && ext != base {
		base = strings.TrimSuffix(base, ext)
	}
	key := strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, base)
	if strings.Trim(key, "._") == "" {
		return "function"
	}
	return key
}
