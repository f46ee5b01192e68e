package campaign

import (
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/emulate"
)

// emulatorRuntime is how the embedded emulator runs functions, as
// fuzz emulate would run them with the same flags.
func (c *Config) emulatorRuntime() emulate.Runtime {
	return emulate.Runtime{Isolation: c.Isolation, Budget: c.Budget, TimeLimit: c.TimeLimit, Calibration: c.Calibration,
		StrictSyntax: c.StrictSyntax, WorkerCommand: c.WorkerCommand, Workers: poolWorkers(c)}
}

// runtimeOptions are the embedded emulator's runtime options: the
// calibration's model and error format, then Budget and TimeLimit when
// set. The calibration's output format is not applied: decisions, calls
// and error positions are read from the emulator's own output format.
func (c *Config) runtimeOptions() runtime.Options {
	o := c.emulatorRuntime().Options()
	o.Formats.Output = ""
	o.SpeedFactor = c.SpeedFactor
	return o
}
