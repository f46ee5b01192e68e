// Package emulatortest starts the CloudFront connection-function emulator
// for Go tests. It lives apart from package emulator so that programs using
// the emulator do not link package testing.
package emulatortest

import (
	"testing"

	"github.com/cffuzz/cffuzz/emulator"
)

// NewServer starts an emulator.Server on a loopback port for a test and
// closes it when the test ends. It fails the test if the Server cannot
// start.
func NewServer(tb testing.TB, opts emulator.Options) *emulator.Running {
	tb.Helper()
	r, err := emulator.Start(opts, emulator.DefaultAddr)
	if err != nil {
		tb.Fatalf("emulatortest.NewServer: %v", err)
	}
	tb.Cleanup(func() {
		if err := r.Close(); err != nil {
			tb.Errorf("emulator: closing the test server: %v", err)
		}
	})
	return r
}
