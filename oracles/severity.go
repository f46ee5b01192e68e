package oracles

import "github.com/cffuzz/cffuzz"

// MalformedCap is the highest severity a signal can have when its case is of
// ClassMalformed: CloudFront never sends such objects, so what a function
// does with them is reported apart from, and below, the real findings.
const MalformedCap = cffuzz.SeverityLow

// CapSeverity returns s, lowered to MalformedCap when class is
// ClassMalformed. Oracles apply it to everything the function itself did;
// failures of the API or the emulator (5xx, transport) are not capped.
func CapSeverity(s cffuzz.Severity, class cffuzz.Class) cffuzz.Severity {
	if class == cffuzz.ClassMalformed && s > MalformedCap {
		return MalformedCap
	}
	return s
}
