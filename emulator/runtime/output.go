package runtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Output is the emulator's ConnectionFunctionOutput: a stable JSON object
// whose keys always come in this order, with "error" omitted when the run
// had none:
//
//	{"decision":"allow","calls":["allow"],"customData":"","error":{"name":"TypeError","line":3,"column":12}}
//
// Decision is "allow", "deny" or "none"; Calls lists every allow()/deny()
// call in order ([] when none). The shape is the emulator's own: AWS does
// not document ConnectionFunctionOutput. Clients read it with ParseOutput.
type Output struct {
	Decision   string       `json:"decision"`
	Calls      []string     `json:"calls"`
	CustomData string       `json:"customData"`
	Error      *OutputError `json:"error,omitempty"`
	// CallCount is the number of allow()/deny() calls when Calls, capped,
	// lists fewer; omitted otherwise.
	CallCount int `json:"callCount,omitempty"`
}

// OutputError locates the error of a run in Output.
type OutputError struct {
	Name   string `json:"name"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// Output returns the run's Output.
func (r Result) Output() Output {
	out := Output{Decision: decisionOrNone(r.Decision), Calls: r.Calls, CustomData: r.CustomData}
	if out.Calls == nil {
		out.Calls = []string{}
	}
	if r.CallCount > len(out.Calls) {
		out.CallCount = r.CallCount
	}
	if r.Error != "" || r.ErrorName != "" {
		out.Error = &OutputError{Name: r.ErrorName, Line: r.Line, Column: r.Column}
	}
	return out
}

// OutputJSON is the run's Output as JSON, as ConnectionFunctionOutput
// carries it (no HTML escaping), or rendered with OutputFormat when set.
func (r Result) OutputJSON() string {
	if r.OutputFormat != "" {
		return Formats{Output: r.OutputFormat}.FormatOutput(r)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(r.Output()) // strings, ints and slices always encode
	return strings.TrimSuffix(b.String(), "\n")
}

// ParseOutput reads an Output from ConnectionFunctionOutput. It fails when
// s is not the emulator's JSON (AWS's output, say) or names no valid decision.
func ParseOutput(s string) (Output, error) {
	var out Output
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return Output{}, err
	}
	switch out.Decision {
	case DecisionAllow, DecisionDeny, DecisionNone:
		return out, nil
	}
	return Output{}, fmt.Errorf("not an emulator output: decision %q", out.Decision)
}

func decisionOrNone(d string) string {
	if d == "" {
		return "none"
	}
	return d
}
