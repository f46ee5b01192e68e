package target

// ScanTestResult is scanTestResult, for tests that check which answers
// the fast deserializer takes.
var ScanTestResult = scanTestResult

// MaxFastAnswer is the largest answer the fast deserializer reads.
const MaxFastAnswer = maxFastAnswer
