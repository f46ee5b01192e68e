package target

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
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
	id, err = findByName(ctx, client, d.Name)
	if err != nil {
		return "", "", err
	}
	if id == "" {
		out, err := client.CreateConnectionFunction(ctx, &cloudfront.CreateConnectionFunctionInput{
			Name: aws.String(d.Name), ConnectionFunctionCode: d.Code, ConnectionFunctionConfig: cfg,
		})
		if err != nil {
			return "", "", fmt.Errorf("target: create connection function %q: %w", d.Name, err)
		}
		if out.ConnectionFunctionSummary == nil || out.ConnectionFunctionSummary.Id == nil {
			return "", "", fmt.Errorf("target: create connection function %q: the answer has no Id", d.Name)
		}
		id, etag = *out.ConnectionFunctionSummary.Id, aws.ToString(out.ETag)
	} else {
		if etag, err = describeETag(ctx, client, id, types.FunctionStageDevelopment); err != nil {
			return "", "", err
		}
		out, err := client.UpdateConnectionFunction(ctx, &cloudfront.UpdateConnectionFunctionInput{
			Id: aws.String(id), IfMatch: aws.String(etag), ConnectionFunctionCode: d.Code, ConnectionFunctionConfig: cfg,
		})
		if err != nil {
			return "", "", fmt.Errorf("target: update connection function %s (%q): %w", id, d.Name, err)
		}
		etag = aws.ToString(out.ETag)
	}
	if !d.Publish {
		return id, etag, nil
	}
	if _, err := client.PublishConnectionFunction(ctx, &cloudfront.PublishConnectionFunctionInput{
		Id: aws.String(id), IfMatch: aws.String(etag),
	}); err != nil {
		return "", "", fmt.Errorf("target: publish connection function %s: %w", id, err)
	}
	etag, err = describeETag(ctx, client, id, types.FunctionStageLive)
	return id, etag, err
}

// findByName returns the Id of the function named name, or "".
func findByName(ctx context.Context, client *cloudfront.Client, name string) (string, error) {
	in := &cloudfront.ListConnectionFunctionsInput{}
	for range 1000 { // a bound against a marker that never ends
		out, err := client.ListConnectionFunctions(ctx, in)
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

func describeETag(ctx context.Context, client *cloudfront.Client, id string, stage types.FunctionStage) (string, error) {
	out, err := client.DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: aws.String(id), Stage: stage})
	if err != nil {
		return "", fmt.Errorf("target: describe connection function %s (stage %s): %w", id, stage, err)
	}
	if aws.ToString(out.ETag) == "" {
		return "", fmt.Errorf("target: describe connection function %s (stage %s): no ETag in the answer", id, stage)
	}
	return *out.ETag, nil
}
