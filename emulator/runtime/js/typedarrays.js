// Size guards for ArrayBuffer and the typed-array constructors, installed
// only when the function's source names one of them (see lockdown.go).
(function (g, guard, construct) {
	"use strict";
	function def(o, name, value) {
		Object.defineProperty(o, name, { value: value, writable: true, enumerable: false, configurable: true });
	}
	function install(name, bytesOf) {
		var Orig = g[name];
		var Checked = {
			[name]: function () {
				guard.bytes(bytesOf(Orig, arguments[0]));
				return construct(Orig, arguments, new.target || Checked);
			},
		}[name];
		Object.setPrototypeOf(Checked, Object.getPrototypeOf(Orig));
		Object.defineProperty(Checked, "prototype", { value: Orig.prototype });
		Object.getOwnPropertyNames(Orig).forEach(function (k) {
			if (k !== "prototype" && k !== "length" && k !== "name") def(Checked, k, Orig[k]);
		});
		def(Orig.prototype, "constructor", Checked);
		def(g, name, Checked);
	}
	// %TypedArray%.from takes any iterable, a string included (its code
	// points); goja refuses primitives.
	var TA = Object.getPrototypeOf(g.Int8Array);
	var origFrom = TA.from, arrayFrom = Array.from, slice = Array.prototype.slice;
	def(TA, "from", function from(source) {
		var args = slice.call(arguments);
		if (typeof source === "string") args[0] = arrayFrom(source);
		return origFrom.apply(this, args);
	});
	install("ArrayBuffer", function (Orig, n) {
		return Number(n);
	});
	["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
		"Int32Array", "Uint32Array", "Float32Array", "Float64Array"].forEach(function (name) {
		install(name, function (Orig, a) {
			if (typeof a === "number") return a * Orig.BYTES_PER_ELEMENT;
			if (a != null && typeof a === "object" && !(a instanceof ArrayBuffer)) return Number(a.length) * Orig.BYTES_PER_ELEMENT;
			return 0;
		});
	});
});
