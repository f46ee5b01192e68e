package emulator

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// TestRequest is one TestConnectionFunction call through the Go API
// (Server.TestFunction): the members of the HTTP request, already decoded.
type TestRequest struct {
	// FunctionID is the function's Id, as in the request path.
	FunctionID string
	// IfMatch is the If-Match header: the ETag of the stage tested.
	IfMatch string
	// Stage is "DEVELOPMENT" or "LIVE"; empty means the member is absent
	// (DEVELOPMENT).
	Stage string
	// Object is the connection object, raw bytes; nil is an empty object.
	Object []byte
	// Feedback asks for an instrumented run (runtime.Request.Feedback):
	// the Result then carries what it reached in Result.Feedback.
	Feedback bool
}

// ErrConnectionDropped is what TestFunction returns when fault injection
// drops the request (Faults.Drop): the HTTP server closes the connection
// without answering.
var ErrConnectionDropped = errors.New("emulator: connection dropped by fault injection")

// TestFunction runs TestConnectionFunction without HTTP, XML or an SDK: it
// applies the rate limit, fault injection and every validation of the HTTP
// handler in the same order, and returns the Result the HTTP answer would
// carry (function errors and logs with the characters XML cannot carry
// replaced by U+FFFD, as the XML answer has them). Its error is an
// *APIError when the HTTP API would answer with that error,
// ErrConnectionDropped when it would drop the connection, and ctx's error
// when ctx ends first. It records the same metrics as the HTTP request.
//
// The one check it makes differently is the body size: the HTTP server
// refuses a body over MaxBodyBytes; TestFunction refuses an object whose
// request body, as the AWS SDKs write it, would exceed MaxBodyBytes.
func (s *Server) TestFunction(ctx context.Context, req TestRequest) (runtime.Result, error) {
	start := time.Now()
	status := http.StatusOK
	defer func() { s.metrics.request(OpTest, status, time.Since(start)) }()
	res, e := s.testFunction(ctx, req)
	switch {
	case e == errDropped:
		status = 0
		return runtime.Result{}, ErrConnectionDropped
	case e != nil && ctx.Err() != nil:
		status = 0
		return runtime.Result{}, ctx.Err()
	case e != nil:
		status = e.Status
		return runtime.Result{}, e
	}
	res.Error = xmlText(res.Error)
	copied := false
	for i, l := range res.Logs {
		if t := xmlText(l); t != l {
			if !copied {
				res.Logs, copied = append([]string(nil), res.Logs...), true
			}
			res.Logs[i] = t
		}
	}
	return res, nil
}

// errDropped is testFunction's marker for a dropped request.
var errDropped = &APIError{Code: "dropped"}

func (s *Server) testFunction(ctx context.Context, req TestRequest) (runtime.Result, *APIError) {
	if int64(sdkTestBodySize(len(req.Object))) > s.opts.MaxBodyBytes {
		return runtime.Result{}, apiErr(http.StatusRequestEntityTooLarge, "EntitySizeLimitExceeded", "The request body exceeds %d bytes.", s.opts.MaxBodyBytes)
	}
	if drop, e := s.admit(ctx, OpTest); drop {
		return runtime.Result{}, errDropped
	} else if e != nil {
		return runtime.Result{}, e
	}
	if !validETagSyntax(req.IfMatch) {
		return runtime.Result{}, errIfMatchMissing()
	}
	obj := req.Object
	if obj == nil {
		obj = []byte{}
	}
	in, e := s.checkTestMembers(obj, true, req.Stage, req.Stage != "")
	if e != nil {
		return runtime.Result{}, e
	}
	return s.runTest(ctx, req.FunctionID, req.IfMatch, in, req.Feedback, nil)
}

// sdkTestBodySize is the length of the TestConnectionFunction body the AWS
// SDK for Go v2 writes for an object of n bytes and the longest stage.
func sdkTestBodySize(n int) int {
	const envelope = len(`<TestConnectionFunctionRequest xmlns="` + Namespace + `"><ConnectionObject></ConnectionObject><Stage>DEVELOPMENT</Stage></TestConnectionFunctionRequest>`)
	return envelope + base64.StdEncoding.EncodedLen(n)
}

// xmlText returns s as an XML answer carries it: encoding/xml writes every
// invalid UTF-8 byte and every rune outside XML's Char range as U+FFFD.
// It returns s itself when nothing needs replacing.
func xmlText(s string) string {
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && w == 1) || !isXMLChar(r) {
			return xmlTextSlow(s)
		}
		i += w
	}
	return s
}

func xmlTextSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && w == 1) || !isXMLChar(r) {
			b.WriteRune('\uFFFD')
		} else {
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}

// isXMLChar is XML 1.0's Char production, as encoding/xml checks it.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
