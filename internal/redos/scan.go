package redos

import (
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	jsparser "github.com/dop251/goja/parser"
)

// Literal is a regular expression written in a function's source: a
// /literal/ or the string literal given to RegExp or new RegExp.
type Literal struct {
	Pattern, Flags string
	Line, Column   int
}

// importRE matches `import name from 'cloudfront'` at the start of a line,
// which goja's parser does not take: it is blanked out before parsing.
var importRE = regexp.MustCompile(`(?m)^[ \t]*import[ \t]+[A-Za-z_$][A-Za-z0-9_$]*[ \t]+from[ \t]+(?:'cloudfront'|"cloudfront")[ \t]*;?`)

// Literals returns the regular expressions written in a JavaScript
// source, in source order. A source that does not parse has none (the
// runtime reports its syntax error).
func Literals(src []byte) []Literal {
	code := importRE.ReplaceAllStringFunc(string(src), func(m string) string { return strings.Repeat(" ", len(m)) })
	prg, err := jsparser.ParseFile(nil, "function.js", code, 0, jsparser.WithDisableSourceMaps)
	if err != nil {
		return nil
	}
	var out []Literal
	at := func(idx file.Idx) (int, int) {
		p := prg.File.Position(int(idx) - prg.File.Base())
		return p.Line, p.Column
	}
	walk(reflect.ValueOf(prg), func(n any) {
		switch e := n.(type) {
		case *ast.RegExpLiteral:
			l, c := at(e.Idx)
			out = append(out, Literal{Pattern: e.Pattern, Flags: e.Flags, Line: l, Column: c})
		case *ast.NewExpression:
			if lit, ok := regExpCall(e.Callee, e.ArgumentList); ok {
				lit.Line, lit.Column = at(e.New)
				out = append(out, lit)
			}
		case *ast.CallExpression:
			if lit, ok := regExpCall(e.Callee, e.ArgumentList); ok {
				lit.Line, lit.Column = at(e.Callee.Idx0())
				out = append(out, lit)
			}
		}
	})
	slices.SortStableFunc(out, func(a, b Literal) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return out
}

// regExpCall recognizes RegExp("pattern"[, "flags"]) with string literals.
func regExpCall(callee ast.Expression, args []ast.Expression) (Literal, bool) {
	id, ok := callee.(*ast.Identifier)
	if !ok || id.Name != "RegExp" || len(args) == 0 || len(args) > 2 {
		return Literal{}, false
	}
	pat, ok := args[0].(*ast.StringLiteral)
	if !ok {
		return Literal{}, false
	}
	lit := Literal{Pattern: pat.Value.String()}
	if len(args) == 2 {
		fl, ok := args[1].(*ast.StringLiteral)
		if !ok {
			return Literal{}, false
		}
		lit.Flags = fl.Value.String()
	}
	return lit, true
}

var nodeType = reflect.TypeFor[ast.Node]()

// walk calls visit on every AST node under v (goja's ast package has no
// walker): it follows pointers, interfaces, structs and slices.
func walk(v reflect.Value, visit func(any)) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if v.Type().Elem().PkgPath() == "github.com/dop251/goja/file" {
			return // source positions and the file: no nodes there
		}
		if v.Type().Implements(nodeType) {
			visit(v.Interface())
		}
		walk(v.Elem(), visit)
	case reflect.Interface:
		if !v.IsNil() {
			walk(v.Elem(), visit)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walk(v.Field(i), visit)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			walk(v.Index(i), visit)
		}
	}
}

// Scan analyzes every regular expression written in a JavaScript source
// and returns the findings, located, in source order.
func Scan(src []byte) []Finding {
	var out []Finding
	for _, l := range Literals(src) {
		if f := Analyze(l.Pattern, l.Flags); f != nil {
			f.Line, f.Column = l.Line, l.Column
			out = append(out, *f)
		}
	}
	return out
}
