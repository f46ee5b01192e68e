package target_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/target"
)

// fixedAnswer is an http.RoundTripper that answers every request with one
// status and body, without a network.
type fixedAnswer struct {
	status int
	body   []byte
}

func (f fixedAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode: f.status, Status: fmt.Sprintf("%d %s", f.status, http.StatusText(f.status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"text/xml"}},
		Body:          io.NopCloser(bytes.NewReader(f.body)),
		ContentLength: int64(len(f.body)), Request: r,
	}, nil
}

// bothDeserializers returns SDK targets whose every request gets status
// and body: one decoding answers with the fast scanner, one with the SDK's
// own deserializer.
func bothDeserializers(t testing.TB, status int, body []byte) (fast, sdk *target.SDK) {
	t.Helper()
	mk := func(sdkDeserializer bool) *target.SDK {
		s, err := target.NewSDK(context.Background(), target.SDKOptions{
			Endpoint: "http://127.0.0.1:1", FunctionID: "cf_abc", ETag: "ETVABCEXAMPLE",
			HTTPClient: &http.Client{Transport: fixedAnswer{status, body}}, SDKDeserializer: sdkDeserializer,
		})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	return mk(false), mk(true)
}

// callBoth sends one TestConnectionFunction through both clients and
// reports any difference in what the SDK call returned.
func callBoth(fast, sdk *target.SDK) (diff string, fastOut *cloudfront.TestConnectionFunctionOutput, fastErr error) {
	in := &cloudfront.TestConnectionFunctionInput{Id: aws.String("cf_abc"), IfMatch: aws.String("E"), ConnectionObject: []byte(`{}`)}
	fo, ferr := fast.Client().TestConnectionFunction(context.Background(), in)
	so, serr := sdk.Client().TestConnectionFunction(context.Background(), in)
	switch {
	case (ferr == nil) != (serr == nil):
		return fmt.Sprintf("error %v, the SDK's %v", ferr, serr), fo, ferr
	case ferr != nil && ferr.Error() != serr.Error():
		return fmt.Sprintf("error %q, the SDK's %q", ferr, serr), fo, ferr
	case ferr == nil && !reflect.DeepEqual(fo.ConnectionFunctionTestResult, so.ConnectionFunctionTestResult):
		return fmt.Sprintf("result\n%s\nthe SDK's\n%s", dump(fo), dump(so)), fo, ferr
	}
	return "", fo, ferr
}

func dump(o *cloudfront.TestConnectionFunctionOutput) string {
	r := o.ConnectionFunctionTestResult
	if r == nil {
		return "<nil>"
	}
	s := func(p *string) string {
		if p == nil {
			return "<nil>"
		}
		return fmt.Sprintf("%q", *p)
	}
	out := fmt.Sprintf("util %s err %s output %s logs %#v", s(r.ComputeUtilization), s(r.ConnectionFunctionErrorMessage), s(r.ConnectionFunctionOutput), r.ConnectionFunctionExecutionLogs)
	if sum := r.ConnectionFunctionSummary; sum != nil {
		out += fmt.Sprintf(" summary{arn %s id %s name %s stage %q status %s created %v modified %v config %+v}",
			s(sum.ConnectionFunctionArn), s(sum.Id), s(sum.Name), sum.Stage, s(sum.Status), sum.CreatedTime, sum.LastModifiedTime, sum.ConnectionFunctionConfig)
	}
	return out
}

// result wraps children in a test result root with the API's namespace.
func result(children string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<ConnectionFunctionTestResult xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">` + children + `</ConnectionFunctionTestResult>`
}

const summaryXML = `<ConnectionFunctionSummary><ConnectionFunctionArn>arn:aws:cloudfront::123456789012:connection-function/cf_abc</ConnectionFunctionArn>` +
	`<ConnectionFunctionConfig><Comment>c</Comment><KeyValueStoreAssociations><Quantity>1</Quantity><Items><KeyValueStoreAssociation><KeyValueStoreARN>arn:aws:cloudfront::123456789012:key-value-store/k</KeyValueStoreARN></KeyValueStoreAssociation></Items></KeyValueStoreAssociations><Runtime>cloudfront-js-2.0</Runtime></ConnectionFunctionConfig>` +
	`<CreatedTime>2026-11-28T19:55:53.848Z</CreatedTime><Id>cf_abc</Id><LastModifiedTime>2026-11-28T19:55:53Z</LastModifiedTime><Name>n</Name><Stage>DEVELOPMENT</Stage><Status>UNPUBLISHED</Status></ConnectionFunctionSummary>`

// fastAnswerCases are answers, each with whether the fast scanner takes it
// (fast) or leaves it to the SDK's deserializer. Either way the result
// must be the SDK's.
func fastAnswerCases() []struct {
	reason string
	status int
	body   string
	fast   bool
} {
	hugeLogs := strings.Repeat("<member>"+strings.Repeat("x&amp;y ", 128)+"</member>", 2000) // about 2.3 MB
	return []struct {
		reason string
		status int
		body   string
		fast   bool
	}{
		{"the emulator's answer for small.js", 200, emulatorAnswer, true},
		{"the answer of the SDK tests, with newlines and escapes", 200, resultBody, true},
		{"an empty body: no result, no error", 200, "", true},
		{"whitespace only", 200, " \n\t ", true},
		{"a declaration only", 200, `<?xml version="1.0"?>`, true},
		{"a self-closed root", 200, `<ConnectionFunctionTestResult/>`, true},
		{"a root without the namespace", 200, `<ConnectionFunctionTestResult><ComputeUtilization>3</ComputeUtilization></ConnectionFunctionTestResult>`, true},
		{"another root name is read the same", 200, `<Whatever xmlns="x"><ComputeUtilization>3</ComputeUtilization></Whatever>`, true},
		{"absent utilization", 200, result(`<ConnectionFunctionOutput>out</ConnectionFunctionOutput>`), true},
		{"empty elements are empty strings", 200, result(`<ComputeUtilization/><ConnectionFunctionErrorMessage></ConnectionFunctionErrorMessage><ConnectionFunctionOutput/>`), true},
		{"an empty log list is an empty, non-nil list", 200, result(`<ConnectionFunctionExecutionLogs/>`), true},
		{"empty members", 200, result(`<ConnectionFunctionExecutionLogs><member/><member></member></ConnectionFunctionExecutionLogs>`), true},
		{"huge logs", 200, result(`<ConnectionFunctionExecutionLogs>` + hugeLogs + `</ConnectionFunctionExecutionLogs>`), true},
		{"an answer over the scanner's limit is streamed to the SDK", 200, result(`<ConnectionFunctionExecutionLogs>` + hugeLogs + hugeLogs + hugeLogs + `</ConnectionFunctionExecutionLogs>`), false},
		{"XML escapes and character references", 200, result(`<ConnectionFunctionOutput>&lt;&gt;&amp;&apos;&quot;&#34;&#x41;&#X41;&#xD;&#9;&#128512;&#xd800;</ConnectionFunctionOutput>`), false},
		{"XML escapes without the uppercase X", 200, result(`<ConnectionFunctionOutput>&lt;&gt;&amp;&apos;&quot;&#34;&#x41;&#x4a;&#xD;&#9;&#128512;&#xd800;&#0065;</ConnectionFunctionOutput>`), true},
		{"multi-byte UTF-8 text", 200, result(`<ConnectionFunctionExecutionLogs><member>héllo 世界 😀</member></ConnectionFunctionExecutionLogs>`), true},
		{"names match regardless of case", 200, result(`<computeutilization>9</computeutilization><CONNECTIONFUNCTIONOUTPUT>o</CONNECTIONFUNCTIONOUTPUT>`), true},
		{"the last repeated value wins", 200, result(`<ConnectionFunctionOutput>a</ConnectionFunctionOutput><ConnectionFunctionOutput>b</ConnectionFunctionOutput>`), true},
		{"repeated log lists are appended", 200, result(`<ConnectionFunctionExecutionLogs><member>a</member></ConnectionFunctionExecutionLogs><ConnectionFunctionExecutionLogs><member>b</member></ConnectionFunctionExecutionLogs>`), true},
		{"unknown elements are skipped, nested or not", 200, result(`<Extra><A><B/>text</A></Extra><ComputeUtilization>4</ComputeUtilization><ConnectionFunctionExecutionLogs><other>x</other><member>m</member></ConnectionFunctionExecutionLogs>`), true},
		{"text between elements is skipped", 200, result(`stray<ComputeUtilization>4</ComputeUtilization> more `), true},
		{"a summary with a key-value store", 200, result(`<ComputeUtilization>2</ComputeUtilization>` + summaryXML), true},
		{"a summary timestamp the SDK cannot parse", 200, result(strings.Replace(summaryXML, "2026-11-28T19:55:53.848Z", "yesterday", 1)), false},
		{"an empty summary timestamp", 200, result(`<ConnectionFunctionSummary><CreatedTime/></ConnectionFunctionSummary>`), false},
		{"a quantity the SDK cannot parse", 200, result(strings.Replace(summaryXML, "<Quantity>1</Quantity>", "<Quantity>one</Quantity>", 1)), false},
		{"a quantity over int32 is truncated as the SDK does", 200, result(strings.Replace(summaryXML, "<Quantity>1</Quantity>", "<Quantity>4294967297</Quantity>", 1)), true},
		{"CDATA", 200, result(`<ConnectionFunctionOutput><![CDATA[<raw>]]></ConnectionFunctionOutput>`), false},
		{"CDATA after text: the SDK fails", 200, result(`<ConnectionFunctionOutput>a<![CDATA[b]]></ConnectionFunctionOutput>`), false},
		{"a comment", 200, result(`<!-- c --><ComputeUtilization>1</ComputeUtilization>`), false},
		{"a comment inside a value: the SDK fails", 200, result(`<ComputeUtilization>1<!-- c --></ComputeUtilization>`), false},
		{"a DOCTYPE", 200, `<!DOCTYPE x><ConnectionFunctionTestResult><ComputeUtilization>1</ComputeUtilization></ConnectionFunctionTestResult>`, false},
		{"a namespace prefix", 200, `<cf:ConnectionFunctionTestResult xmlns:cf="http://cloudfront.amazonaws.com/doc/2020-05-31/"><cf:ComputeUtilization>5</cf:ComputeUtilization></cf:ConnectionFunctionTestResult>`, false},
		{"an attribute on a child", 200, result(`<ComputeUtilization unit="%">5</ComputeUtilization>`), false},
		{"raw carriage returns are normalized by the SDK", 200, result("<ConnectionFunctionExecutionLogs><member>a\r\nb\rc</member></ConnectionFunctionExecutionLogs>"), false},
		{"an invalid character reference: the SDK fails", 200, result(`<ConnectionFunctionOutput>&#0;</ConnectionFunctionOutput>`), false},
		{"an unknown entity: the SDK fails", 200, result(`<ConnectionFunctionOutput>&nbsp;</ConnectionFunctionOutput>`), false},
		{"an entity without a semicolon: the SDK fails", 200, result(`<ConnectionFunctionOutput>a &amp b</ConnectionFunctionOutput>`), false},
		{"a control character: the SDK fails", 200, result("<ConnectionFunctionOutput>a\x01b</ConnectionFunctionOutput>"), false},
		{"invalid UTF-8: the SDK fails", 200, result("<ConnectionFunctionOutput>a\xffb</ConnectionFunctionOutput>"), false},
		{"U+FFFE: the SDK fails", 200, result("<ConnectionFunctionOutput>\uFFFE</ConnectionFunctionOutput>"), false},
		{"]]> in text: the SDK fails", 200, result(`<ConnectionFunctionOutput>a]]>b</ConnectionFunctionOutput>`), false},
		{"a child inside a value: the SDK fails", 200, result(`<ComputeUtilization><x/></ComputeUtilization>`), false},
		{"text and a child inside a value: the SDK fails", 200, result(`<ComputeUtilization>1<x/></ComputeUtilization>`), false},
		{"mismatched end tag: the SDK fails", 200, result(`<ComputeUtilization>1</ComputeUtilisation>`), false},
		{"a truncated answer: the SDK fails", 200, result(`<ComputeUtilization>1</ComputeUtilization>`)[:120], false},
		{"not XML at all", 200, `garbage`, false},
		{"text before the root", 200, `junk<ConnectionFunctionTestResult><ComputeUtilization>1</ComputeUtilization></ConnectionFunctionTestResult>`, false},
		{"trailing bytes after the root are ignored", 200, result(`<ComputeUtilization>1</ComputeUtilization>`) + `<<<not xml`, true},
		{"another encoding declared: the SDK fails", 200, `<?xml version="1.0" encoding="ISO-8859-1"?><ConnectionFunctionTestResult/>`, false},
		{"deep nesting", 200, result(strings.Repeat("<a>", 40) + strings.Repeat("</a>", 40)), false},
		{"a throttle goes to the SDK's error decoding", 400, fmtErr("Sender", "Throttling", "Rate exceeded"), false},
		{"a function failure", 500, fmtErr("Receiver", "TestFunctionFailed", "The CloudFront function failed."), false},
		{"an error without a body", 503, "", false},
		{"a 2xx other than 200", 201, result(`<ComputeUtilization>6</ComputeUtilization>`), true},
	}
}

func TestFastDeserializerMatchesSDK(t *testing.T) {
	for _, tt := range fastAnswerCases() {
		fast, sdk := bothDeserializers(t, tt.status, []byte(tt.body))
		if diff, _, _ := callBoth(fast, sdk); diff != "" {
			t.Errorf("%s: the fast deserializer gave %s", tt.reason, diff)
		}
		// The Outcome the campaign sees is the same too.
		c := &cffuzz.Case{Object: []byte(`{}`)}
		fo, ferr := fast.Test(context.Background(), c)
		so, serr := sdk.Test(context.Background(), c)
		if fo != nil && so != nil {
			fo.Latency, so.Latency, fo.Sent, so.Sent = 0, 0, time.Time{}, time.Time{}
		}
		if !reflect.DeepEqual(fo, so) || (ferr == nil) != (serr == nil) {
			t.Errorf("%s: outcome %+v (%v), the SDK's %+v (%v)", tt.reason, fo, ferr, so, serr)
		}
		if tt.status >= 200 && tt.status < 300 {
			if _, took := target.ScanTestResult([]byte(tt.body)); took != tt.fast && len(tt.body) <= target.MaxFastAnswer {
				t.Errorf("%s: the scanner took it: %v, want %v", tt.reason, took, tt.fast)
			}
		}
	}
}

// trackedBody records whether it was read to its end and closed, which
// net/http needs to reuse the connection.
type trackedBody struct {
	r           *bytes.Reader
	eof, closed bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

func (b *trackedBody) Close() error { b.closed = true; return nil }

type trackedAnswer struct{ bodies []*trackedBody }

func (a *trackedAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, _ := fixedAnswer{200, []byte(emulatorAnswer)}.RoundTrip(r)
	b := &trackedBody{r: bytes.NewReader([]byte(emulatorAnswer))}
	a.bodies = append(a.bodies, b)
	resp.Body = b
	return resp, nil
}

// TestFastDeserializerDrainsAndCloses checks that an answer the scanner
// decodes leaves its connection reusable: the body is read to its end and
// closed, as the SDK's deserializer does.
func TestFastDeserializerDrainsAndCloses(t *testing.T) {
	answers := &trackedAnswer{}
	s, err := target.NewSDK(context.Background(), target.SDKOptions{
		Endpoint: "http://127.0.0.1:1", FunctionID: "cf_abc", ETag: "E", HTTPClient: &http.Client{Transport: answers},
	})
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.Test(context.Background(), &cffuzz.Case{Object: []byte(`{}`)})
	if err != nil || !o.OK() || o.Decision != cffuzz.DecisionAllow || len(o.Logs) != 1 {
		t.Fatalf("outcome %+v, %v", o, err)
	}
	if len(answers.bodies) != 1 || !answers.bodies[0].eof || !answers.bodies[0].closed {
		t.Errorf("the answer's body was read to its end: %v, closed: %v; want both", answers.bodies[0].eof, answers.bodies[0].closed)
	}
}

func FuzzFastDeserializer(f *testing.F) {
	for _, tt := range fastAnswerCases() {
		if len(tt.body) < 4096 {
			f.Add(tt.status, []byte(tt.body))
		}
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 200 || status > 599 {
			status = 200
		}
		fast, sdk := bothDeserializers(t, status, body)
		if diff, _, _ := callBoth(fast, sdk); diff != "" {
			t.Fatalf("status %d body %q: the fast deserializer gave %s", status, body, diff)
		}
	})
}

// recordAnswers is an http.RoundTripper that keeps a copy of every answer
// body.
type recordAnswers struct {
	next   http.RoundTripper
	mu     sync.Mutex
	bodies [][]byte
}

func (r *recordAnswers) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.bodies = append(r.bodies, body)
	r.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// TestEmulatorAnswersTakeTheFastPath checks that what the emulator really
// answers (logs with markup and control characters, custom data, errors,
// every decision) is decoded by the scanner, not left to the SDK's slower
// deserializer: a change in the emulator's XML that the scanner does not
// take would only show as a slower --target URL otherwise.
func TestEmulatorAnswersTakeTheFastPath(t *testing.T) {
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	e, err := target.NewEmbedded(context.Background(), target.EmbeddedOptions{
		Code: []byte(echoCode), Transport: target.TransportSDK, Emulator: emulator.Options{Seed: 1, Executor: ex},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	rec := &recordAnswers{next: target.NewHTTPClient(4).Transport}
	s, err := target.NewSDK(context.Background(), target.SDKOptions{
		Endpoint: e.URL(), FunctionID: e.FunctionID(), ETag: e.ETag(), HTTPClient: &http.Client{Transport: rec},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, object := range []string{
		`{"clientIp":"203.0.113.7","mode":"allow"}`,
		`{"clientIp":"<&>\"'","mode":"deny","custom":"a<b>&c \u0001 é 😀"}`,
		`{"clientIp":"x","mode":"both"}`,
		`{"clientIp":"x","mode":"none"}`,
		`{"clientIp":"x","mode":"throw"}`,
	} {
		if o, err := s.Test(context.Background(), &cffuzz.Case{Object: []byte(object)}); err != nil || o.Status != http.StatusOK {
			t.Fatalf("%s: outcome %+v, %v", object, o, err)
		}
	}
	if len(rec.bodies) != 5 {
		t.Fatalf("%d answers recorded, want 5", len(rec.bodies))
	}
	for _, body := range rec.bodies {
		if _, ok := target.ScanTestResult(body); !ok {
			t.Errorf("the scanner leaves this emulator answer to the SDK:\n%s", body)
		}
	}
}

// randomAnswer writes a random TestConnectionFunction answer, mostly in
// the subset the scanner takes (names in any case, every escape, empty and
// repeated elements, unknown and nested elements, summaries with good and
// bad timestamps), sometimes outside it.
func randomAnswer(r *rand.Rand) string {
	pick := func(options ...string) string { return options[r.IntN(len(options))] }
	flip := func(name string) string {
		if r.IntN(4) != 0 {
			return name
		}
		b := []byte(name)
		for i := range b {
			if r.IntN(2) == 0 && b[i] >= 'a' && b[i] <= 'z' {
				b[i] -= 'a' - 'A'
			} else if r.IntN(2) == 0 && b[i] >= 'A' && b[i] <= 'Z' {
				b[i] += 'a' - 'A'
			}
		}
		return string(b)
	}
	text := func() string {
		var sb strings.Builder
		for range r.IntN(5) {
			sb.WriteString(pick("abc", " ", "12", "&lt;", "&gt;", "&amp;", "&apos;", "&quot;", "&#34;", "&#x41;", "&#xD;", "&#10;",
				"é", "😀", "\t", "\n", "{\"decision\":\"allow\"}", "line 3:12", "TypeError: x"))
		}
		if r.IntN(30) == 0 { // outside the subset, or invalid
			sb.WriteString(pick("\r", "&nbsp;", "&#0;", "\x01", "]]>", "<![CDATA[x]]>", "<!--c-->", "\xff", "&amp", "&#xZ;"))
		}
		return sb.String()
	}
	el := func(name string, content func() string) string {
		name = flip(name)
		if r.IntN(6) == 0 {
			return "<" + name + "/>"
		}
		return "<" + name + ">" + content() + "</" + name + ">"
	}
	value := func() string { return text() }
	var unknown func(depth int) string
	unknown = func(depth int) string {
		if depth > 3 || r.IntN(2) == 0 {
			return text()
		}
		var sb strings.Builder
		for range r.IntN(3) {
			sb.WriteString(el(pick("A", "b", "Extra", "member"), func() string { return unknown(depth + 1) }))
		}
		return sb.String()
	}
	timestamp := func() string {
		return pick("2026-11-28T19:55:53.848Z", "2026-11-28T19:55:53Z", "2026-11-28T19:55:53+02:00", "yesterday", "")
	}
	summary := func() string {
		var sb strings.Builder
		for range r.IntN(6) {
			switch r.IntN(8) {
			case 0:
				sb.WriteString(el("CreatedTime", timestamp))
			case 1:
				sb.WriteString(el("LastModifiedTime", timestamp))
			case 2:
				sb.WriteString(el("ConnectionFunctionConfig", func() string {
					return el("Comment", value) + el("Runtime", value) + el("KeyValueStoreAssociations", func() string {
						return el("Quantity", func() string { return pick("1", "0", "x", "99999999999") }) +
							el("Items", func() string {
								return el("KeyValueStoreAssociation", func() string { return el("KeyValueStoreARN", value) })
							})
					})
				}))
			default:
				sb.WriteString(el(pick("Id", "Name", "Stage", "Status", "ConnectionFunctionArn", "Other"), value))
			}
		}
		return sb.String()
	}
	var body strings.Builder
	if r.IntN(2) == 0 {
		body.WriteString(pick(`<?xml version="1.0" encoding="UTF-8"?>`+"\n", `<?xml version="1.0"?>`, ""))
	}
	root := pick(`<ConnectionFunctionTestResult xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">`, `<ConnectionFunctionTestResult>`, `<R xmlns="x">`)
	body.WriteString(root)
	for range r.IntN(8) {
		switch r.IntN(7) {
		case 0:
			body.WriteString(el("ComputeUtilization", func() string { return pick("0", "17", " 71% ", "12.5", "", "high") }))
		case 1:
			body.WriteString(el("ConnectionFunctionErrorMessage", value))
		case 2:
			body.WriteString(el("ConnectionFunctionOutput", value))
		case 3:
			body.WriteString(el("ConnectionFunctionExecutionLogs", func() string {
				var sb strings.Builder
				for range r.IntN(4) {
					sb.WriteString(el(pick("member", "member", "other"), value))
				}
				return sb.String()
			}))
		case 4:
			body.WriteString(el("ConnectionFunctionSummary", summary))
		case 5:
			body.WriteString(el("Unknown", func() string { return unknown(2) }))
		default:
			body.WriteString(text())
		}
	}
	end := strings.TrimSuffix(strings.SplitN(strings.TrimPrefix(root, "<"), " ", 2)[0], ">")
	body.WriteString("</" + end + ">")
	return body.String()
}

// TestFastDeserializerRandomAnswers compares the two deserializers on
// random answers built from the API's elements, most of which the scanner
// takes (FuzzFastDeserializer's byte mutations mostly leave it).
func TestFastDeserializerRandomAnswers(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n, fast := 2000, 0
	if testing.Short() {
		n = 300
	}
	for range n {
		body := randomAnswer(r)
		if _, ok := target.ScanTestResult([]byte(body)); ok {
			fast++
		}
		f, s := bothDeserializers(t, 200, []byte(body))
		if diff, _, _ := callBoth(f, s); diff != "" {
			t.Fatalf("answer %q: the fast deserializer gave %s", body, diff)
		}
	}
	if fast < n/2 {
		t.Errorf("the scanner took %d of %d random answers: the test hardly exercises it", fast, n)
	}
	t.Logf("the scanner took %d of %d random answers", fast, n)
}
