package calibrate

import (
	"fmt"
	"strings"
)

// Kinds of probes.
const (
	// KindWork probes do a known amount of work and allow; their
	// utilizations are what the scale is fitted to.
	KindWork = "work"
	// KindError probes end in an uncaught exception or rejection.
	KindError = "error"
	// KindOutput probes decide (allow, deny, none, several calls) and log
	// custom data: the shapes of ConnectionFunctionOutput.
	KindOutput = "output"
	// KindLog probes console.log values of every type.
	KindLog = "log"
	// KindObject probes run on malformed connection objects.
	KindObject = "object"
	// KindLimit probes hit a limit: time, call stack, memory.
	KindLimit = "limit"
)

// Probe is one function run on one connection object. Its answer on a
// target is recorded; work probes also measure the emulator's CPU time.
type Probe struct {
	// Name identifies the probe: "kind/what[/size]".
	Name string `json:"name"`
	// Kind is KindWork, KindError, ...
	Kind string `json:"kind"`
	// Code is the function's source; Object the connection object sent.
	Code   string `json:"code"`
	Object string `json:"object"`
	// Work is the number of iterations of a work probe.
	Work int `json:"work,omitempty"`
	// KnownMessage says the error message is the probe's own text
	// (ProbeMessage), the same on every engine: the error format is
	// learned from these probes and their messages are compared exactly.
	KnownMessage bool `json:"knownMessage,omitempty"`
}

// ProbeMessage is the message of the errors probes throw themselves.
const ProbeMessage = "cffuzz probe message"

// ProbeObject is the connection object every probe but the malformed-object
// ones receives: AWS's documented full-certificate example.
const ProbeObject = `{"clientCertificate":{"certificates":{"leaf":{"serialNumber":"00:9e:2a:af:16:56:e5:47:25:7d:2e:38:c3:f9:9d:57:fa","issuer":"C=US, O=Ram, OU=Edge, ST=WA, CN=mTLS-CA, L=Snoqualmie","subject":"C=US, O=Ram, OU=Edge, ST=WA, CN=mTLS-CA, L=Snoqualmie","validity":{"notBefore":"2025-09-10T23:43:10Z","notAfter":"2055-09-11T00:43:02Z"},"sha256Fingerprint":"_w6bJ7aOAlGOj7NUhJxTfsfee-ONg_xop3_PTgTJpqs="}}},"clientIp":"127.0.0.1","endpoint":"d3lch071jze0cb.cloudfront.net","distributionId":"E1NXS4MQZH501R","connectionId":"NpvTe1925xfj24a67sPQr7ae42BIq03FGhJJKfrQYWZcWZFp96SIIg=="}`

// workKinds are the bodies of the work probes: N iterations of one kind of
// work, whose result goes into logCustomData so that no engine can skip it.
// On goja the sizes take about 0.1 to 5 ms of CPU time, a quarter of the
// default time limit, so that a noisy run does not cross it, and one
// size 50 to 60 ms, far past it, to bracket a target's limit.
var workKinds = []struct {
	name, body string
	sizes      []int
}{
	{"loop", "var h = 0;\n  for (var i = 0; i < {N}; i++) { h = (h * 31 + i) | 0; }\n  connection.logCustomData('h=' + h);",
		[]int{500, 2000, 6000, 15000, 250000}},
	{"string", "var s = '';\n  for (var i = 0; i < {N}; i++) { s += String.fromCharCode(97 + i % 26); if (s.length > 64) { s = s.slice(32); } }\n  connection.logCustomData(s.slice(0, 8));",
		[]int{200, 800, 2500, 6000, 100000}},
	{"json", "var o = {a: [1, 2, 3], b: 'x', c: {d: true}};\n  for (var i = 0; i < {N}; i++) { o = JSON.parse(JSON.stringify(o)); o.a[0] = i; }\n  connection.logCustomData('a=' + o.a[0]);",
		[]int{20, 80, 250, 400, 6000}},
}

// handler wraps body in a synchronous connectionHandler.
func handler(body string) string {
	return "function connectionHandler(connection) {\n  " + body + "\n}\n"
}

// atLine7 places stmt on line 7 of the handler, so that error positions
// are distinctive numbers the error format can be learned from.
func atLine7(pre, stmt string) string {
	return "function connectionHandler(connection) {\n  " + pre + "\n  //\n  //\n  //\n  //\n      " + stmt + "\n}\n"
}

// Probes returns the fixed probe suite, in a stable order. A calibration
// file records the probes it ran, so a later --check runs the same ones.
func Probes() []Probe {
	var ps []Probe
	add := func(kind, name, code, object string, known bool) {
		if object == "" {
			object = ProbeObject
		}
		ps = append(ps, Probe{Name: kind + "/" + name, Kind: kind, Code: code, Object: object, KnownMessage: known})
	}
	for _, w := range workKinds {
		for _, n := range w.sizes {
			ps = append(ps, Probe{
				Name: fmt.Sprintf("%s/%s/%d", KindWork, w.name, n), Kind: KindWork, Work: n, Object: ProbeObject,
				Code: handler(strings.ReplaceAll(w.body, "{N}", fmt.Sprint(n)) + "\n  connection.allow();"),
			})
		}
	}
	msg := "'" + ProbeMessage + "'"
	for _, e := range []struct {
		name, pre, stmt string
		known           bool
	}{
		{"type", "", "null.cffuzzProbe;", false},
		{"reference", "", "cffuzzUndefinedName;", false},
		{"range", "", "new Array(-1);", false},
		{"custom", "", "throw new Error(" + msg + ");", true},
		{"custom-type", "", "throw new TypeError(" + msg + ");", true},
		{"custom-name", "var e = new Error(" + msg + "); e.name = 'ProbeError';", "throw e;", true},
		{"after-allow", "connection.allow();", "throw new Error(" + msg + ");", true},
		{"throw-string", "", "throw 'cffuzz probe string';", false},
		{"throw-number", "", "throw 42;", false},
		{"throw-object", "", "throw {name: 'ProbeObject', message: " + msg + "};", false},
		{"throw-null", "", "throw null;", false},
		{"reject", "", "return Promise.reject(new RangeError(" + msg + "));", true},
	} {
		add(KindError, e.name, atLine7(e.pre, e.stmt), "", e.known)
	}
	add(KindError, "async-throw", "async function connectionHandler(connection) {\n  await null;\n  //\n  //\n  //\n  //\n      throw new Error("+msg+");\n}\n", "", true)
	add(KindError, "kvs-missing", "import cf from 'cloudfront';\nfunction connectionHandler(connection) {\n  cf.kvs();\n  connection.allow();\n}\n", "", false)
	add(KindError, "syntax", "function connectionHandler(connection) {\n  connection.allow(\n}\n", "", false)
	add(KindError, "no-handler", "function handler(connection) {\n  connection.allow();\n}\n", "", false)

	for _, o := range []struct{ name, body string }{
		{"allow", "connection.allow();"},
		{"deny", "connection.deny();"},
		{"none", "var x = 1;"},
		{"allow-deny", "connection.allow();\n  connection.deny();"},
		{"deny-allow", "connection.deny();\n  connection.allow();"},
		{"custom-data", "connection.logCustomData('cffuzz probe data');\n  connection.allow();"},
		{"custom-data-escapes", "connection.logCustomData('q\"<&>\\\\ \\u00e9');\n  connection.deny();"},
		{"custom-data-long", "connection.logCustomData(new Array(501).join('\\u00e9'));\n  connection.allow();"},
	} {
		add(KindOutput, o.name, handler(o.body), "", false)
	}
	add(KindOutput, "async-allow", "async function connectionHandler(connection) {\n  await null;\n  connection.allow();\n}\n", "", false)

	for _, l := range []struct{ name, body string }{
		{"string", "console.log('cffuzz probe log');"},
		{"number", "console.log(42.5);"},
		{"boolean", "console.log(true);"},
		{"null", "console.log(null);"},
		{"undefined", "console.log(undefined);"},
		{"object", "console.log({a: 1, b: 'x', c: [1, 2], d: {e: null}});"},
		{"array", "console.log([1, 'two', null]);"},
		{"error", "console.log(new TypeError('cffuzz probe log'));"},
		{"two-arguments", "console.log('first', 'second');"},
		{"empty", "console.log();"},
		{"unicode", "console.log('\\u00e9\\u4e2d\\ud83d\\ude00');"},
		{"many", "for (var i = 0; i < 20; i++) { console.log('line ' + i); }"},
		{"flood", "for (var i = 0; i < 200; i++) { console.log(i + ' ' + new Array(100).join('x')); }"},
	} {
		add(KindLog, l.name, handler(l.body+"\n  connection.allow();"), "", false)
	}

	look := handler("console.log(typeof connection + ' ' + typeof connection.clientCertificate + ' ' + typeof connection.clientIp);\n  connection.allow();")
	for _, o := range []struct{ name, object string }{
		{"empty-object", "{}"},
		{"not-json", "not json"},
		{"array", "[1,2]"},
		{"null", "null"},
		{"string", `"connection"`},
		{"wrong-types", `{"clientIp":42,"clientCertificate":"x"}`},
		{"extra-fields", `{"clientIp":"127.0.0.1","cffuzzExtra":{"a":[1,2,3]}}`},
	} {
		add(KindObject, o.name, look, o.object, false)
	}

	add(KindLimit, "timeout", atLine7("", "for (;;) {}"), "", false)
	add(KindLimit, "recursion", atLine7("function f(n) { return f(n + 1) + 1; }", "f(0);"), "", false)
	add(KindLimit, "memory-string", atLine7("", "var s = 'x'.repeat(1 << 27); connection.logCustomData('' + s.length);"), "", false)
	add(KindLimit, "memory-array", atLine7("", "var a = new Array(1e8).fill(0); connection.logCustomData('' + a.length);"), "", false)
	return ps
}
