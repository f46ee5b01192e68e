// TextEncoder and TextDecoder (UTF-8 only, as in cloudfront-js-2.0).
// native: encode(string, "utf8") -> ArrayBuffer, decodeUTF8(view, fatal,
// ignoreBOM) -> string.
(function (native, U8) {
	"use strict";
	var hidden = { writable: true, enumerable: false, configurable: true };
	function TextEncoder() {
		if (!new.target) throw new TypeError("TextEncoder must be called with new");
	}
	Object.defineProperty(TextEncoder.prototype, "encoding", { get: function () { return "utf-8"; }, configurable: true });
	Object.defineProperty(TextEncoder.prototype, "encode", Object.assign({
		value: function encode(s) {
			return new U8(native.encode(s === undefined ? "" : String(s), "utf8"));
		},
	}, hidden));
	Object.defineProperty(TextEncoder.prototype, "encodeInto", Object.assign({
		value: function encodeInto(s, dest) {
			var src = new U8(native.encode(String(s), "utf8"));
			var n = Math.min(src.length, dest.length);
			while (n > 0 && n < src.length && (src[n] & 0xc0) === 0x80) n--;
			for (var i = 0; i < n; i++) dest[i] = src[i];
			return { read: native.decode(U8.prototype.subarray.call(src, 0, n), "utf8").length, written: n };
		},
	}, hidden));

	function TextDecoder(label, options) {
		if (!new.target) throw new TypeError("TextDecoder must be called with new");
		var l = label === undefined ? "utf-8" : String(label).trim().toLowerCase();
		if (l !== "utf-8" && l !== "utf8" && l !== "unicode-1-1-utf-8") {
			throw new RangeError("TextDecoder: unsupported encoding \"" + label + "\"; only utf-8 is supported");
		}
		this._fatal = !!(options && options.fatal);
		this._ignoreBOM = !!(options && options.ignoreBOM);
	}
	Object.defineProperty(TextDecoder.prototype, "encoding", { get: function () { return "utf-8"; }, configurable: true });
	Object.defineProperty(TextDecoder.prototype, "fatal", { get: function () { return this._fatal; }, configurable: true });
	Object.defineProperty(TextDecoder.prototype, "ignoreBOM", { get: function () { return this._ignoreBOM; }, configurable: true });
	Object.defineProperty(TextDecoder.prototype, "decode", Object.assign({
		value: function decode(input) {
			if (input === undefined) return "";
			if (input instanceof ArrayBuffer) input = new U8(input);
			else if (ArrayBuffer.isView(input)) input = new U8(input.buffer, input.byteOffset, input.byteLength);
			else throw new TypeError("TextDecoder.decode(): the argument must be an ArrayBuffer or a view of one");
			return native.decodeUTF8(input, this._fatal, this._ignoreBOM);
		},
	}, hidden));
	return { TextEncoder: TextEncoder, TextDecoder: TextDecoder };
});
