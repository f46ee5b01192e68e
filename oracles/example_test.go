package oracles_test

import (
	"errors"
	"fmt"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/oracles"
)

// A property written in Go: clients from the documentation range
// 198.51.100.0/24 must never be allowed.
func ExampleProperty() {
	blocked := oracles.Property("block-test-net-2", func(conn map[string]any, raw []byte, o *cffuzz.Outcome) error {
		ip, _ := conn["clientIp"].(string)
		if len(ip) > 11 && ip[:11] == "198.51.100." && o.Decision == cffuzz.DecisionAllow {
			return errors.New("allowed a client from the blocked range")
		}
		return nil
	})

	c := &cffuzz.Case{Class: cffuzz.ClassProduction, Object: []byte(`{"clientIp":"198.51.100.7"}`)}
	o := &cffuzz.Outcome{Status: 200, Decision: cffuzz.DecisionAllow, Calls: []string{"allow"}}
	for _, s := range blocked.Check(c, o) {
		fmt.Println(s.Severity, s.Signature())
	}
	// Output:
	// high property/block-test-net-2/decision-allow
}

// Checking one outcome with the default oracles.
func ExampleDefault() {
	c := &cffuzz.Case{Family: "production", Class: cffuzz.ClassProduction, Object: []byte(`{}`)}
	o := &cffuzz.Outcome{
		Status:        200,
		Decision:      cffuzz.DecisionNone,
		FunctionError: "TypeError: Cannot read property 'leaf' of undefined at line 4:30",
		ErrorName:     "TypeError", Line: 4, Column: 30,
		Utilization: 12,
	}
	for _, or := range oracles.Default(oracles.DefaultOptions{}) {
		for _, s := range or.Check(c, o) {
			fmt.Println(s.Severity, s.Signature())
		}
	}
	// Output:
	// high crash/TypeError@4/at-line
}
