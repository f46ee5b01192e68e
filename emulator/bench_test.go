package emulator_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
)

// BenchmarkSDKTestConnectionFunction measures one TestConnectionFunction
// round trip through the AWS SDK for Go v2 over loopback, running the
// function in process. It reports the median as median-ns/op.
func BenchmarkSDKTestConnectionFunction(b *testing.B) {
	srv := emulatortest.NewServer(b, emulator.Options{Seed: 11})
	c := newClient(srv.URL())
	id, etag := create(b, c, "bench", allowCode)
	in := &cloudfront.TestConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(etag), ConnectionObject: []byte(object)}
	ctx := context.Background()
	samples := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if _, err := c.TestConnectionFunction(ctx, in); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	b.ReportMetric(float64(samples[len(samples)/2].Nanoseconds()), "median-ns/op")
}

// BenchmarkServeTest measures the server side of TestConnectionFunction
// alone (no network, no SDK), with an executor that does nothing.
func BenchmarkServeTest(b *testing.B) {
	s, err := emulator.New(emulator.Options{Executor: &fakeExecutor{discard: true}, Seed: 12})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	info, err := s.CreateFunction("bench", []byte(allowCode), emulator.FunctionConfig{})
	if err != nil {
		b.Fatal(err)
	}
	body := testBody(b64(object))
	path := "/2020-05-31/connection-function/" + info.ID + "/test"
	hdr := map[string]string{"If-Match": info.ETag}
	b.ReportAllocs()
	for range b.N {
		if rec := do(s, "POST", path, hdr, body); rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
