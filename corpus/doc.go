// Package corpus keeps findings and seeds on disk: the regression corpus a
// campaign replays first, shards merge, and users export into Go tests.
//
// A corpus is a flat directory of entries, one finding each, named by the
// first 16 hex digits of the SHA-256 of its input (as Go's fuzzing cache
// names its files), so one input is stored once however often it is found.
// For a wire-family finding the raw request takes part in the hash. An entry
// file is text:
//
//	cffuzz corpus v1
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
// The first line is the format version. The JSON metadata follows, then a
// line "-- input --" and the input, raw, to the end of the file (no newline
// is added, so the input is byte-exact and `tail -n +N` recovers it).
// input_size and input_sha256 detect truncated or edited files. Other files
// in the directory (a README, editors' backups, ".tmp-" files of writes in
// progress) are ignored.
//
// Entries are written atomically: to a temporary file in the same directory,
// fsynced, then linked into place only if no entry of that name exists, so
// concurrent writers (goroutines, shards, processes) never leave a torn or
// doubled entry. The corpus also holds at most one entry per signature: a
// bug already stored under another input is not stored again.
package corpus
