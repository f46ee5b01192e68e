package runtime

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// sourceName is the file name goja attaches to the user's code; stack
// frames with this name are the user's.
const sourceName = "function.js"

// SyntaxError is a function that does not compile under cloudfront-js-2.0:
// a JavaScript syntax error, a language feature the runtime lacks, or an
// import/export other than `import cf from 'cloudfront'`.
type SyntaxError struct {
	// Line and Column locate the error in the function source (1-based).
	Line, Column int
	// Message says what is wrong.
	Message string
}

// Error formats the error as "SyntaxError: <message> at line L:C".
func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return "SyntaxError: " + e.Message
	}
	return fmt.Sprintf("SyntaxError: %s at line %d:%d", e.Message, e.Line, e.Column)
}

// Check reports whether code compiles as a cloudfront-js-2.0 connection
// function under the default Options. The error, if any, is a *SyntaxError.
// It does not check that connectionHandler is defined: that is only known
// when the code runs.
func Check(code []byte) error {
	return CheckOptions(code, Options{})
}

// CheckOptions is Check under opts (only opts.StrictSyntax and
// opts.AllowES2020 matter).
func CheckOptions(code []byte, opts Options) error {
	_, err := compile(code, opts.es2020())
	return err
}

// CheckWarnings is CheckOptions that also returns the disputed language
// features the code uses (the first use of each, in source order): those
// whose support on AWS is unconfirmed because only the connection-function
// page's ECMAScript 2020 claim covers them. Under opts.StrictSyntax they
// are errors instead, and the warnings are empty.
func CheckWarnings(code []byte, opts Options) ([]Warning, error) {
	_, fc, err := checkSource(code, opts.es2020())
	if err != nil {
		return nil, err
	}
	if _, err := compile(code, opts.es2020()); err != nil {
		return nil, err
	}
	return fc.warnings, nil
}

// checkSource parses code (with the cloudfront import rewritten) and runs
// the language-level check on it.
func checkSource(code []byte, es2020 bool) (*ast.Program, *featureChecker, error) {
	if !utf8.Valid(code) {
		return nil, nil, &SyntaxError{Message: "function code is not valid UTF-8"}
	}
	if len(code) >= 2 && code[0] == '#' && code[1] == '!' {
		// goja accepts a hashbang line; neither AWS page lists it.
		return nil, nil, &SyntaxError{Line: 1, Column: 1, Message: undocumented(msgHashbang)}
	}
	src := rewriteImports(string(code))
	prg, err := parser.ParseFile(nil, sourceName, src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		return nil, nil, parseError(src, err)
	}
	fc := &featureChecker{file: prg.File, es2020: es2020}
	fc.program(prg)
	if fc.err != nil {
		return nil, nil, fc.err
	}
	return prg, fc, nil
}

// importRE matches `import name from 'cloudfront'` at the start of a line.
var importRE = regexp.MustCompile(`(?m)^([ \t]*)import[ \t]+([A-Za-z_$][A-Za-z0-9_$]*)[ \t]+from[ \t]+(?:'cloudfront'|"cloudfront")[ \t]*;?`)

// rewriteImports replaces each `import x from 'cloudfront'` with
// `const x=__cfimport;` padded with spaces to the same length, so that line
// and column numbers stay right.
func rewriteImports(src string) string {
	return importRE.ReplaceAllStringFunc(src, func(m string) string {
		sub := importRE.FindStringSubmatch(m)
		repl := sub[1] + "const " + sub[2] + "=" + reservedImportVar + ";"
		if len(repl) < len(m) {
			repl += strings.Repeat(" ", len(m)-len(repl))
		}
		return repl
	})
}

// compile checks and compiles code as the user's function.
func compile(code []byte, es2020 bool) (*program, error) {
	prg, _, err := checkSource(code, es2020)
	if err != nil {
		return nil, err
	}
	src := rewriteImports(string(code))
	p, err := compileAST(prg)
	if err != nil {
		return nil, err
	}
	return &program{prog: p, mentions: scanMentions(src), backtracking: mayBacktrack(prg, src)}, nil
}

// compileAST compiles in strict mode (CloudFront's strict mode cannot be
// turned off) and turns goja's compile errors into *SyntaxError.
func compileAST(prg *ast.Program) (p *goja.Program, err error) {
	defer func() {
		// goja's compiler reports some errors by panicking.
		if r := recover(); r != nil {
			p, err = nil, &SyntaxError{Message: fmt.Sprint(r)}
		}
	}()
	p, err = goja.CompileAST(prg, true)
	if err == nil {
		return p, nil
	}
	var ce *goja.CompilerSyntaxError
	if errors.As(err, &ce) && ce.File != nil {
		pos := ce.File.Position(ce.Offset)
		msg := ce.Message
		if strings.HasPrefix(msg, "Async generators are not supported") {
			msg = gojaLacks("async generators (ES2018)")
		}
		return nil, &SyntaxError{Line: pos.Line, Column: pos.Column, Message: msg}
	}
	var re *goja.CompilerReferenceError
	if errors.As(err, &re) && re.File != nil {
		pos := re.File.Position(re.Offset)
		return nil, &SyntaxError{Line: pos.Line, Column: pos.Column, Message: re.Message}
	}
	return nil, &SyntaxError{Message: err.Error()}
}

// parseError turns a goja parse error into a *SyntaxError, naming
// import/export statements the way CloudFront does.
func parseError(src string, err error) *SyntaxError {
	var list parser.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return &SyntaxError{Message: err.Error()}
	}
	e := list[0]
	se := &SyntaxError{Line: e.Position.Line, Column: e.Position.Column, Message: e.Message}
	word := wordAt(src, e.Position.Line, e.Position.Column)
	before := strings.TrimRight(textBefore(src, e.Position.Line, e.Position.Column), " \t\r\n")
	switch {
	case word == "import" || word == "export":
		se.Message = msgIllegalImport
	case word == "await" && strings.HasSuffix(before, "for"):
		se.Message = gojaLacks("for await...of (ES2018)")
	case strings.HasPrefix(e.Message, "Unexpected token *") &&
		strings.HasSuffix(strings.TrimRight(strings.TrimSuffix(before, "*"), " \t\r\n"), "async"):
		se.Message = gojaLacks("async generator methods (ES2018)")
	}
	return se
}

// gojaLacks is the message of a feature the connection-function page's
// ES2020 claim covers but goja, the emulator's engine, cannot run.
func gojaLacks(feature string) string {
	return feature + " cannot run in the emulator: goja, its JavaScript engine, does not support it " +
		"(only the connection-function page's ECMAScript 2020 claim covers it; the runtime 2.0 page does not list it; docs/runtime.md)"
}

// textBefore returns the text of src before line:col (1-based, col in
// bytes).
func textBefore(src string, line, col int) string {
	off := 0
	for i := 1; i < line; i++ {
		nl := strings.IndexByte(src[off:], '\n')
		if nl < 0 {
			return src
		}
		off += nl + 1
	}
	off += col - 1
	if off < 0 || off > len(src) {
		return ""
	}
	return src[:off]
}

// wordAt returns the identifier-like word starting at line:col (1-based,
// col in bytes) of src.
func wordAt(src string, line, col int) string {
	for i := 1; i < line; i++ {
		nl := strings.IndexByte(src, '\n')
		if nl < 0 {
			return ""
		}
		src = src[nl+1:]
	}
	if col < 1 || col > len(src) {
		return ""
	}
	src = src[col-1:]
	end := 0
	for end < len(src) && (src[end] == '_' || src[end] == '$' || src[end] >= 'a' && src[end] <= 'z' || src[end] >= 'A' && src[end] <= 'Z') {
		end++
	}
	return src[:end]
}
