package corpus_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
)

func TestMarshalGolden(t *testing.T) {
	data, err := corpus.Marshal(leafFinding())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "entry.golden", data)
}

func TestMarshalParseRoundTrip(t *testing.T) {
	wire := leafFinding()
	wire.Family, wire.Class, wire.Minimized = "wire", cffuzz.ClassWire, nil
	wire.Original = []byte{0, 0xff, '\n', '-', '-'}
	wire.Wire = &cffuzz.WireRequest{Method: "POST", Path: "/2020-05-31/connection-function/{id}/test", Header: map[string]string{"If-Match": ""}}
	for _, tt := range []struct {
		f      cffuzz.Finding
		reason string
	}{
		{leafFinding(), "a JSON input"},
		{wire, "a wire finding with a binary original input and no minimized one"},
	} {
		data, err := corpus.Marshal(tt.f)
		if err != nil {
			t.Fatal(err)
		}
		e, err := corpus.ParseEntry("x", data)
		if err != nil {
			t.Fatalf("%s: %v", tt.reason, err)
		}
		want := tt.f
		in := want.Minimized
		if len(in) == 0 {
			in = want.Original
		}
		want.Original, want.Minimized, want.MinimizedSize, want.CorpusFile = nil, in, len(in), "x"
		if diff := cmp.Diff(want, e.Finding); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", tt.reason, diff)
		}
		if !bytes.Equal(e.Input, in) {
			t.Errorf("%s: input %q, want %q", tt.reason, e.Input, in)
		}
	}
}

func TestParseEntryRejects(t *testing.T) {
	good, err := corpus.Marshal(leafFinding())
	if err != nil {
		t.Fatal(err)
	}
	s := string(good)
	tests := []struct {
		data, wantErr, reason string
	}{
		{"", "not a cffuzz corpus entry", "an empty file"},
		{"go test fuzz v1\n[]byte(\"x\")\n", "not a cffuzz corpus entry", "a Go fuzz file"},
		{strings.Replace(s, "v1", "v3", 1), `unknown format "cffuzz corpus v3"`, "a newer version"},
		{s[:len(s)-3], "truncated or edited", "a truncated input"},
		{s + "x", "truncated or edited", "an appended byte"},
		{strings.Replace(s, "-- input --\n", "", 1), "no \"-- input --\" line", "no separator"},
		{strings.Replace(s, `"severity": "high"`, `"severity": "dire"`, 1), "unknown severity", "a bad severity"},
		{strings.Replace(s, `"oracle": "crash"`, `"oracle": ""`, 1), "no oracle", "no oracle"},
		{strings.Replace(s, "{\n", "[\n", 1), "bad metadata", "metadata that is not an object"},
		{corpus.Header + "\n" + strings.Repeat("x", corpus.MaxEntrySize), "over the", "too big"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			_, err := corpus.ParseEntry("corpus/0123456789abcdef", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "corpus/0123456789abcdef") {
				t.Errorf("%s: err = %v, want one naming the file and mentioning %q", tt.reason, err, tt.wantErr)
			}
		})
	}
}

func TestMarshalRejectsAnonymousFindings(t *testing.T) {
	if _, err := corpus.Marshal(cffuzz.Finding{Minimized: []byte("{}")}); err == nil {
		t.Error("a finding without oracle and signature was encoded")
	}
}

func FuzzParseEntry(f *testing.F) {
	good, _ := corpus.Marshal(leafFinding())
	f.Add(good)
	f.Add([]byte(corpus.Header + "\n{}\n-- input --\n"))
	f.Add([]byte("cffuzz corpus v9\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := corpus.ParseEntry("f", data)
		if err != nil {
			return
		}
		// What parses must re-encode to something that parses the same.
		again, err := corpus.Marshal(e.Finding)
		if err != nil {
			t.Fatalf("parsed entry does not re-encode: %v", err)
		}
		e2, err := corpus.ParseEntry("f", again)
		if err != nil {
			t.Fatalf("re-encoded entry does not parse: %v\n%s", err, again)
		}
		if !bytes.Equal(e.Input, e2.Input) || e.Finding.Signature != e2.Finding.Signature {
			t.Fatalf("round trip changed the entry")
		}
	})
}
