package calibrate

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"

	"golang.org/x/time/rate"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/target"
)

// Fields a Difference can name.
const (
	FieldDeploy      = "deploy"
	FieldAPI         = "api"
	FieldError       = "error"
	FieldOutput      = "output"
	FieldLogs        = "logs"
	FieldUtilization = "utilization"
)

// Difference is one field of one probe whose emulated answer differs from
// the recorded one.
type Difference struct {
	Probe    string `json:"probe"`
	Field    string `json:"field"`
	Emulator string `json:"emulator"`
	Target   string `json:"target"`
}

// String shows a difference on two lines: probe, field and the emulated
// value, then the recorded one (each quoted and cut at 200 characters).
func (d Difference) String() string {
	return fmt.Sprintf("%-30s %-11s emulator: %s\n%-42s target:   %s", d.Probe, d.Field, quote(d.Emulator), "", quote(d.Target))
}

func quote(s string) string { return truncate(fmt.Sprintf("%q", s), 200) }

// CheckOptions configures Check.
type CheckOptions struct {
	// Options are the emulator's runtime options: the zero value checks
	// the emulator's defaults; File.Apply(runtime.Options{}) checks the
	// calibrated emulator.
	Options runtime.Options
	// Repeats is how many times each work probe runs (default: the
	// file's Repeats).
	Repeats int
	// Log receives one line per probe (nil discards).
	Log io.Writer
}

// Check replays the file's probes on the emulator, started in this process
// on a loopback port and driven through the same SDK client as a
// recording, and returns every difference from the recorded answers.
//
// What is compared (docs/runtime.md): deployment and API errors by code;
// outputs and logs exactly; errors by format, name and position, and by
// message only for probes whose message is their own (engines word their
// errors differently); utilization for work probes that finished on both
// sides, by kind of work (utilizationDiffs).
func Check(ctx context.Context, f *File, opts CheckOptions) ([]Difference, error) {
	if opts.Repeats <= 0 {
		opts.Repeats = max(f.Repeats, 1)
	}
	ex := runtime.NewInProcess(opts.Options)
	defer ex.Close()
	srv, err := emulator.Start(emulator.Options{Executor: ex, Seed: 1}, emulator.DefaultAddr)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	client, err := target.NewClient(ctx, target.SDKOptions{Endpoint: srv.URL()})
	if err != nil {
		return nil, err
	}
	rec := &recorder{opts: Options{SDK: target.SDKOptions{Endpoint: srv.URL()}, Repeats: opts.Repeats, Prefix: "cffuzz-check", Log: io.Discard}, client: client, limiter: rate.NewLimiter(rate.Inf, 1)}
	var diffs []Difference
	var work []workPair
	for i, r := range f.Probes {
		emu, err := rec.probe(ctx, r.Probe, i == 0)
		if err != nil {
			return nil, fmt.Errorf("probe %s on the emulator: %w", r.Name, err)
		}
		res, err := ex.Execute(ctx, runtime.Request{Code: []byte(r.Code), Object: []byte(r.Object), Seed: 1, Now: probeNow})
		if err != nil {
			return nil, fmt.Errorf("probe %s on the emulator's runtime: %w", r.Name, err)
		}
		d := compare(r, emu.Target, res, opts.Options.Formats)
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, "probe %d/%d %-30s %d differences\n", i+1, len(f.Probes), r.Name, len(d))
		}
		diffs = append(diffs, d...)
		if p, ok := pairOf(r, emu.Target); ok {
			work = append(work, p)
		}
	}
	return append(diffs, utilizationDiffs(work)...), nil
}

// workPair is a work probe both sides finished, with both utilizations.
type workPair struct {
	name, kind string
	emu, rec   int
}

func pairOf(r Recording, emu Answer) (workPair, bool) {
	t := r.Target
	if r.Kind != KindWork || !answered(t) || emu.Deploy != "" || emu.Status != t.Status || emu.FunctionError != "" || t.FunctionError != "" {
		return workPair{}, false
	}
	eu, tu := emu.Utilization(), t.Utilization()
	if eu < 0 || tu < 0 {
		return workPair{}, false
	}
	kind := r.Name
	if parts := strings.Split(r.Name, "/"); len(parts) == 3 {
		kind = parts[1]
	}
	return workPair{name: r.Name, kind: kind, emu: eu, rec: tu}, true
}

// utilizationDiffs compares utilization per kind of work: a kind whose
// median ratio of emulated to recorded utilization is off by more than
// 2× lists each of its probes that differs (utilizationDiffers). One probe
// disturbed on either side cannot move its kind's median, so noise is not
// listed, while a scale that is wrong, for every kind or for one, is.
func utilizationDiffs(ps []workPair) []Difference {
	ratios := map[string][]float64{}
	for _, p := range ps {
		ratios[p.kind] = append(ratios[p.kind], float64(p.emu+1)/float64(p.rec+1))
	}
	var ds []Difference
	for _, p := range ps {
		m := median(ratios[p.kind])
		if (m > 2 || m < 0.5) && utilizationDiffers(p.emu, p.rec) {
			ds = append(ds, Difference{Probe: p.name, Field: FieldUtilization, Emulator: fmt.Sprint(p.emu), Target: fmt.Sprint(p.rec)})
		}
	}
	return ds
}

// compare lists the differences between the recorded answer of r and the
// emulated answer emu; res is the emulator runtime's own result for r.
func compare(r Recording, emu Answer, res runtime.Result, formats runtime.Formats) []Difference {
	t := r.Target
	var ds []Difference
	add := func(field, e, t string) {
		ds = append(ds, Difference{Probe: r.Name, Field: field, Emulator: e, Target: t})
	}
	code := func(s string) string { c, _, _ := strings.Cut(s, ":"); return c }
	if (emu.Deploy == "") != (t.Deploy == "") || code(emu.Deploy) != code(t.Deploy) {
		add(FieldDeploy, orText(emu.Deploy, "deployed"), orText(t.Deploy, "deployed"))
		return ds
	}
	if t.Deploy != "" {
		return ds
	}
	if emu.Status != t.Status || emu.ErrorCode != t.ErrorCode {
		add(FieldAPI, fmt.Sprintf("%d %s", emu.Status, emu.ErrorCode), fmt.Sprintf("%d %s", t.Status, t.ErrorCode))
		return ds
	}
	if !answered(t) {
		return ds
	}
	if !sameError(r, emu.FunctionError, t.FunctionError, res, formats) {
		add(FieldError, emu.FunctionError, t.FunctionError)
	}
	if emu.Output != t.Output {
		add(FieldOutput, emu.Output, t.Output)
	}
	if strings.Join(emu.Logs, "\n") != strings.Join(t.Logs, "\n") || len(emu.Logs) != len(t.Logs) {
		add(FieldLogs, strings.Join(emu.Logs, "\n"), strings.Join(t.Logs, "\n"))
	}
	return ds
}

// utilizationDiffers is the check's tolerance: more than 10 points apart
// and one more than twice the other. The least of five runs of the same
// work still varies by tens of percent on an overloaded machine
// (docs/runtime.md); a scale that is off by less than that is better
// judged by the fit's numbers.
func utilizationDiffers(a, b int) bool {
	lo, hi := float64(min(a, b)), float64(max(a, b))
	return hi-lo > 10 && hi > 2*lo
}

func orText(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

// sameError reports whether the target's error t matches the emulated one
// e: both empty, or t renders like e's name and position in the emulator's
// formats, with any message unless the probe's message is known.
func sameError(r Recording, e, t string, res runtime.Result, formats runtime.Formats) bool {
	if e == "" || t == "" {
		return e == t
	}
	if res.ErrorName == "" {
		return e == t
	}
	msg := `(?s:.*)`
	if r.KnownMessage {
		msg = regexp.QuoteMeta(ProbeMessage)
	}
	pattern := regexp.QuoteMeta(formats.FormatError(sentName, sentMessage, res.Line, res.Column))
	pattern = strings.NewReplacer(sentName, regexp.QuoteMeta(res.ErrorName), sentMessage, msg).Replace(pattern)
	re, err := regexp.Compile("^" + pattern + "$")
	if err != nil {
		return e == t
	}
	return re.MatchString(t)
}
