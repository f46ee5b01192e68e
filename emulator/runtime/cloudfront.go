package runtime

import (
	"github.com/dop251/goja"
)

// cloudfrontModule builds what `import cf from 'cloudfront'` binds: an
// object whose kvs() returns the associated KeyValueStore's handle.
func (r *run) cloudfrontModule() goja.Value {
	cf := r.vm.NewObject()
	r.hide(cf, "kvs", func(goja.FunctionCall) goja.Value {
		if r.req.KVS == nil {
			panic(r.vm.NewTypeError("cf.kvs(): no KeyValueStore is associated with this function; associate one (KeyValueStoreAssociations) or give the emulator a KVS file"))
		}
		return r.kvsHandle()
	})
	return cf
}

// kvsHandle is the object cf.kvs() returns: get, exists and meta, each
// returning a promise that is already settled.
func (r *run) kvsHandle() goja.Value {
	h := r.vm.NewObject()
	kvs := r.req.KVS
	r.hide(h, "get", func(call goja.FunctionCall) goja.Value {
		p, resolve, reject := r.vm.NewPromise()
		key := call.Argument(0).String()
		format := "string"
		if o, ok := call.Argument(1).(*goja.Object); ok {
			if f := o.Get("format"); f != nil && !goja.IsUndefined(f) {
				format = f.String()
			}
		}
		v, ok := kvs.Get(key)
		switch {
		case !ok:
			_ = reject(r.newError("Error", (&kvsKeyError{key}).Error()))
		case format == "string":
			_ = resolve(v)
		case format == "json":
			if r.jsonParse == nil { // unreachable: the store is reached through a mentioned name
				r.jsonParse, _ = goja.AssertFunction(r.vm.Get("JSON").ToObject(r.vm).Get("parse"))
			}
			out, err := r.jsonParse(goja.Undefined(), r.vm.ToValue(v))
			if err != nil {
				_ = reject(exceptionValue(err))
			} else {
				_ = resolve(out)
			}
		case format == "bytes":
			_ = resolve(r.newBuffer([]byte(v)))
		default:
			_ = reject(r.vm.NewTypeError(`kvs.get(): unknown format %q; use "string", "json" or "bytes"`, format))
		}
		return r.vm.ToValue(p)
	})
	r.hide(h, "exists", func(call goja.FunctionCall) goja.Value {
		p, resolve, _ := r.vm.NewPromise()
		_, ok := kvs.Get(call.Argument(0).String())
		_ = resolve(ok)
		return r.vm.ToValue(p)
	})
	r.hide(h, "meta", func(goja.FunctionCall) goja.Value {
		p, resolve, _ := r.vm.NewPromise()
		m := r.vm.NewObject()
		_ = m.Set("keyCount", kvs.Len())
		_ = m.Set("creationDateTime", kvs.created.UTC().Format(isoMillis))
		_ = m.Set("lastUpdatedDateTime", kvs.updated.UTC().Format(isoMillis))
		_ = resolve(m)
		return r.vm.ToValue(p)
	})
	return h
}

// kvsKeyError is the rejection of kvs.get() for a missing key.
type kvsKeyError struct{ key string }

func (e *kvsKeyError) Error() string {
	return "KeyValueStore key not found: " + truncateUTF8(e.key, 64)
}

// exceptionValue is the JavaScript value carried by err.
func exceptionValue(err error) any {
	if ex, ok := err.(*goja.Exception); ok {
		return ex.Value()
	}
	return err.Error()
}

// isoMillis is the ISO 8601 form of meta()'s dates in AWS's documented
// response example ("2023-11-30T23:07:55.765Z", Date.prototype.toISOString's).
const isoMillis = "2006-01-02T15:04:05.000Z"
