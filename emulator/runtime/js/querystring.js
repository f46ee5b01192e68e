// require('querystring'): Node's legacy query string module, which AWS's
// runtime 2.0 page documents (parse/decode, stringify/encode, escape,
// unescape). native: unescapeBytes(string) -> string (%XX to bytes, then
// UTF-8 with U+FFFD for invalid sequences, as Node's unescapeBuffer).
(function (native) {
	"use strict";
	// escape is Node's qs.escape: percent-encoding of UTF-8 that leaves
	// A-Z a-z 0-9 - _ . ! ~ * ' ( ) alone, like encodeURIComponent (a lone
	// surrogate throws URIError).
	function escape(str) {
		if (typeof str !== "string") str = typeof str === "object" ? String(str) : str + "";
		return encodeURIComponent(str);
	}
	// unescape is Node's qs.unescape: decodeURIComponent, or on failure
	// byte-wise decoding where invalid UTF-8 becomes U+FFFD ("By default,
	// percent-encoded characters within the query string are assumed to
	// use the UTF-8 encoding. Invalid UTF-8 sequences are replaced with
	// the U+FFFD replacement character.").
	function unescape(s) {
		s = String(s);
		try {
			return decodeURIComponent(s);
		} catch (e) {
			return native.unescapeBytes(s);
		}
	}
	function stringifyPrimitive(v) {
		if (typeof v === "string") return v;
		if (typeof v === "number" && isFinite(v)) return "" + v;
		if (typeof v === "boolean") return v ? "true" : "false";
		return "";
	}
	function stringify(obj, sep, eq, options) {
		sep = sep || "&";
		eq = eq || "=";
		var enc = options && typeof options.encodeURIComponent === "function" ? options.encodeURIComponent : escape;
		if (obj === null || typeof obj !== "object") return "";
		var conv = function (v) {
			if (enc === escape) {
				if (typeof v === "string") return v.length ? enc(v) : "";
				if (typeof v === "number" && isFinite(v)) return Math.abs(v) < 1e21 ? "" + v : enc("" + v);
				return stringifyPrimitive(v);
			}
			return enc(stringifyPrimitive(v));
		};
		var keys = Object.keys(obj), out = [];
		for (var i = 0; i < keys.length; i++) {
			var k = keys[i], v = obj[k], ks = conv(k) + eq;
			if (Array.isArray(v)) {
				for (var j = 0; j < v.length; j++) out.push(ks + conv(v[j]));
			} else {
				out.push(ks + conv(v));
			}
		}
		return out.join(sep);
	}
	function parse(qs, sep, eq, options) {
		sep = sep ? String(sep) : "&";
		eq = eq ? String(eq) : "=";
		var obj = Object.create(null);
		if (typeof qs !== "string" || qs.length === 0) return obj;
		var maxKeys = 1000;
		if (options && typeof options.maxKeys === "number") maxKeys = options.maxKeys > 0 ? options.maxKeys : 0;
		var dec = options && typeof options.decodeURIComponent === "function" ? options.decodeURIComponent : unescape;
		var decode = function (s) {
			if (s.indexOf("%") < 0) return s;
			try {
				return dec(s);
			} catch (e) {
				return unescape(s);
			}
		};
		var parts = qs.split(sep);
		if (maxKeys > 0 && parts.length > maxKeys) parts.length = maxKeys;
		for (var i = 0; i < parts.length; i++) {
			// An empty substring between separators is skipped (it still
			// counts towards maxKeys), as in Node.
			if (parts[i].length === 0) continue;
			var p = parts[i].replace(/\+/g, "%20");
			var idx = p.indexOf(eq), k, v;
			if (idx >= 0) {
				k = p.slice(0, idx);
				v = p.slice(idx + eq.length);
			} else {
				k = p;
				v = "";
			}
			k = decode(k);
			v = decode(v);
			if (!Object.prototype.hasOwnProperty.call(obj, k)) {
				obj[k] = v;
			} else if (Array.isArray(obj[k])) {
				obj[k].push(v);
			} else {
				obj[k] = [obj[k], v];
			}
		}
		return obj;
	}
	return { escape: escape, unescape: unescape, stringify: stringify, encode: stringify, parse: parse, decode: parse };
});
