package emulator_test

import (
	"context"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/cffuzz/cffuzz/emulator"
)

// Example points the AWS SDK for Go v2 at an emulator on a loopback port
// with BaseEndpoint, creates a connection function and tests it.
func Example() {
	srv, err := emulator.Start(emulator.Options{}, "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	client := cloudfront.New(cloudfront.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint:     aws.String(srv.URL()),
		RetryMaxAttempts: 1,
	})
	ctx := context.Background()
	created, err := client.CreateConnectionFunction(ctx, &cloudfront.CreateConnectionFunctionInput{
		Name: aws.String("allow-known-ip"),
		ConnectionFunctionCode: []byte(`function connectionHandler(connection) {
  if (connection.clientIp === "203.0.113.42") { connection.allow(); } else { connection.deny(); }
}`),
		ConnectionFunctionConfig: &cftypes.FunctionConfig{Comment: aws.String("example"), Runtime: cftypes.FunctionRuntimeCloudfrontJs20},
	})
	if err != nil {
		log.Fatal(err)
	}
	tested, err := client.TestConnectionFunction(ctx, &cloudfront.TestConnectionFunctionInput{
		Id:               created.ConnectionFunctionSummary.Id,
		IfMatch:          created.ETag,
		ConnectionObject: []byte(`{"clientIp":"203.0.113.42"}`),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*tested.ConnectionFunctionTestResult.ConnectionFunctionOutput)
	// Output: {"decision":"allow","calls":["allow"],"customData":""}
}

// ExampleRunning_CreateFunction preloads a function through the Go API
// (in a test, start the server with emulatortest.NewServer).
func ExampleRunning_CreateFunction() {
	srv, err := emulator.Start(emulator.Options{Seed: 1}, "")
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	info, err := srv.CreateFunction("preloaded", []byte(`function connectionHandler(c) { c.deny(); }`), emulator.FunctionConfig{Comment: "from Go"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Name, info.Status, len(info.ID), len(info.ETag))
	// Output: preloaded UNPUBLISHED 30 13
}
