package target

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Deployment is a connection function to create or update.
type Deployment struct {
	// Name is the function's name; a function of that name is updated.
	Name string
	// Code is the function's source.
	Code []byte
	// Comment describes the function (default "deployed by cffuzz").
	Comment string
	// Runtime defaults to cloudfront-js-2.0.
	Runtime string
	// KeyValueStoreARN, when set, associates that key-value store.
	KeyValueStoreARN string
	// Publish publishes the function after the update; test the LIVE stage then.
	Publish bool
	// Calls bounds each API call with a timeout and retries throttles and
	// transient failures with backoff (zero value: CallPolicy's defaults).
	Calls CallPolicy
}

// Deploy creates the function d describes, or updates it when a function of
// that name exists, optionally publishes it, and returns its Id and the
// ETag to test it with: the DEVELOPMENT stage's, or the LIVE stage's when
// published.
func Deploy(ctx context.Context, client *cloudfront.Client, d Deployment) (id, etag string, err error) {
	if d.Name == "" || len(d.Code) == 0 {
		return "", "", errors.New("target: deploy needs a function name and code")
	}
	cfg := &types.FunctionConfig{Comment: aws.String(d.Comment), Runtime: types.FunctionRuntime(d.Runtime)}
	if d.Comment == "" {
		cfg.Comment = aws.String("deployed by cffuzz")
	}
	if d.Runtime == "" {
		cfg.Runtime = types.FunctionRuntimeCloudfrontJs20
	}
	if d.KeyValueStoreARN != "" {
		cfg.KeyValueStoreAssociations = &types.KeyValueStoreAssociations{
			Quantity: aws.Int32(1),
			Items:    []types.KeyValueStoreAssociation{{KeyValueStoreARN: aws.String(d.KeyValueStoreARN)}},
		}
	}
	p := d.Calls
	id, err = findByName(ctx, client, d.Name, p)
	if err != nil {
		return "", "", err
	}
	if id == "" {
		var out *cloudfront.CreateConnectionFunctionOutput
		err := p.call(ctx, "create", false, func(ctx context.Context) (err error) {
			out, err = client.CreateConnectionFunction(ctx, &cloudfront.CreateConnectionFunctionInput{
				Name: aws.String(d.Name), ConnectionFunctionCode: d.Code, ConnectionFunctionConfig: cfg,
			})
			return err
		})
		if err != nil {
			return "", "", fmt.Errorf("target: create connection function %q: %w", d.Name, err)
		}
		if out.ConnectionFunctionSummary == nil || out.ConnectionFunctionSummary.Id == nil {
			return "", "", fmt.Errorf("target: create connection function %q: %w", d.Name, notCloudFront(out.ResultMetadata))
		}
		id, etag = *out.ConnectionFunctionSummary.Id, aws.ToString(out.ETag)
	} else {
		if etag, err = describeETag(ctx, client, id, types.FunctionStageDevelopment, p); err != nil {
			return "", "", err
		}
		var out *cloudfront.UpdateConnectionFunctionOutput
		// An update with the same If-Match is applied at most once: a
		// repeat after a lost answer fails with PreconditionFailed.
		err := p.call(ctx, "update", false, func(ctx context.Context) (err error) {
			out, err = client.UpdateConnectionFunction(ctx, &cloudfront.UpdateConnectionFunctionInput{
				Id: aws.String(id), IfMatch: aws.String(etag), ConnectionFunctionCode: d.Code, ConnectionFunctionConfig: cfg,
			})
			return err
		})
		if err != nil {
			return "", "", fmt.Errorf("target: update connection function %s (%q): %w", id, d.Name, err)
		}
		etag = aws.ToString(out.ETag)
	}
	if !d.Publish {
		return id, etag, nil
	}
	if err := p.call(ctx, "publish", false, func(ctx context.Context) error {
		_, err := client.PublishConnectionFunction(ctx, &cloudfront.PublishConnectionFunctionInput{
			Id: aws.String(id), IfMatch: aws.String(etag),
		})
		return err
	}); err != nil {
		return "", "", fmt.Errorf("target: publish connection function %s: %w", id, err)
	}
	etag, err = describeETag(ctx, client, id, types.FunctionStageLive, p)
	return id, etag, err
}

// findByName returns the Id of the function named name, or "".
func findByName(ctx context.Context, client *cloudfront.Client, name string, p CallPolicy) (string, error) {
	in := &cloudfront.ListConnectionFunctionsInput{}
	for range 1000 { // a bound against a marker that never ends
		var out *cloudfront.ListConnectionFunctionsOutput
		err := p.call(ctx, "list", true, func(ctx context.Context) (err error) {
			out, err = client.ListConnectionFunctions(ctx, in)
			return err
		})
		if err != nil {
			return "", fmt.Errorf("target: list connection functions: %w", err)
		}
		for _, f := range out.ConnectionFunctions {
			if aws.ToString(f.Name) == name {
				return aws.ToString(f.Id), nil
			}
		}
		if aws.ToString(out.NextMarker) == "" {
			return "", nil
		}
		in.Marker = out.NextMarker
	}
	return "", errors.New("target: list connection functions: too many pages")
}

func describeETag(ctx context.Context, client *cloudfront.Client, id string, stage types.FunctionStage, p CallPolicy) (string, error) {
	var out *cloudfront.DescribeConnectionFunctionOutput
	err := p.call(ctx, "describe", true, func(ctx context.Context) (err error) {
		out, err = client.DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: aws.String(id), Stage: stage})
		return err
	})
	if err != nil {
		return "", fmt.Errorf("target: describe connection function %s (stage %s): %w", id, stage, err)
	}
	if aws.ToString(out.ETag) == "" {
		return "", fmt.Errorf("target: describe connection function %s (stage %s): no ETag in the answer: %w", id, stage, notCloudFront(out.ResultMetadata))
	}
	return *out.ETag, nil
}

// notCloudFront explains a successful answer that carries none of what the
// CloudFront API returns: the server at the endpoint is something else (a
// web server, another service, a proxy's page).
func notCloudFront(md middleware.Metadata) error {
	detail := ""
	if raw, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response); ok && raw != nil && raw.Response != nil {
		detail = fmt.Sprintf(" (HTTP %d, Content-Type %q)", raw.StatusCode, raw.Header.Get("Content-Type"))
	}
	return fmt.Errorf("the server's answer%s is not a CloudFront API answer: check that --target names a CloudFront API endpoint (such as fuzz emulate's), not another service", detail)
}

// FunctionCode fetches the code of function id at stage ("DEVELOPMENT" when
// empty) with GetConnectionFunction, for a campaign that tests a function
// by id and builds its dictionary from the code.
func FunctionCode(ctx context.Context, client *cloudfront.Client, id, stage string, p CallPolicy) ([]byte, error) {
	st, err := normalizeStage(stage)
	if err != nil {
		return nil, err
	}
	var out *cloudfront.GetConnectionFunctionOutput
	err = p.call(ctx, "get", true, func(ctx context.Context) (err error) {
		out, err = client.GetConnectionFunction(ctx, &cloudfront.GetConnectionFunctionInput{Identifier: aws.String(id), Stage: types.FunctionStage(st)})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("target: get connection function %s (stage %s): %w", id, st, err)
	}
	return out.ConnectionFunctionCode, nil
}
