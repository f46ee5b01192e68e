package emulator_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
	"github.com/cffuzz/cffuzz/emulator/runtime"
)

const kvsARN = "arn:aws:cloudfront::123456789012:key-value-store/a1b2c3d4-5678-90ab-cdef-0123456789ab"

func config(comment string, rt cftypes.FunctionRuntime, arns ...string) *cftypes.FunctionConfig {
	cfg := &cftypes.FunctionConfig{Comment: aws.String(comment), Runtime: rt}
	if len(arns) > 0 {
		cfg.KeyValueStoreAssociations = &cftypes.KeyValueStoreAssociations{Quantity: aws.Int32(int32(len(arns)))}
		for _, a := range arns {
			cfg.KeyValueStoreAssociations.Items = append(cfg.KeyValueStoreAssociations.Items, cftypes.KeyValueStoreAssociation{KeyValueStoreARN: aws.String(a)})
		}
	}
	return cfg
}

// TestSDKErrors checks every modeled error (and MalformedXML) with its
// status code, as the SDK surfaces it.
func TestSDKErrors(t *testing.T) {
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 4, MaxFunctions: 3})
	if _, err := srv.AddKVS(kvsARN, runtime.NewKVS(map[string]string{"k": "v"})); err != nil {
		t.Fatal(err)
	}
	c := newClient(srv.URL())
	ctx := context.Background()
	id, etag := create(t, c, "existing", allowCode)
	js2 := cftypes.FunctionRuntimeCloudfrontJs20
	createWith := func(name, code string, cfg *cftypes.FunctionConfig, tags ...cftypes.Tag) func() error {
		return func() error {
			in := &cloudfront.CreateConnectionFunctionInput{Name: aws.String(name), ConnectionFunctionCode: []byte(code), ConnectionFunctionConfig: cfg}
			if len(tags) > 0 {
				in.Tags = &cftypes.Tags{Items: tags}
			}
			_, err := c.CreateConnectionFunction(ctx, in)
			return err
		}
	}
	testWith := func(id, ifMatch string, obj []byte, stage cftypes.FunctionStage) func() error {
		return func() error {
			_, err := c.TestConnectionFunction(ctx, &cloudfront.TestConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(ifMatch), ConnectionObject: obj, Stage: stage})
			return err
		}
	}
	tests := []struct {
		name       string
		call       func() error
		wantCode   string
		wantStatus int
		wantMsg    string
		reason     string
	}{
		{"duplicate-name", createWith("existing", allowCode, config("c", js2)), "EntityAlreadyExists", 409, "", "names are unique per account"},
		{"code-over-quota", createWith("big", "//"+strings.Repeat("x", 10240), config("c", js2)), "EntitySizeLimitExceeded", 413, "", "10 KB quota beyond the model's 40,960"},
		{"code-over-model", createWith("huge", strings.Repeat("x", 40961), config("c", js2)), "MalformedXML", 400, "Member must have length less than or equal to 40960", "model limit on FunctionBlob"},
		{"name-pattern", createWith("bad name!", allowCode, config("c", js2)), "MalformedXML", 400, "1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}", "FunctionName pattern"},
		{"name-too-long", createWith(strings.Repeat("n", 65), allowCode, config("c", js2)), "MalformedXML", 400, "2 validation errors detected", "length and pattern both fail, as AWS reports"},
		{"comment-too-big", createWith("cmt", allowCode, config(strings.Repeat("c", 129), js2)), "InvalidArgument", 400, "The parameter Comment is too big.", "128-character comment cap"},
		{"runtime-1.0", createWith("rt1", allowCode, config("c", cftypes.FunctionRuntimeCloudfrontJs10)), "InvalidArgument", 400, "cloudfront-js-2.0", "connection functions support 2.0 only"},
		{"runtime-enum", createWith("rt3", allowCode, config("c", "cloudfront-js-3.0")), "MalformedXML", 400, "Member must satisfy enum value set: [cloudfront-js-1.0, cloudfront-js-2.0]", "Runtime enum"},
		{"kvs-bad-arn", createWith("kvs1", allowCode, config("c", js2, "arn:nope")), "MalformedXML", 400, "key-value-store", "KeyValueStoreARN pattern"},
		{"kvs-unknown", createWith("kvs2", allowCode, config("c", js2, strings.Replace(kvsARN, "a1b2", "ffff", 1))), "EntityNotFound", 404, "", "the store must exist"},
		{"kvs-two", createWith("kvs3", allowCode, config("c", js2, kvsARN, kvsARN)), "InvalidArgument", 400, "at most one KeyValueStore", "one association per function"},
		{"bad-tag", createWith("tag", allowCode, config("c", js2), cftypes.Tag{Key: aws.String("")}), "InvalidTagging", 400, "", "tag key length 1-128"},
		{"update-missing-if-match", func() error {
			_, err := c.UpdateConnectionFunction(ctx, &cloudfront.UpdateConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(""), ConnectionFunctionCode: []byte(allowCode), ConnectionFunctionConfig: config("c", js2)})
			return err
		}, "InvalidIfMatchVersion", 400, "The If-Match version is missing or not valid for the resource.", "If-Match is required"},
		{"update-stale", func() error {
			_, err := c.UpdateConnectionFunction(ctx, &cloudfront.UpdateConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String("ESTALEETAG000"), ConnectionFunctionCode: []byte(allowCode), ConnectionFunctionConfig: config("c", js2)})
			return err
		}, "PreconditionFailed", 412, "didn't meet the preconditions", "stale ETag"},
		{"update-unknown", func() error {
			_, err := c.UpdateConnectionFunction(ctx, &cloudfront.UpdateConnectionFunctionInput{Id: aws.String("cf_nope"), IfMatch: aws.String(etag), ConnectionFunctionCode: []byte(allowCode), ConnectionFunctionConfig: config("c", js2)})
			return err
		}, "EntityNotFound", 404, "", "unknown id"},
		{"update-too-big", func() error {
			_, err := c.UpdateConnectionFunction(ctx, &cloudfront.UpdateConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(etag), ConnectionFunctionCode: []byte(strings.Repeat("x", 10241)), ConnectionFunctionConfig: config("c", js2)})
			return err
		}, "EntitySizeLimitExceeded", 413, "", "quota applies to Update too"},
		{"publish-missing-if-match", func() error {
			_, err := c.PublishConnectionFunction(ctx, &cloudfront.PublishConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String("")})
			return err
		}, "InvalidIfMatchVersion", 400, "", "If-Match is required"},
		{"publish-stale", func() error {
			_, err := c.PublishConnectionFunction(ctx, &cloudfront.PublishConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String("EOTHERETAG000")})
			return err
		}, "PreconditionFailed", 412, "", "stale ETag"},
		{"test-missing-if-match", testWith(id, "", []byte(object), ""), "InvalidIfMatchVersion", 400, "", "If-Match is required"},
		{"test-malformed-if-match", testWith(id, `"quoted"`, []byte(object), ""), "InvalidIfMatchVersion", 400, "", "an If-Match that is no ETag is not valid"},
		{"test-stale", testWith(id, "ESTALEETAG000", []byte(object), ""), "PreconditionFailed", 412, "", "stale ETag"},
		{"test-unknown", testWith("cf_nope", etag, []byte(object), ""), "EntityNotFound", 404, "", "unknown id"},
		{"test-live-unpublished", testWith(id, etag, []byte(object), cftypes.FunctionStageLive), "EntityNotFound", 404, "", "LIVE before publish"},
		{"test-bad-stage", testWith(id, etag, []byte(object), "STAGING"), "MalformedXML", 400, "Value 'STAGING' at 'stage' failed to satisfy constraint: Member must satisfy enum value set: [DEVELOPMENT, LIVE]", "Stage enum"},
		{"test-not-json", testWith(id, etag, []byte("not json"), ""), "InvalidArgument", 400, "The connection object is not valid JSON: ", "ObjectValidation json"},
		{"test-json-array", testWith(id, etag, []byte("[1]"), ""), "InvalidArgument", 400, "want an object", "a JSON array is not a connection object"},
		{"test-empty-object", testWith(id, etag, []byte{}, ""), "InvalidArgument", 400, "not valid JSON", "the model allows 0 bytes, JSON does not"},
		{"test-object-too-big", testWith(id, etag, []byte(`{"a":"`+strings.Repeat("x", 40960)+`"}`), ""), "MalformedXML", 400, "Member must have length less than or equal to 40960", "model limit on the object"},
		{"delete-unknown", func() error {
			_, err := c.DeleteConnectionFunction(ctx, &cloudfront.DeleteConnectionFunctionInput{Id: aws.String("cf_nope"), IfMatch: aws.String(etag)})
			return err
		}, "EntityNotFound", 404, "", "unknown id"},
		{"delete-missing-if-match", func() error {
			_, err := c.DeleteConnectionFunction(ctx, &cloudfront.DeleteConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String("")})
			return err
		}, "InvalidIfMatchVersion", 400, "", "If-Match is required"},
		{"describe-unknown", func() error {
			_, err := c.DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: aws.String("nope")})
			return err
		}, "EntityNotFound", 404, "", "unknown identifier"},
		{"describe-bad-stage", func() error {
			_, err := c.DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: aws.String(id), Stage: "live"})
			return err
		}, "MalformedXML", 400, "enum value set", "Stage is case-sensitive"},
		{"describe-long-id", func() error {
			_, err := c.DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: aws.String(strings.Repeat("i", 65))})
			return err
		}, "MalformedXML", 400, "at 'identifier' failed to satisfy constraint: Member must have length less than or equal to 64", "ResourceId 1-64"},
		{"list-max-items-0", func() error {
			_, err := c.ListConnectionFunctions(ctx, &cloudfront.ListConnectionFunctionsInput{MaxItems: aws.Int32(0)})
			return err
		}, "InvalidArgument", 400, "MaxItems", "MaxItems bounds 1-100"},
		{"list-distributions-unknown", func() error {
			_, err := c.ListDistributionsByConnectionFunction(ctx, &cloudfront.ListDistributionsByConnectionFunctionInput{ConnectionFunctionIdentifier: aws.String("nope")})
			return err
		}, "EntityNotFound", 404, "", "unknown function"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if apiCode(err) != tc.wantCode || httpStatus(err) != tc.wantStatus {
				t.Fatalf("%s: got %v (status %d); want %s %d", tc.reason, err, httpStatus(err), tc.wantCode, tc.wantStatus)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("%s: message %q does not contain %q", tc.reason, err.Error(), tc.wantMsg)
			}
		})
	}

	t.Run("limit", func(t *testing.T) {
		create(t, c, "second", allowCode)
		create(t, c, "third", allowCode)
		err := createWith("fourth", allowCode, config("c", js2))()
		if apiCode(err) != "EntityLimitExceeded" || httpStatus(err) != 400 {
			t.Errorf("MaxFunctions 3: fourth create got %v; want EntityLimitExceeded 400", err)
		}
	})

	t.Run("typed", func(t *testing.T) {
		err := testWith("cf_nope", etag, []byte(object), "")()
		var nf *cftypes.EntityNotFound
		if !errorsAs(err, &nf) {
			t.Errorf("EntityNotFound surfaced as %T, want *types.EntityNotFound", err)
		}
		err = testWith(id, "ESTALEETAG000", []byte(object), "")()
		var pf *cftypes.PreconditionFailed
		if !errorsAs(err, &pf) {
			t.Errorf("PreconditionFailed surfaced as %T, want *types.PreconditionFailed", err)
		}
	})
}
