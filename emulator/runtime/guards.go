package runtime

import (
	"fmt"
	"math"

	"github.com/dop251/goja"
)

// guards are the natives behind the size checks of the JavaScript parts of
// the host (Buffer, typed arrays). A check
// that fails ends the run with a MemoryError: it records the limit, asks
// the runtime to interrupt (so that a catch block cannot swallow it) and
// throws.
type guards struct {
	maxBytes int
	// exceeded is called with the message of a failed check; it records
	// the limit and throws.
	exceeded func(msg string)
}

// formatAllocation is the message of a refused allocation.
func formatAllocation(n float64, unit string, max int) string {
	return fmt.Sprintf("allocation of %.0f %s exceeds the %d-byte function memory limit", n, unit, max)
}

// bytesPerElement is what njs spends on one array element (a 16-byte
// njs_value_t); it turns the memory quota into an element count.
const bytesPerElement = 16

func (g *guards) object(vm *goja.Runtime) *goja.Object {
	o := vm.NewObject()
	check := func(unit string, per int) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			n := call.Argument(0).ToFloat()
			if math.IsNaN(n) || n*float64(per) <= float64(g.maxBytes) {
				return goja.Undefined()
			}
			g.exceeded(formatAllocation(n, unit, g.maxBytes))
			panic("unreachable: exceeded throws")
		}
	}
	_ = o.Set("str", check("characters", 1))
	_ = o.Set("len", check("array elements", bytesPerElement))
	_ = o.Set("bytes", check("bytes", 1))
	return o
}
