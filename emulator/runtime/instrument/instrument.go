// Package instrument rewrites the AST of a connection function so that an
// execution reports what it reached: edge counters and comparison operands
// (see docs/instrumentation.md).
//
// goja has no AST visitor and no printer, so the rewrite is a complete type
// switch over statements and expressions, and the result is compiled with
// goja.CompileAST. Synthetic nodes take the position (Idx) of the node they
// instrument, so error positions stay where the plain program reports them.
//
// Edges: function entry, both arms of if (an absent else too), switch
// cases, loop bodies and exits, catch blocks, operands of && || ??, arms of
// ?:. Each increments its element of a counter array: plain bytecode, no Go
// call. Comparisons (relational and equality operators, switch, the string,
// RegExp and array methods policy code compares with) keep their operands in
// temporaries and pass them to a native hook while the site's gate is open.
//
// The instrumented program refers to the runtime's helpers by names that are
// not valid JavaScript identifiers (they contain a space and a '#'): no
// source text can name them, so user code can neither read nor replace them.
// The program's first statement binds them as script-level constants from a
// one-shot global (Take) that the runtime deletes on the prologue's last
// call, before any user code runs.
package instrument

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cffuzz/cffuzz/coverage"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/token"
	"github.com/dop251/goja/unistring"
)

// Names of the synthetic bindings. None is a valid JavaScript identifier.
const (
	// Take is the global the runtime defines before the program runs: a
	// function that, called with i, returns helper i (TakeCounters,
	// TakeGates, TakeHook); the last call (TakeHook) deletes it from the
	// global object.
	Take = "cf #take"
	// Counters is the array of edge counters (numbers, one per edge).
	Counters = "cf #c"
	// Gates is the array of comparison-site gates: while Gates[s] is
	// truthy, site s calls Hook; the runtime closes a gate (sets it to 0)
	// when the site has captured its share, and from then on the site costs
	// no Go call.
	Gates = "cf #g"
	// Hook records one comparison: Hook(s, left, right), s the site.
	Hook = "cf #h"
)

// Indexes of the helpers Take returns.
const (
	TakeCounters = iota
	TakeGates
	TakeHook
)

// Info describes an instrumented program.
type Info struct {
	// Map lists the edges (counter i is Map.Edges[i]) and comparison sites.
	Map *coverage.Map
	// Regexps[j] holds the source ("/re/flags") of a regular-expression
	// literal operand of site j: [0] for the left (receiver), [1] for the
	// right (argument); "" when the operand is not a literal. The hooks see
	// RegExp objects, whose source they must not read (a getter user code
	// could replace).
	Regexps [][2]string
	// RegexpLiterals reports whether the program has a regular-expression
	// literal anywhere. Without one (and without naming RegExp) it can
	// hold no RegExp object, so the runtime need not prepare to read one's
	// source.
	RegexpLiterals bool
}

// Program rewrites prg in place and returns its Info. src is the source text
// prg was parsed from (for Map.Lines). It fails only on AST node types or
// shapes it does not know, which would be a goja upgrade this package has
// not seen; prg is then unusable.
func Program(prg *ast.Program, src string) (info *Info, err error) {
	in := &instrumenter{file: prg.File, info: &Info{Map: &coverage.Map{Lines: countLines(src)}}}
	defer func() {
		// Bad input must not crash the process: any surprise in the AST
		// (a goja upgrade with new node types or shapes) is an error.
		if r := recover(); r != nil {
			if u, ok := r.(unknownNode); ok {
				info, err = nil, fmt.Errorf("instrument: unsupported syntax node %T", u.node)
				return
			}
			info, err = nil, fmt.Errorf("instrument: %v", r)
		}
	}()
	in.frame = &frame{top: true}
	body := in.stmts(prg.Body)
	prg.Body = append(in.prologue(), body...)
	return in.info, nil
}

func countLines(src string) int {
	n := 1
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			n++
		}
	}
	return n
}

type unknownNode struct{ node any }

type instrumenter struct {
	file *file.File
	info *Info
	// frame is the function body (or the script) being rewritten.
	frame *frame
}

// frame is the scope synthetic bindings are declared in: a block-bodied
// function, or the script (top). Each function body starts with
// `const <alias> = <helper>, ...; let <temps>;`: the script-level helper
// bindings are looked up by name on every access, a function-local binding
// is a slot, so an edge inside a loop costs an indexed increment instead of
// a name lookup. The temps hold comparison operands (see compare).
type frame struct {
	top   bool
	used  [3]bool
	temps []ast.Expression
}

// helpers and their local aliases (also not valid identifiers).
var (
	helperNames = [3]string{Counters, Gates, Hook}
	aliasNames  = [3]string{"cf #C", "cf #G", "cf #H"}
)

// name returns how helper i is referred to where the rewrite is.
func (in *instrumenter) name(i int) string {
	if in.frame.top {
		return helperNames[i]
	}
	in.frame.used[i] = true
	return aliasNames[i]
}

// temp declares a fresh temporary in the current frame.
func (in *instrumenter) temp(at file.Idx) *ast.Identifier {
	id := ident(at, "cf #t"+strconv.Itoa(len(in.frame.temps)))
	in.frame.temps = append(in.frame.temps, id)
	return id
}

// declarations are the frame's synthetic declarations.
func (f *frame) declarations(at file.Idx) []ast.Statement {
	var out []ast.Statement
	var aliases []*ast.Binding
	for i, used := range f.used {
		if used {
			aliases = append(aliases, &ast.Binding{Target: ident(at, aliasNames[i]), Initializer: ident(at, helperNames[i])})
		}
	}
	if len(aliases) > 0 {
		out = append(out, &ast.LexicalDeclaration{Idx: at, Token: token.CONST, List: aliases})
	}
	if len(f.temps) > 0 {
		temps := make([]*ast.Binding, len(f.temps))
		for i, t := range f.temps {
			temps[i] = &ast.Binding{Target: ident(at, string(t.(*ast.Identifier).Name))}
		}
		out = append(out, &ast.LexicalDeclaration{Idx: at, Token: token.LET, List: temps})
	}
	return out
}

// body rewrites a function body: declarations, the entry counter, the body.
func (in *instrumenter) body(list []ast.Statement, entryAt file.Idx) []ast.Statement {
	outer := in.frame
	in.frame = &frame{}
	entry := in.edgeStmt(coverage.EdgeEntry, entryAt)
	rest := in.stmts(list)
	f := in.frame
	in.frame = outer
	out := append(f.declarations(entryAt), entry)
	return append(out, rest...)
}

func (in *instrumenter) pos(idx file.Idx) (line, col int) {
	if in.file == nil {
		return 0, 0
	}
	p := in.file.Position(int(idx) - in.file.Base())
	return p.Line, p.Column
}

// keyword returns idx when the parser recorded it, or else the position of
// the last occurrence of word before the node starting at next (goja's
// parser does not record the `if` keyword).
func (in *instrumenter) keyword(idx, next file.Idx, word string) file.Idx {
	if idx > 0 || in.file == nil {
		return idx
	}
	src := in.file.Source()
	off := int(next) - in.file.Base()
	if off < 0 || off > len(src) {
		return next
	}
	if i := strings.LastIndex(src[:off], word); i >= 0 {
		return file.Idx(i + in.file.Base())
	}
	return next
}

// start is where statement s starts (goja's parser leaves the position of
// an `if` unset: it is found from the source).
func (in *instrumenter) start(s ast.Statement) file.Idx {
	if is, ok := s.(*ast.IfStatement); ok {
		return in.keyword(is.If, is.Test.Idx0(), "if")
	}
	return s.Idx0()
}

// prologue is `const Counters = Take(0), Gates = Take(1), Hook = Take(2);`
// and the script-level temporaries.
func (in *instrumenter) prologue() []ast.Statement {
	var idx file.Idx = 1
	if in.file != nil {
		idx = file.Idx(in.file.Base())
	}
	bind := func(name string, i int) *ast.Binding {
		return &ast.Binding{
			Target:      &ast.Identifier{Name: unistring.String(name), Idx: idx},
			Initializer: call(idx, Take, num(idx, i)),
		}
	}
	out := []ast.Statement{&ast.LexicalDeclaration{Idx: idx, Token: token.CONST, List: []*ast.Binding{
		bind(Counters, TakeCounters), bind(Gates, TakeGates), bind(Hook, TakeHook),
	}}}
	top := *in.frame
	top.used = [3]bool{} // the helpers themselves
	return append(out, top.declarations(idx)...)
}

func ident(idx file.Idx, name string) *ast.Identifier {
	return &ast.Identifier{Name: unistring.String(name), Idx: idx}
}

func num(idx file.Idx, n int) *ast.NumberLiteral {
	return &ast.NumberLiteral{Idx: idx, Literal: strconv.Itoa(n), Value: int64(n)}
}

func call(idx file.Idx, fn string, args ...ast.Expression) *ast.CallExpression {
	return &ast.CallExpression{Callee: ident(idx, fn), LeftParenthesis: idx, ArgumentList: args, RightParenthesis: idx}
}

// edge allocates a counter and returns `++Counters[n]` at idx.
func (in *instrumenter) edge(kind coverage.EdgeKind, at file.Idx) ast.Expression {
	n := len(in.info.Map.Edges)
	line, col := in.pos(at)
	in.info.Map.Edges = append(in.info.Map.Edges, coverage.Edge{Kind: kind, Line: line, Column: col})
	return &ast.UnaryExpression{Operator: token.INCREMENT, Idx: at, Operand: &ast.BracketExpression{
		Left: ident(at, in.name(0)), Member: num(at, n), LeftBracket: at, RightBracket: at,
	}}
}

func (in *instrumenter) edgeStmt(kind coverage.EdgeKind, at file.Idx) ast.Statement {
	return &ast.ExpressionStatement{Expression: in.edge(kind, at)}
}

// counted is `(++Counters[n], e)`.
func (in *instrumenter) counted(kind coverage.EdgeKind, e ast.Expression) ast.Expression {
	return &ast.SequenceExpression{Sequence: []ast.Expression{in.edge(kind, e.Idx0()), e}}
}

// site allocates a comparison site.
func (in *instrumenter) site(op string, at file.Idx) int {
	n := len(in.info.Map.Sites)
	line, col := in.pos(at)
	in.info.Map.Sites = append(in.info.Map.Sites, coverage.Site{Op: op, Line: line, Column: col})
	in.info.Regexps = append(in.info.Regexps, [2]string{})
	return n
}

// captured reports whether a comparison operand can go through a
// temporary: an anonymous function or class literal would take the
// temporary's name (`t = function () {}` names the function "t"), and
// `super` is not a value (`super.indexOf(x)` must keep its receiver).
func captured(e ast.Expression) bool {
	switch e.(type) {
	case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral, *ast.SuperExpression:
		return false
	}
	return true
}

// left rewrites a left operand (or receiver, or switch discriminant) of
// site as `(t = e)`: evaluated once, where it was, its value kept in t.
func (in *instrumenter) left(site int, e ast.Expression) (ast.Expression, *ast.Identifier) {
	if re, ok := e.(*ast.RegExpLiteral); ok {
		in.info.Regexps[site][0] = re.Literal
	}
	t := in.temp(lastPos(e))
	// The assignment's position is the last one the operand itself marks:
	// an instruction after it with no position of its own (the property
	// read of `s.startsWith` on undefined) reports what it does plain.
	return &ast.AssignExpression{Operator: token.ASSIGN, Left: t, Right: e}, t
}

// right rewrites the right operand (or argument, or case test) of site as
// `(u = e, G[site] && H(site, t, u), u)`: e is evaluated once, the hook is
// called only while the site's gate is open, and the value is e's. Nothing
// but the hook (which runs no JavaScript) runs between the assignment and
// the read of u, so u cannot change in between.
func (in *instrumenter) right(site int, t *ast.Identifier, e ast.Expression) ast.Expression {
	if re, ok := e.(*ast.RegExpLiteral); ok {
		in.info.Regexps[site][1] = re.Literal
	}
	at := e.Idx0()
	u := in.temp(at)
	gate := &ast.BracketExpression{Left: ident(at, in.name(1)), Member: num(at, site), LeftBracket: at, RightBracket: at}
	hook := call(at, in.name(2), num(at, site), ident(at, string(t.Name)), ident(at, string(u.Name)))
	hook.LeftParenthesis = lastPos(e)
	return &ast.SequenceExpression{Sequence: []ast.Expression{
		&ast.AssignExpression{Operator: token.ASSIGN, Left: u, Right: e},
		&ast.BinaryExpression{Operator: token.LOGICAL_AND, Left: gate, Right: hook},
		ident(lastPos(e), string(u.Name)),
	}}
}

// lastPos is the position goja's compiler marks last while evaluating e
// (for the common operand shapes; the start of e otherwise).
func lastPos(e ast.Expression) file.Idx {
	switch e := e.(type) {
	case *ast.DotExpression:
		return e.Identifier.Idx
	case *ast.PrivateDotExpression:
		return e.Identifier.Idx
	case *ast.BracketExpression:
		return e.LeftBracket
	case *ast.CallExpression:
		return e.LeftParenthesis
	case *ast.SequenceExpression:
		return lastPos(e.Sequence[len(e.Sequence)-1])
	}
	return e.Idx0()
}

// block wraps s in a block that first bumps a counter: a statement in the
// body of if/loops becomes `{ ++Counters[n]; s }`. In strict mode (the only
// mode of cloudfront-js-2.0) no statement means something else inside a
// block: function declarations are not allowed as such bodies.
func (in *instrumenter) block(kind coverage.EdgeKind, at file.Idx, s ast.Statement) *ast.BlockStatement {
	list := []ast.Statement{in.edgeStmt(kind, at)}
	if b, ok := s.(*ast.BlockStatement); ok {
		list = append(list, in.stmts(b.List)...)
		return &ast.BlockStatement{LeftBrace: b.LeftBrace, List: list, RightBrace: b.RightBrace}
	}
	list = append(list, in.stmt(s)...)
	return &ast.BlockStatement{LeftBrace: at, List: list, RightBrace: at}
}

func (in *instrumenter) stmts(list []ast.Statement) []ast.Statement {
	out := make([]ast.Statement, 0, len(list)+len(list)/2)
	for _, s := range list {
		out = append(out, in.stmt(s)...)
	}
	return out
}

// stmt rewrites one statement; a loop is followed by its exit counter.
func (in *instrumenter) stmt(s ast.Statement) []ast.Statement {
	switch s := s.(type) {
	case nil:
		return nil
	case *ast.BlockStatement:
		s.List = in.stmts(s.List)
	case *ast.ExpressionStatement:
		s.Expression = in.expr(s.Expression)
	case *ast.VariableStatement:
		in.bindings(s.List)
	case *ast.LexicalDeclaration:
		in.bindings(s.List)
	case *ast.FunctionDeclaration:
		in.function(s.Function)
	case *ast.ClassDeclaration:
		in.class(s.Class)
	case *ast.IfStatement:
		s.Test = in.expr(s.Test)
		s.Consequent = in.block(coverage.EdgeThen, in.start(s.Consequent), s.Consequent)
		if s.Alternate != nil {
			s.Alternate = in.block(coverage.EdgeElse, in.start(s.Alternate), s.Alternate)
		} else {
			at := in.keyword(s.If, s.Test.Idx0(), "if")
			s.Alternate = &ast.BlockStatement{LeftBrace: at, RightBrace: at,
				List: []ast.Statement{in.edgeStmt(coverage.EdgeElse, at)}}
		}
	case *ast.ForStatement:
		switch init := s.Initializer.(type) {
		case nil:
		case *ast.ForLoopInitializerExpression:
			init.Expression = in.expr(init.Expression)
		case *ast.ForLoopInitializerVarDeclList:
			in.bindings(init.List)
		case *ast.ForLoopInitializerLexicalDecl:
			in.bindings(init.LexicalDeclaration.List)
		default:
			panic(unknownNode{init})
		}
		s.Test = in.expr(s.Test)
		s.Update = in.expr(s.Update)
		s.Body = in.block(coverage.EdgeLoopBody, in.start(s.Body), s.Body)
		return []ast.Statement{s, in.edgeStmt(coverage.EdgeLoopExit, s.For)}
	case *ast.ForInStatement:
		in.forInto(s.Into)
		s.Source = in.expr(s.Source)
		s.Body = in.block(coverage.EdgeLoopBody, in.start(s.Body), s.Body)
		return []ast.Statement{s, in.edgeStmt(coverage.EdgeLoopExit, s.For)}
	case *ast.ForOfStatement:
		in.forInto(s.Into)
		s.Source = in.expr(s.Source)
		s.Body = in.block(coverage.EdgeLoopBody, in.start(s.Body), s.Body)
		return []ast.Statement{s, in.edgeStmt(coverage.EdgeLoopExit, s.For)}
	case *ast.WhileStatement:
		s.Test = in.expr(s.Test)
		s.Body = in.block(coverage.EdgeLoopBody, in.start(s.Body), s.Body)
		return []ast.Statement{s, in.edgeStmt(coverage.EdgeLoopExit, s.While)}
	case *ast.DoWhileStatement:
		s.Body = in.block(coverage.EdgeLoopBody, in.start(s.Body), s.Body)
		s.Test = in.expr(s.Test)
		return []ast.Statement{s, in.edgeStmt(coverage.EdgeLoopExit, s.Do)}
	case *ast.LabelledStatement:
		inner := in.stmt(s.Statement)
		if len(inner) == 0 {
			return []ast.Statement{s}
		}
		s.Statement = inner[0]
		return append([]ast.Statement{s}, inner[1:]...)
	case *ast.SwitchStatement:
		var site int
		var t *ast.Identifier
		capture := captured(s.Discriminant)
		if capture {
			site = in.site("switch", s.Discriminant.Idx0())
			s.Discriminant, t = in.left(site, in.expr(s.Discriminant))
		} else {
			s.Discriminant = in.expr(s.Discriminant)
		}
		for _, c := range s.Body {
			if c.Test != nil {
				c.Test = in.expr(c.Test)
				if capture && captured(c.Test) {
					c.Test = in.right(site, t, c.Test)
				}
			}
			c.Consequent = append([]ast.Statement{in.edgeStmt(coverage.EdgeCase, c.Case)}, in.stmts(c.Consequent)...)
		}
	case *ast.TryStatement:
		s.Body.List = in.stmts(s.Body.List)
		if s.Catch != nil {
			in.target(s.Catch.Parameter)
			s.Catch.Body.List = append([]ast.Statement{in.edgeStmt(coverage.EdgeCatch, s.Catch.Catch)}, in.stmts(s.Catch.Body.List)...)
		}
		if s.Finally != nil {
			s.Finally.List = in.stmts(s.Finally.List)
		}
	case *ast.ReturnStatement:
		s.Argument = in.expr(s.Argument)
	case *ast.ThrowStatement:
		s.Argument = in.expr(s.Argument)
	case *ast.WithStatement:
		s.Object = in.expr(s.Object)
		s.Body = in.block(coverage.EdgeThen, in.start(s.Body), s.Body)
	case *ast.CaseStatement:
		c := s
		c.Test = in.expr(c.Test)
		c.Consequent = in.stmts(c.Consequent)
	case *ast.CatchStatement:
		s.Body.List = in.stmts(s.Body.List)
	case *ast.BranchStatement, *ast.EmptyStatement, *ast.DebuggerStatement, *ast.BadStatement:
	default:
		panic(unknownNode{s})
	}
	return []ast.Statement{s}
}

func (in *instrumenter) forInto(into ast.ForInto) {
	switch into := into.(type) {
	case *ast.ForIntoVar:
		in.binding(into.Binding)
	case *ast.ForDeclaration:
		in.target(into.Target)
	case *ast.ForIntoExpression:
		in.target(into.Expression)
	default:
		panic(unknownNode{into})
	}
}

func (in *instrumenter) bindings(list []*ast.Binding) {
	for _, b := range list {
		in.binding(b)
	}
}

func (in *instrumenter) binding(b *ast.Binding) {
	in.target(b.Target)
	b.Initializer = in.expr(b.Initializer)
}

// target instruments the value parts of an assignment or binding target
// (default values, computed keys, member objects) and never replaces the
// target itself.
func (in *instrumenter) target(t ast.Expression) {
	switch t := t.(type) {
	case nil, *ast.Identifier, *ast.BadExpression:
	case *ast.DotExpression:
		t.Left = in.expr(t.Left)
	case *ast.PrivateDotExpression:
		t.Left = in.expr(t.Left)
	case *ast.BracketExpression:
		t.Left = in.expr(t.Left)
		t.Member = in.expr(t.Member)
	case *ast.ObjectPattern:
		for _, p := range t.Properties {
			in.patternProperty(p)
		}
		in.target(t.Rest)
	case *ast.ArrayPattern:
		for _, e := range t.Elements {
			in.target(e)
		}
		in.target(t.Rest)
	case *ast.AssignExpression: // an element with a default: `[a = 1] = x`
		in.target(t.Left)
		t.Right = in.expr(t.Right)
	case *ast.Binding:
		in.binding(t)
	case *ast.ObjectLiteral: // destructuring assignment kept as a literal
		for _, p := range t.Value {
			in.patternProperty(p)
		}
	case *ast.ArrayLiteral:
		for _, e := range t.Value {
			in.target(e)
		}
	case *ast.SpreadElement:
		in.target(t.Expression)
	case *ast.OptionalChain, *ast.CallExpression:
		// Not valid targets; goja reports them. Leave them alone.
	default:
		panic(unknownNode{t})
	}
}

func (in *instrumenter) patternProperty(p ast.Property) {
	switch p := p.(type) {
	case *ast.PropertyShort:
		p.Initializer = in.expr(p.Initializer)
	case *ast.PropertyKeyed:
		if p.Computed {
			p.Key = in.expr(p.Key)
		}
		in.target(p.Value)
	case *ast.SpreadElement:
		in.target(p.Expression)
	default:
		panic(unknownNode{p})
	}
}

// function instruments a function literal: an entry counter first, then
// its parameters' defaults and its body.
func (in *instrumenter) function(f *ast.FunctionLiteral) {
	if f == nil {
		return
	}
	in.params(f.ParameterList) // parameters cannot see the body's aliases
	f.Body.List = in.body(f.Body.List, f.Function)
}

func (in *instrumenter) params(pl *ast.ParameterList) {
	if pl == nil {
		return
	}
	in.bindings(pl.List)
	in.target(pl.Rest)
}

func (in *instrumenter) arrow(f *ast.ArrowFunctionLiteral) {
	in.params(f.ParameterList)
	switch body := f.Body.(type) {
	case *ast.BlockStatement:
		body.List = in.body(body.List, f.Start)
	case *ast.ExpressionBody:
		e := in.expr(body.Expression)
		body.Expression = &ast.SequenceExpression{Sequence: []ast.Expression{in.edge(coverage.EdgeEntry, f.Start), e}}
	default:
		panic(unknownNode{body})
	}
}

func (in *instrumenter) class(c *ast.ClassLiteral) {
	if c == nil {
		return
	}
	c.SuperClass = in.expr(c.SuperClass)
	for _, el := range c.Body {
		switch el := el.(type) {
		case *ast.MethodDefinition:
			if el.Computed {
				el.Key = in.expr(el.Key)
			}
			in.function(el.Body)
		case *ast.FieldDefinition:
			if el.Computed {
				el.Key = in.expr(el.Key)
			}
			el.Initializer = in.expr(el.Initializer)
		case *ast.ClassStaticBlock:
			el.Block.List = in.stmts(el.Block.List)
		default:
			panic(unknownNode{el})
		}
	}
}

// comparisonOps are the binary operators whose operands are captured.
var comparisonOps = map[token.Token]bool{
	token.STRICT_EQUAL: true, token.STRICT_NOT_EQUAL: true, token.EQUAL: true, token.NOT_EQUAL: true,
	token.LESS: true, token.LESS_OR_EQUAL: true, token.GREATER: true, token.GREATER_OR_EQUAL: true,
}

// Methods are the method names whose receiver and first argument are
// captured as a comparison (string, RegExp and Array methods policy code
// compares with).
var Methods = map[string]bool{
	"startsWith": true, "endsWith": true, "includes": true, "indexOf": true, "lastIndexOf": true,
	"test": true, "exec": true, "split": true, "match": true, "search": true, "localeCompare": true,
	// The key-value store's lookups (cf.kvs().get/exists): the key a
	// function computed from fields is the argument; the feedback engine
	// pairs it with the store's nearest key (internal/engine).
	"get": true, "exists": true,
}

func isLogical(e ast.Expression) bool {
	b, ok := e.(*ast.BinaryExpression)
	return ok && (b.Operator == token.LOGICAL_AND || b.Operator == token.LOGICAL_OR || b.Operator == token.COALESCE)
}

func isConstant(e ast.Expression) bool {
	switch e := e.(type) {
	case *ast.StringLiteral, *ast.NumberLiteral, *ast.BooleanLiteral, *ast.NullLiteral, *ast.RegExpLiteral:
		return true
	case *ast.UnaryExpression:
		return (e.Operator == token.MINUS || e.Operator == token.PLUS) && !e.Postfix && isConstant(e.Operand)
	case *ast.TemplateLiteral:
		return e.Tag == nil && len(e.Expressions) == 0
	}
	return false
}

// exprs rewrites each expression of list in place.
func (in *instrumenter) exprs(list []ast.Expression) {
	for i, x := range list {
		list[i] = in.expr(x)
	}
}

// expr rewrites an expression. It never changes the node type of a
// reference (identifiers, member expressions), so targets, callees and
// `delete`/`typeof` operands keep their meaning.
func (in *instrumenter) expr(e ast.Expression) ast.Expression {
	switch e := e.(type) {
	case nil:
		return nil
	case *ast.RegExpLiteral:
		in.info.RegexpLiterals = true
		return e
	case *ast.Identifier, *ast.StringLiteral, *ast.NumberLiteral, *ast.BooleanLiteral, *ast.NullLiteral,
		*ast.ThisExpression, *ast.SuperExpression, *ast.MetaProperty, *ast.BadExpression,
		*ast.PrivateIdentifier:
		return e
	case *ast.BinaryExpression:
		switch {
		case isLogical(e):
			e.Left = in.logicalOperand(e.Left)
			e.Right = in.logicalOperand(e.Right)
		case comparisonOps[e.Operator] && !(isConstant(e.Left) && isConstant(e.Right)) && captured(e.Left) && captured(e.Right):
			site := in.site(e.Operator.String(), e.Left.Idx0())
			var t *ast.Identifier
			e.Left, t = in.left(site, in.expr(e.Left))
			e.Right = in.right(site, t, in.expr(e.Right))
		default:
			e.Left = in.expr(e.Left)
			e.Right = in.expr(e.Right)
		}
		return e
	case *ast.ConditionalExpression:
		e.Test = in.expr(e.Test)
		e.Consequent = in.counted(coverage.EdgeCondThen, in.expr(e.Consequent))
		e.Alternate = in.counted(coverage.EdgeCondElse, in.expr(e.Alternate))
		return e
	case *ast.AssignExpression:
		in.target(e.Left)
		e.Right = in.expr(e.Right)
		return e
	case *ast.UnaryExpression:
		switch e.Operator {
		case token.INCREMENT, token.DECREMENT, token.DELETE:
			in.target(e.Operand)
		default:
			e.Operand = in.expr(e.Operand)
		}
		return e
	case *ast.CallExpression:
		in.exprs(e.ArgumentList)
		if dot, ok := e.Callee.(*ast.DotExpression); ok && Methods[string(dot.Identifier.Name)] && len(e.ArgumentList) > 0 {
			if _, spread := e.ArgumentList[0].(*ast.SpreadElement); !spread && captured(dot.Left) && captured(e.ArgumentList[0]) {
				site := in.site(string(dot.Identifier.Name), dot.Identifier.Idx)
				var t *ast.Identifier
				dot.Left, t = in.left(site, in.expr(dot.Left))
				e.ArgumentList[0] = in.right(site, t, e.ArgumentList[0])
				return e
			}
		}
		e.Callee = in.callee(e.Callee)
		return e
	case *ast.DotExpression:
		e.Left = in.expr(e.Left)
		return e
	case *ast.PrivateDotExpression:
		e.Left = in.expr(e.Left)
		return e
	case *ast.BracketExpression:
		e.Left = in.expr(e.Left)
		e.Member = in.expr(e.Member)
		return e
	case *ast.NewExpression:
		e.Callee = in.expr(e.Callee)
		in.exprs(e.ArgumentList)
		return e
	case *ast.SequenceExpression:
		in.exprs(e.Sequence)
		return e
	case *ast.ArrayLiteral:
		in.exprs(e.Value)
		return e
	case *ast.ObjectLiteral:
		for _, p := range e.Value {
			in.property(p)
		}
		return e
	case *ast.SpreadElement:
		e.Expression = in.expr(e.Expression)
		return e
	case *ast.TemplateLiteral:
		e.Tag = in.callee(e.Tag)
		in.exprs(e.Expressions)
		return e
	case *ast.FunctionLiteral:
		in.function(e)
		return e
	case *ast.ArrowFunctionLiteral:
		in.arrow(e)
		return e
	case *ast.ClassLiteral:
		in.class(e)
		return e
	case *ast.OptionalChain:
		e.Expression = in.chain(e.Expression)
		return e
	case *ast.Optional:
		e.Expression = in.chain(e.Expression)
		return e
	case *ast.AwaitExpression:
		e.Argument = in.expr(e.Argument)
		return e
	case *ast.YieldExpression:
		e.Argument = in.expr(e.Argument)
		return e
	case *ast.ObjectPattern, *ast.ArrayPattern:
		in.target(e)
		return e
	case *ast.Binding:
		in.binding(e)
		return e
	case *ast.PropertyKeyed, *ast.PropertyShort:
		in.property(e.(ast.Property))
		return e
	default:
		panic(unknownNode{e})
	}
}

// callee rewrites the callee of a call or tag: member expressions keep
// their shape (so `this` is unchanged).
func (in *instrumenter) callee(e ast.Expression) ast.Expression {
	return in.expr(e)
}

// chain rewrites the links of an optional chain without inserting hooks
// into the chain itself: `a?.b.startsWith(x)` must short-circuit as a whole,
// which a hook around `a?.b` would break.
func (in *instrumenter) chain(e ast.Expression) ast.Expression {
	switch e := e.(type) {
	case *ast.DotExpression:
		e.Left = in.chain(e.Left)
		return e
	case *ast.BracketExpression:
		e.Left = in.chain(e.Left)
		e.Member = in.expr(e.Member)
		return e
	case *ast.CallExpression:
		e.Callee = in.chain(e.Callee)
		in.exprs(e.ArgumentList)
		return e
	case *ast.Optional:
		e.Expression = in.chain(e.Expression)
		return e
	default:
		return in.expr(e)
	}
}

func (in *instrumenter) logicalOperand(e ast.Expression) ast.Expression {
	if isLogical(e) {
		return in.expr(e)
	}
	return in.counted(coverage.EdgeLogical, in.expr(e))
}

func (in *instrumenter) property(p ast.Property) {
	switch p := p.(type) {
	case *ast.PropertyKeyed:
		if p.Computed {
			p.Key = in.expr(p.Key)
		}
		p.Value = in.expr(p.Value)
	case *ast.PropertyShort:
		p.Initializer = in.expr(p.Initializer)
	case *ast.SpreadElement:
		p.Expression = in.expr(p.Expression)
	default:
		panic(unknownNode{p})
	}
}
