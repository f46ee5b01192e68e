package runtime

import (
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"
)

// dynamicPatternNames are the names through which a function turns a
// string into a regular expression at run time (RegExp, and the String
// methods that build one from a string argument). A source that names
// none of them and has no backtracking literal never runs a regexp2 match.
var dynamicPatternNames = []string{"RegExp", "match", "matchAll", "search"}

// mayBacktrack reports whether the program parsed from src can run a
// regular-expression match on regexp2, the backtracking engine whose
// wall-clock match timeout goja turns into a silent "no match" (see
// mayHaveRegexpTimeout). goja compiles a pattern with Go's linear regexp
// package whenever it can, and such a match never times out; only patterns
// with lookaround, backreferences and the like go to regexp2. So a run can
// have had a timed-out match only if the source has such a literal or
// builds patterns at run time (names RegExp, match, matchAll or search).
// Code that reaches those through names built at run time escapes this,
// as it escapes the lockdown (docs/runtime.md).
func mayBacktrack(prg *ast.Program, src string) bool {
	if strings.Contains(src, `\u`) || strings.Contains(src, `\x`) {
		return true // a name may be spelled with escapes (see scanMentions)
	}
	words := map[string]bool{}
	for _, w := range wordRE.FindAllString(src, -1) {
		words[w] = true
	}
	for _, n := range dynamicPatternNames {
		if words[n] {
			return true
		}
	}
	found := false
	walkRegExpLiterals(reflect.ValueOf(prg), map[visited]bool{}, func(re *ast.RegExpLiteral) {
		found = found || needsRegexp2(re.Pattern, re.Flags)
	})
	return found
}

// needsRegexp2 reports whether goja compiles the literal /pattern/flags
// with regexp2 rather than Go's regexp package: it makes the same two
// attempts goja does (parser.TransformRegExp, then regexp.Compile), and
// answers true for any non-ASCII pattern, which goja rewrites first.
func needsRegexp2(pattern, flags string) bool {
	for i := 0; i < len(pattern); i++ {
		if pattern[i] >= utf8.RuneSelf {
			return true
		}
	}
	re2, err := parser.TransformRegExp(pattern, strings.Contains(flags, "s"), strings.Contains(flags, "u"))
	if err != nil {
		return true
	}
	var prefix strings.Builder
	for _, f := range "msi" {
		if strings.ContainsRune(flags, f) {
			prefix.WriteRune(f)
		}
	}
	if prefix.Len() > 0 {
		re2 = "(?" + prefix.String() + ":" + re2 + ")"
	}
	_, err = regexp.Compile(re2)
	return err != nil
}

// fileType is *file.File, which AST nodes point to and which holds no
// nodes.
var fileType = reflect.TypeFor[*file.File]()

// visited is a pointer the walk has followed, with its type (a struct and
// its first field share an address).
type visited struct {
	t reflect.Type
	p uintptr
}

// walkRegExpLiterals calls visit for every regular-expression literal
// reachable from v. goja's ast package has no visitor; walking the nodes'
// exported fields by reflection covers every node type, including ones a
// later goja adds.
func walkRegExpLiterals(v reflect.Value, seen map[visited]bool, visit func(*ast.RegExpLiteral)) {
	switch v.Kind() {
	case reflect.Pointer:
		key := visited{v.Type(), v.Pointer()}
		if v.IsNil() || v.Type() == fileType || seen[key] {
			return
		}
		seen[key] = true
		if re, ok := v.Interface().(*ast.RegExpLiteral); ok {
			visit(re)
			return
		}
		walkRegExpLiterals(v.Elem(), seen, visit)
	case reflect.Interface:
		if !v.IsNil() {
			walkRegExpLiterals(v.Elem(), seen, visit)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			if t.Field(i).IsExported() {
				walkRegExpLiterals(v.Field(i), seen, visit)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkRegExpLiterals(v.Index(i), seen, visit)
		}
	}
}
