package runtime

import (
	"math/big"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/token"
)

// Messages of the feature check. Each names the feature and says that
// cloudfront-js-2.0 lacks it; docs/runtime.md has the full table.
const (
	msgClass          = "classes are not supported in cloudfront-js-2.0"
	msgDestructuring  = "destructuring patterns are not supported in cloudfront-js-2.0"
	msgForOf          = "for...of loops are not supported in cloudfront-js-2.0; use an index loop or for...in"
	msgGenerator      = "generators and yield are not supported in cloudfront-js-2.0"
	msgSpread         = "spread elements (...x) are not supported in cloudfront-js-2.0; rest parameters are"
	msgAsyncClosure   = "async arrow functions, async function expressions and nested async functions are not supported in cloudfront-js-2.0 (\"async arguments and closures are not supported\"); declare async functions at the top level"
	msgAsyncMethod    = "async methods are not supported in cloudfront-js-2.0"
	msgBigInt         = "BigInt literals are not supported in cloudfront-js-2.0"
	msgOptionalCatch  = "a catch clause needs a parameter in cloudfront-js-2.0: write catch (e)"
	msgDefaultParam   = "default parameter values are not supported in cloudfront-js-2.0"
	msgLogicalAssign  = "logical assignment operators (&&=, ||=, ??=) are not supported in cloudfront-js-2.0"
	msgOptionalChain  = "optional chaining (?.) is disabled (Options.AllowES2020 is false)"
	msgCoalesce       = "nullish coalescing (??) is disabled (Options.AllowES2020 is false)"
	msgMetaProperty   = "new.target and import.meta are not supported in cloudfront-js-2.0"
	msgIllegalImport  = "Illegal import/export statement"
	msgReservedIdent  = "identifier is reserved by the emulator"
	msgUnknownNode    = "unsupported syntax"
	reservedImportVar = "__cfimport"
)

// featureChecker walks a goja AST and reports the first construct that
// cloudfront-js-2.0 lacks. goja has no ast.Walk, hence the type switches.
type featureChecker struct {
	file   *file.File
	es2020 bool
	depth  int // function nesting depth; 0 is the top level
	err    *SyntaxError
}

func (c *featureChecker) fail(idx file.Idx, msg string) {
	if c.err != nil {
		return
	}
	p := c.file.Position(int(idx) - c.file.Base())
	c.err = &SyntaxError{Line: p.Line, Column: p.Column, Message: msg}
}

func (c *featureChecker) program(p *ast.Program) {
	for _, s := range p.Body {
		if ld, ok := s.(*ast.LexicalDeclaration); ok && isImportRewrite(ld) {
			continue
		}
		c.stmt(s)
	}
}

// isImportRewrite reports whether d is what rewriteImports put in place of
// `import x from 'cloudfront'`.
func isImportRewrite(d *ast.LexicalDeclaration) bool {
	if d.Token != token.CONST || len(d.List) != 1 {
		return false
	}
	id, ok := d.List[0].Initializer.(*ast.Identifier)
	_, target := d.List[0].Target.(*ast.Identifier)
	return ok && target && id.Name == reservedImportVar
}

func (c *featureChecker) stmts(list []ast.Statement) {
	for _, s := range list {
		c.stmt(s)
	}
}

func (c *featureChecker) stmt(s ast.Statement) {
	if c.err != nil || s == nil {
		return
	}
	switch s := s.(type) {
	case *ast.BlockStatement:
		c.stmts(s.List)
	case *ast.ExpressionStatement:
		c.expr(s.Expression)
	case *ast.VariableStatement:
		c.bindings(s.List)
	case *ast.LexicalDeclaration:
		c.bindings(s.List)
	case *ast.FunctionDeclaration:
		if s.Function.Async && c.depth > 0 {
			c.fail(s.Function.Function, msgAsyncClosure)
		}
		c.function(s.Function)
	case *ast.ClassDeclaration:
		c.fail(s.Class.Class, msgClass)
	case *ast.IfStatement:
		c.expr(s.Test)
		c.stmt(s.Consequent)
		c.stmt(s.Alternate)
	case *ast.ForStatement:
		switch in := s.Initializer.(type) {
		case *ast.ForLoopInitializerExpression:
			c.expr(in.Expression)
		case *ast.ForLoopInitializerVarDeclList:
			c.bindings(in.List)
		case *ast.ForLoopInitializerLexicalDecl:
			c.bindings(in.LexicalDeclaration.List)
		}
		c.expr(s.Test)
		c.expr(s.Update)
		c.stmt(s.Body)
	case *ast.ForInStatement:
		c.forInto(s.Into)
		c.expr(s.Source)
		c.stmt(s.Body)
	case *ast.ForOfStatement:
		c.fail(s.For, msgForOf)
	case *ast.WhileStatement:
		c.expr(s.Test)
		c.stmt(s.Body)
	case *ast.DoWhileStatement:
		c.stmt(s.Body)
		c.expr(s.Test)
	case *ast.ReturnStatement:
		c.expr(s.Argument)
	case *ast.ThrowStatement:
		c.expr(s.Argument)
	case *ast.TryStatement:
		c.stmt(s.Body)
		if s.Catch != nil {
			if s.Catch.Parameter == nil {
				c.fail(s.Catch.Catch, msgOptionalCatch)
			}
			c.target(s.Catch.Parameter)
			c.stmt(s.Catch.Body)
		}
		if s.Finally != nil {
			c.stmt(s.Finally)
		}
	case *ast.SwitchStatement:
		c.expr(s.Discriminant)
		for _, cs := range s.Body {
			c.expr(cs.Test)
			c.stmts(cs.Consequent)
		}
	case *ast.LabelledStatement:
		c.stmt(s.Statement)
	case *ast.WithStatement:
		c.expr(s.Object)
		c.stmt(s.Body)
	case *ast.BranchStatement, *ast.EmptyStatement, *ast.DebuggerStatement:
	case *ast.BadStatement:
		c.fail(s.From, msgUnknownNode)
	default:
		c.fail(s.Idx0(), msgUnknownNode)
	}
}

func (c *featureChecker) forInto(in ast.ForInto) {
	switch in := in.(type) {
	case *ast.ForIntoVar:
		c.binding(in.Binding)
	case *ast.ForDeclaration:
		c.target(in.Target)
	case *ast.ForIntoExpression:
		c.expr(in.Expression)
	}
}

func (c *featureChecker) bindings(list []*ast.Binding) {
	for _, b := range list {
		c.binding(b)
	}
}

func (c *featureChecker) binding(b *ast.Binding) {
	if b == nil {
		return
	}
	c.target(b.Target)
	c.expr(b.Initializer)
}

// target checks a binding or assignment target: only identifiers and
// member expressions are allowed, no patterns.
func (c *featureChecker) target(t ast.Expression) {
	switch t := t.(type) {
	case nil:
	case *ast.ArrayPattern, *ast.ObjectPattern:
		c.fail(t.Idx0(), msgDestructuring)
	default:
		c.expr(t)
	}
}

func (c *featureChecker) function(f *ast.FunctionLiteral) {
	if f.Generator {
		c.fail(f.Function, msgGenerator)
	}
	c.params(f.ParameterList)
	c.depth++
	c.stmt(f.Body)
	c.depth--
}

func (c *featureChecker) params(p *ast.ParameterList) {
	if p == nil {
		return
	}
	for _, b := range p.List {
		c.target(b.Target)
		if b.Initializer != nil {
			c.fail(b.Initializer.Idx0(), msgDefaultParam)
		}
	}
	c.target(p.Rest)
}

func (c *featureChecker) exprs(list []ast.Expression) {
	for _, e := range list {
		c.expr(e)
	}
}

func (c *featureChecker) expr(e ast.Expression) {
	if c.err != nil || e == nil {
		return
	}
	switch e := e.(type) {
	case *ast.Identifier:
		if e.Name == reservedImportVar {
			c.fail(e.Idx, msgReservedIdent)
		}
	case *ast.NumberLiteral:
		if _, ok := e.Value.(*big.Int); ok {
			c.fail(e.Idx, msgBigInt)
		}
	case *ast.StringLiteral, *ast.BooleanLiteral, *ast.NullLiteral, *ast.RegExpLiteral,
		*ast.ThisExpression:
	case *ast.TemplateLiteral:
		c.expr(e.Tag)
		c.exprs(e.Expressions)
	case *ast.ArrayLiteral:
		c.exprs(e.Value)
	case *ast.ObjectLiteral:
		for _, p := range e.Value {
			c.property(p)
		}
	case *ast.SpreadElement:
		c.fail(e.Idx0()-3, msgSpread)
	case *ast.FunctionLiteral:
		if e.Async {
			c.fail(e.Function, msgAsyncClosure)
		}
		c.function(e)
	case *ast.ArrowFunctionLiteral:
		if e.Async {
			c.fail(e.Start, msgAsyncClosure)
		}
		c.params(e.ParameterList)
		c.depth++
		switch b := e.Body.(type) {
		case *ast.BlockStatement:
			c.stmt(b)
		case *ast.ExpressionBody:
			c.expr(b.Expression)
		}
		c.depth--
	case *ast.ClassLiteral:
		c.fail(e.Class, msgClass)
	case *ast.YieldExpression:
		c.fail(e.Yield, msgGenerator)
	case *ast.AwaitExpression:
		c.expr(e.Argument)
	case *ast.AssignExpression:
		switch e.Operator {
		case token.LOGICAL_AND, token.LOGICAL_OR, token.COALESCE, // goja stores x op= y as op
			token.LOGICAL_AND_ASSIGN, token.LOGICAL_OR_ASSIGN, token.COALESCE_ASSIGN:
			c.fail(e.Left.Idx1(), msgLogicalAssign)
		}
		c.target(e.Left)
		c.expr(e.Right)
	case *ast.BinaryExpression:
		if e.Operator == token.COALESCE && !c.es2020 {
			c.fail(e.Left.Idx1(), msgCoalesce)
		}
		c.expr(e.Left)
		c.expr(e.Right)
	case *ast.UnaryExpression:
		c.expr(e.Operand)
	case *ast.ConditionalExpression:
		c.expr(e.Test)
		c.expr(e.Consequent)
		c.expr(e.Alternate)
	case *ast.SequenceExpression:
		c.exprs(e.Sequence)
	case *ast.CallExpression:
		c.expr(e.Callee)
		c.exprs(e.ArgumentList)
	case *ast.NewExpression:
		c.expr(e.Callee)
		c.exprs(e.ArgumentList)
	case *ast.DotExpression:
		c.expr(e.Left)
	case *ast.BracketExpression:
		c.expr(e.Left)
		c.expr(e.Member)
	case *ast.OptionalChain:
		if !c.es2020 {
			c.fail(e.Idx0(), msgOptionalChain)
		}
		c.expr(e.Expression)
	case *ast.Optional:
		if !c.es2020 {
			c.fail(e.Idx0(), msgOptionalChain)
		}
		c.expr(e.Expression)
	case *ast.ArrayPattern, *ast.ObjectPattern:
		c.fail(e.Idx0(), msgDestructuring)
	case *ast.MetaProperty:
		c.fail(e.Meta.Idx, msgMetaProperty)
	case *ast.PrivateDotExpression, *ast.SuperExpression:
		c.fail(e.Idx0(), msgClass)
	case *ast.BadExpression:
		c.fail(e.From, msgUnknownNode)
	default:
		c.fail(e.Idx0(), msgUnknownNode)
	}
}

func (c *featureChecker) property(p ast.Property) {
	switch p := p.(type) {
	case *ast.PropertyShort:
		if p.Initializer != nil { // {a = 1} only occurs in patterns
			c.fail(p.Initializer.Idx0(), msgDestructuring)
		}
		c.expr(&p.Name)
	case *ast.PropertyKeyed:
		if p.Computed {
			c.expr(p.Key)
		}
		if f, ok := p.Value.(*ast.FunctionLiteral); ok && f.Async {
			c.fail(f.Function, msgAsyncMethod)
		}
		if f, ok := p.Value.(*ast.FunctionLiteral); ok && p.Kind != ast.PropertyKindValue {
			c.function(f) // methods, getters and setters are not closures
			return
		}
		c.expr(p.Value)
	case *ast.SpreadElement:
		c.fail(p.Idx0()-3, msgSpread)
	default:
		c.fail(p.Idx0(), msgUnknownNode)
	}
}
