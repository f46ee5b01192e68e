package target_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/target"
)

// BenchmarkTransports measures one case of a small function through each
// transport of the embedded emulator (in-process executor): the Go API
// (direct) and the AWS SDK over loopback HTTP (sdk), which is also what
// --target URL costs on the client side.
func BenchmarkTransports(b *testing.B) {
	for _, transport := range []string{target.TransportDirect, target.TransportSDK} {
		b.Run(transport, func(b *testing.B) {
			ex := runtime.NewInProcess(runtime.Options{})
			defer ex.Close()
			e, err := target.NewEmbedded(context.Background(), target.EmbeddedOptions{
				Code: []byte(echoCode), Transport: transport, Emulator: emulator.Options{Seed: 1, Executor: ex},
			})
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			c := &cffuzz.Case{Object: []byte(`{"clientIp":"203.0.113.7","mode":"allow"}`)}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if o, err := e.Test(context.Background(), c); err != nil || !o.OK() {
						b.Errorf("%+v %v", o, err)
						return
					}
				}
			})
		})
	}
}

// emulatorAnswer is what `fuzz emulate` answers for testdata/perf/small.js:
// a test result with one log line, the emulator's JSON output and the
// function's summary.
const emulatorAnswer = `<?xml version="1.0" encoding="UTF-8"?>
<ConnectionFunctionTestResult xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><ComputeUtilization>1</ComputeUtilization><ConnectionFunctionErrorMessage></ConnectionFunctionErrorMessage><ConnectionFunctionExecutionLogs><member>connection from 203.0.113.7</member></ConnectionFunctionExecutionLogs><ConnectionFunctionOutput>{&#34;decision&#34;:&#34;allow&#34;,&#34;calls&#34;:[&#34;allow&#34;],&#34;customData&#34;:&#34;&#34;}</ConnectionFunctionOutput><ConnectionFunctionSummary><ConnectionFunctionArn>arn:aws:cloudfront::123456789012:connection-function/cf_bflGLNrGBQPu7cx1MKZ8gfV8YnV</ConnectionFunctionArn><ConnectionFunctionConfig><Comment>preloaded by fuzz emulate</Comment><Runtime>cloudfront-js-2.0</Runtime></ConnectionFunctionConfig><CreatedTime>2026-11-28T19:55:53.848Z</CreatedTime><Id>cf_bflGLNrGBQPu7cx1MKZ8gfV8YnV</Id><LastModifiedTime>2026-11-28T19:55:53.848Z</LastModifiedTime><Name>small</Name><Stage>DEVELOPMENT</Stage><Status>UNPUBLISHED</Status></ConnectionFunctionSummary></ConnectionFunctionTestResult>`

// BenchmarkSDKClient measures the client side of --target URL alone: the
// SDK target against a loopback server that answers every request with a
// fixed test result at once, so that most of the CPU is the client's (SDK
// middleware, SigV4, XML, net/http), with the fast deserializer (fast) and
// with the SDK's own (sdk), and signed as to AWS, two cases in flight per CPU; floor=net-http
// is the same HTTP exchange through net/http alone. cpu-µs/op is the
// process's CPU time per case (client and the trivial server), which
// depends much less on the machine's load than ns/op.
func BenchmarkSDKClient(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml")
		_, _ = io.WriteString(w, emulatorAnswer)
	}))
	defer srv.Close()
	// The floor: the same exchange with net/http alone (a fixed body, no
	// SDK, no signature, no decoding).
	b.Run("floor=net-http", func(b *testing.B) {
		client := target.NewHTTPClient(4)
		body := []byte(`<?xml version="1.0" encoding="UTF-8"?><TestConnectionFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><ConnectionObject>eyJjbGllbnRJcCI6IjIwMy4wLjExMy43IiwiZW5kcG9pbnQiOiJkMTExMTExYWJjZGVmOC5jbG91ZGZyb250Lm5ldCIsImRpc3RyaWJ1dGlvbklkIjoiRTEyMzQ1Njc4OTBBQkMiLCJjb25uZWN0aW9uSWQiOiJjMGZmZWUifQ==</ConnectionObject><Stage>DEVELOPMENT</Stage></TestConnectionFunctionRequest>`)
		b.ReportAllocs()
		b.SetParallelism(2)
		cpu := processCPU()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/2020-05-31/connection-function/cf_bench/test", bytes.NewReader(body))
				req.Header.Set("If-Match", "ETAG")
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
		reportCPU(b, cpu)
	})
	for _, variant := range []struct {
		name string
		opts target.SDKOptions
	}{
		{"deserializer=fast", target.SDKOptions{}},
		{"deserializer=sdk", target.SDKOptions{SDKDeserializer: true}},
		// What SigV4 costs: the same requests signed, as to AWS (an
		// endpoint without credentials gets them unsigned).
		{"deserializer=fast/signed", target.SDKOptions{Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}},
	} {
		b.Run(variant.name, func(b *testing.B) {
			opts := variant.opts
			opts.Endpoint, opts.FunctionID, opts.ETag, opts.MaxConns = srv.URL, "cf_bench", "ETAG", 4
			s, err := target.NewSDK(context.Background(), opts)
			if err != nil {
				b.Fatal(err)
			}
			c := &cffuzz.Case{Object: []byte(`{"clientIp":"203.0.113.7","endpoint":"d111111abcdef8.cloudfront.net","distributionId":"E1234567890ABC","connectionId":"c0ffee"}`)}
			b.ReportAllocs()
			b.SetParallelism(2)
			cpu := processCPU()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if o, err := s.Test(context.Background(), c); err != nil || !o.OK() || o.Decision != cffuzz.DecisionAllow {
						b.Errorf("%+v %v", o, err)
						return
					}
				}
			})
			reportCPU(b, cpu)
		})
	}
}

// reportCPU reports the process's CPU time per operation since start (a
// processCPU reading), when the system gives it.
func reportCPU(b *testing.B, start time.Duration) {
	if used := processCPU() - start; used > 0 && start > 0 {
		b.ReportMetric(float64(used.Microseconds())/float64(b.N), "cpu-µs/op")
	}
}
