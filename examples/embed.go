// Package examples bundles cffuzz's example files: the starter config that
// `fuzz init` writes. The example functions are in examples/functions.
package examples

import _ "embed"

// Config is the commented starter configuration (cffuzz.yaml).
//
//go:embed cffuzz.yaml
var Config []byte
