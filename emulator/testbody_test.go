package emulator_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator"
)

// equivServers are one server per base64 mode: the fast path must agree
// with the full parser under both.
func equivServers(tb testing.TB) []*emulator.Server {
	var out []*emulator.Server
	for _, mode := range []string{emulator.Base64Strict, emulator.Base64Lenient} {
		s, err := emulator.New(emulator.Options{Executor: &fakeExecutor{}, Base64: mode, MaxObjectBytes: 4096})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { _ = s.Close() })
		out = append(out, s)
	}
	return out
}

// checkSamePaths fails if the fast path accepts body and disagrees with
// the full parser; it reports whether the fast path accepted.
func checkSamePaths(t *testing.T, servers []*emulator.Server, body string) bool {
	t.Helper()
	accepted := false
	for _, s := range servers {
		fast, ok, full := emulator.DecodeTestPaths(s, []byte(body))
		if ok && fast != full {
			t.Fatalf("fast path and full parser disagree on %q:\nfast %+v\nfull %+v", body, fast, full)
		}
		accepted = accepted || ok
	}
	return accepted
}

// testBodyVariants are bodies in and around the shapes the SDKs send.
func testBodyVariants() []struct {
	body, reason string
	fast         bool
} {
	const ns = ` xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"`
	obj := b64(object)
	wrap := func(decl, attrs, inner string) string {
		return decl + `<TestConnectionFunctionRequest` + attrs + `>` + inner + `</TestConnectionFunctionRequest>`
	}
	o := func(text string) string { return `<ConnectionObject>` + text + `</ConnectionObject>` }
	st := func(text string) string { return `<Stage>` + text + `</Stage>` }
	return []struct {
		body, reason string
		fast         bool
	}{
		{wrap("", ns, o(obj)+st("DEVELOPMENT")), "Go SDK shape", true},
		{wrap("", ns, st("LIVE")+o(obj)), "stage first", true},
		{wrap("", "", o(obj)), "no namespace, no stage", true},
		{wrap(`<?xml version="1.0" encoding="UTF-8"?>`, ns, o(obj)+st("LIVE")), "declaration", true},
		{wrap(`<?xml version="1.0"?>`+"\n", ns, "\n  "+o(obj)+"\n  "+st("DEVELOPMENT")+"\n"), "declaration and indentation", true},
		{wrap("", ns, o(obj[:8]+"\n  "+obj[8:]+"\r\n")), "whitespace in base64", true},
		{wrap("", ns, o(obj[:8]+"\r"+obj[8:])), "lone CR in base64", true},
		{wrap("", ns, o("")), "empty object", true},
		{wrap("", ns, o(obj)+st("")), "empty stage", true},
		{wrap("", ns, o(obj)+st("STAGING")), "unknown stage", true},
		{wrap("", ns, o("e30")), "missing padding", true},
		{wrap("", ns, o("e3=0")), "padding inside", true},
		{wrap("", ns, o(base64.URLEncoding.EncodeToString([]byte(`{"a":"??>>"}`)))), "URL-safe alphabet", true},
		{wrap("", ns, o(b64(strings.Repeat("x", 5000)))), "object over MaxObjectBytes", true},
		{wrap("", ns, o(obj)) + "\n", "trailing newline", true},
		{wrap("", ns, st("LIVE")), "no object", false},
		{wrap("", ns, o(obj)+o(obj)), "duplicate object", false},
		{wrap("", ns, o(obj)+st("LIVE")+st("DEVELOPMENT")), "duplicate stage", false},
		{wrap("", ns, o(obj)+"<Other/>"), "other element", false},
		{wrap("", ns, o(obj)+"<!-- c -->"), "comment", false},
		{wrap("", ns, o("<![CDATA["+obj+"]]>")), "CDATA", false},
		{wrap("", ns, o(obj[:4]+"&#65;"+obj[4:])), "character reference", false},
		{wrap("", ns, o(obj)+st("L&#73;VE")), "reference in stage", false},
		{wrap("", ns, `<ConnectionObject a="1">`+obj+`</ConnectionObject>`), "attribute", false},
		{wrap("", ns+` a="b"`, o(obj)), "extra root attribute", false},
		{wrap("", ` xmlns="urn:x"`, o(obj)), "other namespace", false},
		{wrap("", ns, `<ConnectionObject/>`), "self-closing", false},
		{wrap("", ns, `<ConnectionObject >`+obj+`</ConnectionObject>`), "space in tag", false},
		{wrap("", ns, o(obj)+st("live")), "lower-case stage", false},
		{wrap("", ns, o(obj+"!")), "non-base64 character", false},
		{wrap(`<?xml version="1.0" encoding="ISO-8859-1"?>`, ns, o(obj)), "other encoding", false},
		{wrap(`<!DOCTYPE x>`, ns, o(obj)), "DOCTYPE", false},
		{" " + wrap("", ns, o(obj)), "leading space", false},
		{"\ufeff" + wrap("", ns, o(obj)), "byte order mark", false},
		{wrap("", ns, o(obj)) + "<x/>", "second root", false},
		{wrap("", ns, o(obj)) + "x", "text after the root", false},
		{wrap("", ns, o(obj)+"x"), "text inside the root", false},
		{wrap("", ns, o(obj)+"</Stage>"), "stray end tag", false},
		{wrap("", ns, o(obj))[:60], "truncated", false},
		{`<TestConnectionFunctionRequest>` + o(obj), "unclosed root", false},
		{wrap("", ns, o(obj)+"</TestConnectionFunctionRequest>"), "end tag twice", false},
	}
}

// TestFastPathMatchesParser runs both TestConnectionFunction decoders on
// the wire-test corpus and on variants of the SDK shapes.
func TestFastPathMatchesParser(t *testing.T) {
	servers := equivServers(t)
	for _, tc := range wireRequestCases("/test", nil) {
		checkSamePaths(t, servers, tc.body)
	}
	for _, tc := range testBodyVariants() {
		if got := checkSamePaths(t, servers, tc.body); got != tc.fast {
			t.Errorf("%s: fast path accepted=%v, want %v", tc.reason, got, tc.fast)
		}
		// Every prefix and single-byte deletion of a body is a variant too.
		for i := range len(tc.body) {
			checkSamePaths(t, servers, tc.body[:i])
			checkSamePaths(t, servers, tc.body[:i]+tc.body[i+1:])
		}
	}
}

// FuzzTestBodyFastPath checks that whenever the fast path accepts a body,
// it decodes it exactly as the full parser does.
func FuzzTestBodyFastPath(f *testing.F) {
	for _, tc := range testBodyVariants() {
		f.Add(tc.body)
	}
	for _, tc := range wireRequestCases("/test", nil) {
		f.Add(tc.body)
	}
	servers := equivServers(f)
	f.Fuzz(func(t *testing.T, body string) {
		checkSamePaths(t, servers, body)
	})
}
