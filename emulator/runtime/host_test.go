package runtime_test

import (
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// TestHostAPIs checks each host API by what the function logs.
func TestHostAPIs(t *testing.T) {
	kvs := runtime.NewKVS(map[string]string{"k": "v", "j": `{"a":[1,2]}`, "b": "hi"})
	tests := []struct {
		name, reason, body, want string
	}{
		{"console.log first argument", "comma syntax is unsupported; only the first argument is logged", `console.log("a", "b"); console.log(1); console.log()`, "a|1|"},
		{"connection fields", "the object is JSON.parse of the request bytes", `console.log(connection.clientIp + " " + connection.nested.n)`, "192.0.2.1 3"},
		{"helpers not enumerable", "allow/deny/logCustomData are host methods, not data", `console.log(Object.keys(connection).join(","))`, "clientIp,nested"},
		{"Date fixed", "Date returns the request's time for the whole run", `var a = Date.now(); for (var i = 0; i < 1000; i++); console.log(new Date().toISOString() + " " + (Date.now() - a))`, "2025-06-01T12:00:00.000Z 0"},
		{"Math.random seeded", "Seed makes Math.random reproducible", `var r = Math.random(); console.log(String(r >= 0 && r < 1))`, "true"},
		{"Buffer from/toString", "utf8, hex, base64, base64url round trips", `var b = Buffer.from("héllo"); console.log(b.toString("hex")); console.log(b.toString("base64")); console.log(Buffer.from("aGk_", "base64url").toString()); console.log(Buffer.from("6869", "hex").toString("utf8")); console.log(b.length + " " + Buffer.byteLength("héllo"))`, "68c3a96c6c6f|aMOpbGxv|hi?|hi|6 6"},
		{"Buffer alloc/concat/compare", "static helpers", `var a = Buffer.alloc(2, 1), b = Buffer.from([2, 3]); var c = Buffer.concat([a, b]); console.log(c.toString("hex") + " " + Buffer.compare(a, b) + " " + Buffer.isBuffer(c) + " " + Buffer.isBuffer("x") + " " + c.equals(Buffer.from("01010203", "hex")))`, "01010203 -1 true false true"},
		{"Buffer subarray/slice", "views share memory like Node's", `var b = Buffer.from("abcdef"); var s = b.subarray(1, 3); s[0] = 0x42; console.log(b.toString() + " " + b.slice(4).toString() + " " + Buffer.isBuffer(s))`, "aBcdef ef true"},
		{"Buffer read ints", "readUInt8/16/32 LE and BE", `var b = Buffer.from("0102030405", "hex"); console.log([b.readUInt8(0), b.readUInt16BE(0), b.readUInt16LE(0), b.readUInt32BE(1), b.readUInt32LE(1), b.readInt8(4)].join(","))`, "1,258,513,33752069,84148994,5"},
		{"Buffer read out of range", "offsets are checked", `try { Buffer.alloc(1).readUInt16BE(0) } catch (e) { console.log(e.name) }`, "RangeError"},
		{"Buffer unknown encoding", "only the documented encodings", `try { Buffer.from("x", "utf16le") } catch (e) { console.log(e.name + ": " + e.message) }`, "TypeError: Unknown encoding: utf16le"},
		{"atob/btoa", "Latin-1 strings", `console.log(btoa("hi\u00ff") + " " + atob("aGn/").charCodeAt(2)); try { btoa("\u0100") } catch (e) { console.log(e.name) }`, "aGn/ 255|InvalidCharacterError"},
		{"TextEncoder/TextDecoder", "UTF-8 only", `var u = new TextEncoder().encode("é€"); console.log(u.length + " " + new TextDecoder().decode(u)); try { new TextDecoder("utf-8", {fatal: true}).decode(new Uint8Array([0xff])) } catch (e) { console.log(e.name) }`, "5 é€|TypeError"},
		{"crypto createHash", "md5/sha1/sha256 with hex/base64/base64url digests", `var c = require("crypto"); console.log(c.createHash("md5").update("abc").digest("hex")); console.log(c.createHash("sha1").update("a").update("bc").digest("base64")); console.log(c.createHash("sha256").update(Buffer.from("abc")).digest("base64url"))`, "900150983cd24fb0d6963f7d28e17f72|qZk+NkcGgWq6PiVxeFDCbJzQ2J0=|ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"},
		{"crypto createHmac", "HMAC-SHA256, digest() without encoding is a Buffer", `var d = require("crypto").createHmac("sha256", "key").update("The quick brown fox jumps over the lazy dog").digest(); console.log(Buffer.isBuffer(d) + " " + d.toString("hex"))`, "true f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"},
		{"crypto bad algorithm", "only md5, sha1, sha256", `try { require("crypto").createHash("sha512") } catch (e) { console.log(e.name) }`, "TypeError"},
		{"querystring", "parse/decode, stringify/encode, escape, unescape", `var q = require("querystring"); var p = q.parse("a=1&b=x%20y&a=2&c"); console.log(JSON.stringify(p)); console.log(q.stringify({x: ["1", "2"], y: "a b!"})); console.log(q.escape("a b") + " " + q.unescape("%41%zz") + " " + (q.decode === q.parse) + " " + (q.encode === q.stringify))`, `{"a":["1","2"],"b":"x y","c":""}|x=1&x=2&y=a%20b!|a%20b A%zz true true`},
		{"require unknown", "no other modules", `try { require("fs") } catch (e) { console.log(e.message.slice(0, 26)) }`, "Cannot find module 'fs': c"},
		{"removed globals", "goja built-ins newer than ES2020 that neither AWS page lists", `console.log([typeof WeakRef, typeof FinalizationRegistry, typeof setTimeout, typeof process, typeof [].at, typeof Object.hasOwn, typeof [].findLast, typeof "".at].join(","))`, "undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined"},
		{"kept globals", "documented built-ins stay", `console.log([typeof Promise, typeof Symbol, typeof DataView, typeof Uint8Array, typeof globalThis, typeof InternalError, typeof "".replaceAll, typeof [].includes].join(","))`, "function,function,function,function,object,function,function,function"},
		{"eval throws", "documented: eval throws", `try { eval("1") } catch (e) { console.log(e.name) }`, "EvalError"},
		{"Function constructor throws", "documented: Function constructors throw", `try { Function("return 1") } catch (e) { console.log(e.name) } try { (function () {}).constructor("return 1") } catch (e) { console.log(e.name) }`, "EvalError|EvalError"},
		{"strict mode", "always on", `try { undeclared = 1 } catch (e) { console.log(e.name) }`, "ReferenceError"},
		{"InternalError", "listed error type", `var e = new InternalError("x"); console.log(e.name + " " + (e instanceof Error) + " " + e.message)`, "InternalError true x"},
		{"optional chaining and ??", "accepted by default (ES2020 claim)", `console.log(String(connection.missing?.x ?? "dflt"))`, "dflt"},
	}
	obj := `{"clientIp":"192.0.2.1","nested":{"n":3}}`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := execute(t, runtime.Options{}, handler(tt.body), obj, kvs)
			if res.Error != "" {
				t.Fatalf("unexpected error %q (%s)", res.Error, tt.reason)
			}
			if got := logs(res); got != tt.want {
				t.Errorf("logs = %q, want %q (%s)", got, tt.want, tt.reason)
			}
		})
	}
}

func TestKVS(t *testing.T) {
	kvs := runtime.NewKVS(map[string]string{"k": "v", "j": `{"a":[1,2]}`, "b": "hi"})
	code := `import cf from 'cloudfront';
async function connectionHandler(connection) {
  const h = cf.kvs();
  console.log(await h.get("k"));
  console.log(await h.get("k", {format: "string"}));
  console.log(JSON.stringify(await h.get("j", {format: "json"})));
  const b = await h.get("b", {format: "bytes"});
  console.log(Buffer.isBuffer(b) + " " + b.toString("hex"));
  console.log(String(await h.exists("k")) + " " + String(await h.exists("nope")));
  console.log(JSON.stringify(await h.meta()));
  try { await h.get("nope") } catch (e) { console.log(e.name + ": " + e.message) }
  connection.allow();
}`
	res := execute(t, runtime.Options{}, code, `{}`, kvs)
	if res.Error != "" {
		t.Fatalf("error: %s", res.Error)
	}
	want := `v|v|{"a":[1,2]}|true 6869|true false|{"keyCount":3,"creationDateTime":"2024-01-01T00:00:00.000Z","lastUpdatedDateTime":"2024-01-01T00:00:00.000Z"}|Error: KeyValueStore key not found: nope`
	if got := logs(res); got != want {
		t.Errorf("logs =\n%s\nwant\n%s", got, want)
	}
	if res.Decision != "allow" {
		t.Errorf("decision = %q, want allow", res.Decision)
	}

	t.Run("missing key uncaught", func(t *testing.T) {
		res := execute(t, runtime.Options{}, "import cf from 'cloudfront';\nasync function connectionHandler(c) {\n  await cf.kvs().get('nope');\n}", `{}`, kvs)
		if res.ErrorName != "Error" || !strings.Contains(res.Error, "key not found") || res.Line != 3 {
			t.Errorf("got %q line %d, want an Error on line 3 naming the missing key", res.Error, res.Line)
		}
	})
	t.Run("no kvs associated", func(t *testing.T) {
		res := execute(t, runtime.Options{}, "import cf from 'cloudfront';\nfunction connectionHandler(c) {\n  cf.kvs();\n}", `{}`, nil)
		if res.ErrorName != "TypeError" || !strings.Contains(res.Error, "no KeyValueStore is associated") || res.Line != 3 {
			t.Errorf("got %q line %d, want a TypeError on line 3 saying no KVS is associated", res.Error, res.Line)
		}
	})
}
