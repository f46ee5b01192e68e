package emulator_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// TestMetrics checks the request, execution, utilization and functions metrics.
func TestMetrics(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	srv := emulatortest.NewServer(t, emulator.Options{Registerer: reg, Seed: 8})
	c := newClient(srv.URL())
	ctx := context.Background()
	test := func(name, code string) {
		id, etag := create(t, c, name, code)
		if _, err := c.TestConnectionFunction(ctx, &cloudfront.TestConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(etag), ConnectionObject: []byte(object)}); err != nil {
			t.Fatal(err)
		}
	}
	test("a", allowCode)
	test("d", denyCode)
	test("n", `function connectionHandler(c) {}`)
	test("e", `function connectionHandler(c) { throw new Error("x") }`)
	test("t", `function connectionHandler(c) { for(;;){} }`)

	want := `
# HELP cffuzz_emulator_executions_total Function executions by TestConnectionFunction, by outcome (allow, deny, none, error, timeout, failed, client_closed).
# TYPE cffuzz_emulator_executions_total counter
cffuzz_emulator_executions_total{outcome="allow"} 1
cffuzz_emulator_executions_total{outcome="deny"} 1
cffuzz_emulator_executions_total{outcome="error"} 1
cffuzz_emulator_executions_total{outcome="none"} 1
cffuzz_emulator_executions_total{outcome="timeout"} 1
# HELP cffuzz_emulator_functions Connection functions stored.
# TYPE cffuzz_emulator_functions gauge
cffuzz_emulator_functions 5
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "cffuzz_emulator_executions_total", "cffuzz_emulator_functions"); err != nil {
		t.Error(err)
	}
	if got := testutil.ToFloat64(mustVec(t, reg, "cffuzz_emulator_requests_total", "201")); got != 5 {
		t.Errorf("requests_total{code=201} = %v, want 5", got)
	}
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() == "cffuzz_emulator_execution_utilization_ratio" {
			h := mf.GetMetric()[0].GetHistogram()
			if h.GetSampleCount() != 5 || h.GetSampleSum() < 1 {
				t.Errorf("utilization histogram: %d samples, sum %v; want 5 samples and the timeout's ratio ≥ 1", h.GetSampleCount(), h.GetSampleSum())
			}
		}
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("metrics lint: %v %v", err, problems)
	}
	if _, err := emulator.New(emulator.Options{Registerer: reg, Executor: &fakeExecutor{}}); err == nil {
		t.Error("a second Server on the same registry registered its metrics twice without error")
	}
}

// TestGoAPIAndKVS preloads a KeyValueStore and a published function through
// the Go API and reads the store from the function.
func TestGoAPIAndKVS(t *testing.T) {
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 9})
	arn, err := srv.AddKVS("", runtime.NewKVS(map[string]string{"allowed": "203.0.113.42"}))
	if err != nil {
		t.Fatal(err)
	}
	code := `import cf from 'cloudfront';
async function connectionHandler(connection) {
  const ip = await cf.kvs().get("allowed");
  if (ip === connection.clientIp) connection.allow(); else connection.deny();
}`
	info, err := srv.CreateFunction("kvs-fn", []byte(code), emulator.FunctionConfig{Comment: "kvs", KeyValueStoreARN: arn})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.CreateFunction("kvs-fn", []byte(code), emulator.FunctionConfig{}); apiCode(err) != "" || !strings.Contains(err.Error(), "EntityAlreadyExists") {
		t.Errorf("duplicate CreateFunction: %v; want EntityAlreadyExists", err)
	}
	info, err = srv.PublishFunction(info.Name)
	if err != nil || info.LiveETag == "" || info.Status != emulator.StatusUnassociated {
		t.Fatalf("PublishFunction: %v %+v", err, info)
	}
	c := newClient(srv.URL())
	out, err := c.TestConnectionFunction(context.Background(), &cloudfront.TestConnectionFunctionInput{Id: aws.String(info.ID), IfMatch: aws.String(info.LiveETag), Stage: "LIVE", ConnectionObject: []byte(object)})
	if err != nil {
		t.Fatal(err)
	}
	if r := out.ConnectionFunctionTestResult; !strings.Contains(*r.ConnectionFunctionOutput, `"decision":"allow"`) {
		t.Errorf("function reading the KVS: output %s, error %q; want allow", *r.ConnectionFunctionOutput, *r.ConnectionFunctionErrorMessage)
	}
	desc, err := c.DescribeConnectionFunction(context.Background(), &cloudfront.DescribeConnectionFunctionInput{Identifier: aws.String(info.ID)})
	if err != nil || *desc.ConnectionFunctionSummary.ConnectionFunctionConfig.KeyValueStoreAssociations.Items[0].KeyValueStoreARN != arn {
		t.Errorf("Describe: %v; want the KVS association %s", err, arn)
	}
	if _, err := srv.AddKVS("arn:nope", runtime.NewKVS(nil)); err == nil {
		t.Error("AddKVS accepted a malformed ARN")
	}
	if got, ok := srv.Function("kvs-fn"); !ok || got.ID != info.ID {
		t.Errorf("Function(name) = %+v, %v", got, ok)
	}
}

// TestRejectSyntaxErrors refuses code runtime.Check rejects when asked to.
func TestRejectSyntaxErrors(t *testing.T) {
	s, err := emulator.New(emulator.Options{Executor: &fakeExecutor{}, RejectSyntaxErrors: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.CreateFunction("bad", []byte(`function connectionHandler(c) {`), emulator.FunctionConfig{})
	if err == nil || !strings.Contains(err.Error(), "InvalidArgument: The connection function code is not valid") {
		t.Errorf("syntax error with RejectSyntaxErrors: %v; want InvalidArgument", err)
	}
	if _, err := s.CreateFunction("good", []byte(allowCode), emulator.FunctionConfig{}); err != nil {
		t.Errorf("valid code with RejectSyntaxErrors: %v", err)
	}
}
