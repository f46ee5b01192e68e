package runtime_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

func TestCheckRejects(t *testing.T) {
	tests := []struct {
		name, code, reason, wantMsg string
		line, col                   int
	}{
		{"class", "class A {}", "no classes in cloudfront-js-2.0", "classes", 1, 1},
		{"class expression", "var A = class {};", "no classes", "classes", 1, 9},
		{"object destructuring", "var {a} = b;", "no destructuring", "destructuring", 1, 5},
		{"array destructuring", "let [a, b] = c;", "no destructuring", "destructuring", 1, 5},
		{"destructuring parameter", "function f({a}) {}", "no destructuring", "destructuring", 1, 12},
		{"destructuring assignment", "var a; [a] = [1];", "no destructuring", "destructuring", 1, 8},
		{"for of", "for (const x of y) {}", "no for...of", "for...of", 1, 1},
		{"generator", "function* g() {}", "no generators", "generators", 1, 1},
		{"spread call", "f(...a);", "no spread", "spread", 1, 3},
		{"spread array", "var a = [...b];", "no spread", "spread", 1, 10},
		{"spread object", "var a = {...b};", "no spread", "spread", 1, 10},
		{"async arrow", "var f = async () => 1;", "async closures are not supported", "async arrow", 1, 9},
		{"async function expression", "var f = async function () {};", "async closures are not supported", "async arrow", 1, 9},
		{"nested async function", "function g() {\n  async function f() {}\n}", "async closures are not supported", "async arrow", 2, 3},
		{"async method", "var o = { async m() {} };", "async closures are not supported", "async methods", 1, 11},
		{"BigInt literal", "var a = 1n;", "BigInt rejected despite the ES2020 claim", "BigInt", 1, 9},
		{"optional catch binding", "try {} catch {}", "ES2019, not listed", "catch clause", 1, 8},
		{"default parameter", "function f(a = 1) {}", "not listed", "default parameter", 1, 16},
		{"logical assignment", "var a; a ||= 1;", "ES2021, not listed", "logical assignment", 1, 9},
		{"nullish assignment", "var a; a ??= 1;", "ES2021, not listed", "logical assignment", 1, 9},
		{"new.target", "function f() { return new.target; }", "not listed", "new.target", 1, 23},
		{"import other module", "import x from 'crypto';", "only `import cf from 'cloudfront'`", "Illegal import/export statement", 1, 1},
		{"named import", "import {kvs} from 'cloudfront';", "only the default import", "Illegal import/export statement", 1, 1},
		{"export", "export default function f() {}", "CloudFront: Illegal export statement", "Illegal import/export statement", 1, 1},
		{"export later line", "var a = 1;\nexport { a };", "CloudFront: Illegal export statement", "Illegal import/export statement", 2, 1},
		{"dynamic import", "var m = import('x');", "no modules", "Illegal import/export statement", 1, 9},
		{"strict with", "with (a) {}", "strict mode is always on", "with", 1, 1},
		{"strict octal", "var a = 010;", "strict mode is always on", "Octal", 1, 9},
		{"syntax error", "function f( {", "plain syntax error", "Unexpected", 1, 14},
		{"reserved identifier", "var __cfimport = 1;", "the import rewrite's name is reserved", "reserved", 1, 5},
		{"invalid UTF-8", "var a = '\xff';", "code must be UTF-8", "UTF-8", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := runtime.Check([]byte(tt.code))
			var se *runtime.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Check(%q) = %v, want a *SyntaxError (%s)", tt.code, err, tt.reason)
			}
			if !strings.Contains(se.Message, tt.wantMsg) || se.Line != tt.line || se.Column != tt.col {
				t.Errorf("Check(%q) = %q at %d:%d, want %q at %d:%d (%s)", tt.code, se.Message, se.Line, se.Column, tt.wantMsg, tt.line, tt.col, tt.reason)
			}
			if !strings.HasPrefix(err.Error(), "SyntaxError: ") {
				t.Errorf("Error() = %q, want the SyntaxError: prefix", err.Error())
			}
		})
	}
}

func TestCheckAccepts(t *testing.T) {
	tests := []struct{ name, code, reason string }{
		{"let const arrow template", "const f = (a) => `${a}`; let b = f(1);", "listed ES6 features"},
		{"rest parameters", "function f(a, ...rest) { return rest.length; }", "listed"},
		{"exponent", "var a = 2 ** 10;", "listed"},
		{"async declaration with await", "async function f() { await 1; }", "async and await at the top level"},
		{"cloudfront import", "import cf from 'cloudfront';\nconst h = cf;", "the one import form"},
		{"cloudfront import double quotes", `import cf from "cloudfront"`, "either quote"},
		{"getters and setters", "var o = { get a() { return 1; }, set a(v) {} };", "ES5.1 object literals"},
		{"shorthand and methods", "var a = 1; var o = { a, m() { return 2; }, ['k' + a]: 3 };", "object-literal sugar, njs supports it"},
		{"optional chaining", "var a = {}; var b = a?.b?.c;", "ES2020 claim on the connection-function page"},
		{"nullish coalescing", "var a = null ?? 1;", "ES2020 claim"},
		{"numeric separators", "var a = 1_000_000;", "listed (new in 2.0)"},
		{"regexp named groups sticky", "var r = /(?<y>\\d+)/y;", "listed"},
		{"labels and for in", "outer: for (var k in {}) { continue outer; }", "ES5.1"},
		{"tagged template", "function t(s) { return s; } t`x`;", "template literals"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := runtime.Check([]byte(tt.code)); err != nil {
				t.Errorf("Check(%q) = %v, want nil (%s)", tt.code, err, tt.reason)
			}
		})
	}
}

func TestCheckES2020Disabled(t *testing.T) {
	off := false
	opts := runtime.Options{AllowES2020: &off}
	for _, code := range []string{"var b = a?.b;", "var b = a ?? 1;", "var b = a?.[0];", "var b = f?.();"} {
		if err := runtime.CheckOptions([]byte(code), opts); err == nil || !strings.Contains(err.Error(), "AllowES2020") {
			t.Errorf("CheckOptions(%q) with AllowES2020=false = %v, want an error naming the option", code, err)
		}
	}
	res := execute(t, opts, handler("connection.allow(); return connection?.x;"), "{}", nil)
	if res.ErrorName != "SyntaxError" || res.Decision != "none" {
		t.Errorf("Execute with ?. disabled = %+v, want a SyntaxError and no decision", res)
	}
}

func TestImportRewriteKeepsPositions(t *testing.T) {
	body := "\n\nfunction connectionHandler(connection) {\n  const x = connection.a;\n  return x.b.c;\n}"
	with := execute(t, runtime.Options{}, "import cf from 'cloudfront';"+body, `{"a":{}}`, nil)
	without := execute(t, runtime.Options{}, body, `{"a":{}}`, nil)
	if with.ErrorName != "TypeError" || with.Line != 5 {
		t.Errorf("got %s %q at %d:%d, want a TypeError on line 5", with.ErrorName, with.Error, with.Line, with.Column)
	}
	if with.Line != without.Line || with.Column != without.Column || with.Error != without.Error {
		t.Errorf("with the import: %q; without: %q; want the same position", with.Error, without.Error)
	}
	if !strings.HasSuffix(with.Error, fmt.Sprintf("at line %d:%d", with.Line, with.Column)) {
		t.Errorf("Error = %q, want it to end with the position", with.Error)
	}
}
