package reports

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/cffuzz/cffuzz"
)

// inputText renders a failing input for people, losslessly: printable UTF-8
// (a connection object, usually JSON) as itself, other valid UTF-8 as a JSON
// string literal, and anything else as base64.
func inputText(b []byte) string {
	if len(b) == 0 {
		return "(empty)"
	}
	if !utf8.Valid(b) {
		return "base64:" + base64.StdEncoding.EncodeToString(b)
	}
	s := string(b)
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t' && r != '\r') || r == 0x7f || r == utf8.RuneError {
			q, _ := json.Marshal(s)
			return "json-string:" + string(q)
		}
	}
	return s
}

// reproducerText is the minimized input of f as text; for a wire finding it
// is the raw request.
func reproducerText(f *cffuzz.Finding) string {
	if f.Wire == nil {
		return inputText(f.Minimized)
	}
	var b strings.Builder
	w := f.Wire
	path := w.Path
	if w.Query != "" {
		path += "?" + w.Query
	}
	fmt.Fprintf(&b, "%s %s\n", w.Method, path)
	keys := make([]string, 0, len(w.Header))
	for k := range w.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, w.Header[k])
	}
	if len(w.Body) > 0 {
		b.WriteString("\n" + inputText(w.Body) + "\n")
	}
	if w.Note != "" {
		b.WriteString("# " + w.Note + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// location is "path:line:col" for findings with a line, "" otherwise.
func location(f *cffuzz.Finding, path string) string {
	if f.Line <= 0 {
		return ""
	}
	if f.Column > 0 {
		return fmt.Sprintf("%s:%d:%d", path, f.Line, f.Column)
	}
	return fmt.Sprintf("%s:%d", path, f.Line)
}

// sourceLine returns line n (1-based) of src without its newline, or "".
func sourceLine(src []byte, n int) string {
	if n <= 0 || len(src) == 0 {
		return ""
	}
	lines := strings.Split(string(src), "\n")
	if n > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[n-1], "\r")
}

// findingDetails is the plain-text account of a finding used by JUnit.
func findingDetails(f *cffuzz.Finding, path string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "severity: %s\n", f.Severity)
	fmt.Fprintf(&b, "oracle: %s (%s)\n", f.Oracle, f.Kind)
	fmt.Fprintf(&b, "signature: %s\n", f.Signature)
	fmt.Fprintf(&b, "count: %d; first seen at seed %d, case %d (family %s, class %s)\n", f.Count, f.Seed, f.Case, f.Family, f.Class)
	if loc := location(f, path); loc != "" {
		fmt.Fprintf(&b, "location: %s\n", loc)
	}
	fmt.Fprintf(&b, "input size: %d bytes, minimized to %d bytes in %d shrink steps\n", f.OriginalSize, f.MinimizedSize, f.ShrinkSteps)
	if f.CorpusFile != "" {
		fmt.Fprintf(&b, "corpus file: %s\n", f.CorpusFile)
	}
	if f.Reproducer != "" {
		fmt.Fprintf(&b, "replay: %s\n", f.Reproducer)
	}
	if f.AWSCommand != "" {
		fmt.Fprintf(&b, "on AWS: %s\n", f.AWSCommand)
	}
	b.WriteString("minimized reproducer:\n")
	b.WriteString(reproducerText(f))
	b.WriteString("\n")
	return b.String()
}
