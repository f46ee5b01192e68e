package target

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go/middleware"
	smithytime "github.com/aws/smithy-go/time"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The fast TestConnectionFunction deserializer.
//
// The SDK decodes a test result with encoding/xml's token stream: about a
// quarter of the client's CPU per case over loopback, and most of its
// allocations (BenchmarkSDKClient). The answers the emulator and AWS send
// are a small, regular subset of XML, so the client swaps the operation's
// deserializer, in its own middleware stack, for a scanner of that subset,
// and hands every answer outside it to the SDK's deserializer, unchanged:
//
//   - error statuses (the SDK's error decoding, codes, request ids);
//   - bodies over maxFastAnswer bytes, or whose reading failed;
//   - anything the scanner does not take: comments, CDATA, processing
//     instructions other than the plain XML declaration, DOCTYPE,
//     attributes other than the root's xmlns, namespace prefixes, names
//     outside [A-Za-z_][A-Za-z0-9_.-]*, raw carriage returns, entities
//     other than XML's five and numeric references, characters outside
//     XML's range, invalid UTF-8, text before the root, nesting deeper
//     than maxFastDepth, and every shape on which the SDK fails (a child
//     element inside a value, a timestamp or quantity it cannot parse).
//
// What the scanner accepts, it decodes exactly as the SDK does: element
// names matched without regard to case, unknown elements skipped, the
// last of repeated values kept, repeated lists appended, an empty element
// an empty string, entity and character references resolved as
// encoding/xml resolves them, the summary and its timestamps and quantity
// parsed with the same functions. TestFastDeserializerMatchesSDK and
// FuzzFastDeserializer check that both give the same output and error for
// the same answer. It is still the SDK client: request building, SigV4,
// the HTTP exchange and the error path are the SDK's.

const (
	// opTestConnectionFunction is the SDK's middleware stack id (the
	// operation name) for TestConnectionFunction.
	opTestConnectionFunction = "TestConnectionFunction"
	// opDeserializerID is the id of an operation's deserializer in the
	// SDK's middleware stack.
	opDeserializerID = "OperationDeserializer"
	// maxFastAnswer is the largest answer the scanner reads into memory;
	// a larger one is streamed to the SDK's deserializer.
	maxFastAnswer = 4 << 20
	// maxFastDepth bounds the element nesting the scanner follows.
	maxFastDepth = 32
	// maxPooledAnswer is the largest buffer kept for reuse.
	maxPooledAnswer = 64 << 10
)

// useFastTestDeserializer is an APIOptions function: on the
// TestConnectionFunction stack it puts fastTestDeserializer in place of the
// SDK's deserializer, which it keeps for what it does not take.
func useFastTestDeserializer(st *middleware.Stack) error {
	if st.ID() != opTestConnectionFunction {
		return nil
	}
	fast := &fastTestDeserializer{}
	sdk, err := st.Deserialize.Swap(opDeserializerID, fast)
	if err != nil {
		return fmt.Errorf("target: replace the SDK's TestConnectionFunction deserializer (has the SDK renamed %q?): %w", opDeserializerID, err)
	}
	fast.sdk = sdk
	return nil
}

// fastTestDeserializer decodes a 2xx TestConnectionFunction answer with
// scanTestResult, and passes every other answer to sdk, the SDK's own
// deserializer.
type fastTestDeserializer struct {
	sdk middleware.DeserializeMiddleware
}

// ID returns the SDK's id for an operation deserializer, which this one
// replaces.
func (m *fastTestDeserializer) ID() string { return opDeserializerID }

var answerBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// HandleDeserialize runs the request, then decodes its answer.
func (m *fastTestDeserializer) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, md, err := next.HandleDeserialize(ctx, in)
	if err != nil {
		return out, md, err
	}
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || resp.Response == nil || resp.Body == nil || resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return m.sdk.HandleDeserialize(ctx, in, answered{out, md})
	}
	buf := answerBuffers.Get().(*bytes.Buffer)
	pooled := true // false once the SDK may hold on to buf's bytes
	defer func() {
		if pooled && buf.Cap() <= maxPooledAnswer {
			buf.Reset()
			answerBuffers.Put(buf)
		}
	}()
	buf.Reset()
	if resp.ContentLength > 0 && resp.ContentLength <= maxFastAnswer {
		buf.Grow(int(resp.ContentLength) + bytes.MinRead)
	}
	body := resp.Body
	_, rerr := buf.ReadFrom(io.LimitReader(body, maxFastAnswer+1))
	if rerr == nil && buf.Len() <= maxFastAnswer {
		if result, ok := scanTestResult(buf.Bytes()); ok {
			_ = body.Close()
			out.Result = &cloudfront.TestConnectionFunctionOutput{ConnectionFunctionTestResult: result}
			return out, md, nil
		}
	}
	// The SDK decodes it: the same bytes, then the rest of the body (or
	// the error reading it gave).
	var rest io.Reader = body
	if rerr != nil {
		rest = errReader{rerr}
	}
	pooled = false
	resp.Body = replayBody{Reader: io.MultiReader(bytes.NewReader(buf.Bytes()), rest), body: body}
	return m.sdk.HandleDeserialize(ctx, in, answered{out, md})
}

// answered is a DeserializeHandler that gives an answer already received.
type answered struct {
	out middleware.DeserializeOutput
	md  middleware.Metadata
}

func (a answered) HandleDeserialize(context.Context, middleware.DeserializeInput) (middleware.DeserializeOutput, middleware.Metadata, error) {
	return a.out, a.md, nil
}

// replayBody reads what the scanner read, then the rest of the body, and
// closes the body.
type replayBody struct {
	io.Reader
	body io.Closer
}

func (r replayBody) Close() error { return r.body.Close() }

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// scanTestResult decodes a TestConnectionFunction answer body into the
// SDK's result (nil for a body with no root element, as the SDK gives).
// ok is false when the body is outside the subset the scanner takes (see
// the comment at the top of this file): then the SDK must decode it.
func scanTestResult(body []byte) (result *types.ConnectionFunctionTestResult, ok bool) {
	s := xmlScanner{b: body}
	if !s.prolog() {
		return nil, false
	}
	if s.i == len(s.b) {
		return nil, true // no root element: the SDK's io.EOF case
	}
	root, selfClosed, ok := s.startTag(true)
	if !ok {
		return nil, false
	}
	result = &types.ConnectionFunctionTestResult{}
	if selfClosed {
		return result, true
	}
	ok = s.children(root, false, 1, func(name []byte, empty bool) bool {
		switch {
		case nameIs(name, "ComputeUtilization"):
			return s.stringValue(name, empty, &result.ComputeUtilization)
		case nameIs(name, "ConnectionFunctionErrorMessage"):
			return s.stringValue(name, empty, &result.ConnectionFunctionErrorMessage)
		case nameIs(name, "ConnectionFunctionExecutionLogs"):
			return s.stringList(name, empty, 2, "member", &result.ConnectionFunctionExecutionLogs)
		case nameIs(name, "ConnectionFunctionOutput"):
			return s.stringValue(name, empty, &result.ConnectionFunctionOutput)
		case nameIs(name, "ConnectionFunctionSummary"):
			return s.summary(name, empty, 2, &result.ConnectionFunctionSummary)
		}
		return s.skip(name, empty, 2)
	})
	return result, ok
}

// xmlScanner reads the XML subset of scanTestResult from b at i. Each
// method reports false for input outside the subset (or malformed), and
// then the scanner's state is of no use.
type xmlScanner struct {
	b   []byte
	i   int
	tmp []byte // scratch for text with references
}

// The two XML declarations the scanner takes, as the SDKs' servers write them.
var (
	xmlDeclaration      = []byte(`<?xml version="1.0" encoding="UTF-8"?>`)
	xmlDeclarationPlain = []byte(`<?xml version="1.0"?>`)
)

// prolog skips an optional XML declaration and whitespace.
func (s *xmlScanner) prolog() bool {
	switch rest := s.b[s.i:]; {
	case bytes.HasPrefix(rest, xmlDeclaration):
		s.i += len(xmlDeclaration)
	case bytes.HasPrefix(rest, xmlDeclarationPlain):
		s.i += len(xmlDeclarationPlain)
	}
	for s.i < len(s.b) && isXMLSpace(s.b[s.i]) {
		s.i++
	}
	return s.i == len(s.b) || s.b[s.i] == '<'
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// startTag reads "<Name>" or "<Name/>" (and, for the root, an optional
// ` xmlns="..."`) at i.
func (s *xmlScanner) startTag(root bool) (name []byte, selfClosed, ok bool) {
	if s.i >= len(s.b) || s.b[s.i] != '<' {
		return nil, false, false
	}
	s.i++
	if name = s.name(); name == nil {
		return nil, false, false
	}
	if root && bytes.HasPrefix(s.b[s.i:], []byte(` xmlns="`)) {
		s.i += len(` xmlns="`)
		for ; s.i < len(s.b) && s.b[s.i] != '"'; s.i++ {
			if c := s.b[s.i]; c < 0x20 || c > 0x7e || c == '<' || c == '&' {
				return nil, false, false
			}
		}
		if s.i >= len(s.b) {
			return nil, false, false
		}
		s.i++
	}
	switch {
	case s.i < len(s.b) && s.b[s.i] == '>':
		s.i++
		return name, false, true
	case s.i+1 < len(s.b) && s.b[s.i] == '/' && s.b[s.i+1] == '>':
		s.i += 2
		return name, true, true
	}
	return nil, false, false
}

// name reads a name of the subset: [A-Za-z_][A-Za-z0-9_.-]*.
func (s *xmlScanner) name() []byte {
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || s.i > start && (c >= '0' && c <= '9' || c == '.' || c == '-') {
			s.i++
			continue
		}
		break
	}
	if s.i == start {
		return nil
	}
	return s.b[start:s.i]
}

// endTag reads "</name>" at i.
func (s *xmlScanner) endTag(name []byte) bool {
	rest := s.b[s.i:]
	if len(rest) < len(name)+3 || rest[0] != '<' || rest[1] != '/' || !bytes.Equal(rest[2:2+len(name)], name) || rest[2+len(name)] != '>' {
		return false
	}
	s.i += len(name) + 3
	return true
}

// text reads character data up to the next '<' and returns it decoded
// (a slice of b when it holds no reference, of s.tmp otherwise).
func (s *xmlScanner) text() ([]byte, bool) {
	start := s.i
	end := bytes.IndexByte(s.b[start:], '<')
	if end < 0 {
		return nil, false // the document ends inside text
	}
	end += start
	raw := s.b[start:end]
	s.i = end
	if bytes.Contains(raw, []byte("]]>")) || bytes.IndexByte(raw, '\r') >= 0 {
		return nil, false
	}
	if bytes.IndexByte(raw, '&') < 0 {
		return raw, validXMLChars(raw)
	}
	out := s.tmp[:0]
	for len(raw) > 0 {
		amp := bytes.IndexByte(raw, '&')
		if amp < 0 {
			out = append(out, raw...)
			break
		}
		out = append(out, raw[:amp]...)
		raw = raw[amp+1:]
		semi := bytes.IndexByte(raw, ';')
		if semi < 0 {
			return nil, false
		}
		ref := raw[:semi]
		raw = raw[semi+1:]
		switch string(ref) {
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "amp":
			out = append(out, '&')
		case "apos":
			out = append(out, '\'')
		case "quot":
			out = append(out, '"')
		default:
			r, ok := charRef(ref)
			if !ok {
				return nil, false
			}
			out = utf8.AppendRune(out, r)
		}
	}
	s.tmp = out
	return out, validXMLChars(out)
}

// charRef decodes the body of a numeric character reference ("#65",
// "#x41") as encoding/xml does: decimal or lowercase-x hexadecimal digits,
// at most unicode.MaxRune.
func charRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	digits, base := ref[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, false
	}
	for _, c := range digits {
		if !(c >= '0' && c <= '9' || base == 16 && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 64)
	if err != nil || n > unicode.MaxRune {
		return 0, false
	}
	return rune(n), true
}

// validXMLChars reports whether t is valid UTF-8 of characters in XML's
// range, the check encoding/xml makes on decoded text.
func validXMLChars(t []byte) bool {
	for i := 0; i < len(t); {
		c := t[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(t[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if !(r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
		i += size
	}
	return true
}

// children reads the content of the element name, whose start tag was
// read, through its end tag (nothing when empty, a self-closed element):
// character data between children is skipped, as the SDK skips it, and
// each child's start tag is read and handed to child, which must read the
// child's content through its end tag.
func (s *xmlScanner) children(name []byte, empty bool, depth int, child func(name []byte, empty bool) bool) bool {
	if empty {
		return true
	}
	if depth > maxFastDepth {
		return false
	}
	for {
		if _, ok := s.text(); !ok {
			return false
		}
		if s.i+1 < len(s.b) && s.b[s.i+1] == '/' {
			return s.endTag(name)
		}
		cname, cempty, ok := s.startTag(false)
		if !ok || !child(cname, cempty) {
			return false
		}
	}
}

// stringValue reads the value of the element name, whose start tag was
// read, through its end tag, into *dst (an empty element is "").
func (s *xmlScanner) stringValue(name []byte, empty bool, dst **string) bool {
	t, ok := s.value(name, empty)
	if !ok {
		return false
	}
	v := string(t)
	*dst = &v
	return true
}

// value reads the text of a value element through its end tag; a child
// element inside is outside the subset (the SDK fails on it).
func (s *xmlScanner) value(name []byte, empty bool) ([]byte, bool) {
	if empty {
		return nil, true
	}
	t, ok := s.text()
	if !ok || !s.endTag(name) {
		return nil, false
	}
	return t, true
}

// stringList reads a list of member elements, appending their values to
// *dst (which becomes non-nil, as in the SDK, even when empty).
func (s *xmlScanner) stringList(name []byte, empty bool, depth int, member string, dst *[]string) bool {
	if *dst == nil {
		*dst = make([]string, 0, 1)
	}
	return s.children(name, empty, depth, func(child []byte, cempty bool) bool {
		if !nameIs(child, member) {
			return s.skip(child, cempty, depth+1)
		}
		t, ok := s.value(child, cempty)
		if ok {
			*dst = append(*dst, string(t))
		}
		return ok
	})
}

// skip reads the content of the element name through its end tag.
func (s *xmlScanner) skip(name []byte, empty bool, depth int) bool {
	return s.children(name, empty, depth, func(child []byte, cempty bool) bool { return s.skip(child, cempty, depth+1) })
}

// summary reads a ConnectionFunctionSummary as the SDK does.
func (s *xmlScanner) summary(name []byte, empty bool, depth int, dst **types.ConnectionFunctionSummary) bool {
	if *dst == nil {
		*dst = &types.ConnectionFunctionSummary{}
	}
	sv := *dst
	return s.children(name, empty, depth, func(child []byte, cempty bool) bool {
		switch {
		case nameIs(child, "ConnectionFunctionArn"):
			return s.stringValue(child, cempty, &sv.ConnectionFunctionArn)
		case nameIs(child, "ConnectionFunctionConfig"):
			return s.functionConfig(child, cempty, depth+1, &sv.ConnectionFunctionConfig)
		case nameIs(child, "CreatedTime"):
			return s.timeValue(child, cempty, &sv.CreatedTime)
		case nameIs(child, "Id"):
			return s.stringValue(child, cempty, &sv.Id)
		case nameIs(child, "LastModifiedTime"):
			return s.timeValue(child, cempty, &sv.LastModifiedTime)
		case nameIs(child, "Name"):
			return s.stringValue(child, cempty, &sv.Name)
		case nameIs(child, "Stage"):
			t, ok := s.value(child, cempty)
			sv.Stage = types.FunctionStage(t)
			return ok
		case nameIs(child, "Status"):
			return s.stringValue(child, cempty, &sv.Status)
		}
		return s.skip(child, cempty, depth+1)
	})
}

// timeValue reads a timestamp with the SDK's parser; one it cannot parse
// is left to the SDK, which fails on it.
func (s *xmlScanner) timeValue(name []byte, empty bool, dst **time.Time) bool {
	t, ok := s.value(name, empty)
	if !ok {
		return false
	}
	v, err := smithytime.ParseDateTime(string(t))
	if err != nil {
		return false
	}
	*dst = &v
	return true
}

// functionConfig reads a FunctionConfig as the SDK does.
func (s *xmlScanner) functionConfig(name []byte, empty bool, depth int, dst **types.FunctionConfig) bool {
	if *dst == nil {
		*dst = &types.FunctionConfig{}
	}
	sv := *dst
	return s.children(name, empty, depth, func(child []byte, cempty bool) bool {
		switch {
		case nameIs(child, "Comment"):
			return s.stringValue(child, cempty, &sv.Comment)
		case nameIs(child, "KeyValueStoreAssociations"):
			return s.kvsAssociations(child, cempty, depth+1, &sv.KeyValueStoreAssociations)
		case nameIs(child, "Runtime"):
			t, ok := s.value(child, cempty)
			sv.Runtime = types.FunctionRuntime(t)
			return ok
		}
		return s.skip(child, cempty, depth+1)
	})
}

// kvsAssociations reads KeyValueStoreAssociations as the SDK does.
func (s *xmlScanner) kvsAssociations(name []byte, empty bool, depth int, dst **types.KeyValueStoreAssociations) bool {
	if *dst == nil {
		*dst = &types.KeyValueStoreAssociations{}
	}
	sv := *dst
	return s.children(name, empty, depth, func(child []byte, cempty bool) bool {
		switch {
		case nameIs(child, "Items"):
			return s.kvsAssociationList(child, cempty, depth+1, &sv.Items)
		case nameIs(child, "Quantity"):
			t, ok := s.value(child, cempty)
			if !ok {
				return false
			}
			n, err := strconv.ParseInt(string(t), 10, 64)
			if err != nil {
				return false
			}
			q := int32(n)
			sv.Quantity = &q
			return true
		}
		return s.skip(child, cempty, depth+1)
	})
}

// kvsAssociationList reads the Items of KeyValueStoreAssociations as the
// SDK does.
func (s *xmlScanner) kvsAssociationList(name []byte, empty bool, depth int, dst *[]types.KeyValueStoreAssociation) bool {
	if *dst == nil {
		*dst = make([]types.KeyValueStoreAssociation, 0, 1)
	}
	return s.children(name, empty, depth, func(item []byte, iempty bool) bool {
		if !nameIs(item, "KeyValueStoreAssociation") {
			return s.skip(item, iempty, depth+1)
		}
		var a types.KeyValueStoreAssociation
		ok := s.children(item, iempty, depth+1, func(field []byte, fempty bool) bool {
			if nameIs(field, "KeyValueStoreARN") {
				return s.stringValue(field, fempty, &a.KeyValueStoreARN)
			}
			return s.skip(field, fempty, depth+2)
		})
		*dst = append(*dst, a)
		return ok
	})
}

// nameIs reports whether the name equals want (ASCII letters) regardless
// of case: the SDK's strings.EqualFold match, for the ASCII names the
// scanner takes.
func nameIs(name []byte, want string) bool {
	if len(name) != len(want) {
		return false
	}
	for i := range len(name) {
		if lowerASCII(name[i]) != lowerASCII(want[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
