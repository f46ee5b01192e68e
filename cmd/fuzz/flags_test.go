package main

import (
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestWeightsFlag(t *testing.T) {
	tests := []struct {
		reason string
		in     string
		want   weightsFlag
		ok     bool
	}{
		{"the documented form", "production=50,mutation=30,malformed=15,boundary=5",
			weightsFlag{"production": 50, "mutation": 30, "malformed": 15, "boundary": 5}, true},
		{"spaces and empty parts are tolerated", " production = 1 ,, wire=0 ", weightsFlag{"production": 1, "wire": 0}, true},
		{"a family needs a weight", "production", nil, false},
		{"weights are whole numbers", "production=0.5", nil, false},
		{"weights are not negative", "production=-1", nil, false},
	}
	for _, tt := range tests {
		var w weightsFlag
		err := w.Set(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("%s: Set(%q) error %v, want ok=%v", tt.reason, tt.in, err, tt.ok)
			continue
		}
		if tt.ok && !cmp.Equal(w, tt.want) {
			t.Errorf("%s: Set(%q) = %v, want %v", tt.reason, tt.in, w, tt.want)
		}
	}
}

func TestSeverityFlag(t *testing.T) {
	for _, name := range []string{"info", "low", "medium", "high", "critical", "none"} {
		var s severityFlag
		if err := s.Set(name); err != nil || s.String() != name {
			t.Errorf("Set(%q): %v, String() = %q", name, err, s.String())
		}
	}
	var s severityFlag
	if err := s.Set("severe"); err == nil {
		t.Error(`Set("severe") was accepted`)
	}
	if s.set || s.String() != "" {
		t.Errorf("a refused value changed the flag: %+v", s)
	}
}

// FuzzWeightsFlag checks that any --weights value is parsed or refused,
// never a panic, and that an accepted value survives String and Set.
func FuzzWeightsFlag(f *testing.F) {
	for _, s := range []string{"production=50,mutation=30", "wire=0", "a=b", ",,=", "x=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var w weightsFlag
		if err := w.Set(s); err != nil {
			return
		}
		for k, v := range w {
			if v < 0 {
				t.Fatalf("Set(%q) accepted the negative weight %s=%d", s, k, v)
			}
		}
		for k := range w {
			if strings.ContainsAny(k, ",=") {
				return // does not round-trip; refused later as an unknown family
			}
		}
		var again weightsFlag
		if err := again.Set(w.String()); err != nil || !cmp.Equal(again, w, cmpopts.EquateEmpty()) {
			t.Fatalf("Set(%q) = %v, printed %q, parsed again to %v (%v)", s, w, w.String(), again, err)
		}
	})
}

// FuzzSeverityFlag checks that a severity is parsed or refused, and that an
// accepted one prints as a name that parses to the same severity.
func FuzzSeverityFlag(f *testing.F) {
	for _, s := range []string{"medium", "HIGH", "none", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var a severityFlag
		if err := a.Set(s); err != nil {
			return
		}
		var b severityFlag
		if err := b.Set(a.String()); err != nil || b.v != a.v {
			t.Fatalf("Set(%q) printed %q, which parses to %v (%v)", s, a.String(), b.v, err)
		}
		if a.v < cffuzz.SeverityInfo {
			t.Fatalf("Set(%q) = %v, below info", s, a.v)
		}
	})
}
