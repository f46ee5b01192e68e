// Restricts a fresh goja runtime to cloudfront-js-2.0. Runs once per
// execution, before the user's code, in strict mode.
(function (g, removedGlobals, removedMethods, guard) {
	var i, parts, owner;
	// Captured before Reflect is removed: the wrappers must not go through
	// Function.prototype.apply, which user code can replace.
	var apply = Reflect.apply, construct = Reflect.construct;
	for (i = 0; i < removedGlobals.length; i++) {
		delete g[removedGlobals[i]];
	}
	for (i = 0; i < removedMethods.length; i++) {
		parts = removedMethods[i].split(".");
		owner = parts.length === 3 ? g[parts[0]].prototype : g[parts[0]];
		delete owner[parts[parts.length - 1]];
	}

	// eval and the Function constructors throw, as documented.
	function noEval() {
		throw new EvalError("eval is not supported in cloudfront-js-2.0");
	}
	function noFunction() {
		throw new EvalError("the Function constructor is not supported in cloudfront-js-2.0");
	}
	var hidden = { writable: true, enumerable: false, configurable: true };
	var functionProto = Object.getPrototypeOf(noFunction);
	Object.defineProperty(g, "eval", Object.assign({ value: noEval }, hidden));
	Object.defineProperty(g, "Function", Object.assign({ value: noFunction }, hidden));
	Object.defineProperty(noFunction, "prototype", { value: functionProto });
	Object.defineProperty(functionProto, "constructor", Object.assign({ value: noFunction }, hidden));
	var asyncProto = Object.getPrototypeOf(async function () {});
	Object.defineProperty(asyncProto, "constructor", Object.assign({ value: noFunction }, hidden));

	// InternalError exists in cloudfront-js-2.0 but not in goja.
	function InternalError(message) {
		var e = new Error(message);
		Object.setPrototypeOf(e, new.target ? new.target.prototype : InternalError.prototype);
		return e;
	}
	InternalError.prototype = Object.create(Error.prototype, {
		constructor: Object.assign({ value: InternalError }, hidden),
		name: Object.assign({ value: "InternalError" }, hidden),
		message: Object.assign({ value: "" }, hidden),
	});
	Object.setPrototypeOf(InternalError, Error);
	Object.defineProperty(g, "InternalError", Object.assign({ value: InternalError }, hidden));

	// Size guards: goja cannot interrupt native built-ins and has no memory
	// limit, so refuse allocations beyond the function memory quota before
	// they happen. guard.str(n) and guard.len(n) end the run with a
	// MemoryError when n characters / elements exceed the quota.
	function wrap(owner, name, check) {
		var orig = owner[name];
		var w = {
			[name]: function () {
				check(this, arguments);
				return apply(orig, this, arguments);
			},
		}[name];
		Object.defineProperty(owner, name, Object.assign({ value: w }, hidden));
	}
	var SP = String.prototype, AP = Array.prototype;
	wrap(SP, "repeat", function (s, a) { guard.str(String(s).length * Number(a[0])); });
	wrap(SP, "padStart", function (s, a) { guard.str(Number(a[0])); });
	wrap(SP, "padEnd", function (s, a) { guard.str(Number(a[0])); });
	["join", "toString", "toLocaleString", "fill", "map", "filter", "reverse", "sort",
		"indexOf", "lastIndexOf", "includes", "copyWithin", "concat", "slice", "splice",
		"reduce", "reduceRight", "forEach", "every", "some", "find", "findIndex",
		"keys", "values", "entries"].forEach(function (name) {
		wrap(AP, name, function (a) { guard.len(a == null ? 0 : a.length); });
	});
	var OrigArray = Array;
	function CheckedArray() {
		if (arguments.length === 1 && typeof arguments[0] === "number") {
			guard.len(arguments[0]);
		}
		return construct(OrigArray, arguments, new.target || CheckedArray);
	}
	CheckedArray.prototype = OrigArray.prototype;
	["isArray", "of", "from"].forEach(function (name) {
		Object.defineProperty(CheckedArray, name, Object.assign({ value: OrigArray[name] }, hidden));
	});
	Object.defineProperty(AP, "constructor", Object.assign({ value: CheckedArray }, hidden));
	Object.defineProperty(g, "Array", Object.assign({ value: CheckedArray }, hidden));
	var OrigArrayBuffer = ArrayBuffer;
	function CheckedArrayBuffer(n) {
		guard.bytes(n);
		return construct(OrigArrayBuffer, arguments, new.target || CheckedArrayBuffer);
	}
	CheckedArrayBuffer.prototype = OrigArrayBuffer.prototype;
	CheckedArrayBuffer.isView = OrigArrayBuffer.isView;
	Object.defineProperty(OrigArrayBuffer.prototype, "constructor", Object.assign({ value: CheckedArrayBuffer }, hidden));
	Object.defineProperty(g, "ArrayBuffer", Object.assign({ value: CheckedArrayBuffer }, hidden));
	["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
		"Int32Array", "Uint32Array", "Float32Array", "Float64Array"].forEach(function (name) {
		var Orig = g[name];
		var Checked = {
			[name]: function () {
				if (typeof arguments[0] === "number") {
					guard.bytes(arguments[0] * Orig.BYTES_PER_ELEMENT);
				} else if (arguments[0] != null && typeof arguments[0] === "object" && !(arguments[0] instanceof OrigArrayBuffer)) {
					guard.bytes(arguments[0].length * Orig.BYTES_PER_ELEMENT);
				}
				return construct(Orig, arguments, new.target || Checked);
			},
		}[name];
		Object.setPrototypeOf(Checked, Object.getPrototypeOf(Orig));
		Checked.prototype = Orig.prototype;
		["BYTES_PER_ELEMENT", "from", "of"].forEach(function (k) {
			Object.defineProperty(Checked, k, Object.assign({ value: Orig[k] }, hidden));
		});
		Object.defineProperty(Orig.prototype, "constructor", Object.assign({ value: Checked }, hidden));
		Object.defineProperty(g, name, Object.assign({ value: Checked }, hidden));
	});
});
