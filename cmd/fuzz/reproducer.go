package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/cffuzz/cffuzz/internal/campaign"
	"github.com/cffuzz/cffuzz/internal/shell"
)

// The flags a finding's replay command carries over from the campaign that
// raised it, when they were set (on the command line, in cffuzz.yaml or in
// the environment): raiseFlags change what a case raises (the function,
// the oracles' inputs, the target, the emulator's limits), genFlags change
// the case a (seed, index) gives. The names are the flag set's own: a test
// checks that each is defined on run, and each raiseFlag on replay.
var (
	raiseFlags = []string{
		"function", "kvs", "property", "expect",
		"target", "function-id", "kvs-arn", "name", "stage", "publish",
		"compare", "determinism", "strict-syntax",
		"utilization-threshold", "budget", "time-limit", "host-speed", "calibration",
	}
	genFlags = []string{"weights", "wire", "feedback"}
)

// multiValue is a repeatable flag's value: each value is one occurrence.
type multiValue interface{ Values() []string }

// replayRenderer renders findings' replay commands from the flags a
// campaign was started with. Every flag it renders is defined by the
// command it renders (TestReplayRendererFlags checks raiseFlags, genFlags
// and the flags render adds against fuzz run's and fuzz replay's).
type replayRenderer struct {
	// set is the parsed flag set of the campaign (fuzz run's).
	set *flag.FlagSet
}

// newReplayRenderer returns the campaign.Config.Reproducer of a campaign
// whose flags were parsed into set.
func newReplayRenderer(set *flag.FlagSet) func(campaign.ReplaySpec) string {
	return replayRenderer{set: set}.render
}

// render is the one-line command that replays a finding: fuzz replay of
// its corpus entry, or fuzz run of its case.
func (r replayRenderer) render(s campaign.ReplaySpec) string {
	var b strings.Builder
	if s.Entry != "" {
		b.WriteString("fuzz replay")
		r.carry(&b, raiseFlags)
		b.WriteString(" " + shell.Quote(s.Entry))
		return b.String()
	}
	b.WriteString("fuzz run")
	r.carry(&b, raiseFlags)
	r.carry(&b, genFlags)
	add := func(name, value string) {
		fmt.Fprintf(&b, " --%s %s", name, shell.Quote(value))
	}
	add("now", s.Now.UTC().Format(time.RFC3339))
	if s.Serial {
		add("concurrency", "1")
	}
	add("seed", fmt.Sprint(s.Seed))
	add("cases", fmt.Sprint(s.Case+1))
	add("corpus", "-")
	fmt.Fprintf(&b, " # case %d", s.Case)
	return b.String()
}

// carry writes the flags of names that were set on the campaign, with
// their values: a boolean flag as --name or --name=false, a repeatable one
// once per value.
func (r replayRenderer) carry(b *strings.Builder, names []string) {
	set := map[string]*flag.Flag{}
	r.set.Visit(func(f *flag.Flag) { set[f.Name] = f })
	for _, name := range names {
		f := set[name]
		if f == nil {
			continue
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			if v := f.Value.String(); v == "true" {
				fmt.Fprintf(b, " --%s", name)
			} else {
				fmt.Fprintf(b, " --%s=%s", name, shell.Quote(v))
			}
			continue
		}
		values := []string{f.Value.String()}
		if m, ok := f.Value.(multiValue); ok {
			values = m.Values()
		}
		for _, v := range values {
			fmt.Fprintf(b, " --%s %s", name, shell.Quote(v))
		}
	}
}
