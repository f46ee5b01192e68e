// Package runtime runs one CloudFront connection function on one connection
// object under the cloudfront-js-2.0 rules, on the goja JavaScript engine.
//
// It knows nothing of HTTP: the emulator decodes TestConnectionFunction
// requests and hands the function code and the connection object to an
// Executor. Two executors exist: NewInProcess, a pool of goja runtimes in the
// calling process (fast, guarded against the common resource bombs), and
// NewProcessPool, a pool of worker subprocesses with a memory limit and a
// hard wall-clock kill (slower, survives any hostile function).
//
// Check validates a function's syntax and its use of language features
// against the cloudfront-js-2.0 feature list without running it.
//
// See docs/runtime.md for the supported and rejected features, the limits,
// the utilization formula and the isolation design.
package runtime
