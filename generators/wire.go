package generators

import (
	"encoding/base64"
	"strings"

	"github.com/cffuzz/cffuzz"
)

// Namespace is the XML namespace of CloudFront API request bodies.
const Namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/"

// testPath is the TestConnectionFunction path; the target fills in {id}.
const testPath = "/2020-05-31/connection-function/{id}/test"

// wireVariant is one kind of raw request and what the emulator answers
// (docs/emulator.md, emulator/*.go with default options: strict base64,
// JSON object validation). A nil expect means the answer is not settled.
type wireVariant struct {
	name   string
	note   string
	expect *cffuzz.Expectation
	build  func(w *wireBuild)
}

// wireBuild is the request being built, starting from a valid one.
type wireBuild struct {
	method, path string
	header       map[string]string
	object       []byte
	b64          string
	stage        string
	body         string // when set, replaces the assembled body
}

func (w *wireBuild) assemble() []byte {
	if w.body != "" {
		return []byte(w.body)
	}
	return []byte(xmlBody(Namespace, "TestConnectionFunctionRequest", "<ConnectionObject>"+w.b64+"</ConnectionObject><Stage>"+w.stage+"</Stage>"))
}

func xmlBody(ns, root, inner string) string {
	attr := ""
	if ns != "" {
		attr = ` xmlns="` + ns + `"`
	}
	return "<" + root + attr + ">" + inner + "</" + root + ">"
}

func expect(status int, code string) *cffuzz.Expectation {
	return &cffuzz.Expectation{Status: status, Code: code}
}

var (
	expectOK         = expect(200, "")
	expectMalformed  = expect(400, "MalformedXML")
	expectBadIfMatch = expect(400, "InvalidIfMatchVersion")
	expectNotFound   = expect(404, "EntityNotFound")
)

var wireVariants = []wireVariant{
	{"valid", "the request the SDK sends (control)", expectOK, func(w *wireBuild) {}},
	{"xml-declaration", "with an <?xml?> declaration", expectOK, func(w *wireBuild) {
		w.body = `<?xml version="1.0" encoding="UTF-8"?>` + string(w.assemble())
	}},
	{"b64-invalid", "ConnectionObject is not base64", expectMalformed, func(w *wireBuild) { w.b64 = "!!not*base64$$" }},
	{"b64-url-alphabet", "base64url alphabet instead of standard", expectMalformed, func(w *wireBuild) {
		w.b64 = strings.NewReplacer("+", "-", "/", "_").Replace(w.b64)
		if !strings.ContainsAny(w.b64, "-_") {
			w.b64 = "-" + w.b64[1:]
		}
	}},
	{"b64-no-padding", "base64 without padding", expectMalformed, func(w *wireBuild) {
		for len(w.object)%3 == 0 {
			w.object = append(w.object, ' ')
		}
		w.b64 = base64.RawStdEncoding.EncodeToString(w.object)
	}},
	{"b64-whitespace", "line breaks and spaces inside the base64 (XML whitespace is ignored)", expectOK, func(w *wireBuild) {
		var sb strings.Builder
		for i := 0; i < len(w.b64); i += 76 {
			sb.WriteString(w.b64[i:min(i+76, len(w.b64))])
			sb.WriteString("\r\n ")
		}
		w.b64 = sb.String()
	}},
	{"object-missing", "no ConnectionObject element", expectMalformed, func(w *wireBuild) {
		w.body = xmlBody(Namespace, "TestConnectionFunctionRequest", "<Stage>DEVELOPMENT</Stage>")
	}},
	{"object-duplicate", "two ConnectionObject elements (the last one counts)", expectOK, func(w *wireBuild) {
		w.body = xmlBody(Namespace, "TestConnectionFunctionRequest", "<ConnectionObject>eyJ4IjoxfQ==</ConnectionObject><ConnectionObject>"+w.b64+"</ConnectionObject>")
	}},
	{"object-empty", "empty ConnectionObject: 0 bytes is not a JSON object", expect(400, "InvalidArgument"), func(w *wireBuild) { w.b64 = "" }},
	{"object-oversized", "ConnectionObject of 40,961 bytes", expectMalformed, func(w *wireBuild) {
		w.b64 = base64.StdEncoding.EncodeToString([]byte(`{"x":"` + strings.Repeat("a", MaxObjectSize+1-8) + `"}`))
	}},
	{"wrong-root", "root element of another operation", expectMalformed, func(w *wireBuild) {
		w.body = xmlBody(Namespace, "TestFunctionRequest", "<ConnectionObject>"+w.b64+"</ConnectionObject>")
	}},
	{"no-namespace", "root element without xmlns (accepted)", expectOK, func(w *wireBuild) {
		w.body = xmlBody("", "TestConnectionFunctionRequest", "<ConnectionObject>"+w.b64+"</ConnectionObject>")
	}},
	{"wrong-namespace", "root element in another namespace (accepted)", expectOK, func(w *wireBuild) {
		w.body = xmlBody("http://example.com/other", "TestConnectionFunctionRequest", "<ConnectionObject>"+w.b64+"</ConnectionObject>")
	}},
	{"doctype", "DOCTYPE with an entity-expansion attempt", expectMalformed, func(w *wireBuild) {
		w.body = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>` +
			xmlBody(Namespace, "TestConnectionFunctionRequest", "<ConnectionObject>"+w.b64+"</ConnectionObject><Stage>&c;</Stage>")
	}},
	{"not-xml", "a body that is not XML", expectMalformed, func(w *wireBuild) { w.body = `{"ConnectionObject":"` + w.b64 + `"}` }},
	{"truncated-xml", "XML cut in the middle", expectMalformed, func(w *wireBuild) {
		b := string(w.assemble())
		w.body = b[:len(b)/2]
	}},
	{"non-utf8", "bytes that are not UTF-8 in the body", expectMalformed, func(w *wireBuild) { w.stage = "DEVELOP\xff\xfeMENT" }},
	{"stage-huge", "a 100 KB Stage", expectMalformed, func(w *wireBuild) { w.stage = strings.Repeat("DEVELOPMENT", 9000) }},
	{"stage-invalid", "Stage not in the enum", expectMalformed, func(w *wireBuild) { w.stage = "PRODUCTION" }},
	{"stage-lowercase", "lower-case Stage", expectMalformed, func(w *wireBuild) { w.stage = "development" }},
	{"id-empty", "empty Id in the path", expectMalformed, func(w *wireBuild) { w.path = "/2020-05-31/connection-function//test" }},
	{"id-oversized", "a 65-character Id", expectMalformed, func(w *wireBuild) {
		w.path = "/2020-05-31/connection-function/" + strings.Repeat("f", 65) + "/test"
	}},
	{"id-url-encoded", "URL-encoded Id that decodes to no function", expectNotFound, func(w *wireBuild) {
		w.path = "/2020-05-31/connection-function/%7Bid%7D/test"
	}},
	{"id-unknown", "Id of no function", expectNotFound, func(w *wireBuild) {
		w.path = "/2020-05-31/connection-function/cffuzz-no-such-function/test"
	}},
	{"ifmatch-missing", "no If-Match header", expectBadIfMatch, func(w *wireBuild) { delete(w.header, "If-Match") }},
	{"ifmatch-empty", "empty If-Match header", expectBadIfMatch, func(w *wireBuild) { w.header["If-Match"] = "" }},
	{"ifmatch-stale", "If-Match of no version", expect(412, "PreconditionFailed"), func(w *wireBuild) { w.header["If-Match"] = "ESTALE0000000" }},
	{"ifmatch-other-stage", "LIVE stage with the DEVELOPMENT ETag", nil, func(w *wireBuild) { w.stage = "LIVE" }},
	{"body-oversized", "a 300 KB body", expect(413, "EntitySizeLimitExceeded"), func(w *wireBuild) {
		w.body = xmlBody(Namespace, "TestConnectionFunctionRequest", "<ConnectionObject>"+w.b64+"</ConnectionObject><Stage>"+strings.Repeat(" ", 300<<10)+"</Stage>")
	}},
	{"method-wrong", "GET on the test path", expect(405, "MethodNotAllowed"), func(w *wireBuild) { w.method = "GET" }},
	{"content-type-wrong", "Content-Type text/plain (the emulator ignores it)", expectOK, func(w *wireBuild) { w.header["Content-Type"] = "text/plain" }},
}

func (g *Generator) wireCase(d *draw, c *cffuzz.Case) {
	v := wireVariants[d.r.Intn(len(wireVariants))]
	conn, _ := g.production.connection(d)
	w := &wireBuild{
		method: "POST", path: testPath, stage: "DEVELOPMENT",
		header: map[string]string{"If-Match": "{etag}", "Content-Type": "application/xml"},
		object: conn.Marshal(),
	}
	w.b64 = base64.StdEncoding.EncodeToString(w.object)
	v.build(w)
	c.Class, c.Variant, c.Object = cffuzz.ClassWire, v.name, w.object
	c.Wire = &cffuzz.WireRequest{Method: w.method, Path: w.path, Header: w.header, Body: w.assemble(), Note: v.note}
	if v.expect != nil {
		e := *v.expect
		c.Expect = &e
	}
}
