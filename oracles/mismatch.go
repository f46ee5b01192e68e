package oracles

import (
	"fmt"

	"github.com/cffuzz/cffuzz"
)

// MismatchOptions configures the mismatch oracle.
type MismatchOptions struct {
	// Expectations, when non-nil, override what cases expect.
	Expectations *Expectations
}

type mismatch struct{ exp *Expectations }

// Mismatch returns the mismatch oracle, named "mismatch". It compares the
// API's answer with what the case expects, taken from the first of:
//
//  1. the first matching rule of opts.Expectations;
//  2. Case.Expect;
//  3. the class default: status 200 for production, boundary and
//     malformed cases; wire cases have no default and are not checked.
//
// It raises, with severity medium:
//
//   - Kind "refused" when a 200 was expected and the API refused the call;
//   - Kind "accepted" when an error was expected and the API answered 200;
//   - Kind "status-mismatch" for another wrong status;
//   - Kind "code-mismatch" when the status is right but the error code is not.
//
// Throttles are never mismatches (the runner retries them); transport
// failures and 5xx answers are the crash oracle's, and raise nothing here.
func Mismatch(opts MismatchOptions) Oracle { return mismatch{exp: opts.Expectations} }

func (mismatch) Name() string { return "mismatch" }

func (m mismatch) Check(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal {
	if o.Transport != "" || o.Status == 0 || o.Status >= 500 || o.Throttled() {
		return nil
	}
	want, ok := m.expectation(c)
	if !ok {
		return nil
	}
	var kind string
	switch {
	case want.Status != 0 && want.Status != o.Status:
		switch {
		case want.Status == 200:
			kind = "refused"
		case o.Status == 200:
			kind = "accepted"
		default:
			kind = "status-mismatch"
		}
	case want.Code != "" && want.Code != o.ErrorCode:
		kind = "code-mismatch"
	default:
		return nil
	}
	return []cffuzz.Signal{{
		Oracle:   "mismatch",
		Severity: cffuzz.SeverityMedium,
		Kind:     kind,
		Message:  fmt.Sprintf("the API answered %s, the case expected %s", describe(o.Status, o.ErrorCode), describe(want.Status, want.Code)),
		Key:      "want " + describe(want.Status, want.Code) + " got " + describe(o.Status, o.ErrorCode),
	}}
}

func (m mismatch) expectation(c *cffuzz.Case) (cffuzz.Expectation, bool) {
	if e, ok := m.exp.Lookup(c); ok {
		return e, true
	}
	if c.Expect != nil {
		return *c.Expect, true
	}
	switch c.Class {
	case cffuzz.ClassProduction, cffuzz.ClassBoundary, cffuzz.ClassMalformed:
		return cffuzz.Expectation{Status: 200}, true
	}
	return cffuzz.Expectation{}, false
}

// describe renders a status and code as "400 InvalidArgument", leaving out
// what is unset.
func describe(status int, code string) string {
	switch {
	case status == 0 && code == "":
		return "anything"
	case status == 0:
		return code
	case code == "":
		return fmt.Sprint(status)
	default:
		return fmt.Sprintf("%d %s", status, code)
	}
}
