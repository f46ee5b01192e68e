package runtime

import (
	_ "embed"

	"github.com/dop251/goja"
)

// removedGlobals are globals goja has that the cloudfront-js-2.0 feature
// list does not (docs/runtime.md, "Built-ins").
var removedGlobals = []string{
	"Map", "Set", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry",
	"Proxy", "Reflect", "BigInt", "BigInt64Array", "BigUint64Array",
	"AggregateError", "SharedArrayBuffer", "GoError",
}

// removedMethods are built-in methods newer than the cloudfront-js-2.0
// feature list, as "Constructor.name" or "Constructor.prototype.name".
var removedMethods = []string{
	"Object.fromEntries", "Object.hasOwn", "Object.groupBy",
	"Array.prototype.flat", "Array.prototype.flatMap", "Array.prototype.at",
	"Array.prototype.findLast", "Array.prototype.findLastIndex",
	"Array.prototype.toSorted", "Array.prototype.toReversed",
	"Array.prototype.toSpliced", "Array.prototype.with",
	"String.prototype.at", "String.prototype.matchAll",
	"String.prototype.isWellFormed", "String.prototype.toWellFormed",
}

//go:embed js/lockdown.js
var lockdownSrc string

// lockdownProgram evaluates to a function(global, removedGlobals,
// removedMethods, guards) that restricts a fresh runtime to
// cloudfront-js-2.0.
var lockdownProgram = goja.MustCompile("cloudfront:lockdown", lockdownSrc, true)

// lockdown removes what cloudfront-js-2.0 lacks from a fresh runtime and
// installs the size guards. g provides the guard natives.
func lockdown(vm *goja.Runtime, g *guards) error {
	fv, err := vm.RunProgram(lockdownProgram)
	if err != nil {
		return err
	}
	fn, _ := goja.AssertFunction(fv)
	_, err = fn(goja.Undefined(), vm.GlobalObject(), vm.ToValue(removedGlobals), vm.ToValue(removedMethods), g.object(vm))
	return err
}
