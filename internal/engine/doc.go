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
// found in a field, directly, through a transform or as the same bytes in
// another form, is replaced by the other operand; a field tested with a
// regular expression gets an instance of it; a comparison that held is
// tried with the field in another form of the same value), captured
// operands as a live dictionary, numeric neighbours of captured thresholds
// in numeric fields and dates, splicing of fields and certificates between
// entries, growth of the lists the program splits, of chains and DN
// components for cost (with a climb on the costliest input), and
// character-class edits. The rest of the case
// space runs the generator's families exactly as without feedback, so every
// bug the blind families find is still found.
//
// Nothing the engine decides depends on time: cost is counted in edge
// hits, and a run stopped at a time or memory limit is not learned from.
//
// Determinism: the learned state changes only in Learn. Case is a pure
// function of (seed, index) and that state, so with one worker (cases built
// and learned in index order) a fixed seed gives the same campaign.
package engine
