package oracles_test

import (
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/oracles"
)

// TestUtilizationMargin: a slow corpus entry keeps its finding until it
// measures a margin below its band, so that timing noise around the
// threshold does not flip it between runs; generated inputs get no margin.
func TestUtilizationMargin(t *testing.T) {
	or := oracles.Utilization(oracles.UtilizationOptions{})
	generated := &cffuzz.Case{Family: "production", Class: cffuzz.ClassProduction, Object: []byte(`{}`)}
	entry := &cffuzz.Case{Family: "corpus", Variant: oracles.KindSlow, Class: cffuzz.ClassProduction, Object: []byte(`{}`)}
	crashEntry := &cffuzz.Case{Family: "corpus", Variant: "TypeError", Class: cffuzz.ClassProduction, Object: []byte(`{}`)}
	tests := []struct {
		reason string
		c      *cffuzz.Case
		util   int
		want   cffuzz.Severity // SeverityInfo: no signal
	}{
		{"a generated input at 65 is under the threshold", generated, 65, cffuzz.SeverityInfo},
		{"a slow corpus entry measuring 65 still fails (within 10 of 70)", entry, 65, cffuzz.SeverityMedium},
		{"a slow corpus entry measuring 59 is fixed", entry, 59, cffuzz.SeverityInfo},
		{"a slow corpus entry measuring 92 stays high (within 10 of 100)", entry, 92, cffuzz.SeverityHigh},
		{"a generated input at 92 is medium", generated, 92, cffuzz.SeverityMedium},
		{"other corpus entries get no margin", crashEntry, 65, cffuzz.SeverityInfo},
		{"a confirmation run is judged like a generated input: 65 does not confirm a finding raised at 71", &cffuzz.Case{Family: "production", Class: cffuzz.ClassProduction, Object: []byte(`{}`)}, 65, cffuzz.SeverityInfo},
	}
	for _, tt := range tests {
		got := or.Check(tt.c, &cffuzz.Outcome{Status: 200, Decision: cffuzz.DecisionAllow, Calls: []string{"allow"}, Utilization: tt.util})
		sev := cffuzz.SeverityInfo
		if len(got) > 0 {
			sev = got[0].Severity
		}
		if sev != tt.want {
			t.Errorf("%s: severity %v (%+v), want %v", tt.reason, sev, got, tt.want)
		}
	}
}
