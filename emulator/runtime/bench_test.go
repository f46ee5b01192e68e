package runtime_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// typical is a typical connection function: a few field checks, a log
// line, allow.
const typical = `function connectionHandler(connection) {
  var cert = connection.clientCertificate;
  if (!cert || !cert.certificates || !cert.certificates.leaf) {
    return connection.deny();
  }
  var leaf = cert.certificates.leaf;
  if (leaf.issuer.indexOf("CN=mTLS-CA") === -1) {
    return connection.deny();
  }
  console.log("allow " + connection.clientIp + " " + leaf.serialNumber);
  return connection.allow();
}`

func benchObject(b *testing.B) []byte {
	obj, err := os.ReadFile(seedsDir + "/doc-event-example.json")
	if err != nil {
		b.Skipf("seed corpus not found: %v", err)
	}
	return obj
}

func benchmarkExecutor(b *testing.B, ex runtime.Executor) {
	req := runtime.Request{Code: []byte(typical), Object: benchObject(b), Seed: 1}
	ctx := context.Background()
	if res, err := ex.Execute(ctx, req); err != nil || res.Decision != "allow" {
		b.Fatalf("warm-up: %+v %v", res, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := ex.Execute(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExecuteTypical(b *testing.B) {
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	benchmarkExecutor(b, ex)
}

func BenchmarkExecuteTypicalParallel(b *testing.B) {
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	req := runtime.Request{Code: []byte(typical), Object: benchObject(b), Seed: 1}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := ex.Execute(context.Background(), req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkProcessPool(b *testing.B) {
	ex, err := runtime.NewProcessPool(runtime.ProcessOptions{Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer ex.Close()
	benchmarkExecutor(b, ex)
}

func BenchmarkCheck(b *testing.B) {
	code := []byte(typical)
	for b.Loop() {
		if err := runtime.Check(code); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProcessPoolKVS is BenchmarkProcessPool with a 1,000-key store
// associated, as a campaign against a KVS-backed function sends it.
func BenchmarkProcessPoolKVS(b *testing.B) {
	ex, err := runtime.NewProcessPool(runtime.ProcessOptions{Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer ex.Close()
	data := make(map[string]string, 1000)
	for i := range 1000 {
		data[fmt.Sprintf("key-%04d", i)] = strings.Repeat("v", 40)
	}
	req := runtime.Request{Code: []byte(typical), Object: benchObject(b), Seed: 1, KVS: runtime.NewKVS(data)}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if res, err := ex.Execute(ctx, req); err != nil || res.Decision != "allow" {
			b.Fatalf("%+v %v", res, err)
		}
	}
}
