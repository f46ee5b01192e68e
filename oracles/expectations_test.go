package oracles_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/oracles"
)

func TestLoadExpectations(t *testing.T) {
	tests := []struct {
		in, wantErr string
		want        []oracles.ExpectationRule
		reason      string
	}{
		{"rules:\n  - class: boundary\n    status: 200\n", "", []oracles.ExpectationRule{{Class: "boundary", Status: 200}}, "YAML"},
		{`{"rules":[{"family":"malformed","variant":"not-json","status":400,"code":"InvalidArgument"}]}`, "",
			[]oracles.ExpectationRule{{Family: "malformed", Variant: "not-json", Status: 400, Code: "InvalidArgument"}}, "JSON is YAML"},
		{"", "", nil, "an empty file has no rules"},
		{"rules:\n  - class: boundary\n    stauts: 200\n", "stauts", nil, "a misspelt field is an error, not a silent no-op"},
		{"rules:\n  - family: x\n", "rule 1: sets neither status nor code", nil, "a rule that checks nothing"},
		{"rules:\n  - status: 200\n  - variant: '[x'\n    status: 400\n", "rule 2: variant pattern", nil, "a bad glob names its rule"},
		{"rules:\n  - status: 42\n", "not an HTTP status", nil, "status out of range"},
		{"rules: [", "parse expectations", nil, "broken YAML"},
		{strings.Repeat(" ", oracles.MaxExpectationsSize+1), "over", nil, "size cap"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got, err := oracles.LoadExpectations(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("%s: err = %v, want it to mention %q", tt.reason, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
			if diff := cmp.Diff(tt.want, got.Rules); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestExpectationsLookup(t *testing.T) {
	var nilExp *oracles.Expectations
	if _, ok := nilExp.Lookup(prod()); ok {
		t.Error("a nil Expectations matched a case")
	}
	e := &oracles.Expectations{Rules: []oracles.ExpectationRule{{Class: "production", Code: "X"}, {Status: 201}}}
	if got, ok := e.Lookup(prod()); !ok || got != (cffuzz.Expectation{Code: "X"}) {
		t.Errorf("first matching rule: got %+v, %v", got, ok)
	}
	if got, ok := e.Lookup(malformed()); !ok || got.Status != 201 {
		t.Errorf("catch-all rule: got %+v, %v", got, ok)
	}
}

func FuzzLoadExpectations(f *testing.F) {
	f.Add([]byte("rules:\n  - family: malformed\n    status: 400\n"))
	f.Add([]byte(`{"rules":[{"variant":"a*","code":"X"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := oracles.LoadExpectations(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		e.Lookup(prod()) // must not panic on anything that loaded
	})
}
