package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cffuzz/cffuzz"
)

// Header is the first line of an entry of the current version, v2: an
// entry tagged with the function it belongs to (its "function" field).
// Entries without a tag are still written as v1 (HeaderV1), which every
// cffuzz reads; both versions are read.
const Header = "cffuzz corpus v2"

// HeaderV1 is the first line of a v1 entry: no function tag, so it is
// replayed against any function.
const HeaderV1 = "cffuzz corpus v1"

const (
	headerPrefix   = "cffuzz corpus v"
	inputSeparator = "\n-- input --\n"
	// nameLen is how many hex digits of the content hash name an entry.
	nameLen = 16
	// MaxEntrySize bounds an entry file: a 40,960-byte input, a wire
	// request and the metadata fit well within it.
	MaxEntrySize = 1 << 20
)

// Entry is one finding read from a corpus.
type Entry struct {
	// Path is the entry's file.
	Path string
	// Finding is the stored finding: its metadata, with Minimized set to
	// Input and CorpusFile to Path. Original and Count are not stored.
	Finding cffuzz.Finding
	// Input is the stored (minimized) input, byte-exact.
	Input []byte
	// Function is the key of the function the entry belongs to (see
	// FunctionKey), or "" for an untagged (v1) entry, which belongs to any.
	Function string
}

// meta is the JSON metadata of a v1 entry.
type meta struct {
	Oracle       string              `json:"oracle"`
	Kind         string              `json:"kind"`
	Severity     cffuzz.Severity     `json:"severity"`
	Signature    string              `json:"signature"`
	Message      string              `json:"message"`
	Seed         int64               `json:"seed"`
	Case         uint64              `json:"case"`
	Family       string              `json:"family"`
	Class        cffuzz.Class        `json:"class"`
	Variant      string              `json:"variant,omitempty"`
	Line         int                 `json:"line,omitempty"`
	Column       int                 `json:"column,omitempty"`
	Reproducer   string              `json:"reproducer,omitempty"`
	Wire         *cffuzz.WireRequest `json:"wire,omitempty"`
	OriginalSize int                 `json:"original_size,omitempty"`
	ShrinkSteps  int                 `json:"shrink_steps,omitempty"`
	FirstSeen    time.Time           `json:"first_seen,omitzero"`
	Function     string              `json:"function,omitempty"`
	InputSize    int                 `json:"input_size"`
	InputSHA256  string              `json:"input_sha256"`
}

// input returns the input a finding is stored with: the minimized one, or
// the original when shrinking produced nothing.
func input(f cffuzz.Finding) []byte {
	if len(f.Minimized) > 0 {
		return f.Minimized
	}
	return f.Original
}

// Name returns the file name an untagged finding is stored under: the first
// 16 hex digits of the SHA-256 of its input (and, for wire findings, its
// request).
func Name(f cffuzz.Finding) (string, error) { return NameFor(f, "") }

// NameFor returns the file name f is stored under in the corpus of
// function (a FunctionKey; "" for an untagged entry, named as by Name): the
// function's key takes part in the hash, so the same input found in two
// functions is two entries.
func NameFor(f cffuzz.Finding, function string) (string, error) {
	h := sha256.New()
	h.Write(input(f))
	if function != "" {
		h.Write([]byte("\x00function\x00" + function))
	}
	if f.Wire != nil {
		w, err := json.Marshal(f.Wire)
		if err != nil {
			return "", fmt.Errorf("encode wire request: %w", err)
		}
		h.Write([]byte("\x00wire\x00"))
		h.Write(w)
	}
	return hex.EncodeToString(h.Sum(nil))[:nameLen], nil
}

// Marshal encodes a finding as an untagged (v1) corpus entry.
func Marshal(f cffuzz.Finding) ([]byte, error) { return MarshalFor(f, "") }

// MarshalFor encodes a finding as an entry of function's corpus: a v2
// entry tagged with function, or a v1 entry when function is "".
func MarshalFor(f cffuzz.Finding, function string) ([]byte, error) {
	if f.Oracle == "" || f.Signature == "" {
		return nil, errors.New("finding has no oracle or signature: only findings raised by an oracle can be stored")
	}
	in := input(f)
	sum := sha256.Sum256(in)
	m := meta{
		Oracle: f.Oracle, Kind: f.Kind, Severity: f.Severity, Signature: f.Signature, Message: f.Message,
		Seed: f.Seed, Case: f.Case, Family: f.Family, Class: f.Class, Variant: f.Variant,
		Line: f.Line, Column: f.Column, Reproducer: f.Reproducer, Wire: f.Wire,
		OriginalSize: f.OriginalSize, ShrinkSteps: f.ShrinkSteps, FirstSeen: f.FirstSeen.UTC(),
		InputSize: len(in), InputSHA256: hex.EncodeToString(sum[:]), Function: function,
	}
	var b bytes.Buffer
	if function == "" {
		b.WriteString(HeaderV1 + "\n")
	} else {
		b.WriteString(Header + "\n")
	}
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // keep "<n>" placeholders in signatures readable
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode corpus metadata: %w", err)
	}
	b.Truncate(b.Len() - 1) // Encode ends with a newline; the separator has one
	b.WriteString(inputSeparator)
	b.Write(in)
	return b.Bytes(), nil
}

// ParseEntry decodes a corpus entry read from path. It rejects files of
// another version, without metadata or input, or whose input does not match
// its recorded size and hash, with an error that names path.
func ParseEntry(path string, data []byte) (Entry, error) {
	e, err := parseEntry(path, data)
	if err != nil {
		return Entry{}, fmt.Errorf("corpus entry %s: %w", path, err)
	}
	return e, nil
}

func parseEntry(path string, data []byte) (Entry, error) {
	if len(data) > MaxEntrySize {
		return Entry{}, fmt.Errorf("%d bytes is over the %d-byte limit of an entry: remove the file", len(data), MaxEntrySize)
	}
	line, rest, _ := bytes.Cut(data, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if string(line) != Header && string(line) != HeaderV1 {
		if bytes.HasPrefix(line, []byte(headerPrefix)) {
			return Entry{}, &versionError{fmt.Sprintf("unknown format %q: this cffuzz reads %q and %q; use the cffuzz that wrote it, or a newer one", truncated(line), HeaderV1, Header)}
		}
		return Entry{}, fmt.Errorf("not a cffuzz corpus entry: the first line is not %q", Header)
	}
	js, in, found := bytes.Cut(rest, []byte(inputSeparator[1:]))
	if !found || (len(js) > 0 && js[len(js)-1] != '\n') {
		return Entry{}, errors.New("no \"-- input --\" line after the metadata: the file is truncated or edited")
	}
	var m meta
	if err := json.Unmarshal(js, &m); err != nil {
		return Entry{}, fmt.Errorf("bad metadata: %w", err)
	}
	if m.Oracle == "" || m.Signature == "" {
		return Entry{}, errors.New("metadata has no oracle or signature")
	}
	sum := sha256.Sum256(in)
	if len(in) != m.InputSize || hex.EncodeToString(sum[:]) != m.InputSHA256 {
		return Entry{}, fmt.Errorf("input is %d bytes with a different hash than the %d bytes recorded: the file is truncated or edited", len(in), m.InputSize)
	}
	f := cffuzz.Finding{
		Oracle: m.Oracle, Severity: m.Severity, Kind: m.Kind, Signature: m.Signature, Message: m.Message,
		Seed: m.Seed, Case: m.Case, Family: m.Family, Class: m.Class, Variant: m.Variant,
		Line: m.Line, Column: m.Column, Reproducer: m.Reproducer, Wire: m.Wire,
		Minimized: in, MinimizedSize: len(in), OriginalSize: m.OriginalSize, ShrinkSteps: m.ShrinkSteps,
		CorpusFile: path, FirstSeen: m.FirstSeen,
	}
	return Entry{Path: path, Finding: f, Input: in, Function: m.Function}, nil
}

// versionError is an entry of a format this cffuzz does not know: a newer
// cffuzz may have written it, so it is skipped, never quarantined.
type versionError struct{ msg string }

func (e *versionError) Error() string { return e.msg }

func truncated(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
