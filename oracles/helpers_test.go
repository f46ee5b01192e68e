package oracles_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/oracles"
)

const validObject = `{"clientIp":"203.0.113.42","clientCertificate":{"certificates":{"leaf":{"serialNumber":"4a:3f"}}}}`

// prod returns a production case with the valid object.
func prod() *cffuzz.Case {
	return &cffuzz.Case{Family: "production", Class: cffuzz.ClassProduction, Object: []byte(validObject)}
}

// malformed returns a malformed case.
func malformed() *cffuzz.Case {
	return &cffuzz.Case{Family: "malformed", Class: cffuzz.ClassMalformed, Variant: "not-json", Object: []byte("{")}
}

// ok returns an OK outcome that allowed the connection.
func ok(mod ...func(*cffuzz.Outcome)) *cffuzz.Outcome {
	o := &cffuzz.Outcome{Target: "emulator", Status: 200, Attempts: 1, Decision: cffuzz.DecisionAllow, Calls: []string{"allow"}, Utilization: 10}
	for _, m := range mod {
		m(o)
	}
	return o
}

// oracleCase is one row of an oracle table test.
type oracleCase struct {
	reason string
	c      *cffuzz.Case
	o      *cffuzz.Outcome
	want   []cffuzz.Signal
}

func runOracleTable(t *testing.T, or oracles.Oracle, tests []oracleCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got := or.Check(tt.c, tt.o)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: Check mismatch (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}
