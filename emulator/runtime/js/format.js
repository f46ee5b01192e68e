// console.log's rendering of a non-string value, as AWS's documented
// examples show it: the KeyValueStore meta() example logs an object as
// {keyCount:3,creationDateTime:2023-11-30T23:07:55.765Z,...} — keys and
// values unquoted, no spaces. Arrays are [a,b], Dates ISO 8601, Errors
// "Name: message", functions [Function: name], cycles [Circular].
// limit bounds the work: rendering stops once the text is that long.
(function (keys, isArray, isView, toISO, objToString) {
	"use strict";
	return function format(v, limit) {
		var out = [], size = 0, seen = [];
		function emit(s) {
			out.push(s);
			size += s.length;
		}
		function key(k) {
			return /^(?:[A-Za-z_$][A-Za-z0-9_$]*|[0-9]+)$/.test(k) ? k : "'" + k + "'";
		}
		function f(v, depth) {
			if (size > limit) return;
			var t = typeof v;
			if (v === null) return emit("null");
			if (t === "string") return emit(v);
			if (t === "function") return emit("[Function" + (v.name ? ": " + v.name : "") + "]");
			if (t !== "object") return emit(String(v));
			if (seen.indexOf(v) >= 0) return emit("[Circular]");
			var tag = objToString.call(v);
			if (tag === "[object Date]") {
				var d;
				try {
					d = toISO.call(v);
				} catch (e) {
					d = "Invalid Date";
				}
				return emit(d);
			}
			if (tag === "[object Error]") return emit(String(v.name) + ": " + String(v.message));
			if (tag === "[object RegExp]") return emit(String(v));
			if (depth > 8) return emit(isArray(v) ? "[Array]" : "[Object]");
			seen.push(v);
			var i;
			if (isArray(v) || isView(v) && typeof v.length === "number") {
				emit("[");
				for (i = 0; i < v.length && size <= limit; i++) {
					if (i > 0) emit(",");
					f(v[i], depth + 1);
				}
				emit("]");
			} else {
				var ks = keys(v);
				emit("{");
				for (i = 0; i < ks.length && size <= limit; i++) {
					if (i > 0) emit(",");
					emit(key(ks[i]) + ":");
					f(v[ks[i]], depth + 1);
				}
				emit("}");
			}
			seen.pop();
		}
		f(v, 0);
		return out.join("");
	};
});
