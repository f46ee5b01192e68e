// The Node-like Buffer of cloudfront-js-2.0: a Uint8Array subclass.
// native: encode(string, encoding) -> ArrayBuffer, decode(Uint8Array,
// encoding) -> string, isEncoding(name) -> boolean.
// cfg: {reverseCompare, copySubarray} (Options.BufferCompare and
// Options.BufferSubarray: where AWS's page contradicts Node).
// Semantics follow Node's lib/buffer.js, which AWS's page paraphrases;
// error names, codes and messages are Node's.
(function (native, U8, guard, cfg) {
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
		if (enc === undefined || enc === null || enc === "") return "utf8";
		var e = String(enc).toLowerCase();
		if (!native.isEncoding(e)) throw unknownEncoding(enc);
		return e;
	}
	// fromString is Buffer.from(string, encoding): as in Node, an encoding
	// that is not a non-empty string means utf8.
	function fromString(s, enc) {
		if (typeof enc !== "string" || enc.length === 0) enc = "utf8";
		return wrap(new U8(native.encode(String(s), encoding(enc))));
	}
	function isView(v) {
		return v instanceof U8 || ArrayBuffer.isView(v);
	}
	function size(n, what) {
		if (typeof n !== "number") throw argType(what, "of type number", n);
		if (n !== n || n < 0 || n > 4294967296) throw outOfRange(what, ">= 0 && <= 4294967296", n);
		guard.bytes(n);
		return Math.floor(n);
	}
	// Node's error shapes: a name, a code property and Node's message.
	function nodeError(Ctor, code, msg) {
		var e = new Ctor(msg);
		def(e, "code", code);
		return e;
	}
	function show(v) {
		if (v == null) return " Received " + v;
		if (typeof v === "function") return " Received function " + (v.name || "<anonymous>");
		if (typeof v === "object") {
			var c = v.constructor && v.constructor.name;
			return c ? " Received an instance of " + c : " Received " + Object.prototype.toString.call(v);
		}
		var s = typeof v === "string" ? "'" + (v.length > 28 ? v.slice(0, 25) + "..." : v) + "'" : String(v);
		return " Received type " + typeof v + " (" + s + ")";
	}
	function argType(name, what, v) {
		return nodeError(TypeError, "ERR_INVALID_ARG_TYPE", "The \"" + name + "\" argument must be " + what + "." + show(v));
	}
	function received(v) {
		if (typeof v === "number" && Math.abs(v) > 4294967296 && Number.isInteger(v)) {
			var s = String(Math.abs(v)), out = "";
			while (s.length > 3) { out = "_" + s.slice(-3) + out; s = s.slice(0, -3); }
			return (v < 0 ? "-" : "") + s + out;
		}
		return typeof v === "string" ? "\"" + v + "\"" : String(v);
	}
	function outOfRange(name, range, v) {
		return nodeError(RangeError, "ERR_OUT_OF_RANGE", "The value of \"" + name + "\" is out of range. It must be " + range + ". Received " + received(v));
	}
	function outOfBounds(name) {
		return nodeError(RangeError, "ERR_BUFFER_OUT_OF_BOUNDS",
			name ? "\"" + name + "\" is outside of buffer bounds" : "Attempt to access memory outside buffer bounds");
	}
	function invalidValue(name, v) {
		return nodeError(TypeError, "ERR_INVALID_ARG_VALUE", "The argument '" + name + "' is invalid. Received " + (typeof v === "string" ? "'" + v + "'" : String(v)));
	}
	function unknownEncoding(enc) {
		return nodeError(TypeError, "ERR_UNKNOWN_ENCODING", "Unknown encoding: " + enc);
	}
	// validateOffset is Node's check of an offset argument: a number, an
	// integer, within [min, max].
	function validateOffset(v, name, min, max) {
		if (typeof v !== "number") throw argType(name, "of type number", v);
		if (!Number.isInteger(v)) throw outOfRange(name, "an integer", v);
		if (min === undefined) min = 0;
		if (max === undefined) max = 9007199254740991;
		if (v < min || v > max) throw outOfRange(name, ">= " + min + " && <= " + max, v);
		return v;
	}
	function isU8(v) {
		return v instanceof U8 || (ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === "[object Uint8Array]");
	}

	def(Buffer, "alloc", function alloc(n, fill, enc) {
		var b = wrap(new U8(size(n, "size")));
		if (fill !== undefined && fill !== 0 && b.length > 0) fillBuffer(b, fill, 0, b.length, enc);
		return b;
	});
	def(Buffer, "allocUnsafe", function allocUnsafe(n) {
		return wrap(new U8(size(n, "size")));
	});
	function fromArrayLike(a) {
		var n = typeof a.length === "number" && a.length > 0 ? Math.floor(a.length) : 0;
		guard.bytes(n);
		var b = new U8(n);
		for (var j = 0; j < n; j++) b[j] = a[j];
		return wrap(b);
	}
	function fromArrayBuffer(ab, off, len) {
		off = off === undefined ? 0 : +off;
		if (off !== off) off = 0;
		var max = ab.byteLength - off;
		if (max < 0) throw outOfBounds("offset");
		if (len === undefined) {
			len = max;
		} else {
			len = +len;
			if (len > 0) {
				if (len > max) throw outOfBounds("length");
			} else {
				len = 0;
			}
		}
		return wrap(new U8(ab, off, len));
	}
	def(Buffer, "from", function from(v, encOrOffset, length) {
		if (typeof v === "string") return fromString(v, encOrOffset);
		if (typeof v === "object" && v !== null) {
			if (v instanceof ArrayBuffer) return fromArrayBuffer(v, encOrOffset, length);
			// "Returns Buffer.from(object.valueOf(), offsetOrEncoding,
			// length) if valueOf() is not equal to the object."
			var prim = typeof v.valueOf === "function" ? v.valueOf() : undefined;
			if (prim != null && prim !== v && (typeof prim === "string" || typeof prim === "object")) {
				return from(prim, encOrOffset, length);
			}
			if (v.length !== undefined || v.buffer instanceof ArrayBuffer) {
				if (typeof v.length !== "number") return wrap(new U8(0));
				return fromArrayLike(v);
			}
			if (v.type === "Buffer" && Array.isArray(v.data)) return fromArrayLike(v.data);
			if (typeof v[Symbol.toPrimitive] === "function") {
				var s = v[Symbol.toPrimitive]("string");
				if (typeof s === "string") return fromString(s, encOrOffset);
			}
		}
		throw argType("first argument", "of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object", v);
	});
	def(Buffer, "isBuffer", function isBuffer(b) {
		return b instanceof Buffer;
	});
	def(Buffer, "isEncoding", function isEncoding(e) {
		return typeof e === "string" && e.length !== 0 && native.isEncoding(e.toLowerCase());
	});
	def(Buffer, "byteLength", function byteLength(v, enc) {
		if (typeof v === "string") {
			// Node counts UTF-8 bytes for an unknown encoding.
			var e = typeof enc === "string" && native.isEncoding(enc.toLowerCase()) ? enc.toLowerCase() : "utf8";
			return native.encode(v, e).byteLength;
		}
		if (isView(v) || v instanceof ArrayBuffer) return v.byteLength;
		throw argType("string", "of type string or an instance of Buffer or ArrayBuffer", v);
	});
	// compareRange compares a[as:ae] with b[bs:be] bytewise, then by length.
	function compareRange(a, as, ae, b, bs, be) {
		var n = Math.min(ae - as, be - bs);
		for (var i = 0; i < n; i++) {
			if (a[as + i] !== b[bs + i]) return a[as + i] < b[bs + i] ? -1 : 1;
		}
		var la = ae - as, lb = be - bs;
		return la < lb ? -1 : la > lb ? 1 : 0;
	}
	def(Buffer, "compare", function compare(a, b) {
		if (!isU8(a)) throw argType("buf1", "an instance of Buffer or Uint8Array", a);
		if (!isU8(b)) throw argType("buf2", "an instance of Buffer or Uint8Array", b);
		return compareRange(a, 0, a.length, b, 0, b.length);
	});
	def(Buffer, "concat", function concat(list, total) {
		if (!Array.isArray(list)) throw argType("list", "an instance of Array", list);
		var i, n = 0;
		if (list.length === 0) return wrap(new U8(0));
		for (i = 0; i < list.length; i++) {
			if (!isU8(list[i])) throw argType("list[" + i + "]", "an instance of Buffer or Uint8Array", list[i]);
		}
		if (total === undefined) {
			for (i = 0; i < list.length; i++) n += list[i].length;
		} else {
			n = validateOffset(total, "length");
		}
		var out = wrap(new U8(size(n, "totalLength")));
		var pos = 0;
		for (i = 0; i < list.length && pos < n; i++) {
			for (var j = 0; j < list[i].length && pos < n; j++) out[pos++] = list[i][j];
		}
		return out;
	});

	var P = Buffer.prototype;
	function toInt(v, dflt) {
		if (v === undefined) return dflt;
		v = +v;
		return v !== v ? 0 : Math.trunc(v);
	}
	def(P, "toString", function toString(enc, start, end) {
		if (arguments.length === 0) return native.decode(this, "utf8");
		var len = this.length;
		var s = start === undefined || start <= 0 ? 0 : start >= len ? len : toInt(start, 0);
		var e = end === undefined || end > len ? len : toInt(end, len);
		if (e <= s) return "";
		var dec = encoding(enc);
		return native.decode(s === 0 && e === len ? this : U8.prototype.subarray.call(this, s, e), dec);
	});
	def(P, "toJSON", function toJSON() {
		var data = [];
		for (var i = 0; i < this.length; i++) data.push(this[i]);
		return { type: "Buffer", data: data };
	});
	def(P, "equals", function equals(o) {
		if (!isU8(o)) throw argType("otherBuffer", "an instance of Buffer or Uint8Array", o);
		return compareRange(this, 0, this.length, o, 0, o.length) === 0;
	});
	// compare follows Node (1 when this sorts after target); AWS's page
	// says the opposite for the prototype method only. cfg.reverseCompare
	// selects the page's sign.
	def(P, "compare", function compare(target, ts, te, ss, se) {
		if (!isU8(target)) throw argType("target", "an instance of Buffer or Uint8Array", target);
		var r;
		if (arguments.length === 1) {
			r = compareRange(this, 0, this.length, target, 0, target.length);
		} else {
			ts = ts === undefined ? 0 : validateOffset(ts, "targetStart");
			te = te === undefined ? target.length : validateOffset(te, "targetEnd", 0, target.length);
			ss = ss === undefined ? 0 : validateOffset(ss, "sourceStart");
			se = se === undefined ? this.length : validateOffset(se, "sourceEnd", 0, this.length);
			if (ss >= se) r = ts >= te ? 0 : -1;
			else if (ts >= te) r = 1;
			else {
				if (ss > this.length) throw outOfRange("sourceStart", ">= 0 && <= " + this.length, ss);
				if (ts > target.length) throw outOfRange("targetStart", ">= 0 && <= " + target.length, ts);
				r = compareRange(this, ss, se, target, ts, te);
			}
		}
		return cfg.reverseCompare ? -r : r;
	});
	// subarray and slice are views in Node; AWS's page calls subarray "a
	// copy". cfg.copySubarray selects the page's reading.
	function sub(b, s, e) {
		var v = U8.prototype.subarray.call(b, s, e);
		if (cfg.copySubarray) v = U8.prototype.slice.call(v);
		return wrap(v);
	}
	def(P, "subarray", function subarray(s, e) {
		return sub(this, s, e);
	});
	def(P, "slice", function slice(s, e) {
		return sub(this, s, e);
	});
	def(P, "write", function write(str, offset, length, enc) {
		if (typeof str !== "string") throw argType("argument", "of type string", str);
		if (offset === undefined) {
			enc = "utf8"; offset = 0; length = this.length;
		} else if (length === undefined && typeof offset === "string") {
			enc = offset; offset = 0; length = this.length;
		} else {
			offset = validateOffset(offset, "offset", 0, this.length);
			var remaining = this.length - offset;
			if (length === undefined) {
				length = remaining;
			} else if (typeof length === "string") {
				enc = length; length = remaining;
			} else {
				length = validateOffset(length, "length", 0, this.length);
				if (length > remaining) length = remaining;
			}
		}
		var e = encoding(enc);
		var src = new U8(native.encode(str, e));
		var n = Math.min(src.length, length);
		if (e === "utf8" || e === "utf-8") {
			// Node never writes a partial UTF-8 character.
			while (n > 0 && n < src.length && (src[n] & 0xc0) === 0x80) n--;
		}
		for (var i = 0; i < n; i++) this[offset + i] = src[i];
		return n;
	});
	// fillBuffer is Node's _fill: a string (in an encoding), a Buffer or
	// Uint8Array (repeated), or a number (taken modulo 256).
	function fillBuffer(buf, v, s, e, enc) {
		if (typeof v === "string") {
			if (s === undefined || typeof s === "string") { enc = s; s = 0; e = buf.length; }
			else if (typeof e === "string") { enc = e; e = buf.length; }
			var n = encoding(enc);
			if (v.length === 0) v = 0;
			else if (v.length === 1 && (n === "utf8" || n === "utf-8") && v.charCodeAt(0) < 128) v = v.charCodeAt(0);
		}
		if (s === undefined) {
			s = 0; e = buf.length;
		} else {
			validateOffset(s, "offset");
			if (e === undefined) e = buf.length;
			else validateOffset(e, "end", 0, buf.length);
			if (s >= e) return buf;
		}
		if (typeof v === "number") {
			if (s > e || e > buf.length) throw outOfBounds();
			U8.prototype.fill.call(buf, v, s, e);
			return buf;
		}
		var pat;
		if (typeof v === "string") pat = new U8(native.encode(v, encoding(enc)));
		else if (isView(v)) pat = new U8(v.buffer, v.byteOffset, v.byteLength);
		else {
			U8.prototype.fill.call(buf, (v >>> 0) & 255, s, e);
			return buf;
		}
		if (pat.length === 0) throw invalidValue("value", v);
		if (e > buf.length) throw outOfBounds();
		pat = U8.prototype.slice.call(pat); // the pattern may overlap buf
		for (var i = s, j = 0; i < e; i++) {
			buf[i] = pat[j];
			if (++j === pat.length) j = 0;
		}
		return buf;
	}
	def(P, "fill", function fill(v, s, e, enc) {
		return fillBuffer(this, v, s, e, enc);
	});
	def(P, "copy", function copy(target, ts, ss, se) {
		if (!isView(target)) throw argType("target", "an instance of Buffer or Uint8Array", target);
		ts = ts === undefined ? 0 : toInt(ts, 0);
		if (ts < 0) throw outOfRange("targetStart", ">= 0 && <= " + target.length, ts);
		ss = ss === undefined ? 0 : toInt(ss, 0);
		if (ss < 0 || ss > this.length) throw outOfRange("sourceStart", ">= 0 && <= " + this.length, ss);
		se = se === undefined ? this.length : toInt(se, 0);
		if (se < 0) throw outOfRange("sourceEnd", ">= 0 && <= " + this.length, se);
		if (se > this.length) se = this.length;
		if (ts >= target.length || ss >= se) return 0;
		var n = Math.min(se - ss, target.length - ts);
		var tmp = U8.prototype.slice.call(this, ss, ss + n); // source and target may overlap
		for (var i = 0; i < n; i++) target[ts + i] = tmp[i];
		return n;
	});
	// indexOffset is Node's IndexOfOffset: where a forward or backward
	// search starts, or -1 for no match.
	function indexOffset(len, off, nlen, forward) {
		if (off < 0) {
			if (off + len >= 0) return len + off;
			if (forward || nlen === 0) return 0;
			return -1;
		}
		if (off + nlen <= len) return off;
		if (nlen === 0) return len;
		if (forward) return -1;
		return len - 1;
	}
	// search is Node's bidirectionalIndexOf.
	function search(buf, v, off, enc, forward) {
		if (typeof off === "string") { enc = off; off = undefined; }
		else if (off > 0x7fffffff) off = 0x7fffffff;
		else if (off < -0x80000000) off = -0x80000000;
		off = +off;
		if (off !== off) off = forward ? 0 : buf.length;
		off = Math.trunc(off);
		var needle;
		if (typeof v === "number") needle = [(v >>> 0) & 255];
		else if (typeof v === "string") needle = new U8(native.encode(v, encoding(enc)));
		else if (isU8(v)) needle = v;
		else throw argType("value", "one of type number or string or an instance of Buffer or Uint8Array", v);
		var len = buf.length, n = needle.length;
		var start = indexOffset(len, off, n, forward);
		if (n === 0) return typeof v === "number" ? -1 : start;
		if (len === 0 || start <= -1 || n > len) return -1;
		if (forward) {
			for (var i = start; i + n <= len; i++) {
				if (matchAt(buf, needle, i)) return i;
			}
		} else {
			for (var k = Math.min(start, len - n); k >= 0; k--) {
				if (matchAt(buf, needle, k)) return k;
			}
		}
		return -1;
	}
	function matchAt(buf, needle, i) {
		for (var j = 0; j < needle.length; j++) {
			if (buf[i + j] !== needle[j]) return false;
		}
		return true;
	}
	def(P, "indexOf", function indexOf(v, off, enc) {
		return search(this, v, off, enc, true);
	});
	def(P, "lastIndexOf", function lastIndexOf(v, off, enc) {
		return search(this, v, off, enc, false);
	});
	def(P, "includes", function includes(v, off, enc) {
		return search(this, v, off, enc, true) !== -1;
	});

	// Integer reads and writes of 1 to 6 bytes, as Node's readUIntLE and
	// friends: offsets must be integers inside the buffer, byteLength 1..6,
	// written values within the type's range.
	function checkOffset(b, off, n) {
		if (typeof off !== "number") throw argType("offset", "of type number", off);
		if (!Number.isInteger(off)) throw outOfRange("offset", "an integer", off);
		if (b.length - n < 0) throw outOfBounds();
		if (off < 0 || off > b.length - n) throw outOfRange("offset", ">= 0 and <= " + (b.length - n), off);
		return off;
	}
	function checkByteLength(n) {
		if (typeof n !== "number") throw argType("byteLength", "of type number", n);
		if (!Number.isInteger(n)) throw outOfRange("byteLength", "an integer", n);
		if (n < 1 || n > 6) throw outOfRange("byteLength", ">= 1 and <= 6", n);
		return n;
	}
	function readUInt(b, off, n, le) {
		var v = 0;
		for (var i = 0; i < n; i++) v = v * 256 + b[off + (le ? n - 1 - i : i)];
		return v;
	}
	function readInt(b, off, n, le) {
		var v = readUInt(b, off, n, le);
		var lim = Math.pow(2, 8 * n - 1);
		return v >= lim ? v - 2 * lim : v;
	}
	function writeInt(b, value, off, n, le, signed) {
		value = +value;
		var min = signed ? -Math.pow(2, 8 * n - 1) : 0;
		var max = signed ? Math.pow(2, 8 * n - 1) - 1 : Math.pow(2, 8 * n) - 1;
		if (value > max || value < min) {
			var range;
			if (n > 4) {
				range = signed ? ">= -(2 ** " + (8 * n - 1) + ") and < 2 ** " + (8 * n - 1) : ">= 0 and < 2 ** " + 8 * n;
			} else {
				range = ">= " + min + " and <= " + max;
			}
			throw outOfRange("value", range, value);
		}
		off = checkOffset(b, off, n);
		var u = Math.trunc(value);
		if (u < 0) u += Math.pow(2, 8 * n);
		for (var i = 0; i < n; i++) {
			b[off + (le ? i : n - 1 - i)] = u % 256;
			u = Math.floor(u / 256);
		}
		return off + n;
	}
	[["LE", true], ["BE", false]].forEach(function (t) {
		var sfx = t[0], le = t[1];
		var rU = function (off, n) {
			if (off === undefined) throw argType("offset", "of type number", off);
			n = checkByteLength(n);
			return readUInt(this, checkOffset(this, off, n), n, le);
		};
		var rI = function (off, n) {
			if (off === undefined) throw argType("offset", "of type number", off);
			n = checkByteLength(n);
			return readInt(this, checkOffset(this, off, n), n, le);
		};
		var wU = function (value, off, n) {
			if (off === undefined) throw argType("offset", "of type number", off);
			return writeInt(this, value, off, checkByteLength(n), le, false);
		};
		var wI = function (value, off, n) {
			if (off === undefined) throw argType("offset", "of type number", off);
			return writeInt(this, value, off, checkByteLength(n), le, true);
		};
		def(P, "readUInt" + sfx, rU);
		def(P, "readUint" + sfx, rU);
		def(P, "readInt" + sfx, rI);
		def(P, "writeUInt" + sfx, wU);
		def(P, "writeUint" + sfx, wU);
		def(P, "writeInt" + sfx, wI);
	});
	[["8", 1], ["16", 2], ["32", 4]].forEach(function (t) {
		var bits = t[0], n = t[1];
		(n === 1 ? [["", false]] : [["LE", true], ["BE", false]]).forEach(function (e) {
			var sfx = e[0], le = e[1];
			var rU = function (off) {
				return readUInt(this, checkOffset(this, off === undefined ? 0 : off, n), n, le);
			};
			var rI = function (off) {
				return readInt(this, checkOffset(this, off === undefined ? 0 : off, n), n, le);
			};
			var wU = function (value, off) {
				return writeInt(this, value, off === undefined ? 0 : off, n, le, false);
			};
			var wI = function (value, off) {
				return writeInt(this, value, off === undefined ? 0 : off, n, le, true);
			};
			def(P, "readUInt" + bits + sfx, rU);
			def(P, "readUint" + bits + sfx, rU);
			def(P, "readInt" + bits + sfx, rI);
			def(P, "writeUInt" + bits + sfx, wU);
			def(P, "writeUint" + bits + sfx, wU);
			def(P, "writeInt" + bits + sfx, wI);
		});
	});
	function view(b) {
		return new DataView(b.buffer, b.byteOffset, b.byteLength);
	}
	[["Float", 4, "Float32"], ["Double", 8, "Float64"]].forEach(function (t) {
		var name = t[0], n = t[1], dv = t[2];
		[["LE", true], ["BE", false]].forEach(function (e) {
			var sfx = e[0], le = e[1];
			def(P, "read" + name + sfx, function (off) {
				off = checkOffset(this, off === undefined ? 0 : off, n);
				return view(this)["get" + dv](off, le);
			});
			def(P, "write" + name + sfx, function (value, off) {
				off = checkOffset(this, off === undefined ? 0 : off, n);
				view(this)["set" + dv](off, +value, le);
				return off + n;
			});
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
