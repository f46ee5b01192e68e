package corpus

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cffuzz/cffuzz"
)

// ExportGoFuzz writes input as a Go fuzzing corpus file ("go test fuzz v1"
// and one []byte value), for a FuzzXxx(f, func(t, data []byte)) target's
// testdata/fuzz/FuzzXxx/ directory.
func ExportGoFuzz(w io.Writer, input []byte) error {
	_, err := fmt.Fprintf(w, "go test fuzz v1\n[]byte(%q)\n", input)
	return err
}

// ExportGoTableRow writes f as a gofmt-formatted row of a Go table test with
// the fields name, input, oracle and signature:
//
//	{
//		name:      "crash-TypeError-1f2e3d4c",
//		input:     `{"clientCertificate":null}`,
//		oracle:    "crash",
//		signature: "crash/TypeError@3:12/TypeError: Cannot read property 'leaf' of null",
//	},
//
// The input is a raw string literal when it can be one, else a quoted one.
func ExportGoTableRow(w io.Writer, f cffuzz.Finding) error {
	name, err := Name(f)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "{\n\tname:      %s,\n\tinput:     %s,\n\toracle:    %s,\n\tsignature: %s,\n},\n",
		strconv.Quote(rowName(f, name)), goString(input(f)), strconv.Quote(f.Oracle), strconv.Quote(f.Signature))
	return err
}

// rowName is a test name from the finding's oracle, kind and content hash,
// made of characters that go test prints as they are.
func rowName(f cffuzz.Finding, hash string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r < 128 && (r == '-' || r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
				return r
			}
			return '_'
		}, s)
	}
	return clean(f.Oracle) + "-" + clean(f.Kind) + "-" + hash[:8]
}

// goString returns a Go string literal of b.
func goString(b []byte) string {
	s := string(b)
	if strconv.CanBackquote(s) {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}
