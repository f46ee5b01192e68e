package target_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/target"
)

// fnCode allows 203.0.113.1, denies everything else, and throws a
// TypeError on line 3 when the object has no clientIp.
const fnCode = `function connectionHandler(connection) {
  var ip = connection.clientIp;
  if (ip.length === 0) { connection.deny(); return; }
  if (ip === "203.0.113.1") { connection.allow(); } else { connection.deny(); }
}`

func newEmbedded(t *testing.T, opts target.EmbeddedOptions) *target.Embedded {
	t.Helper()
	if opts.Code == nil {
		opts.Code = []byte(fnCode)
	}
	e, err := target.NewEmbedded(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}

func TestEmbeddedOutcomes(t *testing.T) {
	e := newEmbedded(t, target.EmbeddedOptions{})
	tests := []struct {
		reason    string
		c         cffuzz.Case
		status    int
		code      string
		decision  cffuzz.Decision
		errorName string
		line      int
	}{
		{"an allowed client", cffuzz.Case{Object: []byte(`{"clientIp":"203.0.113.1"}`)}, 200, "", cffuzz.DecisionAllow, "", 0},
		{"a denied client", cffuzz.Case{Object: []byte(`{"clientIp":"198.51.100.7"}`)}, 200, "", cffuzz.DecisionDeny, "", 0},
		{"an exception is a function error with its location", cffuzz.Case{Object: []byte(`{}`)}, 200, "", cffuzz.DecisionNone, "TypeError", 3},
		{"a non-JSON object is refused by the API", cffuzz.Case{Object: []byte(`not json`)}, 400, "InvalidArgument", "", "", 0},
		{"an unpublished LIVE stage is not found", cffuzz.Case{Object: []byte(`{}`), Stage: "LIVE"}, 404, "EntityNotFound", "", "", 0},
		{"a wire request without If-Match", cffuzz.Case{Class: cffuzz.ClassWire, Wire: &cffuzz.WireRequest{
			Method: "POST", Path: "/2020-05-31/connection-function/{id}/test", Header: map[string]string{"Content-Type": "application/xml"},
			Body: []byte(`<TestConnectionFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><ConnectionObject>e30=</ConnectionObject></TestConnectionFunctionRequest>`),
		}}, 400, "InvalidIfMatchVersion", "", "", 0},
		{"a wire request with the placeholders filled", cffuzz.Case{Class: cffuzz.ClassWire, Wire: &cffuzz.WireRequest{
			Method: "POST", Path: "/2020-05-31/connection-function/{id}/test", Header: map[string]string{"If-Match": "{etag}"},
			Body: []byte(`<TestConnectionFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><ConnectionObject>eyJjbGllbnRJcCI6IjIwMy4wLjExMy4xIn0=</ConnectionObject></TestConnectionFunctionRequest>`),
		}}, 200, "", cffuzz.DecisionAllow, "", 0},
	}
	for _, tt := range tests {
		o, err := e.Test(context.Background(), &tt.c)
		if err != nil {
			t.Errorf("%s: transport error %v", tt.reason, err)
			continue
		}
		if o.Status != tt.status || o.ErrorCode != tt.code || o.Decision != tt.decision || o.ErrorName != tt.errorName || o.Line != tt.line {
			t.Errorf("%s: got status %d code %q decision %q error %q line %d; want %d %q %q %q %d",
				tt.reason, o.Status, o.ErrorCode, o.Decision, o.ErrorName, o.Line, tt.status, tt.code, tt.decision, tt.errorName, tt.line)
		}
		if o.OK() && o.Utilization < 0 {
			t.Errorf("%s: no utilization in a successful test", tt.reason)
		}
	}
	if e.Name() != "emulator" {
		t.Errorf("name %q, want emulator", e.Name())
	}
}

func TestEmbeddedPublishedWithKVS(t *testing.T) {
	code := `import cf from 'cloudfront';
const kvs = cf.kvs();
async function connectionHandler(connection) {
  const v = await kvs.get("mode");
  if (v === "open") { connection.allow(); } else { connection.deny(); }
}`
	e := newEmbedded(t, target.EmbeddedOptions{Code: []byte(code), Publish: true, KVS: runtime.NewKVS(map[string]string{"mode": "open"})})
	o, err := e.Test(context.Background(), &cffuzz.Case{Object: []byte(`{"clientIp":"198.51.100.7"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if o.Decision != cffuzz.DecisionAllow || o.FunctionError != "" {
		t.Errorf("published function with KVS: decision %q, error %q; want allow", o.Decision, o.FunctionError)
	}
}

func TestEmbeddedFaultsAreSingleAttempts(t *testing.T) {
	e := newEmbedded(t, target.EmbeddedOptions{Emulator: emulator.Options{Seed: 7, Faults: emulator.Faults{FaultRates: emulator.FaultRates{Throttling: 1}}}})
	o, err := e.Test(context.Background(), &cffuzz.Case{Object: []byte(`{}`)})
	if err != nil || !o.Throttled() || o.Status != 400 || o.Attempts != 1 {
		t.Fatalf("always-throttling emulator: outcome %+v, err %v; want one throttled attempt", o, err)
	}
}

func TestDeployCreatesThenUpdates(t *testing.T) {
	srv := emulatortest.NewServer(t, emulator.Options{})
	ctx := context.Background()
	client, err := target.NewClient(ctx, target.SDKOptions{Endpoint: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	id, etag, err := target.Deploy(ctx, client, target.Deployment{Name: "fn", Code: []byte(fnCode)})
	if err != nil || id == "" || etag == "" {
		t.Fatalf("create: id %q etag %q err %v", id, etag, err)
	}
	id2, etag2, err := target.Deploy(ctx, client, target.Deployment{Name: "fn", Code: []byte(strings.Replace(fnCode, "deny(); }\n}", "allow(); }\n}", 1)), Publish: true})
	if err != nil || id2 != id || etag2 == "" {
		t.Fatalf("update: id %q (first %q) etag %q err %v", id2, id, etag2, err)
	}
	s, err := target.NewSDK(ctx, target.SDKOptions{Endpoint: srv.URL(), FunctionID: id, ETag: etag2, Stage: "LIVE"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.Test(ctx, &cffuzz.Case{Object: []byte(`{"clientIp":"198.51.100.7"}`), Stage: "LIVE"})
	if err != nil || o.Decision != cffuzz.DecisionAllow {
		t.Fatalf("the published update should allow: outcome %+v err %v", o, err)
	}
	if _, _, err := target.Deploy(ctx, client, target.Deployment{Name: "fn"}); err == nil {
		t.Error("deploying without code should fail")
	}
}

func TestWireSignsRequests(t *testing.T) {
	creds := &emulator.Credentials{AccessKeyID: "AKIDWIRETEST", SecretAccessKey: "wire-secret"}
	srv := emulatortest.NewServer(t, emulator.Options{Credentials: creds})
	info, err := srv.CreateFunction("fn", []byte(fnCode), emulator.FunctionConfig{})
	if err != nil {
		t.Fatal(err)
	}
	c := &cffuzz.Case{Wire: &cffuzz.WireRequest{Method: "GET", Path: "/2020-05-31/connection-function/{id}/describe"}}
	tests := []struct {
		reason string
		creds  aws.CredentialsProvider
		status int
	}{
		{"the right key signs a valid SigV4 request", credentials.NewStaticCredentialsProvider("AKIDWIRETEST", "wire-secret", ""), 200},
		{"a wrong secret is refused", credentials.NewStaticCredentialsProvider("AKIDWIRETEST", "wrong", ""), 403},
	}
	for _, tt := range tests {
		w, err := target.NewWire(context.Background(), target.SDKOptions{Endpoint: srv.URL(), Credentials: tt.creds, FunctionID: info.ID, ETag: info.ETag})
		if err != nil {
			t.Fatal(err)
		}
		o, err := w.Test(context.Background(), c)
		if err != nil || o.Status != tt.status {
			t.Errorf("%s: status %d (code %q), err %v; want %d", tt.reason, o.Status, o.ErrorCode, err, tt.status)
		}
	}
}

func TestWireUnsendableRequest(t *testing.T) {
	w, err := target.NewWire(context.Background(), target.SDKOptions{Endpoint: "http://127.0.0.1:1", FunctionID: "cf_x"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := w.Test(context.Background(), &cffuzz.Case{Wire: &cffuzz.WireRequest{Method: "BAD METHOD", Path: "/x"}})
	if err != nil || o.Transport != "unsendable" || o.Status != 0 {
		t.Errorf("a request that cannot be formed: outcome %+v, err %v; want Transport unsendable and no retryable error", o, err)
	}
	if _, err := w.Test(context.Background(), &cffuzz.Case{}); err == nil {
		t.Error("a case without a Wire request should be refused")
	}
}
