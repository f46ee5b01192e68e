package calibrate

import (
	"fmt"
	"io"
	"strings"
)

// Fields lists the fields a Difference can name, in the order summaries
// show them.
var Fields = []string{FieldDeploy, FieldAPI, FieldError, FieldOutput, FieldLogs, FieldUtilization}

// Totals counts the differences of a check: how many probes differ, and
// how many differences each field has.
type Totals struct {
	Probes  int
	ByField map[string]int
}

// Total counts diffs.
func Total(diffs []Difference) Totals {
	t := Totals{ByField: map[string]int{}}
	probes := map[string]bool{}
	for _, d := range diffs {
		if !probes[d.Probe] {
			probes[d.Probe] = true
			t.Probes++
		}
		t.ByField[d.Field]++
	}
	return t
}

// String is "deploy 1, error 3": the fields with differences, in Fields
// order (Check names no other field); "" when there are none.
func (t Totals) String() string {
	var parts []string
	for _, f := range Fields {
		if n := t.ByField[f]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", f, n))
		}
	}
	return strings.Join(parts, ", ")
}

// WriteCheck writes a check of f for a person: every difference, the
// totals by field, and a closing line. what names what was compared
// with f's target ("the emulator's defaults", "the calibrated emulator").
func WriteCheck(w io.Writer, f *File, diffs []Difference, what string) error {
	var b strings.Builder
	for _, d := range diffs {
		fmt.Fprintln(&b, d)
	}
	t := Total(diffs)
	if s := t.String(); s != "" {
		fmt.Fprintf(&b, "differences by field: %s\n", s)
	}
	fmt.Fprintf(&b, "%d of %d probes differ between %s and %s (recorded %s)\n", t.Probes, len(f.Probes), what, f.Target, f.Recorded.Format("2006-01-02"))
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteFit writes what a calibration fitted for a person: the utilization
// model, the time limit and cap, the formats, and the fit's notes.
func WriteFit(w io.Writer, f *File) error {
	var b strings.Builder
	fit := f.Fit
	if fit.BudgetMillis > 0 {
		fmt.Fprintf(&b, "utilization = %.1f + %.2f × emulator CPU ms (R² %.3f over %d work probes; least squares: %.2f per ms)\n",
			fit.Base, fit.Scale, fit.R2, fit.Points, fit.LeastSquaresScale)
		fmt.Fprintf(&b, "budget (100 points) %.3f ms of emulator CPU; time limit %.1f ms", fit.BudgetMillis, fit.TimeLimitMillis)
	} else {
		fmt.Fprintf(&b, "no utilization scale fitted; time limit %.1f ms", fit.TimeLimitMillis)
	}
	if fit.MaxUtilization > 0 {
		fmt.Fprintf(&b, "; utilization capped at %d", fit.MaxUtilization)
	}
	fmt.Fprintln(&b)
	if fit.Formats.IsDefault() {
		fmt.Fprintln(&b, "error and output formats: the emulator's")
	} else {
		fmt.Fprintf(&b, "error format %q, location %q, output format %q\n", fit.Formats.Error, fit.Formats.Location, fit.Formats.Output)
	}
	for _, n := range fit.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
