package runtime_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// TestBehaviour covers decisions, errors and hostile functions in process.
func TestBehaviour(t *testing.T) {
	tests := []struct {
		name, reason, code, obj string
		opts                    runtime.Options
		decision, errName       string
		calls                   string
		line                    int
		minUtil                 int
	}{
		{name: "allow", reason: "plain allow", code: handler("connection.allow();"), decision: "allow", calls: "allow"},
		{name: "deny", reason: "plain deny", code: handler("return connection.deny();"), decision: "deny", calls: "deny"},
		{name: "none", reason: "no helper call is 'none' (CloudFront denies)", code: handler(""), decision: "none"},
		{name: "first rule", reason: "default DecisionRule is first", code: handler("connection.deny(); connection.allow();"), decision: "deny", calls: "deny,allow"},
		{name: "last rule", reason: "DecisionRule last", code: handler("connection.deny(); connection.allow();"), opts: runtime.Options{DecisionRule: runtime.DecisionLast}, decision: "allow", calls: "deny,allow"},
		{name: "async", reason: "an async handler is awaited", code: "async function connectionHandler(c) {\n  await null;\n  c.allow();\n}", decision: "allow", calls: "allow"},
		{name: "rejected promise", reason: "a rejection is an uncaught error", code: "async function connectionHandler(c) {\n  await null;\n  throw new TypeError('x');\n}", decision: "none", errName: "TypeError", line: 3},
		{name: "never settles", reason: "nothing can resolve it later", code: "async function connectionHandler(c) {\n  await new Promise(function () {});\n  c.allow();\n}", decision: "none", errName: "Error"},
		{name: "allow then throw", reason: "the decision stands, the error is reported", code: handler("connection.allow();\nnull.x;"), decision: "allow", calls: "allow", errName: "TypeError", line: 3},
		{name: "throw string", reason: "non-Error values", code: handler("throw 'boom';"), decision: "none", errName: "Error", line: 2},
		{name: "throw number", reason: "non-Error values", code: handler("throw 42;"), decision: "none", errName: "Error", line: 2},
		{name: "throw object", reason: "objects with a name keep it", code: handler("throw {name: 'Custom', message: 'm'};"), decision: "none", errName: "Custom", line: 2},
		{name: "throw null", reason: "non-Error values", code: handler("throw null;"), decision: "none", errName: "Error", line: 2},
		{name: "throw undefined", reason: "non-Error values", code: handler("throw undefined;"), decision: "none", errName: "Error", line: 2},
		{name: "hostile getter in thrown object", reason: "describing the error is time-limited too", code: handler("throw {get name() { for (;;) {} }};"), decision: "none", errName: "TimeoutError"},
		{name: "handler missing", reason: "no connectionHandler", code: "function handler(event) { return event; }", decision: "none", errName: "ReferenceError"},
		{name: "handler not a function", reason: "connectionHandler must be callable", code: "var connectionHandler = 1;", decision: "none", errName: "TypeError"},
		{name: "syntax error", reason: "does not compile", code: "function connectionHandler( {", decision: "none", errName: "SyntaxError", line: 1},
		{name: "top-level throw", reason: "errors while loading the code", code: "throw new RangeError('load');", decision: "none", errName: "RangeError", line: 1},
		{name: "non-JSON object", reason: "Execute must not panic on bad input", code: handler("connection.allow();"), obj: "not json", decision: "none", errName: "SyntaxError"},
		{name: "JSON array object", reason: "the connection object must be an object", code: handler("connection.allow();"), obj: "[1]", decision: "none", errName: "TypeError"},
		{name: "JSON null object", reason: "the connection object must be an object", code: handler("connection.allow();"), obj: "null", decision: "none", errName: "TypeError"},
		{name: "empty object bytes", reason: "the API allows a 0-byte object", code: handler("connection.allow();"), obj: "-", decision: "none", errName: "SyntaxError"},
		{name: "__proto__ key", reason: "JSON.parse makes it an own property", code: handler("if (Object.getPrototypeOf(connection) === Object.prototype) connection.allow();"), obj: `{"__proto__":{"x":1}}`, decision: "allow", calls: "allow"},
		{name: "prototype setter", reason: "fields are own data properties, as JSON.parse makes them: a setter the function puts on Object.prototype never sees them", code: "var seen = 0;\nObject.defineProperty(Object.prototype, 'clientIp', {set: function (v) { seen++; }, configurable: true});\n" + handler("if (seen === 0 && Object.getOwnPropertyDescriptor(connection, 'clientIp').value === '192.0.2.1') connection.allow();"), decision: "allow", calls: "allow"},
		{name: "escaped console", reason: "an identifier spelled with \\u escapes is still found", code: handler("\\u0063onsole.log('x'); connection.allow();"), decision: "allow", calls: "allow"},
		{name: "escaped repeat bomb", reason: "a method named through a \\x escape is still guarded", code: handler("var s = 'x'['re\\x70eat'](1 << 22);\nconnection.allow();"), decision: "none", errName: "MemoryError"},
		{name: "infinite loop", reason: "interrupted at TimeLimit", code: handler("for (;;) {}"), decision: "none", errName: "TimeoutError", minUtil: 100},
		{name: "allow then loop", reason: "decision kept, timeout reported", code: handler("connection.allow(); while (true) {}"), decision: "allow", calls: "allow", errName: "TimeoutError", minUtil: 100},
		{name: "deep recursion", reason: "MaxCallStackSize", code: handler("function f(n) { return f(n + 1) + 1; }\nf(0);"), decision: "none", errName: "RangeError", line: 2},
		{name: "string repeat bomb", reason: "guarded: MemoryError, uncatchable", code: handler("try { 'x'.repeat(1 << 30); } catch (e) { connection.allow(); }"), decision: "none", errName: "MemoryError", line: 2},
		{name: "padStart bomb", reason: "guarded", code: handler("''.padStart(1e9);"), decision: "none", errName: "MemoryError"},
		{name: "array constructor bomb", reason: "new Array(n) only sets a length; fill is guarded", code: handler("new Array(1e9).fill(0);"), decision: "none", errName: "MemoryError"},
		{name: "array length join bomb", reason: "guarded by length", code: handler("var a = []; a.length = 1e9; a.join('x');"), decision: "none", errName: "MemoryError"},
		{name: "implicit join bomb", reason: "toString goes through the guarded join", code: handler("var a = []; a.length = 1e9; var s = '' + a;"), decision: "none", errName: "MemoryError"},
		{name: "typed array bomb", reason: "guarded", code: handler("new Uint8Array(1e9);"), decision: "none", errName: "MemoryError"},
		{name: "Buffer.alloc bomb", reason: "guarded", code: handler("Buffer.alloc(1e9);"), decision: "none", errName: "MemoryError"},
		{name: "push loop", reason: "time-limited in process", code: handler("var a = []; for (;;) a.push(a.length);"), decision: "none", errName: "TimeoutError", minUtil: 100},
		{name: "string doubling", reason: "no single-allocation guard sees +: the heap guard ends it as a MemoryError, or the CPU limit as a TimeoutError when the guard's sample comes late on a loaded machine; either way a resource limit, never a result", code: handler("var s = 'x'; for (;;) s += s;"), decision: "none", errName: "MemoryError|TimeoutError"},
		{name: "catastrophic regex", reason: "regexp2 times out and reports no match; the run is flagged", code: handler("if (!/(a+)+(?=b)$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')) connection.allow();"), decision: "none", errName: "TimeoutError", minUtil: 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if testing.Short() && tt.name == "catastrophic regex" {
				t.Skip("takes ~500 ms (regexp2 gives up after 20 time limits)")
			}
			obj := tt.obj
			switch obj {
			case "":
				obj = `{"clientIp":"192.0.2.1"}`
			case "-":
				obj = ""
			}
			res := execute(t, tt.opts, tt.code, obj, nil)
			nameOK := res.ErrorName == tt.errName
			if strings.Contains(tt.errName, "|") {
				nameOK = res.ErrorName != "" && slices.Contains(strings.Split(tt.errName, "|"), res.ErrorName)
			}
			if res.Decision != tt.decision || !nameOK || strings.Join(res.Calls, ",") != tt.calls {
				t.Fatalf("got decision %q calls %v error %q, want %q [%s] %q (%s)", res.Decision, res.Calls, res.Error, tt.decision, tt.calls, tt.errName, tt.reason)
			}
			if tt.line != 0 && res.Line != tt.line {
				t.Errorf("error %q on line %d, want line %d", res.Error, res.Line, tt.line)
			}
			if res.Utilization < tt.minUtil {
				t.Errorf("utilization %d, want at least %d", res.Utilization, tt.minUtil)
			}
			if tt.errName != "" && !strings.HasPrefix(res.Error, res.ErrorName+": ") {
				t.Errorf("Error %q does not start with %q", res.Error, res.ErrorName+": ")
			}
		})
	}
}

func TestLimits(t *testing.T) {
	t.Run("logs", func(t *testing.T) {
		res := execute(t, runtime.Options{}, handler("for (var i = 0; i < 5000; i++) console.log('é0123456789');"), "{}", nil)
		n := 0
		for _, l := range res.Logs {
			n += len(l) + 1
		}
		if n > runtime.DefaultMaxLogBytes || n < runtime.DefaultMaxLogBytes-20 {
			t.Errorf("logs took %d bytes (with newlines), want just under %d", n, runtime.DefaultMaxLogBytes)
		}
	})
	t.Run("custom data", func(t *testing.T) {
		res := execute(t, runtime.Options{}, handler("connection.logCustomData('a' + 'é'.repeat(500));"), "{}", nil)
		if len(res.CustomData) != 799 || !strings.HasPrefix(res.CustomData, "aé") {
			t.Errorf("custom data is %d bytes, want 799 (800 cut back to a UTF-8 boundary)", len(res.CustomData))
		}
	})
	t.Run("calls", func(t *testing.T) {
		res := execute(t, runtime.Options{DecisionRule: runtime.DecisionLast}, handler("for (var i = 0; i < 5000; i++) connection.allow(); connection.deny();"), "{}", nil)
		if len(res.Calls) != 1000 || res.Decision != "deny" {
			t.Errorf("got %d calls and decision %q, want 1000 recorded and the last call (deny) deciding", len(res.Calls), res.Decision)
		}
	})
}

// TestIsolation checks that no state leaks from one run to the next.
func TestIsolation(t *testing.T) {
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	first := "Object.prototype.polluted = 1; Array.prototype.push = null; globalThis.leak = 1;\n" + handler("connection.allow();")
	second := handler("if (({}).polluted === undefined && typeof globalThis.leak === 'undefined' && [].push) connection.allow();")
	for _, code := range []string{first, second, first, second} {
		res, err := ex.Execute(t.Context(), runtime.Request{Code: []byte(code), Object: []byte("{}")})
		if err != nil || res.Decision != "allow" {
			t.Fatalf("got %+v, %v; want allow (state leaked between runs?)", res, err)
		}
	}
}

func TestDeterminism(t *testing.T) {
	code := handler("console.log(String(Math.random()) + ' ' + new Date().getTime());")
	a := execute(t, runtime.Options{}, code, "{}", nil)
	b := execute(t, runtime.Options{}, code, "{}", nil)
	if logs(a) != logs(b) || !strings.HasSuffix(logs(a), " 1748779200000") {
		t.Errorf("two runs with the same Seed and Now logged %q and %q", logs(a), logs(b))
	}
}
