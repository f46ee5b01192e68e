package redos_test

import (
	"testing"

	"github.com/cffuzz/cffuzz/internal/redos"
)

// FuzzAnalyze checks that any pattern and flags give an answer without a
// panic, and that every finding carries a confirmed attack.
func FuzzAnalyze(f *testing.F) {
	for _, seed := range []string{`^(a+)+$`, `(a|aa)*c`, `\s*\s*$`, `[`, `(?<n>a)\k<n>`, `a{2,1}`, `(?<=a+)b`, `\u{1F600}+`, `[\d-z]+`, `\cA\x41\101`, `(|a)*`, `(a?){30}a{30}`, `((((((((((a*)*)*)*)*)*)*)*)*)*)*b`, `[^]*`, `$^`, `\b+`} {
		f.Add(seed, "")
		f.Add(seed, "iu")
	}
	f.Fuzz(func(t *testing.T, pattern, flags string) {
		if len(pattern) > 200 {
			return
		}
		fd := redos.Analyze(pattern, flags)
		if fd != nil && (fd.Attack == "" || fd.Pump == "" || fd.Steps == 0) {
			t.Fatalf("finding without an attack: %+v", fd)
		}
	})
}
