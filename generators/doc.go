// Package generators builds the cases of a cffuzz campaign and shrinks the
// inputs that fail.
//
// A Generator turns (seed, index) into a cffuzz.Case, purely: the same
// options, seed and index always give the same bytes, whatever the
// concurrency. Each case comes from one family:
//
//	production  connection objects CloudFront could send (gopter generators
//	            of the typed model, Connection, with structure-preserving shrinkers)
//	boundary    objects at and around the 40,960-byte limit, very long values, 0 bytes
//	malformed   not JSON, JSON that is not an object, and objects CloudFront never sends
//	mutation    structural and byte-level mutations of seed objects
//	wire        raw API requests the SDK would refuse to send (off by default)
//
// A dictionary (Options.Dictionary, built with DictionaryFromJS from the
// function's literals and DictionaryFromKVS from its KeyValueStore) steers
// the production and mutation families towards the values a function's
// branches compare against: each token goes where its shape fits (a CN in
// a DN, hex in a serial, a CIDR or prefix in clientIp, a domain suffix in
// a SAN name), in part of the fields, so that plain random values stay common.
//
// String fields are not only taken from word lists: a character-class
// model (classes.go) draws DN values and attribute types, SAN entries,
// URIs, serial numbers and fingerprints by class — RFC 4514 escapes and
// hex pairs, OIDs, multi-valued RDNs, RFC 5280 SAN forms, percent-encoding,
// quotes, separators, non-ASCII — in a stated share of production values,
// and the forms CloudFront never sends in mutation and malformed cases,
// so that every class is reached at a known rate (docs/generators.md).
//
// Cases are built directly from the RNG (no reflection on the hot path);
// the gopter generators, which carry the shrinkers, draw the same fields
// from the same makers.
//
// Shrink and Minimize reduce any failing input, structure-aware for JSON
// (a JSON object stays a JSON object) and by delta debugging otherwise.
// Classify tells which validity class an arbitrary object belongs to.
package generators
