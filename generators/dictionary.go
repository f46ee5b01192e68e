package generators

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja/ast"
	jsparser "github.com/dop251/goja/parser"
)

// maxTokenLen is the longest dictionary token kept, in bytes.
const maxTokenLen = 256

// importRE matches `import name from 'cloudfront'`, which the goja parser
// rejects outside a module; the runtime rewrites it the same way.
var importRE = regexp.MustCompile(`(?m)^[ \t]*import[ \t]+[A-Za-z_$][A-Za-z0-9_$]*[ \t]+from[ \t]+(?:'cloudfront'|"cloudfront")[ \t]*;?`)

// DictionaryFromJS returns the tokens of a connection function's source
// that its branches are likely to compare against, like a fuzzer's
// dictionary: string literals, the static parts of template literals, the
// literal runs of regular expressions (/^10\.1\./ gives "10.1."), and
// numeric literals other than -1, 0, 1 and 2 (hex literals also as hex
// digits). The source is parsed with goja's parser; when it does not parse,
// quoted strings are scanned for instead. The tokens are deduplicated,
// sorted, and at most 256 bytes long each. It never fails: anything that is
// not JavaScript gives few or no tokens.
func DictionaryFromJS(code []byte) []string {
	src := importRE.ReplaceAllFunc(code, func(m []byte) []byte { return bytes.Repeat([]byte(" "), len(m)) })
	toks, ok := parseLiterals(string(src))
	if !ok {
		toks = scanQuoted(src)
	}
	return normalizeTokens(toks)
}

// parseLiterals collects the literals of src's AST; ok is false when src
// does not parse.
func parseLiterals(src string) (toks []string, ok bool) {
	defer func() {
		if recover() != nil { // the parser is not expected to panic; fall back if it does
			toks, ok = nil, false
		}
	}()
	prog, err := jsparser.ParseFile(nil, "", src, 0)
	if err != nil {
		return nil, false
	}
	w := literalWalker{seen: map[uintptr]bool{}}
	w.walk(reflect.ValueOf(prog))
	return w.toks, true
}

// astPkg is the import path of goja's AST package: the walker follows only
// its types (not, say, the *file.File holding the source).
var astPkg = reflect.TypeOf(ast.Program{}).PkgPath()

// literalWalker visits every node of a goja AST by reflection, so that no
// node kind is missed, and keeps the literals.
type literalWalker struct {
	seen map[uintptr]bool
	toks []string
}

func (w *literalWalker) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			w.walk(v.Elem())
		}
		return
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			w.walk(v.Index(i))
		}
		return
	case reflect.Pointer:
		if v.IsNil() || v.Type().Elem().PkgPath() != astPkg || w.seen[v.Pointer()] {
			return
		}
		w.seen[v.Pointer()] = true
		w.literal(v.Interface())
		w.walk(v.Elem())
	case reflect.Struct:
		if v.Type().PkgPath() != astPkg {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				w.walk(v.Field(i))
			}
		}
	}
}

// literal keeps the tokens of one node, if it is a literal.
func (w *literalWalker) literal(n any) {
	switch n := n.(type) {
	case *ast.StringLiteral:
		w.toks = append(w.toks, n.Value.String())
	case *ast.TemplateElement:
		if n.Parsed != "" {
			w.toks = append(w.toks, n.Parsed.String())
		} else {
			w.toks = append(w.toks, n.Literal)
		}
	case *ast.RegExpLiteral:
		w.toks = append(w.toks, regexpLiterals(n.Pattern)...)
	case *ast.NumberLiteral:
		w.toks = append(w.toks, numberTokens(n.Literal, n.Value)...)
	}
}

// numberTokens renders an interesting numeric literal: its decimal value,
// and the digits of a hex literal.
func numberTokens(literal string, value any) []string {
	var f float64
	switch v := value.(type) {
	case int64:
		f = float64(v)
	case float64:
		f = v
	default:
		return nil
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || (f == math.Trunc(f) && f >= -1 && f <= 2) {
		return nil
	}
	out := []string{strconv.FormatFloat(f, 'f', -1, 64)}
	if l := strings.ToLower(literal); strings.HasPrefix(l, "0x") {
		out = append(out, l[2:])
	}
	return out
}

// regexpLiterals returns the runs of literal characters of a JavaScript
// regular expression source of two characters or more: `^10\.1\.` gives
// "10.1.", `^dns:([a-z]+\.?)+\.mesh\.example\.com$` gives "dns:" and
// ".mesh.example.com". A character followed by a quantifier is not part of
// a run, and character classes and escapes like \d end one.
func regexpLiterals(pattern string) []string {
	var out []string
	var run []byte
	flush := func() {
		if len(run) >= 2 {
			out = append(out, string(run))
		}
		run = run[:0]
	}
	for i := 0; i < len(pattern); {
		c := pattern[i]
		var lit []byte // the literal bytes of this atom, if it is one
		next := i + 1
		switch c {
		case '\\':
			if i+1 >= len(pattern) {
				next = len(pattern)
				break
			}
			e := pattern[i+1]
			next = i + 2
			if strings.IndexByte(`\^$.|?*+()[]{}/-,:=!<>'"#&%@~`+"`", e) >= 0 || e == ' ' {
				lit = []byte{e}
			}
		case '[':
			for next < len(pattern) && pattern[next] != ']' { // skip the class
				if pattern[next] == '\\' {
					next++
				}
				next++
			}
			next++
		case '^', '$', '.', '|', '(', ')', '*', '+', '?', '{', '}', ']':
			if rest := pattern[next:]; c == '(' && strings.HasPrefix(rest, "?") {
				switch {
				case strings.HasPrefix(rest, "?<=") || strings.HasPrefix(rest, "?<!"):
					next += 3
				case strings.HasPrefix(rest, "?<") && strings.IndexByte(rest, '>') > 0:
					next += strings.IndexByte(rest, '>') + 1 // (?<name>
				default:
					next += 2 // (?: (?= (?!
				}
			}
		default:
			_, size := utf8.DecodeRuneInString(pattern[i:])
			next = i + size
			lit = []byte(pattern[i:next])
		}
		if next < len(pattern) && strings.IndexByte("*+?{", pattern[next]) >= 0 {
			lit = nil // quantified: optional or repeated
		}
		if lit == nil {
			flush()
		} else {
			run = append(run, lit...)
		}
		i = next
	}
	flush()
	return out
}

// scanQuoted finds the '…', "…" and `…` strings of a source that does not
// parse, skipping comments; escapes are decoded simply (\n, \t, \x).
func scanQuoted(src []byte) []string {
	var out []string
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return out
			}
			i += end + 3
		case c == '\'' || c == '"' || c == '`':
			var sb strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != c && (c == '`' || src[j] != '\n'); j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
					switch src[j] {
					case 'n':
						sb.WriteByte('\n')
					case 't':
						sb.WriteByte('\t')
					default:
						sb.WriteByte(src[j])
					}
					continue
				}
				sb.WriteByte(src[j])
			}
			if j < len(src) && src[j] == c {
				out = append(out, sb.String())
			}
			i = j
		}
	}
	return out
}

// DictionaryFromKVS returns dictionary tokens from a KeyValueStore's keys
// and values: every key, and the part after its first ':', '/', '|' or '#'
// ("revoked:4a3f" gives "4a3f", "issuer:Contractor CA" gives "Contractor
// CA"); every value, and the strings and numbers inside a JSON value
// ({"tenant":"Ram"} gives "Ram"). Like DictionaryFromJS, the result is
// deduplicated, sorted and without tokens longer than 256 bytes.
func DictionaryFromKVS(keys []string, values []string) []string {
	var toks []string
	for _, k := range keys {
		toks = append(toks, k)
		if i := strings.IndexAny(k, ":/|#"); i >= 0 {
			toks = append(toks, k[i+1:])
		}
	}
	for _, v := range values {
		toks = append(toks, v)
		var x any
		if json.Unmarshal([]byte(v), &x) == nil {
			toks = append(toks, jsonLeaves(x, 0)...)
		}
	}
	return normalizeTokens(toks)
}

// jsonLeaves lists the strings and numbers of a decoded JSON value.
func jsonLeaves(x any, depth int) []string {
	if depth > 32 {
		return nil
	}
	var out []string
	switch x := x.(type) {
	case string:
		out = append(out, x)
	case float64:
		out = append(out, strconv.FormatFloat(x, 'f', -1, 64))
	case []any:
		for _, e := range x {
			out = append(out, jsonLeaves(e, depth+1)...)
		}
	case map[string]any:
		for _, e := range x {
			out = append(out, jsonLeaves(e, depth+1)...)
		}
	}
	return out
}

// normalizeTokens drops empty, overlong and invalid UTF-8 tokens, and
// returns the rest sorted and deduplicated.
func normalizeTokens(toks []string) []string {
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		if t != "" && len(t) <= maxTokenLen && utf8.ValidString(t) {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	k := 0
	for i, t := range out {
		if i == 0 || t != out[k-1] {
			out[k] = t
			k++
		}
	}
	return out[:k]
}
