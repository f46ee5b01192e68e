package oracles

// DefaultOptions configures the default oracle set.
type DefaultOptions struct {
	// Utilization configures the utilization oracle.
	Utilization UtilizationOptions
	// Mismatch configures the mismatch oracle.
	Mismatch MismatchOptions
}

// Default returns the oracles every campaign runs: Crash, Utilization,
// Mismatch and Decision, in that order. Property, Differential and
// Determinism oracles depend on what the user provides and are added by
// the caller.
func Default(opts DefaultOptions) []Oracle {
	return []Oracle{
		Crash(),
		Utilization(opts.Utilization),
		Mismatch(opts.Mismatch),
		Decision(),
	}
}
