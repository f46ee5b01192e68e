package runner

import (
	"context"
	"slices"
	"strings"

	"github.com/cffuzz/cffuzz"
)

// finding turns one raised signature into a Finding: it confirms it (when
// the signal asks for it), minimizes its first case's input and stores it.
// It returns false when confirmation failed. When ctx is done, the steps
// that need the target are skipped and the finding is kept as raised.
func (r *campaign) finding(ctx context.Context, st *sigState) (cffuzz.Finding, bool) {
	c := st.c
	if !r.confirm(ctx, st) {
		return cffuzz.Finding{}, false
	}
	minimized, steps := c.Object, 0
	if r.opts.Minimize != nil && c.Wire == nil && len(c.Object) > 0 && ctx.Err() == nil {
		sctx, cancel := context.WithTimeout(ctx, r.opts.ShrinkTimeout)
		fails := func(candidate []byte) bool {
			if sctx.Err() != nil {
				return false
			}
			cc := c
			cc.Object = candidate
			if !r.raises(sctx, &cc, st.signature) {
				return false
			}
			r.opts.Observer.ShrinkStep()
			return true
		}
		m, n := r.opts.Minimize(sctx, c.Object, fails)
		cancel()
		if n > 0 {
			minimized, steps = m, n
		}
	}
	sg := st.signal
	f := cffuzz.Finding{
		Oracle: sg.Oracle, Severity: sg.Severity, Kind: sg.Kind, Signature: st.signature, Message: sg.Message,
		Count: st.count, Seed: c.Seed, Case: c.Index, Family: c.Family, Class: c.Class,
		Line: sg.Line, Column: sg.Column,
		Original: c.Object, Minimized: minimized, OriginalSize: len(c.Object), MinimizedSize: len(minimized),
		ShrinkSteps: steps, Wire: c.Wire, FirstSeen: st.firstSeen, Replayed: !st.pos.generated,
	}
	if r.opts.Store != nil {
		path, _, err := r.opts.Store.Add(f)
		if err != nil {
			r.storeErrs = append(r.storeErrs, err)
		}
		f.CorpusFile = path
	}
	if r.opts.Reproducer != nil {
		f.Reproducer = r.opts.Reproducer(f)
	}
	return f, true
}

// confirm re-runs the first case Confirm times; the signature must fire
// every time.
func (r *campaign) confirm(ctx context.Context, st *sigState) bool {
	for range st.signal.Confirm {
		if ctx.Err() != nil {
			return true // no time left to confirm: keep what was seen
		}
		c := st.c
		if !r.raises(ctx, &c, st.signature) && ctx.Err() == nil {
			return false
		}
	}
	return true
}

// raises reports whether running c raises signature.
func (r *campaign) raises(ctx context.Context, c *cffuzz.Case, signature string) bool {
	res := r.run(ctx, c, false)
	if res.aborted {
		return false
	}
	return slices.ContainsFunc(res.signals, func(s cffuzz.Signal) bool { return s.Signature() == signature })
}

// sortFindings orders findings by severity, highest first, then signature.
func sortFindings(fs []cffuzz.Finding) {
	slices.SortStableFunc(fs, func(a, b cffuzz.Finding) int {
		if a.Severity != b.Severity {
			return int(b.Severity - a.Severity)
		}
		return strings.Compare(a.Signature, b.Signature)
	})
}
