package runtime

import (
	"os"
	"testing"

	"github.com/dop251/goja"
)

const zzTypical = `function connectionHandler(connection) {
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

func BenchmarkZZ(b *testing.B) {
	p, _ := compile([]byte(zzTypical), true)
	obj, _ := os.ReadFile("/work/shared/seeds/doc-event-example.json")
	opts := Options{}.withDefaults()
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			goja.New()
		}
	})
	b.Run("host", func(b *testing.B) {
		for b.Loop() {
			r := &run{opts: opts, req: Request{Object: obj}}
			r.vm = goja.New()
			r.installHost(p.mentions)
		}
	})
	b.Run("lockdown", func(b *testing.B) {
		for b.Loop() {
			r := &run{opts: opts, req: Request{Object: obj}}
			r.vm = goja.New()
			r.installHost(p.mentions)
			r.lockdown(p.mentions)
		}
	})
	b.Run("conn", func(b *testing.B) {
		for b.Loop() {
			r := &run{opts: opts, req: Request{Object: obj}}
			r.vm = goja.New()
			r.installHost(p.mentions)
			r.lockdown(p.mentions)
			r.connection()
		}
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			execute(p, Request{Object: obj}, opts)
		}
	})
}

func BenchmarkZZParts(b *testing.B) {
	b.Run("deleteGlobals", func(b *testing.B) {
		for b.Loop() {
			vm := goja.New()
			g := vm.GlobalObject()
			for _, n := range removedGlobals {
				g.Delete(n)
			}
		}
	})
	b.Run("functionProto", func(b *testing.B) {
		for b.Loop() {
			vm := goja.New()
			vm.GlobalObject().Get("Function").ToObject(vm).Get("prototype")
		}
	})
	b.Run("arrayJoin", func(b *testing.B) {
		for b.Loop() {
			vm := goja.New()
			vm.GlobalObject().Get("Array").ToObject(vm).Get("prototype").ToObject(vm).Get("join")
		}
	})
	b.Run("jsonParse", func(b *testing.B) {
		for b.Loop() {
			vm := goja.New()
			vm.GlobalObject().Get("JSON").ToObject(vm).Get("parse")
		}
	})
	b.Run("errors", func(b *testing.B) {
		for b.Loop() {
			vm := goja.New()
			for _, n := range []string{"Error", "TypeError", "RangeError", "EvalError"} {
				vm.Get(n)
			}
		}
	})
	b.Run("nativeFunc", func(b *testing.B) {
		for b.Loop() {
			vm := goja.New()
			for i := 0; i < 10; i++ {
				vm.ToValue(func(goja.FunctionCall) goja.Value { return nil })
			}
		}
	})
}
