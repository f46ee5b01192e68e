// Package engine is cffuzz's feedback-guided search: a runner case source
// that wraps the blind generator families and learns from what each case
// reached inside the function (cffuzz.Outcome.Feedback: edges, hit counts,
// comparisons).
//
// An Engine keeps a queue of interesting inputs — one that reached a new
// edge, a new hit-count bucket on an edge (AFL), a new per-edge maximum
// (PerfFuzz's cost feedback), or comparison progress (a comparison site
// seen for the first time, a new result at a site, or operands closer than
// ever: a longer common prefix or suffix of two strings, a smaller distance
// between two numbers). Part of the case space (Options.QueueShare) is given
// to mutating queue entries, structure-aware on the connection object's
// fields (generators.Tree): input-to-state replacement (a compared operand
// found in a field, directly or through a transform, is replaced by the
// other operand), captured operands as a live dictionary, numeric
// neighbours of captured thresholds in numeric fields and dates, splicing of
// fields and certificates between entries, growth of chains, SAN lists and
// DN components for cost, and character-class edits. The rest of the case
// space runs the generator's families exactly as without feedback, so every
// bug the blind families find is still found.
//
// Determinism: the learned state changes only in Learn. Case is a pure
// function of (seed, index) and that state, so with one worker (cases built
// and learned in index order) a fixed seed gives the same campaign.
package engine
