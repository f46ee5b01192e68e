package benchfuncs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"

	"github.com/cffuzz/cffuzz"
)

// ManifestFile is the name of the manifest in a benchmark directory.
const ManifestFile = "manifest.json"

// MaxFunctionBytes is CloudFront's size quota of a connection function
// (10 KB); every benchmark function fits in it.
const MaxFunctionBytes = 10 * 1024

// MaxObjectBytes is the largest connection object TestConnectionFunction
// accepts; every trigger fits in it.
const MaxObjectBytes = 40960

// The oracles a benchmark finding can expect.
const (
	// OracleCrash flags an uncaught exception or a rejected promise; Kind is
	// the JavaScript error name ("TypeError") and Line the faulting line.
	OracleCrash = "crash"
	// OracleUtilization flags a run over its compute budget; Kind is
	// KindOver70, KindOver100 or KindTimeout.
	OracleUtilization = "utilization"
	// OracleDecision flags a run that made no decision or several; Kind is
	// KindNoDecision or KindMultipleDecisions.
	OracleDecision = "decision"
	// OracleProperty flags a run that breaks the function's property file;
	// Kind is the property's name.
	OracleProperty = "property"
)

// The kinds of utilization and decision findings.
const (
	// KindOver70 is a run above 70% of the compute budget, where CloudFront
	// says it is likely to throttle the function.
	KindOver70 = "over-70"
	// KindOver100 is a run over the compute budget.
	KindOver100 = "over-100"
	// KindTimeout is a run interrupted at the time limit.
	KindTimeout = "TimeoutError"
	// KindNoDecision is a run that called neither allow() nor deny().
	KindNoDecision = "no-decision"
	// KindMultipleDecisions is a run that called allow()/deny() more than once.
	KindMultipleDecisions = "multiple-decisions"
)

// Manifest is a benchmark: its functions, in manifest order.
type Manifest struct {
	// Dir is the directory the manifest was loaded from ("" after Parse).
	Dir       string     `json:"-"`
	Functions []Function `json:"functions"`
}

// Function is one benchmark function. Paths are relative to the manifest's
// directory; Load fills in the fields tagged json:"-".
type Function struct {
	// Name is unique in the manifest: lower-case letters, digits and '-'.
	Name string `json:"name"`
	// File is the function source.
	File string `json:"file"`
	// KVS, if set, is the KeyValueStore import file the function runs with.
	KVS string `json:"kvs,omitempty"`
	// Property, if set, is a property file: JavaScript defining
	// check(connection, outcome), which returns true or a message. The
	// property is named after the file (PropertyName).
	Property string `json:"property,omitempty"`
	// Clean says that no campaign may report anything for the function.
	Clean bool `json:"clean"`
	// Bug describes the planted bug in one sentence ("" when Clean).
	Bug string `json:"bug,omitempty"`
	// Expect lists the findings a campaign should report, one per planted
	// bug; it is empty when Clean.
	Expect []Expect `json:"expect"`
	// Static lists what the static analyses of the source (internal/redos)
	// should report: findings that need no trigger.
	Static []StaticExpect `json:"static,omitempty"`

	// Code is the content of File.
	Code []byte `json:"-"`
	// PropertyCode is the content of Property, or nil.
	PropertyCode []byte `json:"-"`
	// KVSData is the content of KVS, or nil; runtime.LoadKVS reads it.
	KVSData []byte `json:"-"`
}

// StaticExpect is a finding of a static analysis of the source: its
// oracle ("redos"), kind ("exponential", "polynomial") and line.
type StaticExpect struct {
	Oracle string `json:"oracle"`
	Kind   string `json:"kind"`
	Line   int    `json:"line"`
}

// MatchesFinding reports whether f is the expected static finding.
func (s StaticExpect) MatchesFinding(f cffuzz.Finding) bool {
	return f.Oracle == s.Oracle && f.Kind == s.Kind && f.Line == s.Line
}

// Expect is one finding a campaign should report.
type Expect struct {
	// Oracle is one of OracleCrash, OracleUtilization, OracleDecision and
	// OracleProperty.
	Oracle string `json:"oracle"`
	// Kind is the error name, the utilization or decision kind, or the
	// property name.
	Kind string `json:"kind"`
	// Line is the 1-based source line of the faulting expression for
	// crashes, 0 for the other oracles.
	Line int `json:"line"`
	// Trigger is a connection object that makes the bug show, as compact
	// JSON after Parse.
	Trigger json.RawMessage `json:"trigger"`
}

// Matches reports whether a signal a campaign raised is this expected
// finding: same oracle, same kind and, when Line is set, same line. A
// utilization finding is also matched by a worse one: KindOver70 by
// KindOver100, and both by KindTimeout.
func (e Expect) Matches(s cffuzz.Signal) bool {
	if s.Oracle != e.Oracle {
		return false
	}
	if e.Line > 0 && s.Line != e.Line {
		return false
	}
	if s.Kind == e.Kind {
		return true
	}
	if e.Oracle != OracleUtilization {
		return false
	}
	rank := map[string]int{KindOver70: 1, KindOver100: 2, KindTimeout: 3}
	return rank[e.Kind] > 0 && rank[s.Kind] > rank[e.Kind]
}

// PropertyName is the name of the function's property: the base name of
// its property file without ".js", or "" when it has none.
func (f Function) PropertyName() string {
	if f.Property == "" {
		return ""
	}
	return strings.TrimSuffix(path.Base(f.Property), ".js")
}

// Lookup returns the function called name.
func (m Manifest) Lookup(name string) (Function, bool) {
	for _, f := range m.Functions {
		if f.Name == name {
			return f, true
		}
	}
	return Function{}, false
}

// Parse reads a manifest and checks its structure: unique names, every
// field an oracle needs, consistent clean/bug entries, and triggers that
// are JSON objects of at most MaxObjectBytes. It does not read the files
// the manifest names; Load does.
func Parse(r io.Reader) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("benchfuncs: manifest is not valid JSON of the form {\"functions\":[...]}: %w", err)
	}
	if dec.More() {
		return Manifest{}, errors.New("benchfuncs: manifest has data after its JSON object")
	}
	if len(m.Functions) == 0 {
		return Manifest{}, errors.New("benchfuncs: manifest lists no functions")
	}
	seen := make(map[string]bool, len(m.Functions))
	for i, f := range m.Functions {
		if err := f.check(); err != nil {
			return Manifest{}, fmt.Errorf("benchfuncs: functions[%d] (%q): %w", i, f.Name, err)
		}
		if seen[f.Name] {
			return Manifest{}, fmt.Errorf("benchfuncs: functions[%d]: duplicate name %q", i, f.Name)
		}
		seen[f.Name] = true
	}
	return m, nil
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// check checks one manifest entry.
func (f Function) check() error {
	switch {
	case !nameRE.MatchString(f.Name):
		return errors.New("name must be 1-64 lower-case letters, digits and '-'")
	case !strings.HasSuffix(f.File, ".js"):
		return errors.New(`"file" must name a .js file`)
	case f.Clean && (f.Bug != "" || len(f.Expect) > 0):
		return errors.New(`a clean function has no "bug" and no "expect"`)
	case !f.Clean && (f.Bug == "" || len(f.Expect) == 0):
		return errors.New(`a function with a planted bug needs "bug" and at least one "expect"`)
	}
	for j := range f.Expect {
		e := &f.Expect[j]
		if err := e.compactTrigger(); err != nil {
			return fmt.Errorf("expect[%d]: %w", j, err)
		}
		if err := e.check(f.PropertyName()); err != nil {
			return fmt.Errorf("expect[%d]: %w", j, err)
		}
	}
	return nil
}

// check checks one expected finding.
func (e Expect) check(property string) error {
	if e.Kind == "" {
		return errors.New(`"kind" is empty`)
	}
	switch e.Oracle {
	case OracleCrash:
		if e.Line < 1 {
			return errors.New(`a crash needs the "line" of the faulting expression`)
		}
	case OracleUtilization:
		if e.Kind != KindOver70 && e.Kind != KindOver100 && e.Kind != KindTimeout {
			return fmt.Errorf("utilization kind %q: use %s, %s or %s", e.Kind, KindOver70, KindOver100, KindTimeout)
		}
	case OracleDecision:
		if e.Kind != KindNoDecision && e.Kind != KindMultipleDecisions {
			return fmt.Errorf("decision kind %q: use %s or %s", e.Kind, KindNoDecision, KindMultipleDecisions)
		}
	case OracleProperty:
		if property == "" {
			return errors.New(`a property finding needs the function's "property" file`)
		}
		if e.Kind != property {
			return fmt.Errorf("property kind %q: a property is named after its file, here %q", e.Kind, property)
		}
	default:
		return fmt.Errorf("oracle %q: use %s, %s, %s or %s", e.Oracle, OracleCrash, OracleUtilization, OracleDecision, OracleProperty)
	}
	if e.Oracle != OracleCrash && e.Line != 0 {
		return fmt.Errorf(`only crashes have a "line" (got %d)`, e.Line)
	}
	t := bytes.TrimSpace(e.Trigger)
	if len(t) == 0 || t[0] != '{' {
		return errors.New(`"trigger" must be a connection object (a JSON object)`)
	}
	if len(t) > MaxObjectBytes {
		return fmt.Errorf(`"trigger" is %d bytes, more than a connection object's %d`, len(t), MaxObjectBytes)
	}
	return nil
}

// compactTrigger replaces e.Trigger by its compact JSON encoding, the form
// a connection object is sent in.
func (e *Expect) compactTrigger() error {
	var b bytes.Buffer
	if err := json.Compact(&b, e.Trigger); err != nil {
		return fmt.Errorf(`"trigger": %w`, err)
	}
	e.Trigger = b.Bytes()
	return nil
}

// MatchesFinding reports whether a campaign's finding is this expected one,
// translating the manifest's symptoms into the oracles' vocabulary: a slow
// function is a utilization finding of kind "slow" whose severity tells the
// band (medium above 70, high at 100 or on a timeout), a worse band
// matching too; a crash must have the same error name and, when Line is
// set, line; a property finding is named after the property.
func (e Expect) MatchesFinding(f cffuzz.Finding) bool {
	if f.Oracle != e.Oracle {
		return false
	}
	switch e.Oracle {
	case OracleUtilization:
		want := cffuzz.SeverityHigh
		if e.Kind == KindOver70 {
			want = cffuzz.SeverityMedium
		}
		return f.Kind == "slow" && f.Severity >= want
	case OracleProperty:
		return f.Kind == e.Kind || strings.HasPrefix(f.Kind, e.Kind+".")
	}
	return f.Kind == e.Kind && (e.Line == 0 || f.Line == e.Line)
}
