// Package shell quotes words for a POSIX shell, for the commands cffuzz
// prints for people to paste: replay commands and AWS CLI commands.
//
// It is a few lines of the standard single-quote rule (as Python's
// shlex.quote): no Go module in this project's dependency set offers it,
// and one function does not justify a new dependency.
package shell

import "strings"

// Quote returns s as one word for a POSIX shell: unchanged when it holds
// only characters no shell treats specially, single-quoted otherwise (an
// embedded single quote is closed, escaped and reopened).
func Quote(s string) string {
	if s != "" && strings.IndexFunc(s, unsafe) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// unsafe reports whether r needs quoting.
func unsafe(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@%+,", r))
}

// Join quotes each word and joins them with spaces.
func Join(words ...string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = Quote(w)
	}
	return strings.Join(q, " ")
}
