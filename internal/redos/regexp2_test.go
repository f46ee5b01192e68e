package redos_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2/v2"

	"github.com/cffuzz/cffuzz/internal/redos"
)

// TestAttacksHurtABacktrackingEngine runs the attack strings of exponential
// findings, with ten more repetitions, on regexp2 (a backtracking engine,
// in ECMAScript mode): it does not finish within a generous timeout,
// which the same input of a safe pattern never needs.
func TestAttacksHurtABacktrackingEngine(t *testing.T) {
	for _, tt := range []struct {
		pattern, reason string
	}{
		{`^(a+)+$`, "nested plus"},
		{`(\w+\s?)*$`, "words and optional spaces"},
		{`^(a|aa)*c`, "overlapping alternatives"},
	} {
		f := redos.Analyze(tt.pattern, "")
		if f == nil || f.Degree != redos.Exponential {
			t.Fatalf("/%s/ (%s): no exponential finding: %v", tt.pattern, tt.reason, f)
		}
		attack := f.Prefix + strings.Repeat(f.Pump, f.Pumps+10) + f.Suffix
		re := regexp2.MustCompile(tt.pattern, regexp2.ECMAScript)
		re.MatchTimeout = 200 * time.Millisecond
		if _, err := re.MatchString(attack); err == nil {
			t.Errorf("/%s/ (%s): regexp2 finished on %q: the attack does not hurt a backtracking engine", tt.pattern, tt.reason, attack)
		}
	}
}
