package emulator_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
	"github.com/cffuzz/cffuzz/emulator/runtime"
)

var (
	idPattern   = regexp.MustCompile(`^cf_[0-9A-Za-z]{27}$`)
	etagPattern = regexp.MustCompile(`^[A-Z0-9]{13}$`)
)

// TestSDKLifecycle drives every operation through the AWS SDK for Go v2
// with the real in-process executor.
func TestSDKLifecycle(t *testing.T) {
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 1})
	c := newClient(srv.URL())
	ctx := context.Background()

	created, err := c.CreateConnectionFunction(ctx, &cloudfront.CreateConnectionFunctionInput{
		Name:                     aws.String("my-fn"),
		ConnectionFunctionCode:   []byte(allowCode),
		ConnectionFunctionConfig: &cftypes.FunctionConfig{Comment: aws.String("demo"), Runtime: cftypes.FunctionRuntimeCloudfrontJs20},
		Tags:                     &cftypes.Tags{Items: []cftypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}},
	})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	sum := created.ConnectionFunctionSummary
	id, devETag := *sum.Id, *created.ETag
	if !idPattern.MatchString(id) || !etagPattern.MatchString(devETag) {
		t.Errorf("Create: id %q, ETag %q; want cf_ + 27 base62 and 13 uppercase alphanumerics", id, devETag)
	}
	if want := "arn:aws:cloudfront::123456789012:connection-function/" + id; *sum.ConnectionFunctionArn != want {
		t.Errorf("Create: ARN %q, want %q", *sum.ConnectionFunctionArn, want)
	}
	if *sum.Status != "UNPUBLISHED" || sum.Stage != cftypes.FunctionStageDevelopment || *sum.ConnectionFunctionConfig.Comment != "demo" {
		t.Errorf("Create: status %q stage %q comment %q; want UNPUBLISHED DEVELOPMENT demo", *sum.Status, sum.Stage, *sum.ConnectionFunctionConfig.Comment)
	}
	if created.Location == nil || !strings.HasSuffix(*created.Location, "/2020-05-31/connection-function/"+id) {
		t.Errorf("Create: Location %v, want .../2020-05-31/connection-function/%s", created.Location, id)
	}

	desc, err := c.DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: aws.String(id)})
	if err != nil || *desc.ETag != devETag || *desc.ConnectionFunctionSummary.Name != "my-fn" {
		t.Fatalf("Describe: %v, ETag %v; want ETag %s", err, desc.ETag, devETag)
	}
	got, err := c.GetConnectionFunction(ctx, &cloudfront.GetConnectionFunctionInput{Identifier: aws.String(id)})
	if err != nil || string(got.ConnectionFunctionCode) != allowCode || *got.ETag != devETag || *got.ContentType != emulator.CodeContentType {
		t.Fatalf("Get: %v; code %q ETag %v Content-Type %v", err, got.ConnectionFunctionCode, got.ETag, got.ContentType)
	}

	tested, err := c.TestConnectionFunction(ctx, &cloudfront.TestConnectionFunctionInput{
		Id: aws.String(id), IfMatch: aws.String(devETag), ConnectionObject: []byte(object),
	})
	if err != nil {
		t.Fatalf("Test: %v", err)
	}
	res := tested.ConnectionFunctionTestResult
	if want := `{"decision":"allow","calls":["allow"],"customData":""}`; *res.ConnectionFunctionOutput != want {
		t.Errorf("Test: output %s, want %s", *res.ConnectionFunctionOutput, want)
	}
	if *res.ConnectionFunctionErrorMessage != "" || res.ComputeUtilization == nil || *res.ConnectionFunctionSummary.Id != id {
		t.Errorf("Test: error %q utilization %v summary id %v", *res.ConnectionFunctionErrorMessage, res.ComputeUtilization, res.ConnectionFunctionSummary.Id)
	}

	updated, err := c.UpdateConnectionFunction(ctx, &cloudfront.UpdateConnectionFunctionInput{
		Id: aws.String(id), IfMatch: aws.String(devETag), ConnectionFunctionCode: []byte(denyCode),
		ConnectionFunctionConfig: &cftypes.FunctionConfig{Comment: aws.String("v2"), Runtime: cftypes.FunctionRuntimeCloudfrontJs20},
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	newETag := *updated.ETag
	if newETag == devETag || *updated.ConnectionFunctionSummary.ConnectionFunctionConfig.Comment != "v2" {
		t.Errorf("Update: ETag %s (old %s), comment %q", newETag, devETag, *updated.ConnectionFunctionSummary.ConnectionFunctionConfig.Comment)
	}

	// LIVE does not exist before publishing.
	_, err = c.DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: aws.String(id), Stage: cftypes.FunctionStageLive})
	if apiCode(err) != "EntityNotFound" || httpStatus(err) != 404 {
		t.Errorf("Describe LIVE before publish: %v; want EntityNotFound 404", err)
	}
	_, err = c.TestConnectionFunction(ctx, &cloudfront.TestConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(newETag), ConnectionObject: []byte(object), Stage: cftypes.FunctionStageLive})
	if apiCode(err) != "EntityNotFound" {
		t.Errorf("Test LIVE before publish: %v; want EntityNotFound", err)
	}

	pub, err := c.PublishConnectionFunction(ctx, &cloudfront.PublishConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(newETag)})
	if err != nil || *pub.ConnectionFunctionSummary.Status != "UNASSOCIATED" || pub.ConnectionFunctionSummary.Stage != cftypes.FunctionStageLive {
		t.Fatalf("Publish: %v %+v", err, pub)
	}
	live, err := c.DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: aws.String("my-fn"), Stage: cftypes.FunctionStageLive})
	if err != nil {
		t.Fatalf("Describe LIVE by name: %v", err)
	}
	liveETag := *live.ETag
	if liveETag == newETag {
		t.Errorf("LIVE and DEVELOPMENT share ETag %s; want one per stage", liveETag)
	}
	liveTest, err := c.TestConnectionFunction(ctx, &cloudfront.TestConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(liveETag), ConnectionObject: []byte(object), Stage: cftypes.FunctionStageLive})
	if err != nil {
		t.Fatalf("Test LIVE: %v", err)
	}
	r := liveTest.ConnectionFunctionTestResult
	if !strings.Contains(*r.ConnectionFunctionOutput, `"decision":"deny"`) || len(r.ConnectionFunctionExecutionLogs) != 1 || r.ConnectionFunctionExecutionLogs[0] != "no" {
		t.Errorf("Test LIVE: output %s logs %q; want deny and [no]", *r.ConnectionFunctionOutput, r.ConnectionFunctionExecutionLogs)
	}
	// The DEVELOPMENT ETag does not test LIVE.
	_, err = c.TestConnectionFunction(ctx, &cloudfront.TestConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(newETag), ConnectionObject: []byte(object), Stage: cftypes.FunctionStageLive})
	if apiCode(err) != "PreconditionFailed" || httpStatus(err) != 412 {
		t.Errorf("Test LIVE with the DEVELOPMENT ETag: %v; want PreconditionFailed 412", err)
	}

	list, err := c.ListConnectionFunctions(ctx, &cloudfront.ListConnectionFunctionsInput{Stage: cftypes.FunctionStageLive})
	if err != nil || len(list.ConnectionFunctions) != 1 || list.NextMarker != nil {
		t.Fatalf("List LIVE: %v, %d functions", err, len(list.ConnectionFunctions))
	}
	dists, err := c.ListDistributionsByConnectionFunction(ctx, &cloudfront.ListDistributionsByConnectionFunctionInput{ConnectionFunctionIdentifier: aws.String(id), MaxItems: aws.Int32(5)})
	if err != nil || *dists.DistributionList.Quantity != 0 || *dists.DistributionList.IsTruncated || *dists.DistributionList.MaxItems != 5 {
		t.Fatalf("ListDistributions: %v %+v", err, dists)
	}

	_, err = c.DeleteConnectionFunction(ctx, &cloudfront.DeleteConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(devETag)})
	if apiCode(err) != "PreconditionFailed" {
		t.Errorf("Delete with a stale ETag: %v; want PreconditionFailed", err)
	}
	if _, err = c.DeleteConnectionFunction(ctx, &cloudfront.DeleteConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(newETag)}); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err = c.GetConnectionFunction(ctx, &cloudfront.GetConnectionFunctionInput{Identifier: aws.String(id)})
	if apiCode(err) != "EntityNotFound" {
		t.Errorf("Get after delete: %v; want EntityNotFound", err)
	}
}

// TestSDKFunctionOutcomes checks that every outcome of the function is a
// 200 result with the runtime's fields, and an executor failure is
// TestFunctionFailed 500.
func TestSDKFunctionOutcomes(t *testing.T) {
	tests := []struct {
		name, code, obj string
		wantOutput      string
		wantError       string
		reason          string
	}{
		{"throws", `function connectionHandler(c) { null.x; }`, object, `"error":{"name":"TypeError"`, "TypeError", "an uncaught exception is a result, not an API error"},
		{"loops", `function connectionHandler(c) { for(;;){} }`, object, `"error":{"name":"TimeoutError"`, "TimeoutError", "a timeout is a result"},
		{"syntax", `function connectionHandler(c) {`, object, `"error":{"name":"SyntaxError"`, "SyntaxError", "code is stored as sent; the syntax error surfaces at test time"},
		{"silent", `function connectionHandler(c) { }`, object, `"decision":"none"`, "", "no decision is none"},
		{"reads-object", `function connectionHandler(c) { if (c.clientIp === "203.0.113.42") c.allow(); else c.deny(); }`, object, `"decision":"allow"`, "", "the object reaches the function"},
	}
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 2})
	c := newClient(srv.URL())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, etag := create(t, c, "fn-"+tc.name, tc.code)
			out, err := c.TestConnectionFunction(context.Background(), &cloudfront.TestConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(etag), ConnectionObject: []byte(tc.obj)})
			if err != nil {
				t.Fatalf("%s: Test: %v", tc.reason, err)
			}
			r := out.ConnectionFunctionTestResult
			if !strings.Contains(*r.ConnectionFunctionOutput, tc.wantOutput) {
				t.Errorf("%s: output %s, want it to contain %s", tc.reason, *r.ConnectionFunctionOutput, tc.wantOutput)
			}
			if !strings.Contains(*r.ConnectionFunctionErrorMessage, tc.wantError) || (tc.wantError == "") != (*r.ConnectionFunctionErrorMessage == "") {
				t.Errorf("%s: error message %q, want it to contain %q", tc.reason, *r.ConnectionFunctionErrorMessage, tc.wantError)
			}
			if _, err := fmt.Sscan(*r.ComputeUtilization, new(int)); err != nil {
				t.Errorf("%s: ComputeUtilization %q is not an integer", tc.reason, *r.ComputeUtilization)
			}
		})
	}

	t.Run("executor-fails", func(t *testing.T) {
		fake := &fakeExecutor{err: runtime.ErrClosed}
		srv := emulatortest.NewServer(t, emulator.Options{Executor: fake})
		c := newClient(srv.URL())
		id, etag := create(t, c, "f", allowCode)
		_, err := c.TestConnectionFunction(context.Background(), &cloudfront.TestConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(etag), ConnectionObject: []byte(object)})
		if apiCode(err) != "TestFunctionFailed" || httpStatus(err) != 500 {
			t.Errorf("executor error: %v; want TestFunctionFailed 500", err)
		}
		var tf *cftypes.TestFunctionFailed
		if !errorsAs(err, &tf) {
			t.Errorf("executor error %T is not *types.TestFunctionFailed", err)
		}
	})
}

// TestSDKPagination lists more functions than MaxItems with the SDK paginator.
func TestSDKPagination(t *testing.T) {
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 3})
	c := newClient(srv.URL())
	const n = 23
	for i := range n {
		if _, err := srv.CreateFunction(fmt.Sprintf("fn-%02d", i), []byte(allowCode), emulator.FunctionConfig{}); err != nil {
			t.Fatal(err)
		}
	}
	p := cloudfront.NewListConnectionFunctionsPaginator(c, &cloudfront.ListConnectionFunctionsInput{MaxItems: aws.Int32(5)})
	var names []string
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		pages++
		if len(page.ConnectionFunctions) > 5 {
			t.Errorf("page %d has %d functions, MaxItems 5", pages, len(page.ConnectionFunctions))
		}
		for _, f := range page.ConnectionFunctions {
			names = append(names, *f.Name)
		}
	}
	if pages != 5 || len(names) != n {
		t.Fatalf("paginator: %d pages, %d functions; want 5 pages, %d functions", pages, len(names), n)
	}
	for i, name := range names {
		if want := fmt.Sprintf("fn-%02d", i); name != want {
			t.Errorf("function %d is %s, want %s (name order, no duplicates)", i, name, want)
		}
	}
}

// TestSDKConcurrent runs tests, updates and lists at once (run with -race).
func TestSDKConcurrent(t *testing.T) {
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 14})
	c := newClient(srv.URL())
	id, etag := create(t, c, "shared", allowCode)
	errs := make(chan error, 64)
	for w := range 8 {
		go func() {
			for i := range 8 {
				var err error
				switch {
				case w == 0 && i == 4:
					_, err = c.UpdateConnectionFunction(context.Background(), &cloudfront.UpdateConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(etag),
						ConnectionFunctionCode: []byte(denyCode), ConnectionFunctionConfig: &cftypes.FunctionConfig{Comment: aws.String("u"), Runtime: cftypes.FunctionRuntimeCloudfrontJs20}})
				case w%2 == 0:
					_, err = c.ListConnectionFunctions(context.Background(), &cloudfront.ListConnectionFunctionsInput{})
				default:
					_, err = c.TestConnectionFunction(context.Background(), &cloudfront.TestConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(etag), ConnectionObject: []byte(object)})
					if apiCode(err) == "PreconditionFailed" {
						err = nil // the update won the race
					}
				}
				errs <- err
			}
		}()
	}
	for range 64 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
