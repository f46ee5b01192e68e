package runtime

import (
	_ "embed"
	"errors"
	"regexp"
	"strconv"

	"github.com/dop251/goja"
)

//go:embed js/describe.js
var describeSrc string

var describeProgram = goja.MustCompile("cloudfront:describe", describeSrc, true)

// userFrameRE finds the first position in the user's code in a goja stack.
var userFrameRE = regexp.MustCompile(regexp.QuoteMeta(sourceName) + `:(\d+):(\d+)`)

// setException turns an uncaught exception, a rejection or a stack
// overflow into the Result's error fields.
func (r *run) setException(err error) {
	var (
		so  *goja.StackOverflowError
		ie  *goja.InterruptedError
		ex  *goja.Exception
		rej *rejection
		je  *jsErr
	)
	switch {
	case errors.As(err, &so):
		line, col := userPosition(so.Stack())
		r.setError(ErrorStackOverflow, "Maximum call stack size exceeded", line, col)
	case errors.As(err, &ie):
		r.setError(ErrorTimeout, "the function was interrupted", 0, 0)
	case errors.As(err, &ex):
		name, msg, stack := r.describe(ex.Value())
		line, col := userPosition(ex.Stack())
		if line == 0 {
			line, col = stackPosition(stack)
		}
		r.setError(name, msg, line, col)
	case errors.As(err, &rej):
		name, msg, stack := r.describe(rej.value)
		line, col := stackPosition(stack)
		r.setError(name, msg, line, col)
	case errors.As(err, &je):
		r.setError(je.name, je.msg, 0, 0)
	default:
		r.setError("Error", err.Error(), 0, 0)
	}
	if r.limit.Load() != nil { // a limit hit while describing wins
		r.setLimitError(nil)
	}
}

// describe returns the name, message and stack of a thrown value; name is
// "Error" for values that are not errors.
func (r *run) describe(v goja.Value) (name, msg, stack string) {
	name = "Error"
	fv, err := r.vm.RunProgram(describeProgram)
	if err != nil {
		return name, "uncaught exception", ""
	}
	fn, _ := goja.AssertFunction(fv)
	out, err := fn(goja.Undefined(), v)
	if err != nil {
		return name, "uncaught exception", ""
	}
	parts, ok := out.Export().([]any)
	if !ok || len(parts) != 3 {
		return name, "uncaught exception", ""
	}
	n, _ := parts[0].(string)
	msg, _ = parts[1].(string)
	stack, _ = parts[2].(string)
	if n != "" {
		name = n
	}
	return name, msg, stack
}

// userPosition is the position of the innermost frame in the user's code.
func userPosition(frames []goja.StackFrame) (line, col int) {
	for _, f := range frames {
		if f.SrcName() == sourceName {
			p := f.Position()
			return p.Line, p.Column
		}
	}
	return 0, 0
}

// stackPosition is the first user position in an Error's stack string.
func stackPosition(stack string) (line, col int) {
	m := userFrameRE.FindStringSubmatch(stack)
	if m == nil {
		return 0, 0
	}
	line, _ = strconv.Atoi(m[1])
	col, _ = strconv.Atoi(m[2])
	return line, col
}
