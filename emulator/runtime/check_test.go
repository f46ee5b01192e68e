package runtime_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// Levels of the language policy (docs/runtime.md, "Language level").
const (
	documented   = "documented"   // accepted, no warning
	disputed     = "disputed"     // accepted with a warning; refused under StrictSyntax
	undocumented = "undocumented" // refused either way
	// disputedBuiltin: a warning by default; accepted under StrictSyntax,
	// where the built-in is absent at run time (TestDisputedRuns).
	disputedBuiltin = "disputed built-in"
)

// languageCases is the language-level policy, row by row: what Check does
// with each construct by default and under StrictSyntax. msg is part of the
// error message (refused) or of the warning's feature (disputed).
var languageCases = []struct {
	name, code, level, reason, msg string
	line, col                      int
}{
	// Listed by the runtime 2.0 page (or ES 5.1).
	{"let const arrow template", "const f = (a) => `${a}`; let b = f(1);", documented, "listed: const, let, arrow functions, template literals", "", 0, 0},
	{"rest parameters", "function f(a, ...rest) { return rest.length; }", documented, "listed: ES 6 rest parameter syntax", "", 0, 0},
	{"exponent", "var a = 2 ** 10; a **= 2;", documented, "listed: ES 7 exponentiation operator", "", 0, 0},
	{"async declaration with await", "async function f() { await 1; }", documented, "listed: async, await", "", 0, 0},
	{"cloudfront import", "import cf from 'cloudfront';\nconst h = cf;", documented, "the KVS helper page's import", "", 0, 0},
	{"cloudfront import double quotes", `import cf from "cloudfront"`, documented, "either quote", "", 0, 0},
	{"getters and setters", "var o = { get a() { return 1; }, set a(v) {} };", documented, "ES 5.1 object literals", "", 0, 0},
	{"numeric separators", "var a = 1_000_000;", documented, "listed: ES 12 numeric separators", "", 0, 0},
	{"regexp named groups sticky", "var r = /(?<y>\\d+)/y;", documented, "listed: named capture groups, sticky", "", 0, 0},
	{"labels and for in", "outer: for (var k in {}) { continue outer; }", documented, "ES 5.1 statements", "", 0, 0},
	{"unicode escapes", `var s = "\u00e9\u{1F600}";`, documented, "listed: Unicode escape sequences", "", 0, 0},
	{"null character escape", `var s = "a\0b";`, documented, "\\0 not followed by a digit is not an octal escape", "", 0, 0},

	// Covered only by the connection-function page's ES2020 claim.
	{"optional chaining", "var a = {}; var b = a?.b?.c;", disputed, "named by the ES2020 claim, not on the runtime page", "optional chaining", 1, 21},
	{"optional call", "var f; var b = f?.();", disputed, "named by the ES2020 claim", "optional chaining", 1, 16},
	{"nullish coalescing", "var a = null ?? 1;", disputed, "named by the ES2020 claim", "nullish coalescing", 1, 13},
	{"BigInt literal", "var a = 1n;", disputed, "named by the ES2020 claim (goja runs BigInt)", "BigInt", 1, 9},
	{"class", "class A {}", disputed, "ES2015, not listed", "classes", 1, 1},
	{"class expression", "var A = class {};", disputed, "ES2015, not listed", "classes", 1, 9},
	{"class extends super", "class A {}\nclass B extends A { constructor() { super(); } }", disputed, "ES2015, not listed", "classes", 1, 1},
	{"object destructuring", "var {a} = b;", disputed, "ES2015, not listed", "destructuring", 1, 5},
	{"array destructuring", "let [a, b] = c;", disputed, "ES2015, not listed", "destructuring", 1, 5},
	{"destructuring parameter", "function f({a}) {}", disputed, "ES2015, not listed", "destructuring", 1, 12},
	{"destructuring assignment", "var a; [a] = [1];", disputed, "ES2015, not listed", "destructuring", 1, 8},
	{"for of", "for (const x of y) {}", disputed, "ES2015, not listed", "for...of", 1, 1},
	{"generator", "function* g() {}", disputed, "ES2015, not listed", "generators", 1, 1},
	{"spread call", "f(...a);", disputed, "ES2015, not listed (rest parameters are)", "spread", 1, 3},
	{"spread array", "var a = [...b];", disputed, "ES2015, not listed", "spread", 1, 10},
	{"spread object", "var a = {...b};", disputed, "ES2018, not listed", "spread", 1, 10},
	{"async arrow", "var f = async () => 1;", disputed, "the runtime page: async closures are not supported", "async arrow", 1, 9},
	{"async function expression", "var f = async function () {};", disputed, "the runtime page: async closures are not supported", "async arrow", 1, 9},
	{"nested async function", "function g() {\n  async function f() {}\n}", disputed, "the runtime page: async closures are not supported", "async arrow", 2, 3},
	{"async method", "var o = { async m() {} };", disputed, "ES2017 async methods, not listed", "async methods", 1, 11},
	{"optional catch binding", "try {} catch {}", disputed, "ES2019, not listed", "catch without a parameter", 1, 8},
	{"default parameter", "function f(a = 1) {}", disputed, "ES2015, not listed", "default parameter", 1, 16},
	{"new.target", "function f() { return new.target; }", disputed, "ES2015, not listed", "new.target", 1, 23},
	{"shorthand property", "var a = 1; var o = { a };", disputed, "ES2015, not listed", "shorthand properties", 1, 22},
	{"method definition", "var o = { m() { return 2; } };", disputed, "ES2015, not listed", "method definitions", 1, 11},
	{"computed key", "var a = 1; var o = { ['k' + a]: 3 };", disputed, "ES2015, not listed", "computed property keys", 1, 23},
	{"Map global", "var m = new Map();", disputedBuiltin, "ES2015 built-in, not listed: a warning, and absent at run time under strict syntax", "the Map built-in", 1, 13},
	{"flat method", "var a = [[1]].flat();", disputedBuiltin, "ES2019 method, not listed", "the flat built-in", 1, 15},
	{"tagged template", "function t(s) { return s; } t`x`;", disputed, "the runtime page lists multiline strings, interpolation and nesting, not tags", "tagged templates", 1, 29},

	// Covered by the ES2020 claim, but goja cannot run them: refused with a
	// message that says so.
	{"async generator", "async function* g() {}", undocumented, "ES2018; goja: Async generators are not supported yet", "async generators (ES2018) cannot run in the emulator: goja", 1, 1},
	{"async generator method", "var o = { async *m() {} };", undocumented, "ES2018; goja cannot parse it", "async generator methods (ES2018) cannot run in the emulator: goja", 1, 18},
	{"for await", "async function f() {\n  for await (const x of y) {}\n}", undocumented, "ES2018; goja cannot parse it", "for await...of (ES2018) cannot run in the emulator: goja", 2, 7},

	// Neither page: newer than ES2020, or forbidden by strict mode.
	{"logical assignment", "var a; a ||= 1;", undocumented, "ES2021, not listed", "logical assignment", 1, 9},
	{"nullish assignment", "var a; a ??= 1;", undocumented, "ES2021, not listed", "logical assignment", 1, 9},
	{"class field", "class A { x = 1; }", undocumented, "ES2022, not listed", "class fields", 1, 11},
	{"private method", "class A { #m() {} }", undocumented, "ES2022, not listed", "class fields", 1, 11},
	{"static block", "class A { static { } }", undocumented, "ES2022, not listed", "class fields", 1, 11},
	{"hashbang", "#!/usr/bin/env node\nvar a = 1;", undocumented, "ES2023, not listed (goja accepts it)", "hashbang", 1, 1},
	{"octal escape", `var s = "\101";`, undocumented, "strict mode, always on: legacy octal escapes (goja accepts them)", "octal escape", 1, 10},
	{"zero-prefixed octal escape", `var s = "\08";`, undocumented, "strict mode: \\0 followed by a digit", "octal escape", 1, 10},
	{"non-octal decimal escape", `var s = '\8';`, undocumented, "strict mode: \\8 and \\9", "octal escape", 1, 10},
	{"octal escape in a key", `var o = { "\7": 1 };`, undocumented, "strict mode applies to property names too", "octal escape", 1, 12},
	{"import other module", "import x from 'crypto';", undocumented, "only `import cf from 'cloudfront'`", "Illegal import/export statement", 1, 1},
	{"named import", "import {kvs} from 'cloudfront';", undocumented, "only the default import", "Illegal import/export statement", 1, 1},
	{"export", "export default function f() {}", undocumented, "CloudFront: Illegal export statement", "Illegal import/export statement", 1, 1},
	{"export later line", "var a = 1;\nexport { a };", undocumented, "CloudFront: Illegal export statement", "Illegal import/export statement", 2, 1},
	{"dynamic import", "var m = import('x');", undocumented, "no modules", "Illegal import/export statement", 1, 9},
	{"strict with", "with (a) {}", undocumented, "strict mode is always on", "with", 1, 1},
	{"strict octal", "var a = 010;", undocumented, "strict mode is always on", "Octal", 1, 9},
	{"syntax error", "function f( {", undocumented, "plain syntax error", "Unexpected", 1, 14},
	{"reserved identifier", "var __cfimport = 1;", undocumented, "the import rewrite's name is reserved", "reserved", 1, 5},
	{"invalid UTF-8", "var a = '\xff';", undocumented, "code must be UTF-8", "UTF-8", 0, 0},
}

func TestLanguageLevel(t *testing.T) {
	strict := runtime.Options{StrictSyntax: true}
	for _, tt := range languageCases {
		t.Run(tt.name, func(t *testing.T) {
			warnings, err := runtime.CheckWarnings([]byte(tt.code), runtime.Options{})
			strictWarnings, strictErr := runtime.CheckWarnings([]byte(tt.code), strict)
			switch tt.level {
			case documented:
				if err != nil || strictErr != nil || len(warnings) != 0 || len(strictWarnings) != 0 {
					t.Errorf("Check(%q) = %v, %v (strict: %v, %v), want accepted without warnings (%s)", tt.code, warnings, err, strictWarnings, strictErr, tt.reason)
				}
			case disputed:
				if err != nil {
					t.Fatalf("Check(%q) = %v, want accepted with a warning (%s)", tt.code, err, tt.reason)
				}
				if len(warnings) == 0 || !strings.Contains(warnings[0].Feature, tt.msg) || warnings[0].Line != tt.line || warnings[0].Column != tt.col {
					t.Errorf("warnings = %+v, want %q at %d:%d first (%s)", warnings, tt.msg, tt.line, tt.col, tt.reason)
				}
				if len(warnings) > 0 && !strings.Contains(warnings[0].String(), "support on AWS is unconfirmed") {
					t.Errorf("warning text %q does not say the support is unconfirmed", warnings[0])
				}
				checkRefused(t, tt.code, strictErr, tt.msg+"", tt.line, tt.col, tt.reason)
				if strictErr != nil && !strings.Contains(strictErr.Error(), "strict syntax") {
					t.Errorf("strict error %q does not name the strict-syntax option", strictErr)
				}
			case disputedBuiltin:
				if err != nil || len(warnings) == 0 || !strings.Contains(warnings[0].Feature, tt.msg) || warnings[0].Line != tt.line || warnings[0].Column != tt.col {
					t.Errorf("Check(%q) = %+v, %v, want a warning %q at %d:%d (%s)", tt.code, warnings, err, tt.msg, tt.line, tt.col, tt.reason)
				}
				if strictErr != nil || len(strictWarnings) != 0 {
					t.Errorf("strict Check(%q) = %v, %v, want accepted silently (%s)", tt.code, strictWarnings, strictErr, tt.reason)
				}
			case undocumented:
				checkRefused(t, tt.code, err, tt.msg, tt.line, tt.col, tt.reason)
				checkRefused(t, tt.code, strictErr, tt.msg, tt.line, tt.col, tt.reason)
			}
		})
	}
}

// checkRefused checks that err is a *SyntaxError containing msg at line:col.
func checkRefused(t *testing.T, code string, err error, msg string, line, col int, reason string) {
	t.Helper()
	var se *runtime.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Check(%q) = %v, want a *SyntaxError (%s)", code, err, reason)
	}
	if !strings.Contains(se.Message, msg) || se.Line != line || se.Column != col {
		t.Errorf("Check(%q) = %q at %d:%d, want %q at %d:%d (%s)", code, se.Message, se.Line, se.Column, msg, line, col, reason)
	}
	if !strings.HasPrefix(err.Error(), "SyntaxError: ") {
		t.Errorf("Error() = %q, want the SyntaxError: prefix", err.Error())
	}
}

// TestUndocumentedNamesPages checks that a refusal of a feature neither
// page lists names the feature and both pages.
func TestUndocumentedNamesPages(t *testing.T) {
	err := runtime.Check([]byte("var a; a ||= 1;"))
	for _, want := range []string{"logical assignment", "JavaScript runtime 2.0 features for CloudFront Functions", "connection-function page", "ECMAScript 2020"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check(logical assignment) = %v, want it to mention %q", err, want)
		}
	}
}

func TestCheckES2020Disabled(t *testing.T) {
	off := false
	for _, opts := range []runtime.Options{{AllowES2020: &off}, {StrictSyntax: true}} {
		for _, code := range []string{"var b = a?.b;", "var b = a ?? 1;", "var b = a?.[0];", "var b = f?.();", "var b = 1n;"} {
			if err := runtime.CheckOptions([]byte(code), opts); err == nil || !strings.Contains(err.Error(), "strict syntax") {
				t.Errorf("CheckOptions(%q) with %+v = %v, want an error naming the option", code, opts, err)
			}
		}
		res := execute(t, opts, handler("connection.allow(); return connection?.x;"), "{}", nil)
		if res.ErrorName != "SyntaxError" || res.Decision != "none" {
			t.Errorf("Execute with ?. disabled = %+v, want a SyntaxError and no decision", res)
		}
	}
}

// TestDisputedRuns checks that what the default accepts also runs.
func TestDisputedRuns(t *testing.T) {
	body := `class P { constructor(x) { this.x = x; } get double() { return this.x * 2; } }
var {a, b: [c, ...d]} = {a: 1, b: [2, 3, 4]};
var s = 0; for (const v of [1, 2]) s += v;
function* g() { yield 5; }
var m = new Map([["k", 7]]);
var big = (2n ** 64n).toString();
console.log([new P(a).double, c, d.length, s, g().next().value, m.get("k"), big, connection.x?.y ?? "none"].join(","));
connection.allow();`
	res := execute(t, runtime.Options{}, handler(body), "{}", nil)
	if res.Error != "" || logs(res) != "2,2,2,3,5,7,18446744073709551616,none" {
		t.Errorf("disputed features: logs %q, error %q", logs(res), res.Error)
	}
	res = execute(t, runtime.Options{}, handler(`console.log([typeof Map, typeof Set, typeof BigInt, typeof Reflect, typeof [].flat].join(","))`), "{}", nil)
	if logs(res) != "function,function,function,object,function" {
		t.Errorf("default built-ins: %q, want the ES2020 ones present", logs(res))
	}
	res = execute(t, runtime.Options{StrictSyntax: true}, handler(`console.log([typeof Map, typeof Set, typeof BigInt, typeof Reflect, typeof [].flat].join(","))`), "{}", nil)
	if logs(res) != "undefined,undefined,undefined,undefined,undefined" {
		t.Errorf("strict built-ins: %q, want the disputed ones removed", logs(res))
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
