// Package functions bundles the example connection functions that ship with
// cffuzz, so that `fuzz run` with no arguments has a function to fuzz.
package functions

import _ "embed"

// Demo is a realistic connection function with real bugs, for the
// demonstration campaign (demo.js).
//
//go:embed demo.js
var Demo []byte

// DemoKVS is the KeyValueStore import file Demo reads (demo-kvs.json).
//
//go:embed demo-kvs.json
var DemoKVS []byte

// DemoProperty is a property file stating Demo's security policy
// (demo-property.js).
//
//go:embed demo-property.js
var DemoProperty []byte

// Clean is a well-written connection function that cffuzz finds nothing in
// (clean.js).
//
//go:embed clean.js
var Clean []byte
