package instrument_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime/instrument"
	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
)

// run compiles src (plain or instrumented) on a bare goja runtime and
// returns the global `out` as a string, or the error's text. The hook
// counts its calls.
func run(t *testing.T, src string, instrumented bool) (out string, info *instrument.Info, hooks int) {
	t.Helper()
	prg, err := parser.ParseFile(nil, "f.js", src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	vm := goja.New()
	if instrumented {
		info, err = instrument.Program(prg, src)
		if err != nil {
			t.Fatalf("instrument: %v", err)
		}
		counters := make([]any, len(info.Map.Edges))
		gates := make([]any, len(info.Map.Sites))
		for i := range counters {
			counters[i] = 0
		}
		for i := range gates {
			gates[i] = 1
		}
		hook := func(call goja.FunctionCall) goja.Value { hooks++; return goja.Undefined() }
		helpers := []goja.Value{vm.NewArray(counters...), vm.NewArray(gates...), vm.ToValue(hook)}
		_ = vm.Set(instrument.Take, func(i int) goja.Value { return helpers[i] })
	}
	p, err := goja.CompileAST(prg, true)
	if err != nil {
		t.Fatalf("compile (instrumented %v): %v", instrumented, err)
	}
	if _, err := vm.RunProgram(p); err != nil {
		return "error: " + err.Error(), info, hooks
	}
	return vm.Get("out").String(), info, hooks
}

// TestEveryConstruct instruments a program using every syntax construct
// goja parses (including those the cloudfront-js-2.0 policy refuses, so the
// rewrite stays complete if the policy changes): it must compile and
// compute the same result as the plain program.
func TestEveryConstruct(t *testing.T) {
	tests := []struct{ name, src, reason string }{
		{"statements", `var out = "";
			label: for (var i = 0; i < 4; i++) { for (let j = 0; j < 4; j++) { if (j === 2) continue label; if (i === 3) break label; out += i + "" + j; } }
			var k = 0; while (k < 3) k++; do { k--; } while (k > 1);
			for (var p in {a: 1, b: 2}) out += p;
			for (const v of [1, 2]) out += v;
			for (let [x, y] of [[1, 2]]) out += x + y;
			switch (k) { case 0: out += "zero"; default: out += "d"; case 2: out += "two"; break; case 3: out += "three"; }
			try { null.x; } catch (e) { out += e.name; } finally { out += "f"; }
			try { throw 1; } catch { out += "nobinding"; }
			if (k) out += "k"; else if (!k) out += "notk"; else out += "never";
			;debugger;`, "loops, labels, switch, try, if/else chains"},
		{"expressions", `var o = {a: 1, get g() { return 2; }, set s(v) { this.a = v; }, m() { return this.a; }, ["c" + 1]: 3, ...{d: 4}};
			o.s = 5;
			var {a, b = a > 1 ? "big" : "small", ...rest} = o;
			var [p = 1, , q = p === 1, ...others] = [undefined, 0, undefined, 7, 8];
			var t = ` + "`x${a}y${b}`" + `;
			function tag(s, ...v) { return s.join("|") + v.join(","); }
			var tg = tag` + "`a${1}b${2}`" + `;
			var n = (1, 2), u = void 0, ty = typeof missing, del = delete o.d, e = 2 ** 10;
			var oc = o?.m?.(), ocn = o.zz?.yy.xx, co = o.zz ?? "dflt", lg = o.a && o.zz || "or";
			var z = 0; z ||= 3; z &&= z + 1; z ??= 9; z += 1; z <<= 1;
			var arr = [1, 2, ...[3, 4]].map((x) => x * 2).filter(x => { return x > 2; });
			var nw = new Date(0).getTime(), re = /a(b)c/.test("abc"), s = "abc".startsWith("a") && "abc".includes("b");
			var cmp = [1 < 2, 1 <= 2, "a" > "b", 2 >= 3, 1 == "1", 1 != 2, o === o, o !== null, a in o, o instanceof Object];
			[a, b] = [b, a]; ({a: o.a} = {a: 6});
			var out = JSON.stringify([o, a, b, rest, p, q, others, t, tg, n, u, ty, del, e, oc, ocn, co, lg, z, arr, nw, re, s, cmp]);`,
			"every expression kind, patterns as targets, optional chains"},
		{"functions", `function f(a, b = a + 1, ...r) { return a + b + r.length; }
			var g = function named(n) { return n <= 1 ? 1 : n * named(n - 1); };
			var h = (x, {y} = {y: 2}) => x + y;
			async function af() { await null; return 1; }
			function* gen() { yield 1; yield* [2, 3]; }
			class A { #p = 1; static s = 2; constructor(x) { this.x = x; } get p() { return this.#p; } m() { return this.x; } static { A.t = 3; } }
			class B extends A { constructor() { super(4); } m() { return super.m() + 1; } indexOf(x) { return super.m() === x ? super.indexOf(x) : -1; } }
			A.prototype.indexOf = function (x) { return x * 10; };
			var b = new B();
			var out = [f(1), g(5), h(1), [...gen()].join(""), b.m(), b.p, A.s, A.t, typeof af(), (function () { return new.target; })(), b.indexOf(4), b.indexOf(5)].join(",");`,
			"default params, recursion, arrows, async, generators, classes"},
		{"classes inside functions", `function make(k) {
				class C { f = k === 1 ? "one" : "other"; static s = k > 0; static { C.t = k !== 2 && "t"; } m(x) { return x === this.f; } get g() { return [1, 2].includes(k); } }
				return new C();
			}
			var a = make(1), b = make(2);
			var out = [a.f, b.f, a.m("one"), b.g, a.g].join(",");`,
			"field initializers, static blocks and methods read the enclosing function's helpers"},
		{"methods on optional chains", `var o = {s: "abc"}, n = null;
			var out = [o?.s.startsWith("a"), n?.s.startsWith("a"), o.s?.includes("b"), n?.s?.indexOf("x")].join(",");`,
			"a method in an optional chain keeps the chain's short-circuit"},
		{"errors keep their shape", `var out; try { undefined.startsWith("x"); } catch (e) { out = e.message; }`,
			"a TypeError on a hooked receiver"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain, _, _ := run(t, tt.src, false)
			inst, info, _ := run(t, tt.src, true)
			if plain != inst {
				t.Errorf("plain %q\ninstrumented %q\n(%s)", plain, inst, tt.reason)
			}
			if strings.HasPrefix(plain, "error:") {
				t.Errorf("the test program itself fails: %s", plain)
			}
			if len(info.Map.Edges)+len(info.Map.Sites) == 0 && !strings.Contains(tt.name, "optional") {
				t.Errorf("nothing instrumented")
			}
		})
	}
}

// TestMapPositions checks that edges and sites are located in the user's
// file and that Lines counts its lines.
func TestMapPositions(t *testing.T) {
	src := "var out = 0;\nfunction f(x) {\n  if (x === 1) out++;\n  else if (x) out--;\n  while (x) if (x--) {}\n}\nf(1);"
	_, info, hooks := run(t, src, true)
	got := fmt.Sprint(info.Map.Edges, info.Map.Sites, info.Map.Lines)
	want := "[{entry 2 1} {then 3 16} {else 4 8} {then 4 15} {else 4 8} {loop-body 5 13} {then 5 22} {else 5 13} {loop-exit 5 3}] [{=== 3 7}] 7"
	if got != want {
		t.Errorf("map %s, want %s", got, want)
	}
	if hooks != 1 {
		t.Errorf("%d hook calls, want 1 (one comparison)", hooks)
	}
	for _, e := range info.Map.Edges {
		if e.Line < 1 || e.Column < 1 {
			t.Errorf("edge %+v has no position", e)
		}
	}
}
