// Package target sends Cases to a connection-function API and turns the
// answers into Outcomes: through the AWS SDK for Go v2 (to the embedded
// emulator, an emulator at any endpoint, or AWS), or as raw SigV4-signed HTTP
// for the wire family.
package target

import (
	"context"

	"github.com/cffuzz/cffuzz"
)

// Target runs cases against one connection function.
type Target interface {
	// Name is a short, low-cardinality label ("emulator", "endpoint", "aws").
	Name() string
	// Test runs one case once. API errors, throttles included, are reported
	// in the Outcome; the error is for transport failures (no HTTP answer),
	// which the runner may retry.
	Test(ctx context.Context, c *cffuzz.Case) (*cffuzz.Outcome, error)
	// Close releases the target (and deletes what it deployed, if asked to).
	Close() error
}
