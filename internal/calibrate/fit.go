package calibrate

import (
	"context"
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// FitFile fits the model of docs/runtime.md to a recording: the scale and
// base by least squares over the work probes that finished on the target,
// the time limit from the work probes that did not, the cap from the
// largest utilization seen, and the error and output formats from the
// probes whose answers are known exactly.
func FitFile(f *File) Fit {
	var fit Fit
	fit.MaxUtilization = detectCap(f.Probes)
	var xs, ys []float64
	finished, stopped := 0.0, math.Inf(1)
	for _, r := range f.Probes {
		a := r.Target
		if r.Kind != KindWork || !answered(a) || r.EmulatorCPUMillis <= 0 {
			continue
		}
		if a.FunctionError != "" {
			stopped = math.Min(stopped, r.EmulatorCPUMillis)
			continue
		}
		finished = math.Max(finished, r.EmulatorCPUMillis)
		if u := a.Utilization(); u >= 0 && (fit.MaxUtilization == 0 || u < fit.MaxUtilization) {
			xs, ys = append(xs, r.EmulatorCPUMillis), append(ys, float64(u))
		}
	}
	fit.Points = len(xs)
	switch slope, base, r2, ok := fitLine(xs, ys); {
	case !ok:
		fit.Notes = append(fit.Notes, fmt.Sprintf("no scale fitted: %d work probes finished below the cap with a utilization (3 with different CPU times are needed); the default budget stays", len(xs)))
	case slope <= 0:
		fit.Notes = append(fit.Notes, fmt.Sprintf("no scale fitted: the target's utilization does not grow with the work (slope %.3g per ms); the default budget stays", slope))
	default:
		fit.Scale, fit.Base, fit.R2 = slope, base, r2
		fit.BudgetMillis = 100 / slope
		fit.LeastSquaresScale, _, _, _ = leastSquares(xs, ys)
		if r2 < 0.9 {
			fit.Notes = append(fit.Notes, fmt.Sprintf("the fit is poor (R² %.2f): the target's speed relative to the emulator differs between kinds of work, or the recording was noisy", r2))
		}
	}
	budget := fit.BudgetMillis
	if budget == 0 {
		budget = float64(runtime.DefaultBudget.Microseconds()) / 1000
	}
	switch {
	case !math.IsInf(stopped, 1) && finished > 0 && finished < stopped:
		fit.TimeLimitMillis = math.Sqrt(finished * stopped)
	case !math.IsInf(stopped, 1):
		fit.TimeLimitMillis = stopped
		if finished > 0 {
			fit.TimeLimitMillis = (finished + stopped) / 2
			fit.Notes = append(fit.Notes, fmt.Sprintf("the target stopped a work probe of %.3g ms but finished one of %.3g ms: its limit is not consistent in emulator CPU time across kinds of work", stopped, finished))
		}
	default:
		fit.TimeLimitMillis = math.Max(4*budget, 2*finished)
	}
	fit.Formats, fit.Notes = fitFormats(f.Probes, fit.Notes)
	return fit
}

// answered reports whether the target ran the probe and answered 200.
func answered(a Answer) bool { return a.Deploy == "" && a.ErrorCode == "" && a.Status == 200 }

// detectCap is the cap on utilization the target applies, or 0: when no
// answer exceeds 101 and a run the target stopped reported the maximum.
func detectCap(rs []Recording) int {
	top, stoppedAtTop := -1, false
	for _, r := range rs {
		for _, u := range r.Target.Utilizations {
			top = max(top, u)
		}
	}
	if top < 0 || top > 101 {
		return 0
	}
	for _, r := range rs {
		if r.Target.FunctionError != "" && (r.Kind == KindLimit || r.Kind == KindWork) && r.Target.Utilization() == top {
			stoppedAtTop = true
		}
	}
	if !stoppedAtTop {
		return 0
	}
	return top
}

// fitLine fits y = base + slope·x robustly: the slope is the median of the
// slopes between every two points (Theil–Sen), the base the median of the
// residuals, so that a few runs disturbed by a garbage collection or a
// busy machine cannot tilt the line as they do in ordinary least squares.
// r2 is the coefficient of determination of that line. ok is false with
// fewer than 3 points or no spread in x.
func fitLine(xs, ys []float64) (slope, base, r2 float64, ok bool) {
	if len(xs) < 3 {
		return 0, 0, 0, false
	}
	var slopes []float64
	for i := range xs {
		for j := i + 1; j < len(xs); j++ {
			if dx := xs[j] - xs[i]; dx != 0 {
				slopes = append(slopes, (ys[j]-ys[i])/dx)
			}
		}
	}
	if len(slopes) == 0 {
		return 0, 0, 0, false
	}
	slope = median(slopes)
	res := make([]float64, len(xs))
	for i := range xs {
		res[i] = ys[i] - slope*xs[i]
	}
	base = median(res)
	var my, syy, ssr float64
	for _, y := range ys {
		my += y / float64(len(ys))
	}
	for i := range xs {
		d := ys[i] - (base + slope*xs[i])
		ssr += d * d
		syy += (ys[i] - my) * (ys[i] - my)
	}
	r2 = 1
	if syy > 0 {
		r2 = 1 - ssr/syy
	}
	return slope, base, r2, true
}

// leastSquares fits y = base + slope·x by ordinary least squares; ok is
// false with fewer than 3 points or no spread in x.
func leastSquares(xs, ys []float64) (slope, base, r2 float64, ok bool) {
	n := float64(len(xs))
	if len(xs) < 3 {
		return 0, 0, 0, false
	}
	var sx, sy float64
	for i := range xs {
		sx, sy = sx+xs[i], sy+ys[i]
	}
	mx, my := sx/n, sy/n
	var sxx, sxy, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxx, sxy, syy = sxx+dx*dx, sxy+dx*dy, syy+dy*dy
	}
	if sxx == 0 {
		return 0, 0, 0, false
	}
	slope = sxy / sxx
	base = my - slope*mx
	var ssr float64
	for i := range xs {
		d := ys[i] - (base + slope*xs[i])
		ssr += d * d
	}
	r2 = 1
	if syy > 0 {
		r2 = 1 - ssr/syy
	}
	return slope, base, r2, true
}

// fitFormats learns the target's error and output formats from the
// non-work probes, run once on the emulator's default runtime for their
// names, positions, decisions and custom data.
func fitFormats(rs []Recording, notes []string) (runtime.Formats, []string) {
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	type pair struct {
		rec Recording
		res runtime.Result
	}
	var ps []pair
	for _, r := range rs {
		if r.Kind == KindWork || !answered(r.Target) {
			continue
		}
		res, err := ex.Execute(context.Background(), runtime.Request{Code: []byte(r.Code), Object: []byte(r.Object), Seed: 1, Now: probeNow})
		if err != nil {
			continue
		}
		ps = append(ps, pair{r, res})
	}
	var f runtime.Formats

	// Error format: from the probes whose message is known.
	errorMatches := func(c runtime.Formats) (n, of int) {
		for _, p := range ps {
			if p.rec.KnownMessage && p.rec.Target.FunctionError != "" && p.res.ErrorName != "" {
				of++
				if c.FormatError(p.res.ErrorName, ProbeMessage, p.res.Line, p.res.Column) == p.rec.Target.FunctionError {
					n++
				}
			}
		}
		return n, of
	}
	best, bestN := runtime.Formats{}, 0
	bestN, of := errorMatches(best)
	for _, p := range ps {
		if !p.rec.KnownMessage || p.rec.Target.FunctionError == "" || p.res.ErrorName == "" {
			continue
		}
		c, ok := deriveErrorFormat(p.rec.Target.FunctionError, p.res.ErrorName, ProbeMessage, p.res.Line, p.res.Column)
		if !ok {
			continue
		}
		if n, _ := errorMatches(c); n > bestN {
			best, bestN = c, n
		}
	}
	if of > 0 && bestN < of {
		notes = append(notes, fmt.Sprintf("the error format reproduces %d of the %d errors with known messages", bestN, of))
	}
	if best.Error != runtime.DefaultErrorFormat || best.Location != runtime.DefaultLocationFormat {
		f.Error, f.Location = best.Error, best.Location
	}

	// Output format.
	outputMatches := func(c runtime.Formats) (n, of int) {
		for _, p := range ps {
			of++
			if c.FormatOutput(p.res) == p.rec.Target.Output {
				n++
			}
		}
		return n, of
	}
	bestOut, bestOutN := "", 0
	bestOutN, of = outputMatches(runtime.Formats{})
	for _, p := range ps {
		c := deriveOutputFormat(p.rec.Target.Output, p.res)
		if c == "" {
			continue
		}
		if n, _ := outputMatches(runtime.Formats{Output: c}); n > bestOutN {
			bestOut, bestOutN = c, n
		}
	}
	if of > 0 && bestOutN < of {
		notes = append(notes, fmt.Sprintf("the output format reproduces %d of the %d outputs", bestOutN, of))
	}
	f.Output = bestOut
	return f, notes
}

// Sentinels stand for placeholders while a format is derived.
const (
	sentMessage = "\x01"
	sentName    = "\x02"
	sentLine    = "\x03"
	sentColumn  = "\x04"
	sentData    = "\x05"
	sentCalls   = "\x06"
	sentErrName = "\x07"
	sentDecide  = "\x08"
)

// deriveErrorFormat turns an error message whose name, message and
// position are known into Formats.Error and Formats.Location: the position
// and the text before it back to the preceding placeholder is the location.
func deriveErrorFormat(s, name, msg string, line, col int) (runtime.Formats, bool) {
	if strings.ContainsAny(s, "\x01\x02\x03\x04") {
		return runtime.Formats{}, false
	}
	i := strings.Index(s, msg)
	if i < 0 {
		return runtime.Formats{}, false
	}
	s = s[:i] + sentMessage + s[i+len(msg):]
	if j := indexWord(s, name, 0, isIdent); j >= 0 {
		s = s[:j] + sentName + s[j+len(name):]
	}
	lineAt := -1
	if line > 0 {
		lineAt = indexWord(s, fmt.Sprint(line), 0, unicode.IsDigit)
	}
	if lineAt < 0 {
		return runtime.Formats{Error: placeholders(s), Location: runtime.DefaultLocationFormat}, true
	}
	s = s[:lineAt] + sentLine + s[lineAt+len(fmt.Sprint(line)):]
	end := lineAt + 1
	if c := indexWord(s, fmt.Sprint(col), end, unicode.IsDigit); c >= 0 {
		s = s[:c] + sentColumn + s[c+len(fmt.Sprint(col)):]
		end = c + 1
	}
	start := max(strings.LastIndexAny(s[:lineAt], sentMessage+sentName)+1, 0)
	end = closeBrackets(s, start, end)
	return runtime.Formats{Error: placeholders(s[:start] + "{location}" + s[end:]), Location: placeholders(s[start:end])}, true
}

// deriveOutputFormat turns an output into a template by replacing what
// the run put into it (custom data, the calls, the error name, the
// decision) with placeholders; "" when it found none.
func deriveOutputFormat(out string, res runtime.Result) string {
	if out == "" || strings.ContainsAny(out, "\x05\x06\x07\x08") {
		return ""
	}
	o := res.Output()
	if o.CustomData != "" {
		data := runtime.Formats{Output: "{customData}"}.FormatOutput(res)
		out = strings.ReplaceAll(out, data, sentData)
	}
	if calls := (runtime.Formats{Output: "{calls}"}).FormatOutput(res); len(o.Calls) > 0 {
		out = strings.ReplaceAll(out, calls, sentCalls)
	}
	if o.Error != nil && o.Error.Name != "" {
		out = replaceWords(out, o.Error.Name, sentErrName)
	}
	out = replaceWords(out, o.Decision, sentDecide)
	if !strings.ContainsAny(out, "\x05\x06\x07\x08") {
		return ""
	}
	return placeholders(out)
}

// placeholders turns sentinels into the format's placeholders.
func placeholders(s string) string {
	return strings.NewReplacer(sentMessage, "{message}", sentName, "{name}", sentLine, "{line}", sentColumn, "{column}",
		sentData, "{customData}", sentCalls, "{calls}", sentErrName, "{errorName}", sentDecide, "{decision}").Replace(s)
}

func isIdent(r rune) bool { return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// indexWord is the index of the first occurrence of w in s at or after
// from that is not part of a longer word (in the sense of inWord).
func indexWord(s, w string, from int, inWord func(rune) bool) int {
	for i := from; i <= len(s)-len(w); {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return -1
		}
		j += i
		before, after := rune(0), rune(0)
		if j > 0 {
			before = rune(s[j-1])
		}
		if k := j + len(w); k < len(s) {
			after = rune(s[k])
		}
		if (before == 0 || !inWord(before)) && (after == 0 || !inWord(after)) {
			return j
		}
		i = j + 1
	}
	return -1
}

// replaceWords replaces every whole-word occurrence of w in s.
func replaceWords(s, w, by string) string {
	for from := 0; ; {
		j := indexWord(s, w, from, isIdent)
		if j < 0 {
			return s
		}
		s = s[:j] + by + s[j+len(w):]
		from = j + len(by)
	}
}

// closeBrackets extends s[start:end] over the closing brackets that match
// brackets it opens, so that " (line 3:7)" is one location.
func closeBrackets(s string, start, end int) int {
	pairs := map[byte]byte{'(': ')', '[': ']', '{': '}', '<': '>'}
	var open []byte
	for i := start; i < end; i++ {
		if c, ok := pairs[s[i]]; ok {
			open = append(open, c)
		} else if len(open) > 0 && s[i] == open[len(open)-1] {
			open = open[:len(open)-1]
		}
	}
	for end < len(s) && len(open) > 0 {
		if s[end] == open[len(open)-1] {
			open = open[:len(open)-1]
		}
		end++
	}
	return end
}
