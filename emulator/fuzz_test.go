package emulator_test

import (
	"encoding/xml"
	"net/http/httptest"
	"testing"

	"github.com/cffuzz/cffuzz/emulator"
)

// checkAnswer fails unless rec is a 2xx answer or a well-formed error
// envelope with a status the API uses.
func checkAnswer(t *testing.T, code int, body []byte) {
	t.Helper()
	switch code {
	case 200, 201, 204:
		return
	case 400, 404, 409, 412, 413:
	default:
		t.Fatalf("unexpected status %d:\n%s", code, body)
	}
	var env struct {
		XMLName xml.Name `xml:"ErrorResponse"`
		Code    string   `xml:"Error>Code"`
		Message string   `xml:"Error>Message"`
	}
	if err := xml.Unmarshal(body, &env); err != nil || env.Code == "" || env.Message == "" {
		t.Fatalf("status %d with a body that is no error envelope (%v):\n%s", code, err, body)
	}
	if len(env.Message) > 4096 {
		t.Fatalf("error message is %d bytes; values must be truncated", len(env.Message))
	}
}

func fuzzServer(f *testing.F, fake *fakeExecutor) (*emulator.Server, string, string) {
	s, err := emulator.New(emulator.Options{Executor: fake, Seed: 10})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = s.Close() })
	info, err := s.CreateFunction("fuzz", []byte(allowCode), emulator.FunctionConfig{})
	if err != nil {
		f.Fatal(err)
	}
	return s, info.ID, info.ETag
}

// FuzzTestRequest sends arbitrary TestConnectionFunction bodies: the answer
// is a result or an error envelope, never a panic, and the executor only
// sees objects that are JSON objects.
func FuzzTestRequest(f *testing.F) {
	fake := &fakeExecutor{}
	s, id, etag := fuzzServer(f, fake)
	for _, seed := range []string{
		testBody(b64(object)), testBody(b64("[]")), testBody("e30"), testBody(" e3 0= "),
		`<TestConnectionFunctionRequest><ConnectionObject>e30=</ConnectionObject><Stage>LIVE</Stage></TestConnectionFunctionRequest>`,
		`<!DOCTYPE x><TestConnectionFunctionRequest/>`, `<a><b>`, "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		before := len(fake.calls)
		rec := do(s, "POST", "/2020-05-31/connection-function/"+id+"/test", map[string]string{"If-Match": etag}, body)
		checkAnswer(t, rec.Code, rec.Body.Bytes())
		if rec.Code == 200 {
			if len(fake.calls) != before+1 {
				t.Fatalf("200 without an execution")
			}
			obj := fake.calls[len(fake.calls)-1].Object
			if len(obj) == 0 || len(obj) > emulator.DefaultMaxObjectBytes {
				t.Fatalf("executor got a %d-byte object", len(obj))
			}
		}
		fake.calls = fake.calls[:0]
	})
}

// FuzzCreateRequest sends arbitrary CreateConnectionFunction bodies.
func FuzzCreateRequest(f *testing.F) {
	s, _, _ := fuzzServer(f, &fakeExecutor{})
	for _, seed := range []string{
		createBody("n1", allowCode), createBody("bad name", allowCode), createBody("x", ""),
		`<CreateConnectionFunctionRequest><Name>k</Name><ConnectionFunctionCode>eA==</ConnectionFunctionCode><ConnectionFunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime><KeyValueStoreAssociations><Items><KeyValueStoreAssociation><KeyValueStoreARN>arn</KeyValueStoreARN></KeyValueStoreAssociation></Items><Quantity>1</Quantity></KeyValueStoreAssociations></ConnectionFunctionConfig><Tags><Items><Tag><Key>k</Key></Tag></Items></Tags></CreateConnectionFunctionRequest>`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		rec := do(s, "POST", "/2020-05-31/connection-function", nil, body)
		checkAnswer(t, rec.Code, rec.Body.Bytes())
		if rec.Code == 201 {
			var sum struct {
				ID   string `xml:"Id"`
				Name string `xml:"Name"`
			}
			if err := xml.Unmarshal(rec.Body.Bytes(), &sum); err != nil || !idPattern.MatchString(sum.ID) {
				t.Fatalf("201 with summary %+v (%v)", sum, err)
			}
			// Keep the account below its function limit.
			del := do(s, "DELETE", "/2020-05-31/connection-function/"+sum.ID, map[string]string{"If-Match": rec.Header().Get("ETag")}, "")
			if del.Code != 204 {
				t.Fatalf("deleting %s: %d", sum.ID, del.Code)
			}
		}
	})
}

// FuzzListRequest sends arbitrary ListConnectionFunctions bodies and paths
// with arbitrary query strings to Describe.
func FuzzListRequest(f *testing.F) {
	s, id, _ := fuzzServer(f, &fakeExecutor{})
	f.Add(`<ListConnectionFunctionsRequest><MaxItems>1</MaxItems><Marker>a</Marker><Stage>LIVE</Stage></ListConnectionFunctionsRequest>`, "Stage=LIVE")
	f.Add("", "Stage=%ZZ")
	f.Fuzz(func(t *testing.T, body, query string) {
		rec := do(s, "POST", "/2020-05-31/connection-functions", nil, body)
		checkAnswer(t, rec.Code, rec.Body.Bytes())
		req := httptest.NewRequest("GET", "/2020-05-31/connection-function/"+id+"/describe", nil)
		req.URL.RawQuery = query
		rec = httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		checkAnswer(t, rec.Code, rec.Body.Bytes())
	})
}
