package emulator_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator"
)

// newWireServer returns a Server with one function, its id and ETag.
func newWireServer(t *testing.T, opts emulator.Options) (*emulator.Server, string, string) {
	t.Helper()
	if opts.Executor == nil {
		opts.Executor = &fakeExecutor{}
	}
	s, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	info, err := s.CreateFunction("wire", []byte(allowCode), emulator.FunctionConfig{Comment: "c"})
	if err != nil {
		t.Fatal(err)
	}
	return s, info.ID, info.ETag
}

// wireCase is one raw request of TestWireRequests.
type wireCase struct {
	name, method, path string
	header             map[string]string
	body               string
	wantStatus         int
	wantCode           string
	wantMsg            string
	reason             string
}

// wireRequestCases is TestWireRequests's table; the TestConnectionFunction
// bodies also feed the fast-path equivalence test.
func wireRequestCases(testPath string, ifMatch map[string]string) []wireCase {
	objB64 := b64(object)
	return []wireCase{
		{"ok", "POST", testPath, ifMatch, testBody(objB64), 200, "", "", "baseline"},
		{"no-namespace", "POST", testPath, ifMatch, `<TestConnectionFunctionRequest><ConnectionObject>` + objB64 + `</ConnectionObject></TestConnectionFunctionRequest>`, 200, "", "", "namespace is optional"},
		{"xml-declaration", "POST", testPath, ifMatch, `<?xml version="1.0" encoding="UTF-8"?>` + testBody(objB64), 200, "", "", "the documented request syntax has a declaration"},
		{"whitespace-in-base64", "POST", testPath, ifMatch, testBody(objB64[:10] + "\n  " + objB64[10:]), 200, "", "", "XML whitespace inside base64 is ignored"},
		{"base64url", "POST", testPath, ifMatch, testBody(base64.URLEncoding.EncodeToString([]byte(`{"a":"??>>"}`))), 400, "MalformedXML", "not valid base64", "strict mode refuses the URL-safe alphabet"},
		{"no-padding", "POST", testPath, ifMatch, testBody(base64.RawStdEncoding.EncodeToString([]byte(`{"a":1}`))), 400, "MalformedXML", "not valid base64", "strict mode wants padding"},
		{"bad-base64", "POST", testPath, ifMatch, testBody("!!!!"), 400, "MalformedXML", "illegal data at input byte 0", "garbage"},
		{"missing-object", "POST", testPath, ifMatch, `<TestConnectionFunctionRequest><Stage>DEVELOPMENT</Stage></TestConnectionFunctionRequest>`, 400, "MalformedXML", "Value null at 'connectionObject' failed to satisfy constraint: Member must not be null", "ConnectionObject is required"},
		{"wrong-root", "POST", testPath, ifMatch, `<TestFunctionRequest><ConnectionObject>` + objB64 + `</ConnectionObject></TestFunctionRequest>`, 400, "MalformedXML", "the root element is <TestFunctionRequest>; this operation wants <TestConnectionFunctionRequest>", "root element is checked"},
		{"doctype", "POST", testPath, ifMatch, `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "` + objB64 + `">]><TestConnectionFunctionRequest><ConnectionObject>&x;</ConnectionObject></TestConnectionFunctionRequest>`, 400, "MalformedXML", "DOCTYPE", "DTDs are refused, entities never expanded"},
		{"undefined-entity", "POST", testPath, ifMatch, `<TestConnectionFunctionRequest><ConnectionObject>&x;</ConnectionObject></TestConnectionFunctionRequest>`, 400, "MalformedXML", "not well-formed", "only the predefined entities exist"},
		{"billion-laughs", "POST", testPath, ifMatch, `<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><TestConnectionFunctionRequest><ConnectionObject>&b;</ConnectionObject></TestConnectionFunctionRequest>`, 400, "MalformedXML", "DOCTYPE", "entity expansion is never attempted"},
		{"unclosed", "POST", testPath, ifMatch, `<TestConnectionFunctionRequest><ConnectionObject>` + objB64, 400, "MalformedXML", "not well-formed", "truncated body"},
		{"mismatched-tags", "POST", testPath, ifMatch, `<TestConnectionFunctionRequest><ConnectionObject>` + objB64 + `</Stage></TestConnectionFunctionRequest>`, 400, "MalformedXML", "not well-formed", "end tag must match"},
		{"two-roots", "POST", testPath, ifMatch, testBody(objB64) + testBody(objB64), 400, "MalformedXML", "more than one root", "one document per body"},
		{"deep", "POST", testPath, ifMatch, `<TestConnectionFunctionRequest>` + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + `</TestConnectionFunctionRequest>`, 400, "MalformedXML", "deeper than", "nesting is bounded"},
		{"empty-body", "POST", testPath, ifMatch, "", 400, "MalformedXML", "empty", "Test needs a body"},
		{"non-utf8-charset", "POST", testPath, ifMatch, `<?xml version="1.0" encoding="ISO-8859-1"?>` + testBody(objB64), 400, "MalformedXML", "send UTF-8", "only UTF-8"},
		{"body-too-big", "POST", testPath, ifMatch, testBody(strings.Repeat("A", 70<<10)), 413, "EntitySizeLimitExceeded", "exceeds 65536 bytes", "MaxBodyBytes"},
		{"unknown-route", "GET", "/2020-05-31/distribution", nil, "", 404, "UnknownOperation", "No connection-function operation matches GET /2020-05-31/distribution", "unknown paths"},
		{"wrong-method", "GET", testPath, nil, "", 405, "MethodNotAllowed", "use POST for TestConnectionFunction", "the path exists for another method"},
		{"escaped-id", "POST", "/2020-05-31/connection-function/cf%2Fx/test", ifMatch, testBody(objB64), 404, "EntityNotFound", "cf/x", "ids are URL-decoded"},
		{"list-empty-body", "POST", "/2020-05-31/connection-functions", nil, "", 200, "", "", "all List members are optional"},
		{"list-bad-max-items", "POST", "/2020-05-31/connection-functions", nil, `<ListConnectionFunctionsRequest><MaxItems>ten</MaxItems></ListConnectionFunctionsRequest>`, 400, "MalformedXML", "not an integer", "MaxItems is an integer"},
		{"list-distributions-missing-id", "GET", "/2020-05-31/distributionsByConnectionFunction", nil, "", 400, "MalformedXML", "Value null at 'connectionFunctionIdentifier'", "the identifier is required"},
		{"create-no-config", "POST", "/2020-05-31/connection-function", nil, `<CreateConnectionFunctionRequest><Name>x</Name><ConnectionFunctionCode>` + b64(allowCode) + `</ConnectionFunctionCode></CreateConnectionFunctionRequest>`, 400, "MalformedXML", "Value null at 'connectionFunctionConfig'", "config is required"},
		{"create-quantity-mismatch", "POST", "/2020-05-31/connection-function", nil, `<CreateConnectionFunctionRequest><Name>x</Name><ConnectionFunctionCode>` + b64(allowCode) + `</ConnectionFunctionCode><ConnectionFunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime><KeyValueStoreAssociations><Quantity>1</Quantity></KeyValueStoreAssociations></ConnectionFunctionConfig></CreateConnectionFunctionRequest>`, 400, "InvalidArgument", "Quantity (1) does not match the number of Items (0)", "Quantity must match Items"},
		{"create-empty-code", "POST", "/2020-05-31/connection-function", nil, `<CreateConnectionFunctionRequest><Name>x</Name><ConnectionFunctionCode></ConnectionFunctionCode><ConnectionFunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime></ConnectionFunctionConfig></CreateConnectionFunctionRequest>`, 400, "MalformedXML", "Value at 'connectionFunctionCode' failed to satisfy constraint: Member must have length greater than or equal to 1", "code is 1-40960 bytes; sensitive values are not echoed"},
		{"huge-name-truncated", "POST", "/2020-05-31/connection-function", nil, createBody(strings.Repeat("N", 5000), allowCode), 400, "MalformedXML", "NNN...' at 'name'", "long values are cut in messages"},
	}
}

// TestWireRequests sends raw requests the SDK would not, and checks status,
// code and message.
func TestWireRequests(t *testing.T) {
	s, id, etag := newWireServer(t, emulator.Options{Seed: 5, MaxBodyBytes: 64 << 10})
	tests := wireRequestCases("/2020-05-31/connection-function/"+id+"/test", map[string]string{"If-Match": etag})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(s, tc.method, tc.path, tc.header, tc.body)
			body := rec.Body.String()
			if msg := errorMessage(rec.Body.Bytes()); msg != "" {
				body = msg
			}
			if rec.Code != tc.wantStatus || errorCode(rec.Body.Bytes()) != tc.wantCode {
				t.Fatalf("%s: got %d %s; want %d %s\n%s", tc.reason, rec.Code, errorCode(rec.Body.Bytes()), tc.wantStatus, tc.wantCode, body)
			}
			if !strings.Contains(body, tc.wantMsg) {
				t.Errorf("%s: body does not contain %q:\n%s", tc.reason, tc.wantMsg, body)
			}
			if rec.Header().Get("x-amzn-RequestId") == "" {
				t.Errorf("%s: no x-amzn-RequestId header", tc.reason)
			}
			if tc.wantCode != "" {
				if ct := rec.Header().Get("Content-Type"); ct != "text/xml" {
					t.Errorf("%s: error Content-Type %q, want text/xml", tc.reason, ct)
				}
				wantType := "<Type>Sender</Type>"
				if tc.wantStatus >= 500 {
					wantType = "<Type>Receiver</Type>"
				}
				body := rec.Body.String()
				if !strings.Contains(body, wantType) || !strings.Contains(body, `<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">`) || len(body) > 2048 {
					t.Errorf("%s: envelope lacks %s or the namespace, or is %d bytes:\n%s", tc.reason, wantType, len(body), body)
				}
			}
		})
	}
}

// TestWireShapes checks the success answers' status codes, headers and XML.
func TestWireShapes(t *testing.T) {
	s, id, etag := newWireServer(t, emulator.Options{Seed: 6})
	rec := do(s, "POST", "/2020-05-31/connection-function", nil, createBody("shape", allowCode))
	if rec.Code != http.StatusCreated || rec.Header().Get("ETag") == "" || !strings.HasPrefix(rec.Header().Get("Location"), "http://example.com/2020-05-31/connection-function/cf_") {
		t.Errorf("Create: %d ETag %q Location %q; want 201 with both", rec.Code, rec.Header().Get("ETag"), rec.Header().Get("Location"))
	}
	for _, want := range []string{`<?xml version="1.0" encoding="UTF-8"?>`, `<ConnectionFunctionSummary xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">`, `<ConnectionFunctionConfig><Comment>c</Comment><Runtime>cloudfront-js-2.0</Runtime></ConnectionFunctionConfig>`, `<Stage>DEVELOPMENT</Stage><Status>UNPUBLISHED</Status>`} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("Create body lacks %s:\n%s", want, rec.Body.String())
		}
	}
	rec = do(s, "POST", "/2020-05-31/connection-functions", nil, `<ListConnectionFunctionsRequest><MaxItems>1</MaxItems></ListConnectionFunctionsRequest>`)
	if want := `<ListConnectionFunctionsResult xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><ConnectionFunctions><ConnectionFunctionSummary><ConnectionFunctionArn>`; !strings.HasPrefix(strings.TrimPrefix(rec.Body.String(), `<?xml version="1.0" encoding="UTF-8"?>`+"\n"), want) || !strings.Contains(rec.Body.String(), "<NextMarker>wire</NextMarker>") {
		t.Errorf("List body:\n%s\nwant it to start with %s and carry NextMarker wire", rec.Body.String(), want)
	}
	rec = do(s, "GET", "/2020-05-31/distributionsByConnectionFunction?ConnectionFunctionIdentifier="+id+"&Marker=m", nil, "")
	if want := `<DistributionList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Marker>m</Marker><MaxItems>100</MaxItems><IsTruncated>false</IsTruncated><Quantity>0</Quantity></DistributionList>`; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("ListDistributions body:\n%s\nwant %s", rec.Body.String(), want)
	}
	rec = do(s, "POST", "/2020-05-31/connection-function/"+id+"/test", map[string]string{"If-Match": etag}, testBody(b64(object)))
	if want := `<ConnectionFunctionExecutionLogs></ConnectionFunctionExecutionLogs>`; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("Test body without logs lacks %s:\n%s", want, rec.Body.String())
	}
	rec = do(s, "POST", "/2020-05-31/connection-function/"+id+"/publish", map[string]string{"If-Match": etag}, "")
	if rec.Code != 200 || rec.Header().Get("ETag") != "" || !strings.Contains(rec.Body.String(), "<Stage>LIVE</Stage><Status>UNASSOCIATED</Status>") {
		t.Errorf("Publish: %d ETag %q:\n%s", rec.Code, rec.Header().Get("ETag"), rec.Body.String())
	}
	rec = do(s, "DELETE", "/2020-05-31/connection-function/"+id, map[string]string{"If-Match": etag}, "")
	if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
		t.Errorf("Delete: %d with %d body bytes; want 204, empty", rec.Code, rec.Body.Len())
	}
}

// TestObjectValidationNone runs functions on objects that are not JSON.
func TestObjectValidationNone(t *testing.T) {
	fake := &fakeExecutor{}
	s, id, etag := newWireServer(t, emulator.Options{Executor: fake, ObjectValidation: emulator.ObjectValidationNone, Base64: emulator.Base64Lenient})
	for _, obj := range []string{"not json", "", "[1]"} {
		rec := do(s, "POST", "/2020-05-31/connection-function/"+id+"/test", map[string]string{"If-Match": etag}, testBody(base64.RawURLEncoding.EncodeToString([]byte(obj))))
		if rec.Code != 200 {
			t.Errorf("object %q with ObjectValidation none and lenient base64: %d\n%s", obj, rec.Code, rec.Body.String())
		}
	}
	if len(fake.calls) != 3 || string(fake.calls[0].Object) != "not json" {
		t.Errorf("executor saw %d calls; want 3, the first with the raw object", len(fake.calls))
	}
}

// TestNewRejectsBadOptions checks that New explains inconsistent options.
func TestNewRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name   string
		opts   emulator.Options
		want   string
		reason string
	}{
		{"validation", emulator.Options{ObjectValidation: "schema"}, "ObjectValidation", "unknown mode"},
		{"base64", emulator.Options{Base64: "loose"}, "Base64", "unknown mode"},
		{"account", emulator.Options{AccountID: "12"}, "12 digits", "account ids are 12 digits"},
		{"probability", emulator.Options{Faults: emulator.Faults{FaultRates: emulator.FaultRates{Throttling: 1.5}}}, "[0, 1]", "probabilities"},
		{"sum", emulator.Options{Faults: emulator.Faults{FaultRates: emulator.FaultRates{Throttling: 0.6, Drop: 0.6}}}, "exceeds 1", "exclusive faults"},
		{"operation", emulator.Options{Faults: emulator.Faults{ByOperation: map[string]emulator.FaultRates{"Nope": {}}}}, "unknown operation", "operation names"},
		{"credentials", emulator.Options{Credentials: &emulator.Credentials{AccessKeyID: "a"}}, "SecretAccessKey", "both keys"},
	}
	for _, tc := range tests {
		tc.opts.Executor = &fakeExecutor{}
		_, err := emulator.New(tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: New: %v; want an error mentioning %q", tc.reason, err, tc.want)
		}
	}
}
