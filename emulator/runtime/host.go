package runtime

import (
	_ "embed"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

var (
	//go:embed js/format.js
	formatSrc     string
	formatProgram = goja.MustCompile("cloudfront:format", formatSrc, true)
)

// formatLog renders a console.log argument: strings as they are, other
// primitives as String(v), objects as AWS's documented examples show them
// (js/format.js). A value whose rendering throws (a hostile getter) is
// logged as String(v), or "[object]" if that throws too.
func (r *run) formatLog(v goja.Value) string {
	if _, ok := v.(*goja.Object); !ok {
		return v.String()
	}
	if r.mods.format == nil {
		g := r.vm.GlobalObject()
		obj := func(path ...string) goja.Value {
			o := g
			for _, p := range path[:len(path)-1] {
				o = o.Get(p).ToObject(r.vm)
			}
			return o.Get(path[len(path)-1])
		}
		f := r.callFactory(formatProgram, obj("Object", "keys"), obj("Array", "isArray"), obj("ArrayBuffer", "isView"),
			obj("Date", "prototype", "toISOString"), obj("Object", "prototype", "toString"))
		r.mods.format, _ = goja.AssertFunction(f)
	}
	out, err := r.mods.format(goja.Undefined(), v, r.vm.ToValue(r.opts.MaxLogBytes))
	if err == nil {
		return out.String()
	}
	if _, ok := err.(*goja.InterruptedError); ok {
		panic(err)
	}
	s := "[object]"
	func() {
		defer func() { _ = recover() }()
		s = v.String()
	}()
	return s
}

// hide defines a host-provided property: writable and configurable like a
// built-in, but not enumerable.
func (r *run) hide(o *goja.Object, name string, v any) {
	_ = o.DefineDataProperty(name, r.vm.ToValue(v), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// installHost installs console, the lazily built modules and the
// `import cf from 'cloudfront'` binding into the global object.
func (r *run) installHost(m mentions) {
	g := r.vm.GlobalObject()
	// Captured before the user's code can replace them. The error
	// constructors are captured on first use unless the source mentions
	// them: code cannot replace a global it does not name. JSON.parse
	// serves kvs.get(..., {format: "json"}) only, so it is captured only
	// when the source can reach the store (goja builds JSON on first use:
	// about 6 KB per run otherwise).
	if m[reservedImportVar] || m["require"] {
		r.jsonParse, _ = goja.AssertFunction(r.vm.Get("JSON").ToObject(r.vm).Get("parse"))
	}
	if m["Error"] {
		for _, name := range hostErrors {
			r.errorCtor(name)
		}
	}
	if m["console"] {
		// Like the modules: a function cannot name a global it does not
		// mention (short of building the name at run time).
		console := r.vm.NewObject()
		r.hide(console, "log", r.consoleLog)
		r.hide(g, "console", console)
	}
	r.installModules(g, m)
}

// hostErrors are the error constructors the host throws with.
var hostErrors = []string{"Error", "TypeError", "RangeError", "EvalError"}

// errorCtor returns the global error constructor name as it was first seen.
func (r *run) errorCtor(name string) *goja.Object {
	if c, ok := r.errorCtors[name]; ok {
		return c
	}
	if r.errorCtors == nil {
		r.errorCtors = make(map[string]*goja.Object, len(hostErrors))
	}
	c, _ := r.vm.GlobalObject().Get(name).(*goja.Object)
	r.errorCtors[name] = c
	return c
}

// consoleLog records its first argument only: CloudFront documents that
// console.log does not support comma syntax. Logs stop at MaxLogBytes in
// total; the line that crosses the limit is cut on a UTF-8 boundary.
func (r *run) consoleLog(call goja.FunctionCall) goja.Value {
	if r.logsFull {
		return goja.Undefined()
	}
	line := ""
	if len(call.Arguments) > 0 {
		line = r.formatLog(call.Arguments[0])
	}
	// Each line costs its bytes plus a newline, so that empty lines count.
	if room := r.opts.MaxLogBytes - r.logBytes - 1; len(line) > room {
		line = truncateUTF8(line, room)
		r.logsFull = true
	}
	r.logBytes += len(line) + 1
	r.res.Logs = append(r.res.Logs, line)
	return goja.Undefined()
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.ToValidUTF8(s[:n], "")
}

// connection parses the connection object and attaches the helper
// methods. Helper names replace same-named fields of the object.
func (r *run) connection() (goja.Value, error) {
	v, err := parseJSON(r.vm, r.req.Object)
	if err != nil {
		return nil, r.jsError("SyntaxError", "the connection object is not valid JSON: "+err.Error())
	}
	conn, ok := v.(*goja.Object)
	if !ok || conn.ClassName() == "Array" {
		return nil, r.jsError("TypeError", "the connection object is not a JSON object")
	}
	r.hide(conn, "allow", func() { r.decide(DecisionAllow) })
	r.hide(conn, "deny", func() { r.decide(DecisionDeny) })
	r.hide(conn, "logCustomData", func(call goja.FunctionCall) goja.Value {
		r.res.CustomData = truncateUTF8(call.Argument(0).String(), MaxCustomDataBytes)
		return goja.Undefined()
	})
	return conn, nil
}

// decide records an allow()/deny() call.
func (r *run) decide(d string) {
	if r.calls < maxCalls {
		r.res.Calls = append(r.res.Calls, d)
	}
	r.calls++
	r.res.CallCount = r.calls
	if r.calls == 1 || r.opts.DecisionRule == DecisionLast {
		r.res.Decision = d
	}
}

// maxCalls caps Result.Calls; further calls still count for DecisionLast.
const maxCalls = 1000
