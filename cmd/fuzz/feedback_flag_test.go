package main

import (
	"flag"
	"io"
	"testing"
)

// TestFeedbackFlag checks --feedback: on by default for run, off with
// --feedback=false, and never asked for by replay (which runs plain).
func TestFeedbackFlag(t *testing.T) {
	tests := []struct {
		reason     string
		forRun     bool
		args       []string
		noFeedback bool
	}{
		{"run is feedback-guided by default", true, nil, false},
		{"--feedback=false turns it off", true, []string{"--feedback=false"}, true},
		{"--feedback keeps it on", true, []string{"--feedback"}, false},
		{"replay has no --feedback and runs plain", false, nil, true},
	}
	for _, tt := range tests {
		var f campaignFlags
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		f.register(fs, tt.forRun)
		if err := fs.Parse(tt.args); err != nil {
			t.Fatalf("%s: %v", tt.reason, err)
		}
		f.finish()
		if f.cfg.NoFeedback != tt.noFeedback {
			t.Errorf("%s: NoFeedback = %v, want %v", tt.reason, f.cfg.NoFeedback, tt.noFeedback)
		}
	}
}
