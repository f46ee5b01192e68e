package campaign_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/benchfuncs"
	"github.com/cffuzz/cffuzz/internal/campaign"
)

// TestTransportsFindTheSame runs each benchmark function's campaign twice,
// with the embedded emulator called through its Go API (the default) and
// through the AWS SDK over loopback HTTP: the findings must be the same,
// found at the same case with the same reproducer. Utilization findings are
// left out: they measure CPU time, which no two runs share.
func TestTransportsFindTheSame(t *testing.T) {
	m, err := benchfuncs.Load(benchDir)
	if err != nil {
		t.Fatal(err)
	}
	inproc := runtime.NewInProcess(runtime.Options{})
	defer inproc.Close()
	// One present for the generators and the function alike, so that two
	// runs see the same dates however long each takes.
	present := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	exec := fixedClock{inproc, present}
	for _, fn := range m.Functions {
		t.Run(fn.Name, func(t *testing.T) {
			if testing.Short() && !shortBench[fn.Name] {
				t.Skip("-short runs a subset of the benchmark")
			}
			var got [2][]string
			for i, transport := range []string{campaign.TransportDirect, campaign.TransportSDK} {
				cfg := campaign.Config{
					Function:  filepath.Join(m.Dir, fn.File),
					Out:       t.TempDir(),
					Executor:  exec,
					KVSData:   fn.KVSData,
					Cases:     200,
					Seed:      7,
					Now:       present,
					Transport: transport,
					// One case at a time: feedback-guided search makes
					// the campaign depend on the order outcomes arrive.
					Concurrency: 1,
					// Shrinking bounded by its step budget, not by a
					// clock the slower transport would run out first.
					ShrinkTimeout: time.Minute,
					AllowEmpty:    true,
				}
				if fn.Property != "" {
					cfg.Properties = []campaign.Source{{Path: filepath.Join(m.Dir, fn.Property)}}
				}
				res, err := campaign.Run(context.Background(), cfg)
				if err != nil {
					t.Fatalf("%s: %v", transport, err)
				}
				for _, f := range res.Findings {
					if f.Oracle == "utilization" {
						continue
					}
					got[i] = append(got[i], describe(f))
				}
			}
			if !reflect.DeepEqual(got[0], got[1]) {
				t.Errorf("findings differ:\ndirect: %q\nSDK:    %q", got[0], got[1])
			}
			if len(got[0]) == 0 && !fn.Clean {
				t.Logf("no finding in 200 cases (the benchmark test runs longer)")
			}
		})
	}
}

// fixedClock is an executor whose every run sees the same present.
type fixedClock struct {
	runtime.Executor
	now time.Time
}

func (f fixedClock) Execute(ctx context.Context, req runtime.Request) (runtime.Result, error) {
	req.Now = f.now
	return f.Executor.Execute(ctx, req)
}

// describe is what two runs of one campaign must agree on about a finding.
func describe(f cffuzz.Finding) string {
	return fmt.Sprintf("%s %s ×%d case %d %s→%q", f.Severity, f.Signature, f.Count, f.Case, f.Class, f.Minimized)
}
