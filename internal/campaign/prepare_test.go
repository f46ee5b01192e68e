package campaign_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/internal/campaign"
)

// TestRunAndReplayShareTheSetup: Run and Replay load and check a
// configuration through one setup, so a mistake is refused the same way
// by both, before anything starts.
func TestRunAndReplayShareTheSetup(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		reason string
		cfg    campaign.Config
		want   string
	}{
		{"a negative timeout", campaign.Config{Timeout: -time.Second}, "must not be negative"},
		{"a bad shard", campaign.Config{Shard: "5/4"}, "shard"},
		{"an empty function", campaign.Config{FunctionCode: []byte("  \n")}, "is empty"},
		{"a missing key-value store file", campaign.Config{KVS: filepath.Join(dir, "nope.json")}, "key-value store"},
		{"an unknown isolation", campaign.Config{Isolation: "vm"}, "unknown isolation"},
	}
	for _, tt := range tests {
		cfg := tt.cfg
		cfg.Out, cfg.Corpus = filepath.Join(dir, "out"), "-"
		_, runErr := campaign.Run(context.Background(), cfg)
		_, replayErr := campaign.Replay(context.Background(), cfg, []string{dir})
		for what, err := range map[string]error{"Run": runErr, "Replay": replayErr} {
			if !campaign.IsConfigError(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: %s returned %v, want a configuration error mentioning %q", tt.reason, what, err, tt.want)
			}
		}
		if runErr != nil && replayErr != nil && runErr.Error() != replayErr.Error() {
			t.Errorf("%s: Run and Replay disagree:\n  %v\n  %v", tt.reason, runErr, replayErr)
		}
	}
}
