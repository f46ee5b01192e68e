package campaign_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/internal/campaign"
)

// TestLanguageLevel checks the language-level policy end to end: a
// function using features only the connection-function page promises runs
// by default with a warning in report.json, and StrictSyntax refuses it
// with a configuration error before any case runs.
func TestLanguageLevel(t *testing.T) {
	code := []byte("function connectionHandler(connection) {\n  const ip = connection.clientIp ?? 'none';\n  connection.allow();\n}\n")
	out := t.TempDir()
	res, err := campaign.Run(context.Background(), campaign.Config{
		FunctionCode: code, Function: "fn.js", Cases: 20, Out: out, Seed: 1, Corpus: "-", Isolation: campaign.IsolationInProcess,
	})
	if err != nil {
		t.Fatalf("default run: %v", err)
	}
	if len(res.Report.Warnings) != 1 || !strings.Contains(res.Report.Warnings[0], "nullish coalescing") ||
		!strings.Contains(res.Report.Warnings[0], "unconfirmed") || !strings.Contains(res.Report.Warnings[0], "2:") {
		t.Errorf("warnings = %q, want one naming nullish coalescing at line 2 as unconfirmed", res.Report.Warnings)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct{ Warnings []string }
	if err := json.Unmarshal(b, &rep); err != nil || len(rep.Warnings) != 1 {
		t.Errorf("report.json warnings = %q (%v), want the warning", rep.Warnings, err)
	}

	_, err = campaign.Run(context.Background(), campaign.Config{
		FunctionCode: code, Function: "fn.js", Cases: 20, Out: t.TempDir(), Seed: 1, Corpus: "-", Isolation: campaign.IsolationInProcess,
		StrictSyntax: true,
	})
	var ce *campaign.ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "fn.js:2:") || !strings.Contains(err.Error(), "strict syntax") {
		t.Errorf("strict run: err = %v, want a ConfigError at fn.js:2 naming strict syntax", err)
	}
}
