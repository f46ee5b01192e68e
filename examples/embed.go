// Package examples bundles cffuzz's example files and what `fuzz init`
// makes of them: the commented starter config (StarterConfig, which names
// the user's function) and a starter function. The example functions are
// in examples/functions.
package examples

import _ "embed"

// Config is the commented starter configuration (cffuzz.yaml).
//
//go:embed cffuzz.yaml
var Config []byte
