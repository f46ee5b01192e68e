// require('querystring'): Node's legacy query string module.
(function () {
	"use strict";
	var hexTable = [];
	for (var i = 0; i < 256; i++) hexTable.push("%" + (i < 16 ? "0" : "") + i.toString(16).toUpperCase());

	function escape(str) {
		return encodeURIComponent(String(str)).replace(/[!'()*]/g, function (c) {
			return hexTable[c.charCodeAt(0)];
		});
	}
	// unescape decodes %XX sequences; a malformed sequence is kept as is.
	function unescape(s) {
		s = String(s);
		try {
			return decodeURIComponent(s);
		} catch (e) {
			return s.replace(/(%[0-9a-fA-F]{2})+/g, function (m) {
				try {
					return decodeURIComponent(m);
				} catch (e2) {
					return m;
				}
			});
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
		var keys = Object.keys(obj), out = [];
		for (var i = 0; i < keys.length; i++) {
			var k = keys[i], v = obj[k], ks = enc(stringifyPrimitive(k)) + eq;
			if (Array.isArray(v)) {
				for (var j = 0; j < v.length; j++) out.push(ks + enc(stringifyPrimitive(v[j])));
			} else {
				out.push(ks + enc(stringifyPrimitive(v)));
			}
		}
		return out.join(sep);
	}
	function parse(qs, sep, eq, options) {
		sep = sep || "&";
		eq = eq || "=";
		var obj = Object.create(null);
		if (typeof qs !== "string" || qs.length === 0) return obj;
		var maxKeys = 1000;
		if (options && typeof options.maxKeys === "number") maxKeys = options.maxKeys;
		var dec = options && typeof options.decodeURIComponent === "function" ? options.decodeURIComponent : unescape;
		var parts = qs.split(sep);
		if (maxKeys > 0 && parts.length > maxKeys) parts.length = maxKeys;
		for (var i = 0; i < parts.length; i++) {
			var p = parts[i].replace(/\+/g, "%20");
			var idx = p.indexOf(eq), k, v;
			if (idx >= 0) {
				k = p.slice(0, idx);
				v = p.slice(idx + eq.length);
			} else {
				k = p;
				v = "";
			}
			k = dec(k);
			v = dec(v);
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
