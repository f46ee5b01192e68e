package oracles

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/cpuwatch"
)

// DefaultJSTimeout bounds the CPU time of one JavaScript property check
// (and of the file's top-level code) when JSOptions.Timeout is zero.
const DefaultJSTimeout = 100 * time.Millisecond

// KeyBroken is the Signal.Key of a property that failed to run.
const KeyBroken = "broken"

// DefaultJSMaxHeapGrowth bounds how much one property check may grow the
// process's heap when JSOptions.MaxHeapGrowth is zero.
const DefaultJSMaxHeapGrowth = 64 << 20

// jsMaxCallStack makes runaway recursion in a property fail fast.
const jsMaxCallStack = 10000

// JSOptions configures JavaScript properties.
type JSOptions struct {
	// Timeout bounds the CPU time (not the wall time: a loaded machine
	// does not make a property slow) of each check function call and of
	// the file's top-level code; zero means DefaultJSTimeout.
	Timeout time.Duration
	// MaxHeapGrowth bounds how much a check may grow the process's heap
	// (properties run in the campaign's process); zero means
	// DefaultJSMaxHeapGrowth.
	MaxHeapGrowth uint64
	// OnConfigError, when set, is called once per property, the first
	// time it fails to run (it throws, times out or returns something
	// other than true, false or a string). It may be called concurrently.
	OnConfigError func(error)
}

// ConfigErrorer is implemented by oracles whose own configuration can fail
// while they run, such as JavaScript properties that throw. Such failures
// are not findings about the function under test.
type ConfigErrorer interface {
	// ConfigErrors returns the first failure of each failing part of the
	// oracle's configuration, in the order they happened.
	ConfigErrors() []error
}

type jsProperty struct {
	file  string
	prog  *goja.Program
	names []string // "" for the single check function, else keys of properties
	opts  JSOptions

	mu       sync.Mutex
	reported map[string]bool
	errs     []error
}

// LoadJSProperties compiles a JavaScript properties file and returns an
// oracle, named "property", that runs it on every OK outcome whose input is
// a JSON object. The file defines either
//
//	function check(connection, outcome) { ... }
//
// (one property, whose Kind is name: pass a short, stable name such as the
// file's base name without ".js"), or
//
//	var properties = { allowsKnownClients: function (connection, outcome) { ... }, ... };
//
// (several, whose Kinds are name + "." + key). A check returns true when the
// property holds, and false or a string (the message) when it is violated.
// connection is the parsed connection object and outcome is
//
//	{decision: "allow"|"deny"|"none", error: string|null, errorName: string,
//	 utilization: number, logs: [string], customData: string, calls: [string]}
//
// The file runs in plain goja (ECMAScript 5.1 and most of ES6, no console,
// no modules), in a fresh runtime for each outcome, and each call is
// interrupted after opts.Timeout of CPU time. A check that throws, times
// out or returns anything else is broken: it is reported once through
// opts.OnConfigError and ConfigErrors, and raises a signal of Key
// KeyBroken (one finding per broken property), so that a property that
// checks nothing fails the campaign instead of passing it. Violations and
// broken properties have severity high, capped for ClassMalformed. The
// returned Oracle also implements ConfigErrorer.
func LoadJSProperties(name string, src []byte, opts JSOptions) (Oracle, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultJSTimeout
	}
	if opts.MaxHeapGrowth == 0 {
		opts.MaxHeapGrowth = DefaultJSMaxHeapGrowth
	}
	prog, err := goja.Compile(name, string(src), false)
	if err != nil {
		return nil, fmt.Errorf("compile properties %s: %w", name, err)
	}
	p := &jsProperty{file: name, prog: prog, opts: opts, reported: map[string]bool{}}
	vm, err := p.runtime()
	if err != nil {
		return nil, fmt.Errorf("run properties %s: %w", name, err)
	}
	check := vm.Get("check")
	props := vm.Get("properties")
	hasCheck := check != nil && !goja.IsUndefined(check)
	hasProps := props != nil && !goja.IsUndefined(props) && !goja.IsNull(props)
	switch {
	case hasCheck && hasProps:
		return nil, fmt.Errorf("properties %s defines both check and properties: keep one", name)
	case hasCheck:
		if _, ok := goja.AssertFunction(check); !ok {
			return nil, fmt.Errorf("properties %s: check is a %s, not a function(connection, outcome)", name, check.ExportType())
		}
		p.names = []string{""}
	case hasProps:
		obj, ok := props.(*goja.Object)
		if !ok {
			return nil, fmt.Errorf("properties %s: properties must be an object of functions, got %s", name, props)
		}
		for _, k := range obj.Keys() {
			if _, ok := goja.AssertFunction(obj.Get(k)); !ok {
				return nil, fmt.Errorf("properties %s: properties.%s is not a function(connection, outcome)", name, k)
			}
			p.names = append(p.names, k)
		}
		if len(p.names) == 0 {
			return nil, fmt.Errorf("properties %s: the properties object is empty", name)
		}
		slices.Sort(p.names)
	default:
		return nil, fmt.Errorf("properties %s defines neither function check(connection, outcome) nor var properties = {name: function (connection, outcome) {...}}", name)
	}
	return p, nil
}

func (*jsProperty) Name() string { return "property" }

// ConfigErrors returns the first failure of each property that failed to run.
func (p *jsProperty) ConfigErrors() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.errs)
}

func (p *jsProperty) Check(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal {
	if _, ok := decodeObject(c, o); !ok {
		return nil
	}
	vm, err := p.runtime()
	if err != nil {
		// The top-level code ran once at load; failing now is a config error.
		p.configError("", err)
		return []cffuzz.Signal{brokenSignal(c, p.file, err)}
	}
	if !o.Sent.IsZero() {
		// The function judged the case at its own "now" (at or after the
		// request was sent); a property that reads the clock later would
		// see a certificate that expired in between as expired.
		sent := o.Sent
		vm.SetTimeSource(func() time.Time { return sent })
	}
	var out []cffuzz.Signal
	for _, name := range p.names {
		kind := p.file
		if name != "" {
			kind += "." + name
		}
		msg, violated, err := p.call(vm, name, c.Object, o)
		switch {
		case err != nil:
			p.configError(kind, err)
			out = append(out, brokenSignal(c, kind, err))
		case violated:
			out = append(out, propertySignal(c, o, kind, msg))
		}
	}
	return out
}

// runtime returns a fresh runtime with the file's top-level code run.
func (p *jsProperty) runtime() (*goja.Runtime, error) {
	vm := goja.New()
	vm.SetMaxCallStackSize(jsMaxCallStack)
	_, err := p.withTimeout(vm, func() (goja.Value, error) { return vm.RunProgram(p.prog) })
	return vm, err
}

// call runs one property on a freshly parsed connection object.
func (p *jsProperty) call(vm *goja.Runtime, name string, raw []byte, o *cffuzz.Outcome) (msg string, violated bool, err error) {
	fn, ok := p.function(vm, name)
	if !ok {
		return "", false, errors.New("the check function is gone (did the file's code replace it?)")
	}
	v, err := p.withTimeout(vm, func() (goja.Value, error) {
		parse, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("parse"))
		conn, err := parse(goja.Undefined(), vm.ToValue(string(raw)))
		if err != nil {
			return nil, err
		}
		return fn(goja.Undefined(), conn, outcomeValue(vm, o))
	})
	if err != nil {
		return "", false, err
	}
	switch x := v.Export().(type) {
	case bool:
		if x {
			return "", false, nil
		}
		return "check returned false", true, nil
	case string:
		if x == "" {
			return "check returned an empty message", true, nil
		}
		return x, true, nil
	}
	return "", false, fmt.Errorf("check must return true, false or a message string; it returned %s", v)
}

func (p *jsProperty) function(vm *goja.Runtime, name string) (goja.Callable, bool) {
	if name == "" {
		return goja.AssertFunction(vm.Get("check"))
	}
	props, ok := vm.Get("properties").(*goja.Object)
	if !ok {
		return nil, false
	}
	return goja.AssertFunction(props.Get(name))
}

// withTimeout runs f, interrupting vm once it has used the configured
// timeout of CPU time, and turns a panic inside goja into an error.
func (p *jsProperty) withTimeout(vm *goja.Runtime, f func() (goja.Value, error)) (v goja.Value, err error) {
	vm.ClearInterrupt()
	hit := cpuwatch.Watch(cpuwatch.Limits{CPU: p.opts.Timeout, HeapGrowth: p.opts.MaxHeapGrowth}, func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("property code panicked the engine: %v", r)
			}
		}()
		v, err = f()
	}, func(cpuwatch.Exceeded) { vm.Interrupt("limit") })
	var ie *goja.InterruptedError
	switch {
	case errors.As(err, &ie) && hit == cpuwatch.Heap:
		return nil, fmt.Errorf("it grew the heap by more than %d MB", p.opts.MaxHeapGrowth>>20)
	case errors.As(err, &ie):
		return nil, fmt.Errorf("%w: it took longer than %s of CPU time", errPropertyTimeout, p.opts.Timeout)
	}
	return v, err
}

// errPropertyTimeout marks a property stopped by its CPU time limit.
var errPropertyTimeout = errors.New("the check did not finish")

// brokenSignal is the signal of a property that failed to run on c. A
// timeout is confirmed by re-running; a throw is deterministic.
func brokenSignal(c *cffuzz.Case, kind string, err error) cffuzz.Signal {
	confirm := 0
	if errors.Is(err, errPropertyTimeout) {
		confirm = 1
	}
	return cffuzz.Signal{
		Oracle:   "property",
		Severity: CapSeverity(cffuzz.SeverityHigh, c.Class),
		Kind:     kind,
		Message:  fmt.Sprintf("property %s is broken: %v (fix the property: while it fails it checks nothing)", kind, err),
		Key:      KeyBroken,
		Confirm:  confirm,
	}
}

func (p *jsProperty) configError(kind string, err error) {
	if kind == "" {
		kind = p.file
	}
	err = fmt.Errorf("property %s is broken (not a finding about the function): %w", kind, err)
	p.mu.Lock()
	first := !p.reported[kind]
	if first {
		p.reported[kind] = true
		p.errs = append(p.errs, err)
	}
	p.mu.Unlock()
	if first && p.opts.OnConfigError != nil {
		p.opts.OnConfigError(err)
	}
}

// outcomeValue is the outcome as JavaScript properties see it.
func outcomeValue(vm *goja.Runtime, o *cffuzz.Outcome) *goja.Object {
	obj := vm.NewObject()
	d := o.Decision
	if d == "" {
		d = cffuzz.DecisionNone
	}
	_ = obj.Set("decision", string(d))
	if o.FunctionError != "" {
		_ = obj.Set("error", o.FunctionError)
	} else {
		_ = obj.Set("error", goja.Null())
	}
	_ = obj.Set("errorName", o.ErrorName)
	_ = obj.Set("utilization", o.Utilization)
	_ = obj.Set("logs", stringArray(vm, o.Logs))
	_ = obj.Set("customData", o.CustomData)
	_ = obj.Set("calls", stringArray(vm, o.Calls))
	return obj
}

func stringArray(vm *goja.Runtime, ss []string) *goja.Object {
	items := make([]any, len(ss))
	for i, s := range ss {
		items[i] = s
	}
	return vm.NewArray(items...)
}
