package runtime

import (
	_ "embed"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

var (
	//go:embed js/buffer.js
	bufferSrc string
	//go:embed js/text.js
	textSrc string
	//go:embed js/querystring.js
	querystringSrc string

	bufferProgram      = goja.MustCompile("cloudfront:buffer", bufferSrc, true)
	textProgram        = goja.MustCompile("cloudfront:text", textSrc, true)
	querystringProgram = goja.MustCompile("cloudfront:querystring", querystringSrc, true)
)

// modules caches the host modules built in one run.
type modules struct {
	buffer, text, querystring, crypto, cloudfront goja.Value
	// format is console.log's renderer of objects (js/format.js).
	format goja.Callable
}

// installModules defines the host globals. Each module is built on first
// use, so a function that uses none of them pays nothing.
//
// Like the lockdown, this only defines the globals the source mentions: a
// function cannot name a global it does not mention (short of building the
// name at run time), and every definition costs time on every run.
func (r *run) installModules(g *goja.Object, m mentions) {
	// A fixed order (not a map's), so that the global object lists its
	// properties the same way in every run; and no per-run tables.
	for _, name := range hostGlobals {
		if !m[name] {
			continue
		}
		switch name {
		case reservedImportVar:
			r.lazyGlobal(g, name, r.cloudfrontModule)
		case "Buffer":
			r.lazyGlobal(g, name, r.bufferModule)
		case "TextEncoder", "TextDecoder":
			r.lazyGlobal(g, name, func() goja.Value { return r.textModule().ToObject(r.vm).Get(name) })
		case "atob":
			r.hide(g, name, r.atob)
		case "btoa":
			r.hide(g, name, r.btoa)
		case "require":
			r.hide(g, name, r.require)
		}
	}
}

// hostGlobals are the globals installModules defines when mentioned.
var hostGlobals = []string{reservedImportVar, "Buffer", "TextEncoder", "TextDecoder", "atob", "btoa", "require"}

// lazyGlobal defines name on g as an accessor that builds the value on
// first read and then replaces itself with a plain data property.
func (r *run) lazyGlobal(g *goja.Object, name string, build func() goja.Value) {
	get := r.vm.ToValue(func(goja.FunctionCall) goja.Value {
		v := build()
		r.hide(g, name, v)
		return v
	})
	set := r.vm.ToValue(func(call goja.FunctionCall) goja.Value {
		r.hide(g, name, call.Argument(0))
		return goja.Undefined()
	})
	_ = g.DefineAccessorProperty(name, get, set, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// require returns the modules cloudfront-js-2.0 provides by name.
func (r *run) require(call goja.FunctionCall) goja.Value {
	name := call.Argument(0).String()
	switch strings.TrimPrefix(name, "node:") {
	case "crypto":
		return r.cryptoModule()
	case "querystring":
		return r.querystringModule()
	case "buffer":
		o := r.vm.NewObject()
		_ = o.Set("Buffer", r.bufferModule())
		return o
	case "cloudfront":
		return r.cloudfrontModule()
	}
	panic(r.newError("Error", (&moduleError{name}).Error()))
}

// moduleError is require() of a module cloudfront-js-2.0 does not have.
type moduleError struct{ name string }

func (e *moduleError) Error() string {
	return "Cannot find module '" + truncateUTF8(e.name, 64) + "': cloudfront-js-2.0 provides only 'crypto', 'querystring' and 'buffer' (and `import cf from 'cloudfront'`)"
}

// callFactory runs a module program, which evaluates to a factory
// function, and calls the factory with args.
func (r *run) callFactory(p *goja.Program, args ...goja.Value) goja.Value {
	fv, err := r.vm.RunProgram(p)
	if err != nil {
		panic(err)
	}
	fn, _ := goja.AssertFunction(fv)
	v, err := fn(goja.Undefined(), args...)
	if err != nil {
		panic(err)
	}
	return v
}

// encodingNatives are the Go helpers behind Buffer and TextEncoder.
func (r *run) encodingNatives() *goja.Object {
	n := r.vm.NewObject()
	_ = n.Set("isEncoding", func(enc string) bool { return encodings[enc] })
	_ = n.Set("encode", func(s, enc string) goja.ArrayBuffer {
		if len(s) > r.opts.MaxMemoryBytes {
			r.memoryExceeded(len(s))
		}
		return r.vm.NewArrayBuffer(encodeString(s, enc))
	})
	_ = n.Set("decode", func(v goja.Value, enc string) string {
		return decodeBytes(r.bytesOf(v), enc)
	})
	_ = n.Set("decodeUTF8", func(v goja.Value, fatal, ignoreBOM bool) string {
		b := r.bytesOf(v)
		if !ignoreBOM && len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
			b = b[3:]
		}
		if fatal && !utf8.Valid(b) {
			panic(r.vm.NewTypeError("TextDecoder: the encoded data was not valid utf-8"))
		}
		return decodeUTF8(b)
	})
	_ = n.Set("unescapeBytes", func(s string) string {
		return decodeUTF8(unescapeBytes(s))
	})
	return n
}

// bytesOf returns the bytes viewed by a typed array, DataView or
// ArrayBuffer (shared, not copied).
func (r *run) bytesOf(v goja.Value) []byte {
	if ab, ok := v.Export().(goja.ArrayBuffer); ok {
		return ab.Bytes()
	}
	var b []byte
	if err := r.vm.ExportTo(v, &b); err != nil {
		panic(r.vm.NewTypeError("expected a Buffer, TypedArray, DataView or ArrayBuffer"))
	}
	return b
}

// uint8Array is Uint8Array as it was before the user's code ran, when the
// source mentions a module that needs it, or the current global otherwise.
func (r *run) uint8Array() goja.Value {
	if r.u8 == nil {
		r.u8 = r.vm.GlobalObject().Get("Uint8Array")
	}
	return r.u8
}

func (r *run) bufferModule() goja.Value {
	if r.mods.buffer == nil {
		g := &guards{maxBytes: r.opts.MaxMemoryBytes, exceeded: r.memoryLimit}
		cfg := r.vm.NewObject()
		_ = cfg.Set("reverseCompare", r.opts.BufferCompare == BufferComparePage)
		_ = cfg.Set("copySubarray", r.opts.BufferSubarray == BufferSubarrayCopy)
		r.mods.buffer = r.callFactory(bufferProgram, r.encodingNatives(), r.uint8Array(), g.object(r.vm), cfg)
	}
	return r.mods.buffer
}

// newBuffer returns a Buffer holding a copy of b.
func (r *run) newBuffer(b []byte) goja.Value {
	fn, _ := goja.AssertFunction(r.bufferModule().ToObject(r.vm).Get("from"))
	v, err := fn(goja.Undefined(), r.vm.ToValue(r.vm.NewArrayBuffer(append([]byte(nil), b...))))
	if err != nil {
		panic(err)
	}
	return v
}

func (r *run) textModule() goja.Value {
	if r.mods.text == nil {
		r.mods.text = r.callFactory(textProgram, r.encodingNatives(), r.uint8Array())
	}
	return r.mods.text
}

func (r *run) querystringModule() goja.Value {
	if r.mods.querystring == nil {
		r.mods.querystring = r.callFactory(querystringProgram, r.encodingNatives())
	}
	return r.mods.querystring
}

// atob decodes base64 to a string of Latin-1 code units with the WHATWG
// forgiving-base64 decode (Node's atob): ASCII whitespace is removed, up to
// two "=" are dropped when the length is a multiple of 4, and then a
// length of 4n+1 or any character outside A-Z a-z 0-9 + / is an
// InvalidCharacterError.
func (r *run) atob(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) == 0 {
		panic(r.vm.NewTypeError("atob() requires 1 argument"))
	}
	s := strings.Map(func(c rune) rune {
		if c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' {
			return -1
		}
		return c
	}, call.Arguments[0].String())
	if len(s)%4 == 0 {
		if strings.HasSuffix(s, "==") {
			s = s[:len(s)-2]
		} else if strings.HasSuffix(s, "=") {
			s = s[:len(s)-1]
		}
	}
	if len(s)%4 == 1 {
		panic(r.invalidCharacter("atob(): the string to be decoded is not correctly encoded"))
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
			panic(r.invalidCharacter("atob(): the string to be decoded is not correctly encoded"))
		}
	}
	return r.vm.ToValue(fromLatin1(decodeBase64Lenient(s)))
}

// btoa encodes a string of Latin-1 code units as base64.
func (r *run) btoa(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) == 0 {
		panic(r.vm.NewTypeError("btoa() requires 1 argument"))
	}
	b, ok := latin1(call.Arguments[0].String())
	if !ok {
		panic(r.invalidCharacter("btoa(): the string to be encoded contains characters outside of the Latin1 range"))
	}
	return r.vm.ToValue(decodeBytes(b, "base64"))
}

// invalidCharacter is the DOMException-like error of atob and btoa.
func (r *run) invalidCharacter(msg string) *goja.Object {
	e := r.newError("Error", msg)
	r.hide(e, "name", "InvalidCharacterError")
	return e
}
