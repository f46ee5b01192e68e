package oracles

import (
	"errors"
	"fmt"
	"io"
	"path"

	"sigs.k8s.io/yaml"

	"github.com/cffuzz/cffuzz"
)

// MaxExpectationsSize bounds an expectations file, which is a few rules.
const MaxExpectationsSize = 1 << 20

// Expectations are the user's word on what the API answers for some cases,
// loaded from a file. They override both Case.Expect and the class defaults.
//
// The file is YAML or JSON (JSON is YAML):
//
//	rules:
//	  - family: malformed
//	    variant: not-json
//	    status: 400
//	    code: InvalidArgument
//	  - class: boundary
//	    variant: "expired-*"
//	    status: 200
//
// Rules are tried in order and the first that matches wins. Family, Class
// and Variant are path.Match patterns ("expired-*"); an empty one matches
// anything. A rule sets Status, Code or both; a zero field is not checked.
type Expectations struct {
	Rules []ExpectationRule `json:"rules"`
}

// ExpectationRule is one rule of an Expectations file.
type ExpectationRule struct {
	Family  string `json:"family,omitempty"`
	Class   string `json:"class,omitempty"`
	Variant string `json:"variant,omitempty"`
	Status  int    `json:"status,omitempty"`
	Code    string `json:"code,omitempty"`
}

// LoadExpectations reads an expectations file (YAML or JSON, see
// Expectations). Unknown fields, bad patterns, out-of-range statuses and
// rules that check nothing are errors that name the rule.
func LoadExpectations(r io.Reader) (*Expectations, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxExpectationsSize+1))
	if err != nil {
		return nil, fmt.Errorf("read expectations: %w", err)
	}
	if len(data) > MaxExpectationsSize {
		return nil, fmt.Errorf("expectations file is over %d bytes: it should hold a few rules", MaxExpectationsSize)
	}
	var e Expectations
	if err := yaml.UnmarshalStrict(data, &e); err != nil {
		return nil, fmt.Errorf("parse expectations (YAML or JSON with a top-level \"rules\" list): %w", err)
	}
	for i, rule := range e.Rules {
		if err := rule.validate(); err != nil {
			return nil, fmt.Errorf("expectations rule %d: %w", i+1, err)
		}
	}
	return &e, nil
}

func (r ExpectationRule) validate() error {
	var errs []error
	for _, p := range [][2]string{{"family", r.Family}, {"class", r.Class}, {"variant", r.Variant}} {
		if _, err := path.Match(p[1], ""); err != nil {
			errs = append(errs, fmt.Errorf("%s pattern %q is not a valid glob: %w", p[0], p[1], err))
		}
	}
	if r.Status != 0 && (r.Status < 100 || r.Status > 599) {
		errs = append(errs, fmt.Errorf("status %d is not an HTTP status (100-599)", r.Status))
	}
	if r.Status == 0 && r.Code == "" {
		errs = append(errs, errors.New("sets neither status nor code: add one, or remove the rule"))
	}
	return errors.Join(errs...)
}

// Lookup returns the expectation of the first rule that matches c. A nil
// Expectations matches nothing.
func (e *Expectations) Lookup(c *cffuzz.Case) (cffuzz.Expectation, bool) {
	if e == nil {
		return cffuzz.Expectation{}, false
	}
	for _, r := range e.Rules {
		if match(r.Family, c.Family) && match(r.Class, string(c.Class)) && match(r.Variant, c.Variant) {
			return cffuzz.Expectation{Status: r.Status, Code: r.Code}, true
		}
	}
	return cffuzz.Expectation{}, false
}

func match(pattern, s string) bool {
	if pattern == "" {
		return true
	}
	ok, _ := path.Match(pattern, s) // patterns are validated on load
	return ok
}
