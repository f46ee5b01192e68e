package campaign

import (
	"math"

	"github.com/cffuzz/cffuzz/coverage"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/generators"
	"github.com/cffuzz/cffuzz/internal/engine"
	"github.com/cffuzz/cffuzz/reports"
)

// feedback is the feedback-guided side of a campaign: the engine that
// builds and learns from its cases, and the function's coverage map.
type feedback struct {
	engine *engine.Engine
	m      *coverage.Map
}

// newFeedback returns the campaign's feedback engine over gen, or nil when
// feedback is off (Config.NoFeedback) or the function has no code to
// instrument (--function-id alone).
func newFeedback(cfg *Config, fn *function, gen *generators.Generator, dict []string, logf func(string, ...any)) (*feedback, error) {
	if !cfg.feedback() || len(fn.code) == 0 {
		return nil, nil
	}
	m, err := runtime.CoverageMap(fn.code, runtime.Options{Budget: cfg.Budget, TimeLimit: cfg.TimeLimit})
	if err != nil {
		logf("warning: the function cannot be instrumented, so the campaign runs without feedback: %v", err)
		return nil, nil
	}
	e, err := engine.New(engine.Options{Generator: gen, Map: m, Tokens: dict, Keys: fn.kvs.Keys()})
	if err != nil {
		return nil, configErr("feedback engine: %v", err)
	}
	return &feedback{engine: e, m: m}, nil
}

// coverage is what the campaign reached, for the reports; nil without feedback.
func (f *feedback) coverage(fn *function, shadow bool) *reports.Coverage {
	if f == nil {
		return nil
	}
	c := f.engine.Coverage()
	hits := make([]uint32, len(f.m.Edges))
	for i := range hits {
		if i < len(c.Hits) {
			hits[i] = uint32(min(c.Hits[i], math.MaxUint32))
		}
	}
	return &reports.Coverage{Map: f.m, Hits: hits, Source: fn.code, File: fn.path, Shadow: shadow}
}
