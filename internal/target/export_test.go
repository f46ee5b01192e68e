package target

import "net/http"

// ScanTestResult is scanTestResult, for tests that check which answers
// the fast deserializer takes.
var ScanTestResult = scanTestResult

// MaxFastAnswer is the largest answer the fast deserializer reads.
const MaxFastAnswer = maxFastAnswer

// InMemoryBodies returns the RoundTripper of NewHTTPClient's clients over next.
func InMemoryBodies(next http.RoundTripper) http.RoundTripper { return inMemoryBodies{next} }
