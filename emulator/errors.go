package emulator

import (
	"fmt"
	"net/http"
)

// APIError is an error the API answers with: an HTTP status and an AWS error
// code and message, sent in CloudFront's ErrorResponse envelope. The Go
// preload methods (CreateFunction, PublishFunction, AddKVS) return the same
// errors the HTTP API would.
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// Code is the AWS error code ("EntityNotFound", "MalformedXML", ...).
	Code string
	// Message is the human-readable message.
	Message string
}

// Error returns "Code: Message".
func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// Type is "Receiver" for server faults (5xx) and "Sender" otherwise, as in
// the envelope's <Type> element.
func (e *APIError) Type() string {
	if e.Status >= 500 {
		return "Receiver"
	}
	return "Sender"
}

func apiErr(status int, code, format string, args ...any) *APIError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &APIError{Status: status, Code: code, Message: msg}
}

// Messages of the errors AWS is observed to send (see docs/emulator.md).
const (
	msgIfMatchMissing = "The If-Match version is missing or not valid for the resource."
	msgPrecondition   = "The request failed because it didn't meet the preconditions in one or more request-header fields."
	msgRateExceeded   = "Rate exceeded"
	msgInternal       = "CloudFront encountered an internal error. Please try again."
	msgMalformedXML   = "The XML you provided was not well-formed or did not validate against our published schema"
)

func errNotFound(what string) *APIError {
	return apiErr(http.StatusNotFound, "EntityNotFound", "The %s was not found.", what)
}

func errIfMatchMissing() *APIError {
	return apiErr(http.StatusBadRequest, "InvalidIfMatchVersion", msgIfMatchMissing)
}

func errPrecondition() *APIError {
	return apiErr(http.StatusPreconditionFailed, "PreconditionFailed", msgPrecondition)
}

func errMalformed(detail string) *APIError {
	return apiErr(http.StatusBadRequest, "MalformedXML", "%s: %s", msgMalformedXML, detail)
}

func errInvalidArgument(format string, args ...any) *APIError {
	return apiErr(http.StatusBadRequest, "InvalidArgument", format, args...)
}

func errThrottling() *APIError {
	return apiErr(http.StatusBadRequest, "Throttling", msgRateExceeded)
}
