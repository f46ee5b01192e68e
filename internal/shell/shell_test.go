package shell_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/internal/shell"
)

func TestQuote(t *testing.T) {
	tests := []struct {
		reason, in, want string
	}{
		{"a plain path stays as it is", "cffuzz-out/corpus/3f2a9c0d1e4b5a6c", "cffuzz-out/corpus/3f2a9c0d1e4b5a6c"},
		{"flag values with = , : @ % + stay plain", "production=1,boundary=0", "production=1,boundary=0"},
		{"the empty word is quoted, not dropped", "", "''"},
		{"spaces are quoted", "my fn.js", "'my fn.js'"},
		{"a single quote is closed, escaped and reopened", "it's", `'it'\''s'`},
		{"shell metacharacters are quoted", "$(rm -rf ~); `x` *", "'$(rm -rf ~); `x` *'"},
	}
	for _, tt := range tests {
		if got := shell.Quote(tt.in); got != tt.want {
			t.Errorf("%s: Quote(%q) = %s, want %s", tt.reason, tt.in, got, tt.want)
		}
	}
}

// TestQuoteRoundTrip: a POSIX shell reads each quoted word back as it was.
func TestQuoteRoundTrip(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	words := []string{"plain", "", "two words", "it's", "$HOME", "a\nb", `back\slash`, "\"dq\"", "!bang", "*"}
	out, err := exec.Command(sh, "-c", `for w in `+shell.Join(words...)+`; do printf '%s\0' "$w"; done`).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if strings.Join(got, "|") != strings.Join(words, "|") {
		t.Errorf("the shell read back %q, want %q", got, words)
	}
}
