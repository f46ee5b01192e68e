package runtime

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cffuzz/cffuzz/coverage"
	"github.com/cffuzz/cffuzz/emulator/runtime/instrument"
	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
)

// Bounds of comparison capture (docs/instrumentation.md).
const (
	// MaxCapturesPerSite is how many distinct comparisons (operand pairs)
	// one execution records at one site; then the site's gate closes and it
	// calls no hook again.
	MaxCapturesPerSite = 16
	// MaxHookCallsPerSite closes a site's gate after that many hook calls
	// even if fewer distinct pairs were seen (a loop repeating one
	// comparison).
	MaxHookCallsPerSite = 64
	// MaxOperandBytes caps a captured string operand (UTF-8 bytes).
	MaxOperandBytes = 256
	// MaxArrayElementsPerSite is how many elements of an array receiver
	// (includes/indexOf/lastIndexOf) one execution reads at one site, from
	// the first array the site sees: each read builds a property
	// descriptor.
	MaxArrayElementsPerSite = 8
)

// CoverageMap returns the edges and comparison sites of code's
// instrumentation: Result.Feedback.Hits[i] counts Map.Edges[i], and
// Comparison.Site indexes Map.Sites. Its error is the *SyntaxError of code
// that does not compile under opts.
func CoverageMap(code []byte, opts Options) (*coverage.Map, error) {
	p, err := compileInstrumented(code, opts.es2020())
	if err != nil {
		return nil, err
	}
	return p.info.Map, nil
}

// compileInstrumented compiles code with edge counters and comparison hooks.
// Code that does not compile plain fails the same way (the plain compile
// runs first, with the same checks); the rewrite never makes a valid
// function invalid (FuzzInstrument checks it).
func compileInstrumented(code []byte, es2020 bool) (*program, error) {
	plain, err := compile(code, es2020)
	if err != nil {
		return nil, err
	}
	src := rewriteImports(string(code))
	prg, err := parser.ParseFile(nil, sourceName, src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		return nil, parseError(src, err)
	}
	info, err := instrument.Program(prg, string(code))
	if err != nil {
		return nil, &SyntaxError{Message: err.Error()}
	}
	p, err := compileAST(prg)
	if err != nil {
		return nil, err
	}
	return &program{prog: p, mentions: plain.mentions, backtracking: plain.backtracking, info: info, plan: newFeedbackPlan(info, strings.Contains(src, "RegExp"))}, nil
}

// feedbackPlan is what every run of one instrumented program shares,
// worked out once when it compiles rather than per run.
type feedbackPlan struct {
	arrays bool // some site is an array method (needs the descriptor built-ins)
	// regexps: some site is a RegExp method and the program can hold a
	// RegExp object (it has a literal or names RegExp), so the runs need
	// the source getter. Reading it makes goja build RegExp and its
	// prototype (about 17 KB and 20 native functions per run), which a
	// program that splits on strings never needs. A program that reaches
	// RegExp through a name built at run time loses only the sources of
	// its RegExp operands (captured as "other"), never behaviour.
	regexps bool
	zeros   []any // the counters' initial elements, one per edge
	ones    []any // the gates' initial elements, one per site
}

// newFeedbackPlan works out the plan of info's program; namesRegExp
// reports whether its source names RegExp.
func newFeedbackPlan(info *instrument.Info, namesRegExp bool) *feedbackPlan {
	pl := &feedbackPlan{zeros: filled(len(info.Map.Edges), 0), ones: filled(len(info.Map.Sites), 1)}
	for _, site := range info.Map.Sites {
		pl.arrays = pl.arrays || arrayMethods[site.Op]
		pl.regexps = pl.regexps || regexpMethods[site.Op]
	}
	pl.regexps = pl.regexps && (info.RegexpLiterals || namesRegExp)
	return pl
}

// feedbackState is the instrumentation of one run: the counters and the
// comparison hooks.
//
// The counters are a dense JavaScript array of numbers, every element an own
// data property from the start: `++c[n]` is plain bytecode (no Go call per
// edge), and an own element is never looked up on a prototype, so no user
// code can intercept it. A Uint32Array over a Go buffer (goja's
// NewArrayBuffer) was measured first: goja builds the typed-array built-ins
// per runtime on first use (about 150 allocations and 10 KB per run) and
// each indexed typed-array access goes through interface calls and
// conversions, so a 2,000-iteration loop ran 10× slower than plain against
// 2× with the array (docs/instrumentation.md). The array is read once, after
// the run.
type feedbackState struct {
	vm   *goja.Runtime
	info *instrument.Info
	// gopd, objectProto and hasOwn are Object.getOwnPropertyDescriptor,
	// Object.prototype and its hasOwnProperty as they were before the
	// user's code ran.
	gopd        goja.Callable
	objectProto *goja.Object
	hasOwn      goja.Callable // Object.prototype.hasOwnProperty
	fieldNames  []goja.Value  // descriptorFields as values, built once
	// regexpSource is the original RegExp.prototype.source getter.
	regexpSource goja.Callable
	counters     *goja.Object
	// gates is the array of site gates (instrument.Gates): 1 while the site
	// captures, 0 once it has MaxCapturesPerSite.
	gates    *goja.Object
	captured []uint8 // distinct comparisons recorded per site
	calls    []uint8 // hook calls per site
	seen     [][]int // indexes in cmps of each site's comparisons
	elements []uint8 // array elements read per site
	cmps     []coverage.Comparison
}

// installFeedback defines the one-shot instrument.Take global the
// program's prologue reads its helpers from. It runs before the lockdown
// and before any user code.
//
// Take and the hook are one native function (one fewer per run): until the
// prologue's last call (Take(TakeHook), which deletes the global and
// returns this same function as the hook) every call is a Take; from then
// on every call is a hook. The prologue is the program's first statement
// and has no comparison site, so no hook call can come before it ends, and
// no user code can reach the function while it is still Take.
func (r *run) installFeedback(info *instrument.Info, plan *feedbackPlan) {
	vm := r.vm
	n := len(info.Map.Sites)
	perSite := make([]uint8, 3*n) // captured, calls, elements: one allocation
	fb := &feedbackState{vm: vm, info: info, captured: perSite[:n:n], calls: perSite[n : 2*n : 2*n], seen: make([][]int, n), elements: perSite[2*n:]}
	r.fb = fb
	if plan.arrays {
		if o, ok := vm.Get("Object").(*goja.Object); ok {
			fb.gopd, _ = goja.AssertFunction(o.Get("getOwnPropertyDescriptor"))
			if fb.objectProto, _ = o.Get("prototype").(*goja.Object); fb.objectProto != nil {
				fb.hasOwn, _ = goja.AssertFunction(fb.objectProto.Get("hasOwnProperty"))
			}
		}
	}
	if plan.regexps {
		fb.regexpSource = originalGetter(vm, "RegExp", "source")
	}
	// NewArray copies its arguments, so the plan's slices stay shared.
	fb.counters = vm.NewArray(plan.zeros...)
	fb.gates = vm.NewArray(plan.ones...)
	g := vm.GlobalObject()
	var helpers [3]goja.Value
	taking := true
	fn := vm.ToValue(func(call goja.FunctionCall) goja.Value {
		if !taking {
			return fb.hook(call)
		}
		i := int(call.Argument(0).ToInteger())
		if i == instrument.TakeHook { // the prologue's last call
			taking = false
			_ = g.Delete(instrument.Take)
		}
		if i < 0 || i >= len(helpers) {
			return goja.Undefined()
		}
		return helpers[i]
	})
	helpers = [3]goja.Value{instrument.TakeCounters: fb.counters, instrument.TakeGates: fb.gates, instrument.TakeHook: fn}
	_ = g.DefineDataProperty(instrument.Take, fn, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// originalGetter returns the getter of ctor.prototype[name] as it is now
// (before the user's code runs), or nil.
func originalGetter(vm *goja.Runtime, ctor, name string) goja.Callable {
	c, ok := vm.Get(ctor).(*goja.Object)
	if !ok {
		return nil
	}
	object, ok := vm.Get("Object").(*goja.Object)
	if !ok {
		return nil
	}
	gopd, ok := goja.AssertFunction(object.Get("getOwnPropertyDescriptor"))
	if !ok {
		return nil
	}
	d, err := gopd(goja.Undefined(), c.Get("prototype"), vm.ToValue(name))
	if err != nil || goja.IsUndefined(d) {
		return nil
	}
	get, _ := goja.AssertFunction(d.ToObject(vm).Get("get"))
	return get
}

func filled(n int, v any) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// hook is instrument.Hook: hook(site, left, right) records one comparison
// and closes the site's gate when the site has captured its share. It runs
// no JavaScript.
func (fb *feedbackState) hook(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) < 3 {
		return goja.Undefined()
	}
	s := int(call.Arguments[0].ToInteger())
	if s < 0 || s >= len(fb.captured) || fb.captured[s] >= MaxCapturesPerSite || fb.calls[s] >= MaxHookCallsPerSite {
		return goja.Undefined()
	}
	fb.calls[s]++
	defer fb.closeFull(s)
	l, r := call.Arguments[1], call.Arguments[2]
	op := fb.info.Map.Sites[s].Op
	if arrayMethods[op] && fb.arrayComparisons(s, l, r) {
		return goja.Undefined()
	}
	c := coverage.Comparison{Site: s, Left: fb.operand(l, fb.info.Regexps[s][0]), Right: fb.operand(r, fb.info.Regexps[s][1])}
	for _, i := range fb.seen[s] { // a loop comparing the same values again
		if fb.cmps[i].Left == c.Left && fb.cmps[i].Right == c.Right {
			return goja.Undefined()
		}
	}
	res, known := compareResult(op, l, r)
	c.Result, c.Unknown = res, !known
	fb.record(c)
	return goja.Undefined()
}

// record appends a captured comparison.
func (fb *feedbackState) record(c coverage.Comparison) {
	fb.seen[c.Site] = append(fb.seen[c.Site], len(fb.cmps))
	fb.cmps = append(fb.cmps, c)
	fb.captured[c.Site]++
}

// closeFull closes the gate of site s when it has captured its share or
// been called MaxHookCallsPerSite times.
func (fb *feedbackState) closeFull(s int) {
	if fb.captured[s] >= MaxCapturesPerSite || fb.calls[s] >= MaxHookCallsPerSite {
		_ = fb.gates.Set(strconv.Itoa(s), 0)
	}
}

// arrayMethods are the methods whose array receiver is captured by its
// elements.
var arrayMethods = map[string]bool{"includes": true, "indexOf": true, "lastIndexOf": true}

// arrayComparisons records `arr.includes(x)` (indexOf, lastIndexOf) as the
// comparisons of x with the array's first primitive elements (the first
// array the site sees in the execution; at most MaxArrayElementsPerSite
// read, as many recorded as the site has left to capture). It reads elements through the original
// Object.getOwnPropertyDescriptor, so an accessor element's getter never
// runs, and only while Object.prototype has no descriptor field whose
// setter the descriptor's construction could trigger; it reports false (and
// records nothing) when l is not an array with primitive elements or that is
// not safe.
func (fb *feedbackState) arrayComparisons(s int, l, r goja.Value) bool {
	arr, ok := l.(*goja.Object)
	if !ok || arr.ClassName() != "Array" || fb.gopd == nil || fb.elements[s] >= MaxArrayElementsPerSite || !fb.plainDescriptors() {
		return false
	}
	n := int(arr.Get("length").ToInteger()) // an array's own data property
	right := fb.operand(r, fb.info.Regexps[s][1])
	recorded := false
	for i := 0; i < n && fb.captured[s] < MaxCapturesPerSite && fb.elements[s] < MaxArrayElementsPerSite; i++ {
		d, err := fb.gopd(goja.Undefined(), arr, fb.vm.ToValue(i))
		if err != nil {
			break
		}
		if goja.IsUndefined(d) { // a hole
			continue
		}
		fb.elements[s]++
		// An accessor's descriptor has no value; Object.prototype has
		// none either (plainDescriptors), so this reads undefined.
		v := d.ToObject(fb.vm).Get("value")
		if !isPrimitive(v) || goja.IsUndefined(v) {
			continue
		}
		fb.record(coverage.Comparison{Site: s, Left: operand(v, ""), Right: right, Result: v.StrictEquals(r)})
		recorded = true
	}
	// One array per site and execution: a loop calling allowed.includes(x)
	// shows the same elements every time.
	fb.elements[s] = MaxArrayElementsPerSite
	return recorded
}

// descriptorFields are the properties goja's getOwnPropertyDescriptor sets
// on the descriptor it builds, with an ordinary [[Set]] that would run a
// setter defined on Object.prototype.
var descriptorFields = []string{"value", "writable", "get", "set", "enumerable", "configurable"}

// plainDescriptors reports whether building a property descriptor runs no
// user code: the original Object.prototype has none of descriptorFields as
// an own property (checked with the original hasOwnProperty, which reads
// no value).
func (fb *feedbackState) plainDescriptors() bool {
	if fb.objectProto == nil || fb.hasOwn == nil {
		return false
	}
	if fb.fieldNames == nil {
		for _, f := range descriptorFields {
			fb.fieldNames = append(fb.fieldNames, fb.vm.ToValue(f))
		}
	}
	for _, name := range fb.fieldNames {
		own, err := fb.hasOwn(fb.objectProto, name)
		if err != nil || own.ToBoolean() {
			return false
		}
	}
	return true
}

// feedback returns what the run reached.
func (fb *feedbackState) feedback() *coverage.Feedback {
	n := len(fb.info.Map.Edges)
	hits := make([]uint32, n)
	vals, _ := fb.counters.Export().([]any)
	for i := 0; i < n && i < len(vals); i++ {
		switch v := vals[i].(type) {
		case int64:
			hits[i] = uint32(min(max(v, 0), math.MaxUint32))
		case float64: // beyond int64 never happens in 20 ms; saturate anyway
			hits[i] = uint32(min(max(v, 0), math.MaxUint32))
		}
	}
	return &coverage.Feedback{Hits: hits, Cmps: fb.cmps}
}

// regexpMethods are the methods whose receiver or argument is usually a
// RegExp.
var regexpMethods = map[string]bool{"test": true, "exec": true, "match": true, "search": true, "split": true}

// operand is the package-level operand, with the source of a RegExp object
// that is not a literal read through the original RegExp.prototype.source
// getter (native: it reads the object's pattern and runs no user code; the
// flags getter would read overridable properties, so flags are known only
// for literals).
func (fb *feedbackState) operand(v goja.Value, regexpLiteral string) coverage.Operand {
	o := operand(v, regexpLiteral)
	if o.Kind != "other" || fb.regexpSource == nil {
		return o
	}
	if obj, ok := v.(*goja.Object); ok && obj.ClassName() == "RegExp" {
		if src, err := fb.regexpSource(obj); err == nil && goja.IsString(src) {
			return coverage.Operand{Kind: "regexp", Str: capString("/" + src.String() + "/")}
		}
	}
	return o
}

// operand describes a value without running user code: primitives only;
// objects are "other" (or "regexp" with the literal's source when the
// instrumentation saw a regular-expression literal there).
func operand(v goja.Value, regexpLiteral string) coverage.Operand {
	switch {
	case v == nil || goja.IsUndefined(v):
		return coverage.Operand{Kind: "undefined"}
	case goja.IsNull(v):
		return coverage.Operand{Kind: "null"}
	}
	if _, ok := v.(*goja.Object); ok {
		if regexpLiteral != "" {
			return coverage.Operand{Kind: "regexp", Str: regexpLiteral}
		}
		return coverage.Operand{Kind: "other"}
	}
	switch x := v.Export().(type) {
	case string:
		return coverage.Operand{Kind: "string", Str: capString(x)}
	case int64:
		return coverage.Operand{Kind: "number", Str: strconv.FormatInt(x, 10), Num: float64(x)}
	case float64:
		return coverage.Operand{Kind: "number", Str: v.String(), Num: x}
	case bool:
		return coverage.Operand{Kind: "boolean", Str: strconv.FormatBool(x)}
	}
	return coverage.Operand{Kind: "other"}
}

// capString cuts s to MaxOperandBytes on a rune boundary.
func capString(s string) string {
	if len(s) <= MaxOperandBytes {
		return s
	}
	n := MaxOperandBytes
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isPrimitive(v goja.Value) bool {
	if v == nil {
		return false
	}
	_, obj := v.(*goja.Object)
	return !obj
}

// compareResult computes what the comparison op evaluated to, for
// primitive operands (where no user code can run); known is false
// otherwise, and for methods whose result would need the RegExp engine or
// an array's elements.
func compareResult(op string, l, r goja.Value) (res, known bool) {
	if l == nil || r == nil {
		return false, false
	}
	switch op {
	case "===", "switch":
		return l.StrictEquals(r), true
	case "!==":
		return !l.StrictEquals(r), true
	}
	if !isPrimitive(l) || !isPrimitive(r) {
		return false, false
	}
	switch op {
	case "==":
		return l.Equals(r), true
	case "!=":
		return !l.Equals(r), true
	case "<", "<=", ">", ">=":
		return relational(op, l, r), true
	}
	// Methods: a string receiver and a primitive argument.
	if !goja.IsString(l) {
		return false, false
	}
	s, arg := l.String(), r.String()
	switch op {
	case "startsWith":
		return strings.HasPrefix(s, arg), true
	case "endsWith":
		return strings.HasSuffix(s, arg), true
	case "includes", "indexOf", "lastIndexOf":
		return strings.Contains(s, arg), true
	case "localeCompare":
		return s == arg, true
	}
	return false, false
}

// relational is op on primitives, as JavaScript defines it: two strings
// compare by UTF-16 code units, anything else as numbers (NaN is false).
func relational(op string, l, r goja.Value) bool {
	var c int
	if goja.IsString(l) && goja.IsString(r) {
		c = compareUTF16(l.String(), r.String())
	} else {
		a, b := l.ToFloat(), r.ToFloat()
		if math.IsNaN(a) || math.IsNaN(b) {
			return false
		}
		switch {
		case a < b:
			c = -1
		case a > b:
			c = 1
		}
	}
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	default:
		return c >= 0
	}
}

// compareUTF16 orders strings by UTF-16 code units (JavaScript's string
// order), which differs from Go's byte order only between supplementary
// characters and U+E000–U+FFFF.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return cmpInt(firstUnit(ra), firstUnit(rb), ra, rb)
		}
		a, b = a[na:], b[nb:]
	}
	return cmpInt(len(a), len(b), 0, 0)
}

func firstUnit(r rune) int {
	if r >= 0x10000 {
		return 0xD800 + int((r-0x10000)>>10)
	}
	return int(r)
}

func cmpInt(a, b int, ra, rb rune) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case ra < rb:
		return -1
	case ra > rb:
		return 1
	}
	return 0
}

// plainRerunDivisor sets the feedback utilization rule: an instrumented run
// whose CPU time reaches Budget/plainRerunDivisor (or that hit a limit) is
// run again plain, and the plain run's Result is returned with the
// instrumented run's Feedback.
const plainRerunDivisor = 4

// executeFeedback runs req instrumented. Every field of the Result but
// Feedback describes the plain function: when the instrumented run could
// differ from the plain one in what oracles judge — it hit a limit (time,
// memory, call stack: the hooks are calls and deepen the stack by one) or
// used a quarter of the budget or more — the plain program runs too and its
// Result is returned with the instrumented Feedback. Otherwise the
// instrumented Result is returned as is (decision, calls, logs, errors and
// output are the same by construction; its CPU time includes the
// instrumentation's overhead, well under the utilization that matters).
func (e *inProcess) executeFeedback(req Request) (Result, error) {
	c, err := e.compileAs(req.Code, true)
	if err != nil {
		return Result{}, err
	}
	if c.err != nil {
		// The plain compile decides: a function that compiles plain but
		// not instrumented (which FuzzInstrument has not found) runs plain
		// with empty feedback rather than looking broken.
		p, err := e.compileAs(req.Code, false)
		if err != nil {
			return Result{}, err
		}
		var res Result
		if p.err != nil {
			res = syntaxResult(p.err, e.opts)
		} else if res, err = execute(p.prog, req, e.opts); err != nil {
			return Result{}, err
		}
		res.Feedback = &coverage.Feedback{}
		return res, nil
	}
	res, err := execute(c.prog, req, e.opts)
	if err != nil || !needsPlainRerun(res, e.opts) {
		return res, err
	}
	p, err := e.compileAs(req.Code, false)
	if err != nil {
		return Result{}, err
	}
	if p.err != nil { // cannot happen: the instrumented compile checked it
		return Result{}, p.err
	}
	plain, err := execute(p.prog, req, e.opts)
	if err != nil {
		return Result{}, err
	}
	plain.Feedback = res.Feedback
	return plain, nil
}

// needsPlainRerun is the feedback utilization rule (see executeFeedback),
// and one more case: a stack string reached the Result (logged, in custom
// data or an error message). goja's stack frames carry bytecode offsets
// ("function.js:2:54(8)"), which the rewrite changes.
func needsPlainRerun(res Result, opts Options) bool {
	switch res.ErrorName {
	case ErrorTimeout, ErrorMemory, ErrorStackOverflow:
		return true
	}
	if res.CPUTime >= opts.Budget/plainRerunDivisor {
		return true
	}
	if hasStackFrame(res.Error) || hasStackFrame(res.CustomData) {
		return true
	}
	for _, l := range res.Logs {
		if hasStackFrame(l) {
			return true
		}
	}
	return false
}

// stackFrameRE matches a goja stack frame of the user's code with its
// bytecode offset.
var stackFrameRE = regexp.MustCompile(regexp.QuoteMeta(sourceName) + `:\d+:\d+\(\d+\)`)

func hasStackFrame(s string) bool {
	return strings.Contains(s, sourceName+":") && stackFrameRE.MatchString(s)
}
