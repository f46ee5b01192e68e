// Package target sends Cases to a connection-function API and turns the
// answers into Outcomes: through the AWS SDK for Go v2 (to the embedded
// emulator, an emulator at any endpoint, or AWS), or as raw SigV4-signed HTTP
// for the wire family.
package target

import "github.com/cffuzz/cffuzz"

// Target runs cases against one connection function (cffuzz.Target, the
// port the runner drives).
type Target = cffuzz.Target
