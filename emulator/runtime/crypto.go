package runtime

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"hash"
	"strings"

	"github.com/dop251/goja"
)

// hashes are the algorithms require('crypto') offers in cloudfront-js-2.0.
var hashes = map[string]func() hash.Hash{"md5": md5.New, "sha1": sha1.New, "sha256": sha256.New}

// cryptoModule is require('crypto'): createHash and createHmac.
func (r *run) cryptoModule() goja.Value {
	if r.mods.crypto != nil {
		return r.mods.crypto
	}
	m := r.vm.NewObject()
	r.hide(m, "createHash", func(call goja.FunctionCall) goja.Value {
		newHash := r.hashAlgorithm(call.Argument(0), "createHash")
		return r.hashObject(newHash(), "Hash")
	})
	r.hide(m, "createHmac", func(call goja.FunctionCall) goja.Value {
		newHash := r.hashAlgorithm(call.Argument(0), "createHmac")
		key := r.dataBytes(call.Argument(1), "utf8", "createHmac(): key")
		return r.hashObject(hmac.New(newHash, key), "Hmac")
	})
	r.mods.crypto = m
	return m
}

func (r *run) hashAlgorithm(v goja.Value, fn string) func() hash.Hash {
	alg := strings.ToLower(v.String())
	h, ok := hashes[alg]
	if !ok {
		panic(r.vm.NewTypeError("crypto.%s(): unsupported algorithm %q; cloudfront-js-2.0 supports md5, sha1 and sha256", fn, truncateUTF8(v.String(), 32)))
	}
	return h
}

// hashObject wraps h as a Node-like Hash/Hmac with update and digest.
func (r *run) hashObject(h hash.Hash, kind string) *goja.Object {
	o := r.vm.NewObject()
	done := false
	r.hide(o, "update", func(call goja.FunctionCall) goja.Value {
		if done {
			panic(r.newError("Error", (&digestError{kind}).Error()))
		}
		enc := "utf8"
		if e := call.Argument(1); !goja.IsUndefined(e) {
			enc = strings.ToLower(e.String())
		}
		h.Write(r.dataBytes(call.Argument(0), enc, kind+".update()"))
		return o
	})
	r.hide(o, "digest", func(call goja.FunctionCall) goja.Value {
		if done {
			panic(r.newError("Error", (&digestError{kind}).Error()))
		}
		done = true
		sum := h.Sum(nil)
		enc := call.Argument(0)
		if goja.IsUndefined(enc) || goja.IsNull(enc) {
			return r.newBuffer(sum)
		}
		switch e := strings.ToLower(enc.String()); e {
		case "hex", "base64", "base64url":
			return r.vm.ToValue(decodeBytes(sum, e))
		default:
			panic(r.vm.NewTypeError("%s.digest(): unsupported encoding %q; use hex, base64, base64url or none for a Buffer", kind, truncateUTF8(e, 32)))
		}
	})
	return o
}

// dataBytes converts a string (in enc) or a Buffer/TypedArray/ArrayBuffer
// to bytes.
func (r *run) dataBytes(v goja.Value, enc, what string) []byte {
	if s, ok := v.Export().(string); ok {
		if !encodings[enc] {
			panic(r.vm.NewTypeError("%s: unknown encoding %q", what, truncateUTF8(enc, 32)))
		}
		return encodeString(s, enc)
	}
	if o, ok := v.(*goja.Object); ok {
		switch e := o.Export().(type) {
		case []byte:
			return e
		case goja.ArrayBuffer:
			return e.Bytes()
		case []any, map[string]any, string, nil:
		default:
			var b []byte // other typed arrays and DataView
			if err := r.vm.ExportTo(o, &b); err == nil {
				return b
			}
		}
	}
	panic(r.vm.NewTypeError("%s: the data must be a string, Buffer, TypedArray, DataView or ArrayBuffer", what))
}

// digestError is update() or digest() after digest().
type digestError struct{ kind string }

func (e *digestError) Error() string { return e.kind + " digest already called" }
