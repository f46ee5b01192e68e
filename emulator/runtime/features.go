package runtime

import (
	"fmt"
	"math/big"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/token"
)

// The language-level policy (docs/runtime.md, "Language level"). AWS has
// two pages on the language: the "JavaScript runtime 2.0 features for
// CloudFront Functions" page lists ES 5.1 plus named ES 6–12 features;
// the connection-function page ("Write CloudFront Connection Function
// code") claims "ECMAScript 2020 (ES11) support", naming optional
// chaining, nullish coalescing and BigInt. So a construct is
//
//   - documented: ES 5.1 or listed by the runtime 2.0 page: accepted;
//   - disputed: ES2015–ES2020 but not listed by the runtime 2.0 page, so
//     only the connection-function page's ES2020 claim covers it: accepted
//     with a Warning by default, refused under Options.StrictSyntax;
//   - undocumented: newer than ES2020 and not listed (logical assignment,
//     class fields, private names, a hashbang line), or forbidden by the
//     strict mode the runtime page says cannot be turned off (octal
//     escapes, with): refused, naming the feature and the pages.

// Page names used in messages.
const (
	pageRuntime    = "AWS's \"JavaScript runtime 2.0 features for CloudFront Functions\" page"
	pageConnection = "the connection-function page (\"Write CloudFront Connection Function code\", which claims ECMAScript 2020 (ES11) support)"
)

// Disputed features: names used in warnings and StrictSyntax refusals.
const (
	featOptionalChain  = "optional chaining (?.)"
	featCoalesce       = "nullish coalescing (??)"
	featBigInt         = "BigInt literals"
	featClass          = "classes"
	featDestructuring  = "destructuring patterns"
	featForOf          = "for...of loops"
	featGenerator      = "generators and yield"
	featSpread         = "spread elements (...x)"
	featAsyncClosure   = "async arrow functions, async function expressions and nested async functions (the runtime 2.0 page: \"async arguments and closures are not supported\")"
	featAsyncMethod    = "async methods"
	featDefaultParam   = "default parameter values"
	featOptionalCatch  = "catch without a parameter"
	featShorthand      = "shorthand properties ({a})"
	featMethod         = "method definitions in object literals ({f() {}})"
	featComputedKey    = "computed property keys ({[k]: v})"
	featTaggedTemplate = "tagged templates"
	featNewTarget      = "new.target"
)

// Messages of refusals that do not depend on the policy.
const (
	msgLogicalAssign  = "logical assignment operators (&&=, ||=, ??=) are ES2021"
	msgClassFields    = "class fields, private names and static blocks are ES2022"
	msgHashbang       = "a hashbang line (#!) is ES2023"
	msgOctalEscape    = "octal escape sequences (\\1, \\07, \\8) are not allowed in strict mode, and CloudFront functions always run in strict mode (\"This cannot be changed\", " + pageRuntime + ")"
	msgImportMeta     = "import.meta is only for modules; CloudFront functions are scripts"
	msgIllegalImport  = "Illegal import/export statement"
	msgReservedIdent  = "identifier is reserved by the emulator"
	msgUnknownNode    = "unsupported syntax"
	reservedImportVar = "__cfimport"
)

// undocumented is the message of a feature neither page covers.
func undocumented(what string) string {
	return what + ": not supported: neither " + pageRuntime + " nor " + pageConnection + " lists it"
}

// refusedDisputed is the StrictSyntax message for a disputed feature.
func refusedDisputed(feature string) string {
	return feature + " refused by strict syntax (Options.StrictSyntax, --strict-syntax): " + pageRuntime +
		" does not list it; only " + pageConnection + " covers it"
}

// Warning is a disputed language feature a function uses: one only the
// connection-function page's ECMAScript 2020 claim covers, so its support
// on AWS is unconfirmed. CheckWarnings reports the first use of each.
type Warning struct {
	// Line and Column locate the first use (1-based).
	Line, Column int
	// Feature names the construct, e.g. "optional chaining (?.)".
	Feature string
}

// String formats the warning for reports and logs.
func (w Warning) String() string {
	return fmt.Sprintf("line %d:%d: %s: support on AWS is unconfirmed: the connection-function page claims ECMAScript 2020, "+
		"the JavaScript runtime 2.0 features page does not list it (--strict-syntax refuses it)", w.Line, w.Column, w.Feature)
}

// featureChecker walks a goja AST and reports the first construct that
// cloudfront-js-2.0 refuses, and the disputed ones it accepts. goja has no
// ast.Walk, hence the type switches.
type featureChecker struct {
	file     *file.File
	es2020   bool // accept disputed features (false under StrictSyntax)
	depth    int  // function nesting depth; 0 is the top level
	err      *SyntaxError
	warnings []Warning
	warned   map[string]bool
}

func (c *featureChecker) fail(idx file.Idx, msg string) {
	if c.err != nil {
		return
	}
	p := c.file.Position(int(idx) - c.file.Base())
	c.err = &SyntaxError{Line: p.Line, Column: p.Column, Message: msg}
}

// disputed records a use of a disputed feature: a warning (first use
// only), or a refusal when strict.
func (c *featureChecker) disputed(idx file.Idx, feature string) {
	if !c.es2020 {
		c.fail(idx, refusedDisputed(feature))
		return
	}
	if c.warned[feature] {
		return
	}
	if c.warned == nil {
		c.warned = map[string]bool{}
	}
	c.warned[feature] = true
	p := c.file.Position(int(idx) - c.file.Base())
	c.warnings = append(c.warnings, Warning{Line: p.Line, Column: p.Column, Feature: feature})
}

// octalEscape reports the offset in a string literal's source text of a
// legacy octal (or \8, \9) escape, or -1.
func octalEscape(lit string) int {
	for i := 0; i+1 < len(lit); i++ {
		if lit[i] != '\\' {
			continue
		}
		d := lit[i+1]
		switch {
		case d == '0':
			if i+2 < len(lit) && lit[i+2] >= '0' && lit[i+2] <= '9' {
				return i
			}
		case d >= '1' && d <= '9':
			return i
		}
		i++ // skip the escaped character
	}
	return -1
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
			c.disputed(s.Function.Function, featAsyncClosure)
		}
		c.function(s.Function)
	case *ast.ClassDeclaration:
		c.class(s.Class)
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
		c.disputed(s.For, featForOf)
		c.forInto(s.Into)
		c.expr(s.Source)
		c.stmt(s.Body)
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
				c.disputed(s.Catch.Catch, featOptionalCatch)
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
	case *ast.ArrayPattern:
		c.disputed(t.Idx0(), featDestructuring)
		c.exprs(t.Elements)
		c.target(t.Rest)
	case *ast.ObjectPattern:
		c.disputed(t.Idx0(), featDestructuring)
		for _, p := range t.Properties {
			c.property(p)
		}
		c.target(t.Rest)
	default:
		c.expr(t)
	}
}

func (c *featureChecker) function(f *ast.FunctionLiteral) {
	if f.Async && f.Generator {
		c.fail(f.Function, gojaLacks("async generators (ES2018)"))
	}
	if f.Generator {
		c.disputed(f.Function, featGenerator)
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
			c.disputed(b.Initializer.Idx0(), featDefaultParam)
			c.expr(b.Initializer)
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
		c.builtin(e.Idx, string(e.Name), disputedGlobals)
	case *ast.NumberLiteral:
		if _, ok := e.Value.(*big.Int); ok {
			c.disputed(e.Idx, featBigInt)
		}
	case *ast.StringLiteral:
		c.stringLiteral(e)
	case *ast.BooleanLiteral, *ast.NullLiteral, *ast.RegExpLiteral, *ast.ThisExpression:
	case *ast.TemplateLiteral:
		if e.Tag != nil {
			c.disputed(e.Tag.Idx0(), featTaggedTemplate)
		}
		c.expr(e.Tag)
		c.exprs(e.Expressions)
	case *ast.ArrayLiteral:
		c.exprs(e.Value)
	case *ast.ObjectLiteral:
		for _, p := range e.Value {
			c.property(p)
		}
	case *ast.SpreadElement:
		c.disputed(e.Idx0()-3, featSpread)
		c.expr(e.Expression)
	case *ast.FunctionLiteral:
		if e.Async {
			c.disputed(e.Function, featAsyncClosure)
		}
		c.function(e)
	case *ast.ArrowFunctionLiteral:
		if e.Async {
			c.disputed(e.Start, featAsyncClosure)
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
		c.class(e)
	case *ast.YieldExpression:
		c.disputed(e.Yield, featGenerator)
		c.expr(e.Argument)
	case *ast.AwaitExpression:
		c.expr(e.Argument)
	case *ast.AssignExpression:
		switch e.Operator {
		case token.LOGICAL_AND, token.LOGICAL_OR, token.COALESCE, // goja stores x op= y as op
			token.LOGICAL_AND_ASSIGN, token.LOGICAL_OR_ASSIGN, token.COALESCE_ASSIGN:
			c.fail(e.Left.Idx1(), undocumented(msgLogicalAssign))
		}
		c.target(e.Left)
		c.expr(e.Right)
	case *ast.BinaryExpression:
		if e.Operator == token.COALESCE {
			c.disputed(e.Left.Idx1(), featCoalesce)
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
		c.builtin(e.Identifier.Idx, string(e.Identifier.Name), disputedMethodNames)
	case *ast.BracketExpression:
		c.expr(e.Left)
		c.expr(e.Member)
	case *ast.OptionalChain:
		c.disputed(e.Idx0(), featOptionalChain)
		c.expr(e.Expression)
	case *ast.Optional:
		c.disputed(e.Idx0(), featOptionalChain)
		c.expr(e.Expression)
	case *ast.ArrayPattern, *ast.ObjectPattern:
		c.target(e)
	case *ast.MetaProperty:
		if e.Meta != nil && e.Meta.Name == "new" {
			c.disputed(e.Meta.Idx, featNewTarget)
		} else {
			c.fail(e.Idx0(), undocumented(msgImportMeta))
		}
	case *ast.SuperExpression:
		c.disputed(e.Idx0(), featClass)
	case *ast.PrivateDotExpression, *ast.PrivateIdentifier:
		c.fail(e.Idx0(), undocumented(msgClassFields))
	case *ast.BadExpression:
		c.fail(e.From, msgUnknownNode)
	default:
		c.fail(e.Idx0(), msgUnknownNode)
	}
}

func (c *featureChecker) property(p ast.Property) {
	switch p := p.(type) {
	case *ast.PropertyShort:
		c.disputed(p.Name.Idx, featShorthand)
		if p.Initializer != nil { // {a = 1} only occurs in patterns
			c.disputed(p.Initializer.Idx0(), featDestructuring)
			c.expr(p.Initializer)
		}
		c.expr(&p.Name)
	case *ast.PropertyKeyed:
		if p.Computed {
			c.disputed(p.Key.Idx0(), featComputedKey)
			c.expr(p.Key)
		} else if sl, ok := p.Key.(*ast.StringLiteral); ok {
			c.stringLiteral(sl)
		}
		if f, ok := p.Value.(*ast.FunctionLiteral); ok && f.Async {
			c.disputed(f.Function, featAsyncMethod)
		}
		if f, ok := p.Value.(*ast.FunctionLiteral); ok && p.Kind != ast.PropertyKindValue {
			if p.Kind == ast.PropertyKindMethod {
				c.disputed(p.Key.Idx0(), featMethod)
			}
			c.function(f) // methods, getters and setters are not closures
			return
		}
		c.expr(p.Value)
	case *ast.SpreadElement:
		c.disputed(p.Idx0()-3, featSpread)
		c.expr(p.Expression)
	default:
		c.fail(p.Idx0(), msgUnknownNode)
	}
}

// stringLiteral refuses legacy octal escapes, which strict mode forbids
// but goja accepts in string literals.
func (c *featureChecker) stringLiteral(e *ast.StringLiteral) {
	if i := octalEscape(e.Literal); i >= 0 {
		c.fail(e.Idx+file.Idx(i), msgOctalEscape)
	}
}

// class checks a class declaration or expression: classes are disputed,
// their ES2022 fields, private names and static blocks undocumented.
func (c *featureChecker) class(cl *ast.ClassLiteral) {
	// Refusals first: under StrictSyntax the class itself is refused too,
	// but the message should name what no page covers.
	for _, el := range cl.Body {
		switch el := el.(type) {
		case *ast.MethodDefinition:
			if _, ok := el.Key.(*ast.PrivateIdentifier); ok {
				c.fail(el.Idx, undocumented(msgClassFields))
			}
		case *ast.FieldDefinition:
			c.fail(el.Idx, undocumented(msgClassFields))
		case *ast.ClassStaticBlock:
			c.fail(el.Static, undocumented(msgClassFields))
		}
	}
	c.disputed(cl.Class, featClass)
	c.expr(cl.SuperClass)
	for _, el := range cl.Body {
		switch el := el.(type) {
		case *ast.MethodDefinition:
			if el.Computed {
				c.expr(el.Key)
			}
			if el.Body != nil && el.Body.Async {
				c.disputed(el.Body.Function, featAsyncMethod)
			}
			c.function(el.Body)
		case *ast.FieldDefinition, *ast.ClassStaticBlock:
		default:
			c.fail(el.Idx0(), msgUnknownNode)
		}
	}
}

// disputedMethodNames are the names of disputedMethods.
var disputedMethodNames = func() []string {
	var names []string
	for _, m := range disputedMethods {
		names = append(names, m.name)
	}
	return names
}()

// builtin warns about a use of a disputed built-in (an ES2015–ES2020
// global or method the runtime 2.0 page does not list). It never refuses:
// under StrictSyntax the built-in is simply absent at run time, so that
// feature tests like typeof Map keep working.
func (c *featureChecker) builtin(idx file.Idx, name string, names []string) {
	if !c.es2020 {
		return
	}
	for _, n := range names {
		if n == name {
			c.disputed(idx, "the "+name+" built-in (absent under strict syntax)")
			return
		}
	}
}
