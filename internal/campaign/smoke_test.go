package campaign_test

import (
	"context"
	"testing"

	"github.com/cffuzz/cffuzz/internal/campaign"
)

func TestDemoCampaign(t *testing.T) {
	out := t.TempDir()
	res, err := campaign.Run(context.Background(), campaign.Config{Cases: 1000, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cases=%d rate=%.0f findings=%d failed=%v", res.Report.Cases, res.Report.CasesPerSec, len(res.Findings), res.Failed)
	for _, f := range res.Findings {
		t.Logf("%s %s %s size %d->%d: %s\n  %s", f.Severity, f.Oracle, f.Signature, f.OriginalSize, f.MinimizedSize, f.Message, f.Reproducer)
	}
}
