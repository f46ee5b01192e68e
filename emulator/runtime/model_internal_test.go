package runtime

import (
	"fmt"
	"testing"
	"time"
)

// TestModelDefaultsUnchanged checks that the zero Options give exactly
// the numbers and messages of the emulator before the model had a base, a
// cap and formats: round(100 × cpu / 5 ms), at least 100 on a timeout,
// and "<Name>: <message>[ at line L:C]".
func TestModelDefaultsUnchanged(t *testing.T) {
	o := Options{}.withDefaults()
	for cpu := time.Duration(0); cpu <= 100*time.Millisecond; cpu += 997 * time.Nanosecond {
		old := int((100*cpu + o.Budget/2) / o.Budget)
		if got := o.utilizationOf(cpu, false); got != old {
			t.Fatalf("utilization of %v: %d, before %d", cpu, got, old)
		}
		if got := o.utilizationOf(cpu, true); got != max(old, 100) {
			t.Fatalf("timeout utilization of %v: %d, before %d", cpu, got, max(old, 100))
		}
	}
	for _, tc := range []struct {
		name, msg string
		line, col int
	}{{"TypeError", "x is undefined", 3, 12}, {"Error", "", 0, 0}, {"RangeError", "{location} at line", 1, 1}, {"Error", "uncaught string \"a\"", 0, 5}} {
		old := tc.name + ": " + tc.msg
		if tc.line > 0 {
			old += fmt.Sprintf(" at line %d:%d", tc.line, tc.col)
		}
		if got := o.Formats.FormatError(tc.name, tc.msg, tc.line, tc.col); got != old {
			t.Errorf("FormatError %q, before %q", got, old)
		}
	}
}
