package target_test

import (
	"context"
	"testing"

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
