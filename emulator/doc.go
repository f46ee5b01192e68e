// Package emulator serves a local Amazon CloudFront connection-function API:
// the nine REST-XML operations of API version 2020-05-31
// (Create/Describe/Get/Update/Publish/Test/Delete/ListConnectionFunctions and
// ListDistributionsByConnectionFunction) with CloudFront's paths, status
// codes, headers, XML shapes, ETag and stage rules, limits and error
// envelope, so that any AWS SDK or the AWS CLI works against it by endpoint
// URL alone.
//
// TestConnectionFunction really runs the function, through a
// runtime.Executor (by default the in-process goja executor). Every outcome
// of the function itself — a decision, an exception, a timeout — is a 200
// ConnectionFunctionTestResult; only a failure of the executor is
// TestFunctionFailed.
//
// A Server is an http.Handler. Start serves one on a loopback port;
// emulatortest.NewServer does the same for a test and closes it at the end. Faults
// injects throttles, server errors, latency and dropped connections with a
// seeded generator; RateLimit throttles as AWS does; Credentials turns on
// Signature Version 4 verification.
//
// Where AWS's behaviour is undocumented, the emulator makes a choice; each
// is listed in docs/emulator.md.
package emulator
