// Package corpus keeps findings and seeds on disk: the regression corpus a
// campaign replays first, shards merge, and users export into Go tests.
//
// A corpus is a flat directory of entries, one finding each, named by the
// first 16 hex digits of the SHA-256 of its input (as Go's fuzzing cache
// names its files), so one input is stored once however often it is found.
// For a wire-family finding the raw request takes part in the hash, and for
// an entry tagged with its function (below) the function's key. An entry
// file is text:
//
//	cffuzz corpus v2
//	{
//	  "oracle": "crash",
//	  "kind": "TypeError",
//	  "severity": "high",
//	  "signature": "crash/TypeError@3:12/TypeError: Cannot read property 'leaf' of null",
//	  ...
//	  "input_size": 27,
//	  "input_sha256": "…"
//	}
//	-- input --
//	{"clientCertificate":null}
//
// The first line is the format version. Version 2 adds the "function"
// field: the key of the function the entry belongs to (FunctionKey: "fn"
// for fn.js). A corpus opened for a function (Options.Function) tags what
// it writes and replays only its own entries and untagged ones, so the
// corpora of several functions can share a directory without being
// replayed against one another; Entries says how many it left out. An
// entry without a tag is written as version 1, which every cffuzz reads,
// and v1 entries are read as belonging to every function.
//
// The rest of the entry: The JSON metadata follows, then a
// line "-- input --" and the input, raw, to the end of the file (no newline
// is added, so the input is byte-exact and `tail -n +N` recovers it).
// input_size and input_sha256 detect truncated or edited files. Other files
// in the directory (a README, editors' backups, ".tmp-" files of writes in
// progress) are ignored; ".tmp-" files older than an hour, left by killed
// writers, are removed.
//
// Damage never stops a run and is never silent: a corrupt entry is moved
// to the "quarantine" subdirectory, and a symbolic link (never followed),
// a directory or an entry of a newer format under an entry's name is left
// in place; each is named, with what to do, in the *LoadError that
// Entries returns alongside the entries it could read.
//
// Entries are written atomically: to a temporary file in the same directory,
// fsynced, then linked into place only if no entry of that name exists, so
// concurrent writers (goroutines, shards, processes) never leave a torn or
// doubled entry. The corpus also holds at most one entry per signature (in
// one function's corpus): a bug already stored under another input is not
// stored again, except that Merge keeps the smaller input of the two.
package corpus
