package emulator

import (
	"bytes"
	"encoding/base64"
)

// testFields are the members of a TestConnectionFunction request body: the
// base64 text of ConnectionObject and the Stage text, each with whether it
// was present.
type testFields struct {
	object          []byte
	objectSet       bool
	stage           string
	stageSet        bool
	objectIsLiteral bool // object is the raw element text, only base64 alphabet characters
}

// The exact spellings the fast path accepts (see scanTestBody).
var (
	xmlDeclUTF8     = []byte(`<?xml version="1.0" encoding="UTF-8"?>`)
	xmlDeclPlain    = []byte(`<?xml version="1.0"?>`)
	testRootNS      = []byte(`<TestConnectionFunctionRequest xmlns="` + Namespace + `">`)
	testRootPlain   = []byte(`<TestConnectionFunctionRequest>`)
	testRootEnd     = []byte(`</TestConnectionFunctionRequest>`)
	objectStart     = []byte(`<ConnectionObject>`)
	objectEnd       = []byte(`</ConnectionObject>`)
	stageStartTag   = []byte(`<Stage>`)
	stageEndTag     = []byte(`</Stage>`)
	elementEndStart = []byte(`</`)
)

// scanTestBody is the fast path of decodeTest. It accepts only the shapes
// the SDKs send: an optional `<?xml version="1.0" encoding="UTF-8"?>` (or
// `<?xml version="1.0"?>`) declaration, the root element with the API's
// namespace or none, a <ConnectionObject> whose text is base64 alphabet
// characters and XML whitespace, an optional <Stage> whose text is A–Z, in
// either order, each at most once, with XML whitespace between tags and
// nothing else. It returns the fields as slices of body without allocating;
// ok is false for anything else (entities, CDATA, comments, attributes,
// DOCTYPE, other elements, duplicates), which the full parser handles. For
// every body it accepts, parseTestFields returns the same fields.
func scanTestBody(body []byte) (f testFields, ok bool) {
	rest := body
	if bytes.HasPrefix(rest, xmlDeclUTF8) {
		rest = skipXMLSpace(rest[len(xmlDeclUTF8):])
	} else if bytes.HasPrefix(rest, xmlDeclPlain) {
		rest = skipXMLSpace(rest[len(xmlDeclPlain):])
	}
	switch {
	case bytes.HasPrefix(rest, testRootNS):
		rest = rest[len(testRootNS):]
	case bytes.HasPrefix(rest, testRootPlain):
		rest = rest[len(testRootPlain):]
	default:
		return f, false
	}
	for {
		rest = skipXMLSpace(rest)
		switch {
		case bytes.HasPrefix(rest, objectStart):
			if f.objectSet {
				return f, false
			}
			text, after, ok := elementText(rest[len(objectStart):], objectEnd, isBase64Text)
			if !ok {
				return f, false
			}
			f.object, f.objectSet, f.objectIsLiteral, rest = text, true, true, after
		case bytes.HasPrefix(rest, stageStartTag):
			if f.stageSet {
				return f, false
			}
			text, after, ok := elementText(rest[len(stageStartTag):], stageEndTag, isUpperText)
			if !ok {
				return f, false
			}
			f.stage, f.stageSet, rest = stageString(text), true, after
		case bytes.HasPrefix(rest, testRootEnd):
			if !f.objectSet || len(skipXMLSpace(rest[len(testRootEnd):])) != 0 {
				return f, false
			}
			return f, true
		default:
			return f, false
		}
	}
}

// elementText returns the text before the end tag end at the start of s,
// if every byte of it passes valid, and what follows the end tag.
func elementText(s, end []byte, valid func([]byte) bool) (text, after []byte, ok bool) {
	i := bytes.Index(s, elementEndStart)
	if i < 0 || !bytes.HasPrefix(s[i:], end) || !valid(s[:i]) {
		return nil, nil, false
	}
	return s[:i], s[i+len(end):], true
}

// isBase64Text reports whether b holds only characters of the standard and
// URL-safe base64 alphabets, padding and XML whitespace.
func isBase64Text(b []byte) bool {
	for _, c := range b {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '+', c == '/', c == '=', c == '-', c == '_':
		case c == ' ', c == '\t', c == '\r', c == '\n':
		default:
			return false
		}
	}
	return true
}

// isUpperText reports whether b holds only the letters A–Z.
func isUpperText(b []byte) bool {
	for _, c := range b {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// stageString returns b as a string, without allocating for the two valid
// stages.
func stageString(b []byte) string {
	switch string(b) {
	case StageDevelopment:
		return StageDevelopment
	case StageLive:
		return StageLive
	}
	return string(b)
}

// skipXMLSpace drops leading XML whitespace.
func skipXMLSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n') {
		b = b[1:]
	}
	return b
}

// parseTestFields is the full parser's reading of a TestConnectionFunction
// body.
func parseTestFields(body []byte) (testFields, error) {
	doc, err := parseXML(body, "TestConnectionFunctionRequest")
	if err != nil {
		return testFields{}, err
	}
	var f testFields
	if text, ok := doc.textOf("ConnectionObject"); ok {
		f.object, f.objectSet = []byte(text), true
	}
	f.stage, f.stageSet = doc.textOf("Stage")
	return f, nil
}

// decodeObject decodes the ConnectionObject text as decodeBlob does. A
// literal text without whitespace in strict mode is decoded straight from
// the body, the decoded object being the only allocation.
func decodeObject(f testFields, mode string) ([]byte, error) {
	if f.objectIsLiteral && mode == Base64Strict && bytes.IndexAny(f.object, " \t\r\n") < 0 {
		enc := base64.StdEncoding.Strict()
		out := make([]byte, enc.DecodedLen(len(f.object)))
		if n, err := enc.Decode(out, f.object); err == nil {
			return out[:n], nil
		}
		// Let decodeBlob word the error.
	}
	return decodeBlob(string(f.object), mode)
}
