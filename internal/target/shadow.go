package target

import (
	"context"
	"errors"

	"github.com/cffuzz/cffuzz"
)

// Shadow is a Target that runs each case on Primary, and the same case on
// Feedback only for its coverage: the Outcome is Primary's, with Feedback
// set from Feedback's run (nil when that run gave none or failed). It lets
// a campaign against an endpoint or AWS, which return no coverage, still be
// guided by feedback from a local Direct target running the same code.
// Wire cases and cases Primary could not run get no feedback.
type Shadow struct {
	// Primary is the target under test; its outcomes are reported.
	Primary Target
	// Feedback is a target with feedback on (an embedded emulator running
	// the same function with Feedback set).
	Feedback Target
}

// NewShadow returns a Shadow over primary and feedback.
func NewShadow(primary, feedback Target) (*Shadow, error) {
	if primary == nil || feedback == nil {
		return nil, errors.New("target: a shadow target needs a primary and a feedback target")
	}
	return &Shadow{Primary: primary, Feedback: feedback}, nil
}

// Name returns Primary's name.
func (s *Shadow) Name() string { return s.Primary.Name() }

// Test runs c on Primary, then on Feedback for its coverage.
func (s *Shadow) Test(ctx context.Context, c *cffuzz.Case) (*cffuzz.Outcome, error) {
	o, err := s.Primary.Test(ctx, c)
	if err != nil || o == nil || c.Wire != nil {
		return o, err
	}
	if fo, ferr := s.Feedback.Test(ctx, c); ferr == nil && fo != nil {
		o.Feedback = fo.Feedback
	}
	return o, nil
}

// Close closes both targets.
func (s *Shadow) Close() error {
	return errors.Join(s.Primary.Close(), s.Feedback.Close())
}
