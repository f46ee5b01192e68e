package campaign

import "github.com/cffuzz/cffuzz/emulator/runtime"

// runtimeOptions are the embedded emulator's runtime options: the
// calibration's model and error format, then Budget and TimeLimit when set.
func (c *Config) runtimeOptions() runtime.Options {
	var o runtime.Options
	if c.Calibration != nil {
		o = c.Calibration.Apply(o)
		// Decisions, calls and error positions are read from the
		// emulator's own output format.
		o.Formats.Output = ""
	}
	if c.Budget > 0 {
		o.Budget = c.Budget
	}
	if c.TimeLimit > 0 {
		o.TimeLimit = c.TimeLimit
	}
	o.StrictSyntax = c.StrictSyntax
	return o
}
