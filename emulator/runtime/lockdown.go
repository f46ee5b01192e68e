package runtime

import (
	_ "embed"
	"regexp"
	"strings"

	"github.com/dop251/goja"
)

// removedGlobals are globals goja has that neither AWS page covers: newer
// than ES2020 and not in the runtime 2.0 list, or goja's own. They are
// deleted from every runtime (docs/runtime.md, "Built-ins").
//
// AggregateError (ES2021) stays: it is what the documented Promise.any()
// rejects with.
var removedGlobals = []string{
	"WeakRef", "FinalizationRegistry", "GoError",
}

// disputedGlobals are ES2015–ES2020 globals the runtime 2.0 page does not
// list: only the connection-function page's ECMAScript 2020 claim covers
// them. They stay by default and are deleted under Options.StrictSyntax.
var disputedGlobals = []string{
	"Map", "Set", "WeakMap", "WeakSet", "Proxy", "Reflect", "BigInt", "BigInt64Array", "BigUint64Array",
	"SharedArrayBuffer", "Atomics",
}

// removedMethods are built-in methods newer than ES2020 that the runtime
// 2.0 page does not list, by owner ("Object" for static methods,
// "Array.prototype" for instance methods).
var removedMethods = []struct{ owner, name string }{
	{"Object", "hasOwn"}, {"Object", "groupBy"},
	{"Array.prototype", "at"},
	{"Array.prototype", "findLast"}, {"Array.prototype", "findLastIndex"},
	{"Array.prototype", "toSorted"}, {"Array.prototype", "toReversed"},
	{"Array.prototype", "toSpliced"}, {"Array.prototype", "with"},
	{"String.prototype", "at"},
	{"String.prototype", "isWellFormed"}, {"String.prototype", "toWellFormed"},
}

// disputedMethods are ES2019–ES2020 methods the runtime 2.0 page does not
// list; deleted under Options.StrictSyntax only.
var disputedMethods = []struct{ owner, name string }{
	{"Object", "fromEntries"}, {"Array.prototype", "flat"}, {"Array.prototype", "flatMap"},
	{"String.prototype", "matchAll"},
}

// Guarded built-ins: natives that can allocate without bound in one call,
// which goja can neither interrupt nor limit.
var (
	// guardedStringMethods maps a String.prototype method to the argument
	// that sizes its result.
	guardedStringMethods = []string{"repeat", "padStart", "padEnd"}
	// guardedArrayMethods iterate up to this.length (holes included) or
	// allocate that many elements. join is always guarded: toString and
	// implicit conversions call it.
	guardedArrayMethods = []string{
		"join", "fill", "map", "filter", "reverse", "sort", "indexOf", "lastIndexOf",
		"includes", "copyWithin", "concat", "slice", "splice", "reduce", "reduceRight",
		"forEach", "every", "some", "find", "findIndex", "toLocaleString",
	}
	// typedArrayNames trigger the ArrayBuffer/typed-array guards.
	// hostTypedArrayUsers name the host modules built on Uint8Array.
	hostTypedArrayUsers = []string{"Buffer", "TextEncoder", "TextDecoder", "crypto", "kvs"}
	typedArrayNames     = []string{"ArrayBuffer", "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array",
		"Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array"}
	// uint8ArrayUsers are the names that make the lockdown keep the
	// original Uint8Array for the host modules.
	uint8ArrayUsers = append(append([]string(nil), hostTypedArrayUsers...), typedArrayNames...)
)

var (
	//go:embed js/typedarrays.js
	typedArraysSrc string
	//go:embed js/ctorlockdown.js
	ctorLockdownSrc string
	//go:embed js/internalerror.js
	internalErrorSrc string

	typedArraysProgram   = goja.MustCompile("cloudfront:typedarrays", typedArraysSrc, true)
	ctorLockdownProgram  = goja.MustCompile("cloudfront:ctorlockdown", ctorLockdownSrc, true)
	internalErrorProgram = goja.MustCompile("cloudfront:internalerror", internalErrorSrc, true)

	constructibleThrowerProgram = goja.MustCompile("cloudfront:function",
		`(function (thrower) { return function Function() { return thrower(); }; })`, true)
)

// mentions records which of the names the lockdown cares about occur in a
// function's source (as identifiers, property names or inside strings).
// Removals and guards of built-in methods are installed only for
// mentioned names: a fresh runtime materializes its built-ins lazily, and
// patching all of them costs milliseconds per run. Code that builds method
// names at run time ("re" + "peat") escapes them; the process pool is the
// defence against such code.
type mentions map[string]bool

// wordRE matches identifier-like words.
var wordRE = regexp.MustCompile(`[A-Za-z_$][A-Za-z0-9_$]*`)

// scanMentions finds the lockdown-relevant names in src, as whole words
// (so "at" is not found in "certificates"). "Error" is also found inside
// longer words, to catch TypeError and the like. A source with a \u or \x
// escape mentions every name: an identifier may be spelled with \u escapes
// (\u0063onsole) and a string used as a property name with either
// ('x'["re\x70eat"]), and neither shows the name as a word.
func scanMentions(src string) mentions {
	words := map[string]bool{}
	for _, w := range wordRE.FindAllString(src, -1) {
		words[w] = true
	}
	escaped := strings.Contains(src, `\u`) || strings.Contains(src, `\x`)
	m := mentions{}
	add := func(name string) {
		if words[name] || escaped {
			m[name] = true
		}
	}
	if strings.Contains(src, "Error") || escaped {
		m["Error"] = true
	}
	for _, rm := range removedMethods {
		add(rm.name)
	}
	for _, rm := range disputedMethods {
		add(rm.name)
	}
	for _, n := range disputedGlobals {
		add(n)
	}
	for _, n := range guardedStringMethods {
		add(n)
	}
	for _, n := range guardedArrayMethods {
		add(n)
	}
	for _, n := range typedArrayNames {
		add(n)
	}
	for _, n := range removedGlobals {
		add(n)
	}
	for _, n := range hostGlobals {
		add(n)
	}
	for _, n := range []string{"constructor", "eval", "Function", "InternalError", "console"} {
		add(n)
	}
	for _, n := range hostTypedArrayUsers {
		add(n)
	}
	return m
}

// deleteMentioned deletes the globals and the built-in methods (by owner)
// whose names the source mentions.
func (r *run) deleteMentioned(m mentions, globals []string, methods []struct{ owner, name string }) {
	g := r.vm.GlobalObject()
	for _, name := range globals {
		if m[name] {
			_ = g.Delete(name)
		}
	}
	for _, rm := range methods {
		if m[rm.name] {
			_ = r.path(rm.owner).Delete(rm.name)
		}
	}
}

// lockdown restricts a fresh runtime to cloudfront-js-2.0 for a function
// whose source mentions m.
func (r *run) lockdown(m mentions) {
	vm := r.vm
	g := vm.GlobalObject()
	var construct goja.Value // Reflect.construct, for the typed-array guards
	for _, name := range typedArrayNames {
		if m[name] {
			construct = g.Get("Reflect").ToObject(vm).Get("construct")
			break
		}
	}
	r.deleteMentioned(m, removedGlobals, removedMethods)
	if !r.opts.es2020() {
		r.deleteMentioned(m, disputedGlobals, disputedMethods)
	}

	// eval and the Function constructors throw, as documented.
	if m["eval"] {
		r.hide(g, "eval", r.thrower("EvalError", "eval is not supported in cloudfront-js-2.0"))
	}
	if m["Function"] || m["constructor"] {
		// A JavaScript wrapper, so that `new Function(...)` throws the
		// EvalError too (a Go function is not a constructor).
		thrower := vm.ToValue(r.thrower("EvalError", "the Function constructor is not supported in cloudfront-js-2.0"))
		noFunction := r.callFactory(constructibleThrowerProgram, thrower).ToObject(vm)
		_ = noFunction.DefineDataProperty("prototype", g.Get("Function").ToObject(vm).Get("prototype"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
		r.hide(g, "Function", noFunction)
		if m["constructor"] {
			r.callFactory(ctorLockdownProgram, noFunction)
		}
	}
	if m["InternalError"] {
		r.lazyGlobal(g, "InternalError", func() goja.Value { return r.callFactory(internalErrorProgram) })
	}

	for _, name := range uint8ArrayUsers {
		if m[name] {
			r.u8 = g.Get("Uint8Array") // before the user's code can replace it
			break
		}
	}
	var sp *goja.Object // materialized only when a guarded method is mentioned
	for _, name := range guardedStringMethods {
		if m[name] {
			if sp == nil {
				sp = r.path("String.prototype")
			}
			r.guardMethod(sp, name, r.checkStringMethod(name))
		}
	}
	ap := r.path("Array.prototype")
	for _, name := range guardedArrayMethods {
		if name == "join" || m[name] {
			r.guardMethod(ap, name, r.checkLength)
		}
	}
	if construct != nil {
		g8 := &guards{maxBytes: r.opts.MaxMemoryBytes, exceeded: r.memoryLimit}
		r.callFactory(typedArraysProgram, g, g8.object(vm), construct)
	}
}

// path resolves "Array.prototype" and the like on the global object. The
// two prototypes the lockdown patches are reached through an instance, so
// that goja does not build their constructors (with all their static
// methods) in a run that never uses them.
func (r *run) path(p string) *goja.Object {
	switch p {
	case "Array.prototype":
		return r.vm.NewArray().Prototype()
	case "String.prototype":
		return r.vm.ToValue("").ToObject(r.vm).Prototype()
	}
	o := r.vm.GlobalObject()
	for _, part := range strings.Split(p, ".") {
		o = o.Get(part).ToObject(r.vm)
	}
	return o
}

// thrower is a native function that always throws ctor(msg).
func (r *run) thrower(ctor, msg string) func(goja.FunctionCall) goja.Value {
	return func(goja.FunctionCall) goja.Value { panic(r.newError(ctor, msg)) }
}

// guardMethod replaces owner[name] with a native that runs check before
// the original.
func (r *run) guardMethod(owner *goja.Object, name string, check func(goja.FunctionCall)) {
	orig, ok := goja.AssertFunction(owner.Get(name))
	if !ok {
		return
	}
	w := r.vm.ToValue(func(call goja.FunctionCall) goja.Value {
		check(call)
		v, err := orig(call.This, call.Arguments...)
		if err != nil {
			panic(err)
		}
		return v
	}).ToObject(r.vm)
	_ = w.DefineDataProperty("name", r.vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	r.hide(owner, name, w)
}

// checkStringMethod returns the size check of a guarded string method.
func (r *run) checkStringMethod(name string) func(goja.FunctionCall) {
	max := float64(r.opts.MaxMemoryBytes)
	return func(call goja.FunctionCall) {
		n := call.Argument(0).ToFloat()
		if name == "repeat" {
			n *= float64(len(call.This.String()))
		}
		if n > max {
			r.memoryLimit(formatAllocation(n, "characters", r.opts.MaxMemoryBytes))
		}
	}
}

// checkLength refuses array methods on arrays (or array-likes) longer
// than the memory quota allows.
func (r *run) checkLength(call goja.FunctionCall) {
	o, ok := call.This.(*goja.Object)
	if !ok {
		return
	}
	n := o.Get("length")
	if n == nil {
		return
	}
	if l := n.ToFloat(); l*bytesPerElement > float64(r.opts.MaxMemoryBytes) {
		r.memoryLimit(formatAllocation(l, "array elements", r.opts.MaxMemoryBytes))
	}
}
