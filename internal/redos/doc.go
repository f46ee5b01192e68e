// Package redos finds regular expressions in a connection function that a
// backtracking engine can take super-linear time on (ReDoS), and proves
// each with an input.
//
// Why static: goja runs the patterns RE2 can express on Go's linear-time
// engine, so /^(a+)+$/ on "aaaa…!" gets a clean, fast PASS in the emulator
// while CloudFront's engine, which backtracks, may spend its whole compute
// budget on it. No fuzzing against goja can show that.
//
// The method is the ambiguity analysis of Weideman, van der Merwe, Berglund
// and Watson ("Analyzing matching time behavior of backtracking regular
// expression matchers by using ambiguity of NFA", CIAA 2016), as in their
// RegexStaticAnalysis tool and in rxxr2's prefix–pump–suffix attacks:
//
//  1. Parse the ECMAScript pattern (flags i, m, s, u; classes, escapes,
//     groups, lookarounds, backreferences, counted repetitions) and build
//     its position (Glushkov) automaton, which has no empty moves; ^ and $
//     become positions that read start- and end-of-input sentinels.
//     Lookarounds, backreferences and \b are read as empty (they only
//     remove paths); counted repetitions are unrolled up to 4 copies.
//  2. Exponential degree of ambiguity (EDA): a strongly connected
//     component of the pair automaton (two copies reading the same
//     characters) holding a pair (q, q) and a pair of different states —
//     two different paths from q back to q on one word — or a transition
//     the pattern makes in two ways on a cycle, as in (a*)*.
//     Infinite (polynomial) degree (IDA): states p ≠ q with paths p→p,
//     p→q and q→q on one word, a path from (p, p, q) to (p, q, q) in the
//     triple automaton.
//  3. The attack string is a prefix reaching the loop, the ambiguous word
//     (the pump) repeated, and a suffix after which no prefix of the input
//     matches, so that the matcher must try every way of reading the pumps.
//  4. Confirmation: a backtracking matcher of the pattern in ECMAScript's
//     order, which counts its steps, runs the attack with more and more
//     pumps from its first character. Exponential: each pump multiplies
//     the steps by a steady factor above 1.3. Polynomial: twice the pumps
//     take three times the steps or more. Anything else is not reported,
//     so approximations in steps 1–3 cost findings, never false ones.
//
// Only ambiguity inside the pattern counts: the quadratic cost of an
// unanchored search retrying every start position (/a+b/ on "aaaa…")
// applies to almost every pattern and is not reported.
//
// Why not a library: Go has no ReDoS analyzer; the regexp/syntax parser
// rejects ECMAScript syntax (lookarounds, backreferences) and normalizes
// away the structure the analysis needs; regexp2 backtracks but does not
// count steps or expose its tree. github.com/dop251/goja/parser (already
// the runtime's) finds the literals.
package redos
