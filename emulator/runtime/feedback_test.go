package runtime_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/cffuzz/cffuzz/coverage"
	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// executeFeedback runs code on obj instrumented and returns the Result and
// the function's coverage map.
func executeFeedback(t testing.TB, ex runtime.Executor, code, obj string) (runtime.Result, *coverage.Map) {
	t.Helper()
	m, err := runtime.CoverageMap([]byte(code), runtime.Options{})
	if err != nil {
		t.Fatalf("CoverageMap: %v", err)
	}
	res, err := ex.Execute(context.Background(), runtime.Request{Code: []byte(code), Object: []byte(obj), Seed: 42, Now: fixedNow, Feedback: true})
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	if res.Feedback == nil {
		t.Fatalf("no Feedback in %+v", res)
	}
	if len(res.Feedback.Hits) != len(m.Edges) {
		t.Fatalf("%d hits for %d edges", len(res.Feedback.Hits), len(m.Edges))
	}
	return res, m
}

// hitTable renders every edge as "kind@line:col=hits", in map order.
func hitTable(m *coverage.Map, fb *coverage.Feedback) []string {
	out := make([]string, len(m.Edges))
	for i, e := range m.Edges {
		out[i] = fmt.Sprintf("%s@%d:%d=%d", e.Kind, e.Line, e.Column, fb.Hits[i])
	}
	return out
}

// TestFeedbackCounters checks the exact hit count of every edge, by kind,
// with its position in the user's file.
func TestFeedbackCounters(t *testing.T) {
	tests := []struct {
		name, code, obj, reason string
		want                    []string
	}{
		{
			name: "if with implicit else", obj: `{"clientIp":"1.2.3.4"}`,
			code: "function connectionHandler(c) {\n" +
				"  if (c.clientIp === '1.2.3.4') { c.allow(); }\n" +
				"  if (c.clientIp === 'x') c.deny();\n" +
				"}",
			reason: "the first if takes then, the second the implicit else (at the if keyword)",
			want:   []string{"entry@1:1=1", "then@2:33=1", "else@2:3=0", "then@3:27=0", "else@3:3=1"},
		},
		{
			name: "loop body and exit", obj: `{}`,
			code: "function connectionHandler(c) {\n" +
				"  var n = 0;\n" +
				"  for (var i = 0; i < 5; i++) { n++; }\n" +
				"  while (n > 0) n--;\n" +
				"  do { n++; } while (n < 2);\n" +
				"  for (var k in {a: 1, b: 2}) n++;\n" +
				"  for (var v of [1, 2, 3]) { if (v === 2) break; }\n" +
				"  c.allow();\n" +
				"}",
			reason: "bodies count iterations; exits count once, also on break",
			want: []string{"entry@1:1=1",
				"loop-body@3:31=5", "loop-exit@3:3=1",
				"loop-body@4:17=5", "loop-exit@4:3=1",
				"loop-body@5:6=2", "loop-exit@5:3=1",
				"loop-body@6:31=2", "loop-exit@6:3=1",
				"loop-body@7:28=2", "then@7:43=1", "else@7:30=1", "loop-exit@7:3=1"},
		},
		{
			name: "switch cases and fall-through", obj: `{"clientIp":"b"}`,
			code: "function connectionHandler(c) {\n" +
				"  switch (c.clientIp) {\n" +
				"  case 'a': c.deny();\n" +
				"  case 'b':\n" +
				"  case 'c': c.allow(); break;\n" +
				"  default: c.deny();\n" +
				"  }\n" +
				"}",
			reason: "case b is entered, case c by fall-through, neither a nor default",
			want:   []string{"entry@1:1=1", "case@3:3=0", "case@4:3=1", "case@5:3=1", "case@6:3=0"},
		},
		{
			name: "catch", obj: `{}`,
			code: "function connectionHandler(c) {\n" +
				"  try { c.x.y; } catch (e) { c.allow(); }\n" +
				"  try { c.x; } catch (e) { c.deny(); }\n" +
				"}",
			reason: "only the first try throws",
			want:   []string{"entry@1:1=1", "catch@2:18=1", "catch@3:16=0"},
		},
		{
			name: "logical operands", obj: `{"a":0,"b":null}`,
			code: "function connectionHandler(c) {\n" +
				"  var x = c.a && c.zz;\n" +
				"  var y = c.b || c.a || 7;\n" +
				"  var z = c.b ?? 'd';\n" +
				"  c.allow();\n" +
				"}",
			reason: "&& stops at the falsy c.a; || evaluates all three; ?? both",
			want: []string{"entry@1:1=1", "logical@2:11=1", "logical@2:18=0",
				"logical@3:11=1", "logical@3:18=1", "logical@3:25=1",
				"logical@4:11=1", "logical@4:18=1"},
		},
		{
			name: "conditional arms and nested functions", obj: `{"clientIp":"z"}`,
			code: "function connectionHandler(c) {\n" +
				"  var f = function (v) { return v ? 'y' : 'n'; };\n" +
				"  var g = (v) => v + 1;\n" +
				"  [1, 2, 3].forEach(function (v) { g(v); });\n" +
				"  f(1); f(0); f(0);\n" +
				"  c.allow();\n" +
				"}",
			reason: "each function counts its entries; ?: counts each arm",
			want: []string{"entry@1:1=1", "entry@2:11=3", "cond-then@2:37=1", "cond-else@2:43=2",
				"entry@3:11=3", "entry@4:21=3"},
		},
	}
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, m := executeFeedback(t, ex, tt.code, tt.obj)
			if res.Error != "" {
				t.Fatalf("error: %s", res.Error)
			}
			if got := hitTable(m, res.Feedback); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("hits\n got %q\nwant %q\n(%s)", got, tt.want, tt.reason)
			}
		})
	}
}

// cmpTable renders captured comparisons as "op left right result".
func cmpTable(m *coverage.Map, fb *coverage.Feedback) []string {
	var out []string
	for _, c := range fb.Cmps {
		res := fmt.Sprint(c.Result)
		if c.Unknown {
			res = "?"
		}
		out = append(out, fmt.Sprintf("%s %s %s %s", m.Sites[c.Site].Op, operandText(c.Left), operandText(c.Right), res))
	}
	return out
}

func operandText(o coverage.Operand) string {
	if o.Str == "" {
		return o.Kind
	}
	return o.Kind + ":" + o.Str
}

// TestFeedbackComparisons checks what each comparison operator, switch and
// method captures, and that the hooks keep evaluation order, `this`,
// getters and valueOf calls exactly as in the plain program.
func TestFeedbackComparisons(t *testing.T) {
	tests := []struct {
		name, body, reason string
		want               []string
		logs               string
	}{
		{name: "strict equality", body: "if (c.clientIp === '10.0.0.1') {} if (c.clientIp !== 'x') {}",
			reason: "both strict operators, string operands",
			want:   []string{"=== string:10.1.2.3 string:10.0.0.1 false", "!== string:10.1.2.3 string:x true"}},
		{name: "loose and relational", body: "var n = c.port; if (n == '443') {} if (n != 80) {} if (n < 100) {} if (n <= 443) {} if (n > '5') {} if (n >= 1e3) {}",
			reason: "results computed as JavaScript does, mixed types included",
			want: []string{"== number:443 string:443 true", "!= number:443 number:80 true", "< number:443 number:100 false",
				"<= number:443 number:443 true", "> number:443 string:5 true", ">= number:443 number:1000 false"}},
		{name: "string order", body: "if (c.clientIp < '9') {} if ('b' > c.clientIp) {}",
			reason: "strings compare by code units",
			want:   []string{"< string:10.1.2.3 string:9 true", "> string:b string:10.1.2.3 true"}},
		{name: "constants only", body: "if (1 === 1) {} if ('a' < 'b') {}",
			reason: "two literal operands are not a site", want: nil},
		{name: "evaluation order", body: "var i = 0; var r = i++ === 0; var s = i === i++; console.log(i + ' ' + r + ' ' + s);",
			reason: "operands are evaluated once, left to right", logs: "2 true true",
			want: []string{"=== number:0 number:0 true", "=== number:1 number:1 true"}},
		{name: "getter once", body: "var n = 0; var o = {get v() { n++; return 'a'; }}; if (o.v === 'a') {} console.log(n);",
			reason: "a getter operand runs once", logs: "1",
			want: []string{"=== string:a string:a true"}},
		{name: "valueOf not called by hooks", body: "var n = 0; var o = {valueOf: function () { n++; return 1; }}; if (o < 2) {} console.log(n);",
			reason: "only the native < calls valueOf", logs: "1",
			want: []string{"< other number:2 ?"}},
		{name: "switch", body: "switch (c.clientIp) { case '1.1.1.1': break; case '10.1.2.3': break; case 'never': break; }",
			reason: "the discriminant against each case test evaluated",
			want:   []string{"switch string:10.1.2.3 string:1.1.1.1 false", "switch string:10.1.2.3 string:10.1.2.3 true"}},
		{name: "string methods", body: "var s = c.clientIp; s.startsWith('10.'); s.endsWith('.9'); s.includes('1.2'); s.indexOf('x'); s.lastIndexOf('1'); s.localeCompare('a'); s.split('.'); s.search('2'); s.match('3');",
			reason: "receiver and first argument",
			want: []string{"startsWith string:10.1.2.3 string:10. true", "endsWith string:10.1.2.3 string:.9 false",
				"includes string:10.1.2.3 string:1.2 true", "indexOf string:10.1.2.3 string:x false",
				"lastIndexOf string:10.1.2.3 string:1 true", "localeCompare string:10.1.2.3 string:a false",
				"split string:10.1.2.3 string:. ?", "search string:10.1.2.3 string:2 ?", "match string:10.1.2.3 string:3 ?"}},
		{name: "regexp methods", body: "/^10\\./.test(c.clientIp); /x/g.exec(c.clientIp); c.clientIp.split(/\\./);",
			reason: "a RegExp literal is captured by its source",
			want: []string{"test regexp:/^10\\./ string:10.1.2.3 ?", "exec regexp:/x/g string:10.1.2.3 ?",
				"split string:10.1.2.3 regexp:/\\./ ?"}},
		{name: "regexp objects", body: "var n = 0; var re = new RegExp('^1' + '0', 'i'); Object.defineProperty(RegExp.prototype, 'source', {get: function () { n++; return 'x'; }}); re.test(c.clientIp); console.log(n);",
			reason: "a RegExp object is captured by its pattern, read with the original getter (flags are known for literals only)", logs: "0",
			want: []string{"test regexp:/^10/ string:10.1.2.3 ?"}},
		{name: "array methods", body: "['a', 1, null, {}].includes(c.clientIp); c.clientIp.split('.').indexOf('2'); [].lastIndexOf(c.clientIp);",
			reason: "an array receiver is captured by its primitive elements (an empty one as other)",
			want: []string{"includes string:a string:10.1.2.3 false", "includes number:1 string:10.1.2.3 false", "includes null string:10.1.2.3 false",
				"split string:10.1.2.3 string:. ?", "indexOf string:10 string:2 false", "indexOf string:1 string:2 false", "indexOf string:2 string:2 true", "indexOf string:3 string:2 false",
				"lastIndexOf other string:10.1.2.3 ?"}},
		{name: "array accessor elements", body: "var n = 0; var a = ['x']; Object.defineProperty(a, 1, {get: function () { n++; return 'y'; }}); a.includes('q'); console.log(n);",
			reason: "an accessor element is skipped: only the native includes calls its getter", logs: "1",
			want: []string{"includes string:x string:q false"}},
		{name: "array with hostile prototype", body: "var n = 0; Object.defineProperty(Object.prototype, 'configurable', {set: function () { n++; }}); Object.defineProperty(Object.prototype, 'value', {get: function () { n++; return 'z'; }, set: function () { n++; }}); ['x'].includes('q'); console.log(n);",
			reason: "accessors on Object.prototype never run from the hook (the array is then not inspected)", logs: "0",
			want: []string{"includes other string:q ?"}},
		{name: "this kept", body: "var o = {includes: function (x) { return this === o && x === 5; }}; console.log(o.includes(5));",
			reason: "a method call through the hooks keeps its receiver", logs: "true",
			want: []string{"includes other number:5 ?", "=== other other true", "=== number:5 number:5 true"}},
		{name: "repeated pairs once", body: "for (var i = 0; i < 3; i++) { if (c.clientIp === 'x') {} }",
			reason: "a loop repeating one comparison records it once",
			want:   []string{"< number:0 number:3 true", "=== string:10.1.2.3 string:x false", "< number:1 number:3 true", "< number:2 number:3 true", "< number:3 number:3 false"}},
		{name: "bounded per site", body: "for (var i = 0; i < 40; i++) { if (i === 100) {} }",
			reason: "16 captures per site, then the hooks return at once",
			want: func() []string {
				var w []string
				for i := 0; i < 16; i++ {
					w = append(w, fmt.Sprintf("< number:%d number:40 true", i))
					w = append(w, fmt.Sprintf("=== number:%d number:100 false", i))
				}
				return w
			}()},
	}
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	obj := `{"clientIp":"10.1.2.3","port":443}`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := "function connectionHandler(c) {\n" + tt.body + "\nc.allow();\n}"
			res, m := executeFeedback(t, ex, code, obj)
			if res.Error != "" {
				t.Fatalf("error: %s", res.Error)
			}
			plain := execute(t, runtime.Options{}, code, obj, nil)
			if logs(res) != logs(plain) || (tt.logs != "" && logs(res) != tt.logs) {
				t.Errorf("logs %q, plain %q, want %q (%s)", logs(res), logs(plain), tt.logs, tt.reason)
			}
			if got := cmpTable(m, res.Feedback); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("comparisons\n got %q\nwant %q\n(%s)", got, tt.want, tt.reason)
			}
		})
	}
}

// TestFeedbackHidden runs functions that look for, redefine or break
// globals and prototypes: none can see or disturb the instrumentation, and
// each behaves as it does plain.
func TestFeedbackHidden(t *testing.T) {
	tests := []struct{ name, body, reason string }{
		{"global names", "console.log(Object.getOwnPropertyNames(globalThis).filter(function (n) { return /[# ]/.test(n); }).join());",
			"no helper is a property of the global object"},
		{"bracket access", "console.log(typeof globalThis['cf #take'] + typeof globalThis['cf #c'] + typeof globalThis['cf #l']);",
			"the helpers cannot be reached by a computed name"},
		{"typed arrays replaced", "Uint32Array = function () { throw new Error('x'); }; Object.defineProperty(Object.prototype, '0', {set: function () { throw new Error('set'); }, get: function () { throw new Error('get'); }}); if (c.clientIp === '1') {} ",
			"indexed counter writes never reach prototypes"},
		{"functions replaced", "Function.prototype.call = null; Function.prototype.apply = null; Array.prototype.push = null; Object.freeze(Object.prototype); if (c.clientIp === 'x') {}",
			"the hooks are native and need no built-in"},
		{"source text", "console.log(String(connectionHandler).length + ' ' + (function f(x) { if (x === 1) {} }).toString());",
			"functions print their own source, not the rewrite"},
		{"stack trace", "function inner() { if (c.clientIp === 'x') {} return new Error('e').stack; } console.log(inner());",
			"a logged stack string is the plain run's (its bytecode offsets differ instrumented: the plain re-run rule)"},
		{"method replaced", "String.prototype.startsWith = function (x) { return 'mine:' + x; }; console.log(c.clientIp.startsWith('1'));",
			"a replaced method is what the program calls, through the hooks"},
	}
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	obj := `{"clientIp":"10.1.2.3"}`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := "function connectionHandler(c) {\n" + tt.body + "\nc.allow();\n}"
			res, m := executeFeedback(t, ex, code, obj)
			plain := execute(t, runtime.Options{}, code, obj, nil)
			if res.Error != plain.Error || res.Decision != "allow" || logs(res) != logs(plain) {
				t.Fatalf("instrumented %q %q %q, plain %q %q %q (%s)", res.Decision, res.Error, logs(res), plain.Decision, plain.Error, logs(plain), tt.reason)
			}
			if m.Edges[0].Kind != coverage.EdgeEntry || res.Feedback.Hits[0] != 1 {
				t.Errorf("entry edge %v counted %d, want 1 (%s)", m.Edges[0], res.Feedback.Hits[0], tt.reason)
			}
		})
	}
}

// TestFeedbackProcessPool: feedback crosses the worker protocol and equals
// the in-process feedback.
func TestFeedbackProcessPool(t *testing.T) {
	pool, err := runtime.NewProcessPool(runtime.ProcessOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	code := "function connectionHandler(c) {\n  for (var i = 0; i < 3; i++) {}\n  if (c.clientIp.startsWith('10.')) c.allow(); else c.deny();\n}"
	want, _ := executeFeedback(t, ex, code, `{"clientIp":"10.1.2.3"}`)
	for i := 0; i < 2; i++ { // the second request reuses the worker's cached code
		got, err := pool.Execute(context.Background(), runtime.Request{Code: []byte(code), Object: []byte(`{"clientIp":"10.1.2.3"}`), Seed: 42, Now: fixedNow, Feedback: true})
		if err != nil {
			t.Fatal(err)
		}
		if got.Decision != "allow" || got.Feedback == nil || !reflect.DeepEqual(got.Feedback, want.Feedback) {
			t.Fatalf("pool %q %+v, in process %+v", got.Decision, got.Feedback, want.Feedback)
		}
	}
	plain, err := pool.Execute(context.Background(), runtime.Request{Code: []byte(code), Object: []byte(`{}`)})
	if err != nil || plain.Feedback != nil {
		t.Fatalf("a plain request got feedback %v (%v)", plain.Feedback, err)
	}
}

// TestCoverageMapSyntaxError: a function that does not compile has no map,
// and the error is the one Check reports.
func TestCoverageMapSyntaxError(t *testing.T) {
	code := []byte("function connectionHandler(c) {\n  if (c.x ===) {}\n}")
	_, err := runtime.CoverageMap(code, runtime.Options{})
	if err == nil || err.Error() != runtime.Check(code).Error() {
		t.Fatalf("CoverageMap error %v, Check %v", err, runtime.Check(code))
	}
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	res, err := ex.Execute(context.Background(), runtime.Request{Code: code, Object: []byte("{}"), Feedback: true})
	if err != nil || res.ErrorName != runtime.ErrorSyntax || res.Feedback == nil || len(res.Feedback.Hits) != 0 {
		t.Fatalf("Execute: %+v, %v", res, err)
	}
}

// TestFeedbackConcurrent: runs sharing one cached instrumented program
// from several goroutines each get their own, identical feedback.
func TestFeedbackConcurrent(t *testing.T) {
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	code := "function connectionHandler(c) {\n  var parts = c.clientIp.split('.');\n  for (var i = 0; i < parts.length; i++) { if (parts[i] === '2') c.allow(); }\n  if (['a', 'b'].includes(c.clientIp)) c.deny();\n}"
	want, _ := executeFeedback(t, ex, code, `{"clientIp":"10.1.2.3"}`)
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 20; i++ {
				got, err := ex.Execute(context.Background(), runtime.Request{Code: []byte(code), Object: []byte(`{"clientIp":"10.1.2.3"}`), Seed: 42, Now: fixedNow, Feedback: true})
				if err == nil && !reflect.DeepEqual(got.Feedback, want.Feedback) {
					err = fmt.Errorf("feedback %+v, want %+v", got.Feedback, want.Feedback)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
