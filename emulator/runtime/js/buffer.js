// The Node-like Buffer of cloudfront-js-2.0: a Uint8Array subclass.
// native: encode(string, encoding) -> ArrayBuffer, decode(Uint8Array,
// encoding) -> string, isEncoding(name) -> boolean.
(function (native, U8, guard) {
	"use strict";
	// Buffer(x) is Node's deprecated constructor form: Buffer.alloc for a
	// number, Buffer.from otherwise (typed-array methods construct views
	// through it).
	function Buffer(a, b, c) {
		if (a instanceof ArrayBuffer) return wrap(new U8(a, b, c));
		if (typeof a === "number") return Buffer.alloc(a);
		return Buffer.from(a, b, c);
	}
	Object.setPrototypeOf(Buffer, U8);
	Buffer.prototype = Object.create(U8.prototype);
	var hidden = { writable: true, enumerable: false, configurable: true };
	function def(o, name, value) {
		Object.defineProperty(o, name, Object.assign({ value: value }, hidden));
	}
	def(Buffer.prototype, "constructor", Buffer);

	function wrap(u8) {
		Object.setPrototypeOf(u8, Buffer.prototype);
		return u8;
	}
	function encoding(enc) {
		if (enc === undefined || enc === null) return "utf8";
		enc = String(enc).toLowerCase();
		if (!native.isEncoding(enc)) throw new TypeError("Unknown encoding: " + enc);
		return enc;
	}
	function fromString(s, enc) {
		return wrap(new U8(native.encode(String(s), encoding(enc))));
	}
	function isView(v) {
		return v instanceof U8 || ArrayBuffer.isView(v);
	}
	function size(n, what) {
		if (typeof n !== "number" || n !== n || n < 0) {
			throw new TypeError("The \"" + what + "\" argument must be a non-negative number");
		}
		guard.bytes(n);
		return Math.floor(n);
	}

	def(Buffer, "alloc", function alloc(n, fill, enc) {
		var b = wrap(new U8(size(n, "size")));
		if (fill !== undefined && fill !== 0 && b.length > 0) b.fill(fill, 0, b.length, enc);
		return b;
	});
	def(Buffer, "allocUnsafe", function allocUnsafe(n) {
		return wrap(new U8(size(n, "size")));
	});
	def(Buffer, "from", function from(v, encOrOffset, length) {
		if (typeof v === "string") return fromString(v, encOrOffset);
		if (v instanceof ArrayBuffer) {
			var off = encOrOffset === undefined ? 0 : Number(encOrOffset);
			var len = length === undefined ? v.byteLength - off : Number(length);
			return wrap(new U8(v, off, len));
		}
		if (isView(v)) {
			var copy = new U8(v.length);
			for (var i = 0; i < v.length; i++) copy[i] = v[i];
			return wrap(copy);
		}
		if (Array.isArray(v)) {
			guard.bytes(v.length);
			var b = new U8(v.length);
			for (var j = 0; j < v.length; j++) b[j] = Number(v[j]) & 255;
			return wrap(b);
		}
		if (v && v.type === "Buffer" && Array.isArray(v.data)) return Buffer.from(v.data);
		throw new TypeError("Buffer.from(): the first argument must be a string, Buffer, ArrayBuffer, Array or array-like object");
	});
	def(Buffer, "isBuffer", function isBuffer(b) {
		return b instanceof Buffer;
	});
	def(Buffer, "isEncoding", function isEncoding(e) {
		return typeof e === "string" && native.isEncoding(e.toLowerCase());
	});
	def(Buffer, "byteLength", function byteLength(v, enc) {
		if (typeof v === "string") return native.encode(v, encoding(enc)).byteLength;
		if (isView(v) || v instanceof ArrayBuffer) return v.byteLength;
		throw new TypeError("Buffer.byteLength(): the argument must be a string, Buffer or ArrayBuffer");
	});
	def(Buffer, "compare", function compare(a, b) {
		if (!isView(a) || !isView(b)) throw new TypeError("Buffer.compare(): the arguments must be Buffers or Uint8Arrays");
		var n = Math.min(a.length, b.length);
		for (var i = 0; i < n; i++) {
			if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
		}
		return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
	});
	def(Buffer, "concat", function concat(list, total) {
		if (!Array.isArray(list)) throw new TypeError("Buffer.concat(): the \"list\" argument must be an Array");
		var i, n = 0;
		if (total === undefined) {
			for (i = 0; i < list.length; i++) n += list[i].length;
		} else {
			n = size(total, "totalLength");
		}
		var out = wrap(new U8(size(n, "totalLength")));
		var pos = 0;
		for (i = 0; i < list.length && pos < n; i++) {
			if (!isView(list[i])) throw new TypeError("Buffer.concat(): list[" + i + "] is not a Buffer or Uint8Array");
			for (var j = 0; j < list[i].length && pos < n; j++) out[pos++] = list[i][j];
		}
		return out;
	});

	var P = Buffer.prototype;
	def(P, "toString", function toString(enc, start, end) {
		var s = start === undefined ? 0 : Math.max(0, start | 0);
		var e = end === undefined ? this.length : Math.min(this.length, end | 0);
		if (e <= s) return "";
		return native.decode(s === 0 && e === this.length ? this : U8.prototype.subarray.call(this, s, e), encoding(enc));
	});
	def(P, "toJSON", function toJSON() {
		var data = [];
		for (var i = 0; i < this.length; i++) data.push(this[i]);
		return { type: "Buffer", data: data };
	});
	def(P, "equals", function equals(o) {
		return Buffer.compare(this, o) === 0;
	});
	def(P, "compare", function compare(o) {
		return Buffer.compare(this, o);
	});
	def(P, "subarray", function subarray(s, e) {
		return wrap(U8.prototype.subarray.call(this, s, e));
	});
	def(P, "slice", function slice(s, e) {
		return wrap(U8.prototype.subarray.call(this, s, e));
	});
	def(P, "write", function write(str, offset, length, enc) {
		if (typeof offset === "string") { enc = offset; offset = 0; length = undefined; }
		else if (typeof length === "string") { enc = length; length = undefined; }
		offset = offset === undefined ? 0 : offset | 0;
		var src = fromString(str, enc);
		var n = Math.min(src.length, this.length - offset, length === undefined ? Infinity : length | 0);
		for (var i = 0; i < n; i++) this[offset + i] = src[i];
		return n < 0 ? 0 : n;
	});
	def(P, "fill", function fill(v, s, e, enc) {
		if (typeof s === "string") { enc = s; s = 0; e = this.length; }
		s = s === undefined ? 0 : s | 0;
		e = e === undefined ? this.length : e | 0;
		if (typeof v === "string") {
			var src = fromString(v, enc);
			if (src.length === 0) src = [0];
			for (var i = s, j = 0; i < e; i++, j = (j + 1) % src.length) this[i] = src[j];
			return this;
		}
		U8.prototype.fill.call(this, typeof v === "number" ? v & 255 : Number(v) & 255, s, e);
		return this;
	});
	def(P, "copy", function copy(target, ts, ss, se) {
		ts = ts === undefined ? 0 : ts | 0;
		ss = ss === undefined ? 0 : ss | 0;
		se = se === undefined ? this.length : Math.min(se | 0, this.length);
		var n = 0;
		for (var i = ss; i < se && ts + n < target.length; i++) target[ts + n++] = this[i];
		return n;
	});
	def(P, "indexOf", function indexOf(v, from, enc) {
		var needle = typeof v === "number" ? [v & 255] : typeof v === "string" ? fromString(v, enc) : v;
		var start = from === undefined ? 0 : from | 0;
		if (start < 0) start = Math.max(0, this.length + start);
		outer: for (var i = start; i + needle.length <= this.length; i++) {
			for (var j = 0; j < needle.length; j++) {
				if (this[i + j] !== needle[j]) continue outer;
			}
			return i;
		}
		return -1;
	});
	def(P, "includes", function includes(v, from, enc) {
		return this.indexOf(v, from, enc) !== -1;
	});

	function check(b, off, n) {
		off = off === undefined ? 0 : off;
		if (typeof off !== "number" || off !== Math.floor(off) || off < 0 || off + n > b.length) {
			throw new RangeError("The value of \"offset\" is out of range. It must be >= 0 and <= " + (b.length - n) + ". Received " + off);
		}
		return off;
	}
	function view(b) {
		return new DataView(b.buffer, b.byteOffset, b.byteLength);
	}
	[
		["UInt8", 1, "Uint8"], ["Int8", 1, "Int8"],
		["UInt16", 2, "Uint16"], ["Int16", 2, "Int16"],
		["UInt32", 4, "Uint32"], ["Int32", 4, "Int32"],
		["Float", 4, "Float32"], ["Double", 8, "Float64"],
	].forEach(function (t) {
		var name = t[0], n = t[1], dv = t[2];
		var suffixes = n === 1 ? [""] : ["LE", "BE"];
		suffixes.forEach(function (sfx) {
			var le = sfx === "LE";
			var read = function (off) {
				off = check(this, off, n);
				return view(this)["get" + dv](off, le);
			};
			var write = function (value, off) {
				off = check(this, off, n);
				view(this)["set" + dv](off, Number(value), le);
				return off + n;
			};
			def(P, "read" + name + sfx, read);
			def(P, "write" + name + sfx, write);
			if (name.indexOf("UInt") === 0) {
				def(P, "readUint" + name.slice(4) + sfx, read);
				def(P, "writeUint" + name.slice(4) + sfx, write);
			}
		});
	});
	[["swap16", 2], ["swap32", 4], ["swap64", 8]].forEach(function (t) {
		def(P, t[0], function () {
			var n = t[1];
			if (this.length % n !== 0) throw new RangeError("Buffer size must be a multiple of " + (n * 8) + "-bits");
			for (var i = 0; i < this.length; i += n) {
				for (var j = 0; j < n / 2; j++) {
					var tmp = this[i + j];
					this[i + j] = this[i + n - 1 - j];
					this[i + n - 1 - j] = tmp;
				}
			}
			return this;
		});
	});
	return Buffer;
});
