// Package benchfuncs loads cffuzz's benchmark of connection functions:
// functions with planted bugs of the kinds real functions have, each with
// the finding a campaign should report for it, and clean functions for
// which a campaign must report nothing.
//
// The benchmark lives in testdata/bench (see its README.md). Its
// manifest.json lists every function with its source file, the
// KeyValueStore and property file it runs with, and the expected findings:
// the oracle that should flag the bug, the kind of finding and, for
// crashes, the source line of the faulting expression, together with a
// connection object that triggers it. Load reads and checks all of it;
// Expect.Matches tells whether a signal a campaign raised is the expected
// finding.
package benchfuncs
