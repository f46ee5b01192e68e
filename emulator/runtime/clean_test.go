package runtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// observeState is JavaScript that describes the state a function can see
// before it changes anything: globals, top-level bindings, built-in
// prototypes and namespaces, the connection object's methods. Every
// execution must print the same description, however the previous
// executions on the same executor (and worker process) left their runtime.
const observeState = `
var topVar;               // no initializer: a reused global would keep its value
let topLet = 0;
const topConst = { n: 0 };
var counter = 0;
function describe(c) {
  var d = [];
  function add(name, f) {
    var v;
    try { v = f(); } catch (e) { v = 'threw'; }
    d.push(name + '=' + v);
  }
  add('globalLeak', function () { return typeof globalThis.leaked; });
  add('globalDefined', function () { return Object.getOwnPropertyDescriptor(globalThis, 'definedLeak') === undefined; });
  add('globalCount', function () { return Object.getOwnPropertyNames(globalThis).length; });
  add('console', function () { return typeof console + '/' + String(console.log).indexOf('native code') + '/' + Object.getOwnPropertyNames(console).length; });
  add('JSON', function () { return typeof JSON + '/' + JSON.stringify(JSON.parse('{"a":[1]}')); });
  add('Math', function () { return typeof Math + '/' + Math.max(1, 2) + '/' + Math.PI + '/' + Object.isFrozen(Math); });
  add('random', function () { return Math.random(); });
  add('topVar', function () { return topVar; });
  add('topLet', function () { return topLet; });
  add('topConst', function () { return topConst.n; });
  add('counter', function () { return counter; });
  add('arrayProto', function () { return Object.getOwnPropertyNames(Array.prototype).length + '/' + ([].x === undefined) + '/' + Object.isFrozen(Array.prototype) + '/' + Object.isExtensible(Array.prototype); });
  add('arrayMethods', function () { return [3, 1, 2].map(function (x) { return x * 2; }).sort().join('-') + '/' + [1, 2].includes(2) + '/' + Array.isArray([]); });
  add('stringProto', function () { return Object.getOwnPropertyNames(String.prototype).length + '/' + ' a '.trim() + '/' + 'abc'.indexOf('c') + '/' + ('s'.y === undefined); });
  add('objectProto', function () { return Object.getOwnPropertyNames(Object.prototype).length + '/' + ({}).polluted + '/' + Object.isExtensible(Object.prototype) + '/' + ('toString' in {}); });
  add('objectProtoSetter', function () { return Object.getOwnPropertyDescriptor(Object.prototype, 'value') === undefined; });
  add('regexp', function () { return /^a+$/.test('aaa') + '/' + /b/.exec('abc').index + '/' + Object.getOwnPropertyNames(RegExp.prototype).length + '/' + typeof RegExp; });
  add('errors', function () { return new TypeError('m').name + '/' + typeof Error.captureStackTrace + '/' + (new Error('x') instanceof Error); });
  add('function', function () { return Object.getOwnPropertyNames(Function.prototype).length + '/' + typeof Function.prototype.call; });
  add('number', function () { return (12.5).toFixed(1) + '/' + Number.isInteger(3) + '/' + typeof Number.prototype.z; });
  add('date', function () { return new Date(0).toISOString() + '/' + typeof Date.prototype.q; });
  add('promise', function () { return typeof Promise.resolve + '/' + typeof Promise.prototype.then; });
  add('symbol', function () { return typeof Symbol.iterator + '/' + typeof Array.prototype[Symbol.iterator]; });
  add('reflect', function () { return typeof Reflect + '/' + typeof Reflect.ownKeys; });
  add('conn', function () { return typeof c.allow + '/' + typeof c.deny + '/' + typeof c.logCustomData + '/' + (c.allow.tag === undefined) + '/' + Object.keys(c).length + '/' + (Object.getPrototypeOf(c) === Object.prototype); });
  add('connProto', function () { return Object.getOwnPropertyNames(Object.getPrototypeOf(c.allow)).length; });
  return d.join(' ');
}
`

// pollution changes everything observeState looks at, in every way a
// function can: assignment, deletion, defineProperty, Reflect, aliases,
// freezing, prototypes of the connection object's methods.
const pollution = `
function pollute(c) {
  globalThis.leaked = 1;
  Object.defineProperty(globalThis, 'definedLeak', { value: 1, enumerable: false, configurable: false });
  topVar = 'changed'; topLet++; topConst.n++; counter++;
  console.log = function () {}; console.extra = 1;
  JSON.parse = function () { return 'hijacked'; };
  Math.max = function () { return -1; }; Math.random = function () { return 0.5; };
  const ap = Array.prototype;           // an alias
  ap.x = 1; ap.map = function () { return ['m']; };
  Reflect.set(ap, 'includes', function () { return false; });
  Object.defineProperty(String.prototype, 'trim', { value: function () { return 'T'; } });
  Object.defineProperty(String.prototype, 'y', { get: function () { return 1; } });
  String.prototype.indexOf = function () { return 99; };
  Object.prototype.polluted = 'yes';
  Object.defineProperty(Object.prototype, 'value', { set: function (v) {}, configurable: true });
  delete Object.prototype.toString;
  RegExp.prototype.test = function () { return false; };
  RegExp.prototype.exec = function () { return { index: -1 }; };
  Object.defineProperty(RegExp.prototype, 'extra', { value: 1 });
  TypeError.prototype.name = 'Hijacked'; Error.captureStackTrace = 1;
  Function.prototype.call = null; Function.prototype.extra = 1;
  Number.prototype.toFixed = function () { return 'F'; }; Number.prototype.z = 1;
  Date.prototype.toISOString = function () { return 'D'; }; Date.prototype.q = 1;
  Promise.resolve = null; Promise.prototype.then = null;
  Array.prototype[Symbol.iterator] = null;
  Reflect.ownKeys = null;
  c.allow.tag = 1;
  Object.getPrototypeOf(c.allow).extra = 1;
  Object.setPrototypeOf(c, null);
  Object.freeze(Math);
  Object.freeze(Array.prototype);
  Object.preventExtensions(Object.prototype);
  delete globalThis.Reflect; delete globalThis.JSON; delete globalThis.RegExp;
}
`

// cleanFunction observes, pollutes and then decides: observing first
// shows what an execution started with.
const cleanFunction = observeState + pollution + `
function connectionHandler(connection) {
  counter++; topLet++; topConst.n++;
  var seen = describe(connection);
  topVar = 'set';
  connection.allow();
  console.log(seen);
  pollute(connection);
}
`

// observerOnly is the same program without calling pollute: what a fresh
// runtime shows.
const observerOnly = observeState + pollution + `
function connectionHandler(connection) {
  counter++; topLet++; topConst.n++;
  var seen = describe(connection);
  connection.allow();
  console.log(seen);
}
`

// TestCleanState runs a function that changes globals, top-level bindings
// and built-in prototypes many times on one executor (in process, plain and
// instrumented, and in a worker process that serves every run), interleaved
// with a function that only observes: every execution must see exactly
// what the first execution on a fresh executor saw.
func TestCleanState(t *testing.T) {
	obj := `{"clientIp":"192.0.2.1","clientCertificate":{"certificates":{"leaf":{"subject":"CN=a"}}}}`
	fresh := execute(t, runtime.Options{}, observerOnly, obj, nil)
	if fresh.Decision != "allow" || fresh.ErrorName != "" || len(fresh.Logs) != 1 {
		t.Fatalf("observer on a fresh executor: %+v", fresh)
	}
	want := fresh.Logs[0]
	for _, must := range []string{"globalLeak=undefined", "topVar=undefined", "topLet=1", "topConst=1", "counter=1", "random=0."} {
		if !strings.Contains(want, must) {
			t.Fatalf("the fresh observation lacks %q: %s", must, want)
		}
	}

	pool, err := runtime.NewProcessPool(runtime.ProcessOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	inproc := runtime.NewInProcess(runtime.Options{})
	defer inproc.Close()
	tests := []struct {
		name, reason string
		ex           runtime.Executor
		feedback     bool
	}{
		{name: "in process", reason: "one executor shares compiled programs between runs", ex: inproc},
		{name: "in process instrumented", reason: "the instrumented program and its prologue share the same cache", ex: inproc, feedback: true},
		{name: "worker process", reason: "one worker serves every run", ex: pool},
		{name: "worker process instrumented", reason: "the worker's instrumented runs", ex: pool, feedback: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range 4 {
				for _, code := range []string{cleanFunction, observerOnly} {
					req := runtime.Request{Code: []byte(code), Object: []byte(obj), Seed: 42, Now: fixedNow, Feedback: tt.feedback}
					res, err := tt.ex.Execute(context.Background(), req)
					if err != nil {
						t.Fatalf("run %d: %v", i, err)
					}
					if res.Decision != "allow" || len(res.Logs) == 0 {
						t.Fatalf("run %d: %+v", i, res)
					}
					if res.Logs[0] != want {
						t.Fatalf("run %d (%s) saw a changed state (%s):\n got %s\nwant %s", i, tt.reason, firstWord(code), res.Logs[0], want)
					}
					if code == cleanFunction && res.ErrorName != "" {
						t.Fatalf("run %d: the pollution failed, so it proves nothing: %s", i, res.Error)
					}
				}
			}
		})
	}
}

// firstWord names a test function by its role.
func firstWord(code string) string {
	if code == cleanFunction {
		return "polluting function"
	}
	return "observing function"
}

// TestCleanStateObservesPollution shows that TestCleanState can fail: in
// one execution, the description after pollute differs from the one
// before in every item, so a runtime that kept any of the pollution for
// the next execution would be seen.
func TestCleanStateObservesPollution(t *testing.T) {
	code := observeState + pollution + `
function connectionHandler(connection) {
  counter++; topLet++; topConst.n++;
  var before = describe(connection);
  var log = console.log;
  topVar = 'set';
  pollute(connection);
  // Restore what describe itself needs to run (its own output and the
  // built-ins it joins with), then describe again.
  log(before);
  log(describe(connection));
  connection.allow();
}
`
	res := execute(t, runtime.Options{}, code, `{"clientIp":"192.0.2.1"}`, nil)
	if res.ErrorName != "" || len(res.Logs) != 2 {
		t.Fatalf("%+v", res)
	}
	before, after := strings.Fields(res.Logs[0]), strings.Fields(res.Logs[1])
	if len(before) != len(after) {
		t.Fatalf("descriptions differ in shape:\n%s\n%s", res.Logs[0], res.Logs[1])
	}
	for i := range before {
		if before[i] == after[i] {
			t.Errorf("pollute does not change what %s shows", before[i])
		}
	}
}

// TestGlobalOrder: the host defines its globals in a fixed order, so a
// function that lists the global object's properties sees the same list in
// every run (they were defined from a map, in a random order).
func TestGlobalOrder(t *testing.T) {
	code := handler("console.log(Object.getOwnPropertyNames(globalThis).join()); connection.allow();\n" +
		"// mentions: Buffer TextEncoder TextDecoder atob btoa require")
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	var first string
	for i := range 20 {
		res, err := ex.Execute(context.Background(), runtime.Request{Code: []byte(code), Object: []byte(`{}`), Seed: 1, Now: fixedNow})
		if err != nil || len(res.Logs) != 1 {
			t.Fatalf("run %d: %+v %v", i, res, err)
		}
		if i == 0 {
			first = res.Logs[0]
			if !strings.Contains(first, "atob") || !strings.Contains(first, "require") {
				t.Fatalf("the host globals are missing: %s", first)
			}
		} else if res.Logs[0] != first {
			t.Fatalf("run %d listed the globals as\n%s\nthe first run as\n%s", i, res.Logs[0], first)
		}
	}
}
