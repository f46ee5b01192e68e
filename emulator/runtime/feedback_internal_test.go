package runtime

import (
	"math"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/coverage"
	"github.com/dop251/goja"
)

// TestOperand: how hook arguments are described, without running user code.
func TestOperand(t *testing.T) {
	vm := goja.New()
	obj, _ := vm.RunString(`({valueOf: function () { throw new Error('called'); }})`)
	tests := []struct {
		name   string
		v      goja.Value
		regexp string
		want   coverage.Operand
		reason string
	}{
		{"string", vm.ToValue("CN=a"), "", coverage.Operand{Kind: "string", Str: "CN=a"}, "as is"},
		{"long string", vm.ToValue(strings.Repeat("é", 200)), "", coverage.Operand{Kind: "string", Str: strings.Repeat("é", 128)}, "capped at 256 bytes on a rune boundary"},
		{"odd cap", vm.ToValue("a" + strings.Repeat("é", 200)), "", coverage.Operand{Kind: "string", Str: "a" + strings.Repeat("é", 127)}, "a rune is never cut"},
		{"int", vm.ToValue(443), "", coverage.Operand{Kind: "number", Str: "443", Num: 443}, "integers"},
		{"float", vm.ToValue(0.5), "", coverage.Operand{Kind: "number", Str: "0.5", Num: 0.5}, "JavaScript's number form"},
		{"big float", vm.ToValue(1e21), "", coverage.Operand{Kind: "number", Str: "1e+21", Num: 1e21}, "JavaScript's number form"},
		{"bool", vm.ToValue(true), "", coverage.Operand{Kind: "boolean", Str: "true"}, "booleans"},
		{"null", goja.Null(), "", coverage.Operand{Kind: "null"}, "null"},
		{"undefined", goja.Undefined(), "", coverage.Operand{Kind: "undefined"}, "undefined"},
		{"object", obj, "", coverage.Operand{Kind: "other"}, "objects are not inspected (valueOf would throw)"},
		{"regexp literal", obj, "/^a/i", coverage.Operand{Kind: "regexp", Str: "/^a/i"}, "the literal's source from the AST"},
	}
	for _, tt := range tests {
		if got := operand(tt.v, tt.regexp); got != tt.want {
			t.Errorf("%s: got %+v, want %+v (%s)", tt.name, got, tt.want, tt.reason)
		}
	}
}

// TestCompareResult: results computed in Go agree with JavaScript.
func TestCompareResult(t *testing.T) {
	vm := goja.New()
	obj := vm.NewObject()
	tests := []struct {
		op         string
		l, r       goja.Value
		res, known bool
		reason     string
	}{
		{"===", vm.ToValue("a"), vm.ToValue("a"), true, true, "strings"},
		{"===", vm.ToValue(1), vm.ToValue("1"), false, true, "no coercion"},
		{"===", obj, obj, true, true, "object identity"},
		{"!==", obj, vm.NewObject(), true, true, "two objects"},
		{"==", vm.ToValue(1), vm.ToValue("1"), true, true, "coercion of primitives"},
		{"==", goja.Null(), goja.Undefined(), true, true, "null == undefined"},
		{"==", obj, vm.ToValue(1), false, false, "would call valueOf"},
		{"<", vm.ToValue("10"), vm.ToValue("9"), true, true, "strings by code units"},
		{"<", vm.ToValue(10), vm.ToValue("9"), false, true, "number and string: as numbers"},
		{">=", vm.ToValue(math.NaN()), vm.ToValue(1), false, true, "NaN"},
		{"<", vm.ToValue("\uffff"), vm.ToValue("\U0001F600"), false, true, "a surrogate pair sorts below U+FFFF in UTF-16"},
		{"<=", goja.Null(), vm.ToValue(0), true, true, "null is 0"},
		{"switch", vm.ToValue("a"), vm.ToValue("a"), true, true, "strict equality"},
		{"switch", obj, vm.NewObject(), false, true, "object identity"},
		{"startsWith", vm.ToValue("CN=x"), vm.ToValue("CN="), true, true, "prefix"},
		{"endsWith", vm.ToValue("a.example"), vm.ToValue(".com"), false, true, "suffix"},
		{"indexOf", vm.ToValue("abc"), vm.ToValue("c"), true, true, "found"},
		{"localeCompare", vm.ToValue("a"), vm.ToValue("a"), true, true, "equal"},
		{"test", obj, vm.ToValue("a"), false, false, "needs the RegExp engine"},
		{"includes", obj, vm.ToValue("a"), false, false, "an array receiver"},
	}
	for _, tt := range tests {
		res, known := compareResult(tt.op, tt.l, tt.r)
		if res != tt.res || known != tt.known {
			t.Errorf("%s %v %v: got %v/%v, want %v/%v (%s)", tt.op, tt.l, tt.r, res, known, tt.res, tt.known, tt.reason)
		}
	}
}

// TestFeedbackPlanRegexps: the runs of an instrumented program read the
// original RegExp source getter (which makes goja build RegExp) only when
// the program can hold a RegExp object that is not a site's literal.
func TestFeedbackPlanRegexps(t *testing.T) {
	tests := []struct {
		name, code string
		want       bool
		reason     string
	}{
		{"string split", "function connectionHandler(c) { if (c.clientIp.split('.')[0] === '10') c.allow(); }", false, "no RegExp can exist"},
		{"no regexp site", "var re = /x/; function connectionHandler(c) { if (c.clientIp === '1') c.allow(); }", false, "no site would read a source"},
		{"literal elsewhere", "var re = /^10\\./; function connectionHandler(c) { if (re.test(c.clientIp)) c.allow(); }", true, "the site sees a RegExp object"},
		{"literal in a function", "function f() { return /a/; }\nfunction connectionHandler(c) { if (c.clientIp.split(f()).length) c.allow(); }", true, "a literal anywhere"},
		{"constructor", "function connectionHandler(c) { if (new RegExp('^10').test(c.clientIp)) c.allow(); }", true, "RegExp is named"},
		{"name in a string", "function connectionHandler(c) { if (globalThis['RegExp']('^1').test(c.clientIp)) c.allow(); }", true, "the name occurs in the source"},
	}
	for _, tt := range tests {
		p, err := compileInstrumented([]byte(tt.code), true)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if p.plan.regexps != tt.want {
			t.Errorf("%s: plan.regexps = %v, want %v (%s)", tt.name, p.plan.regexps, tt.want, tt.reason)
		}
	}
}
