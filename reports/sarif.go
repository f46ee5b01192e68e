package reports

import (
	"fmt"
	"io"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/cffuzz/cffuzz"
)

// FingerprintKey is the partialFingerprints key SARIF results carry the
// finding's signature under, so code-scanning tools match a finding across
// runs even when its line moves.
const FingerprintKey = "cffuzzSignature/v1"

// oracleHelp is the built-in help text of the oracles cffuzz ships, by name.
var oracleHelp = map[string]string{
	"crash":        "The function threw an uncaught exception, rejected a promise or hit a memory or stack limit on an input CloudFront could send. CloudFront then denies the connection. Replay the minimized input and fix the code at the reported line.",
	"utilization":  "The function timed out or used more of its compute budget (ComputeUtilization) than allowed. Connection functions near 100% risk being throttled or failing in production. Replay the minimized input to see what makes the function slow.",
	"decision":     "The function did not call exactly one of connection.allow() or connection.deny() (it called neither, both, or one twice). Replay the minimized input and check every code path ends in one decision.",
	"determinism":  "The same input gave different results on two runs. Connection functions must not depend on time, randomness or state kept between runs.",
	"differential": "Two targets (for example the emulator and AWS) answered the same input differently. The emulator may be wrong, or the function may rely on behaviour CloudFront does not document.",
	"mismatch":     "The API answered differently from what the input's class expects: an input CloudFront would never send was accepted, or a valid one was refused.",
	"property":     "A user-declared property of the function did not hold.",
}

// help returns the help text of an oracle.
func (o Options) help(oracle string) string {
	if h, ok := o.OracleHelp[oracle]; ok {
		return h
	}
	if h, ok := oracleHelp[oracle]; ok {
		return h
	}
	return fmt.Sprintf("Findings raised by the %s oracle of cffuzz. Replay the minimized input with the command in the result to investigate.", oracle)
}

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(s cffuzz.Severity) string {
	switch {
	case s >= cffuzz.SeverityHigh:
		return "error"
	case s == cffuzz.SeverityMedium:
		return "warning"
	}
	return "note"
}

// WriteSARIF writes a SARIF 2.1.0 log of the campaign: one rule per oracle
// (with help text), one result per finding. Results point at
// Options.FunctionPath, at the finding's line and column when it has one,
// with a snippet from Options.FunctionSource, and carry the signature as a
// partial fingerprint (FingerprintKey).
func WriteSARIF(w io.Writer, r *cffuzz.Report, findings []cffuzz.Finding, opts Options) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	driver := sarif.NewDriver("cffuzz").WithInformationURI("https://github.com/cffuzz/cffuzz")
	if opts.ToolVersion != "" {
		driver = driver.WithVersion(opts.ToolVersion)
	}
	run := sarif.NewRun(*sarif.NewTool(driver))
	run.ColumnKind = "utf16CodeUnits"
	ruleIndex := map[string]int{}
	for i, oracle := range oracleNames(r, findings) {
		ruleIndex[oracle] = i
		help := opts.help(oracle)
		run.AddRule(oracle).
			WithName(oracle).
			WithShortDescription(sarif.NewMultiformatMessageString("cffuzz " + oracle + " oracle")).
			WithFullDescription(sarif.NewMultiformatMessageString(help)).
			WithTextHelp(help)
	}
	inv := sarif.NewInvocation().WithExecutionSuccess(r.StopReason != cffuzz.StopError && r.StopReason != cffuzz.StopInterrupted)
	if !r.Started.IsZero() {
		inv = inv.WithStartTimeUTC(r.Started.UTC())
	}
	if !r.Finished.IsZero() {
		inv = inv.WithEndTimeUTC(r.Finished.UTC())
	}
	run.Invocations = append(run.Invocations, inv)

	path := opts.FunctionPath
	if path == "" {
		path = r.Function
	}
	for _, f := range sortedFindings(findings) {
		msg := oneLine(f.Message)
		if f.Reproducer != "" {
			msg += " (replay: " + f.Reproducer + ")"
		}
		res := run.CreateResultForRule(f.Oracle).
			WithRuleIndex(ruleIndex[f.Oracle]).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(msg)).
			WithPartialFingerPrints(map[string]interface{}{FingerprintKey: f.Signature})
		if f.Count > 0 {
			res = res.WithOccurrenceCount(f.Count)
		}
		if path != "" {
			pl := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(path))
			if f.Line > 0 {
				region := sarif.NewRegion().WithStartLine(f.Line)
				if f.Column > 0 {
					region = region.WithStartColumn(f.Column)
				}
				if line := sourceLine(opts.FunctionSource, f.Line); line != "" {
					region = region.WithSnippet(sarif.NewArtifactContent().WithText(line))
				}
				pl = pl.WithRegion(region)
			}
			res.AddLocation(sarif.NewLocationWithPhysicalLocation(pl))
		}
		props := sarif.NewPropertyBag()
		props.AddString("severity", f.Severity.String())
		props.AddString("kind", f.Kind)
		props.AddString("signature", f.Signature)
		props.AddInteger("count", f.Count)
		props.Add("seed", f.Seed)
		props.Add("case", f.Case)
		props.AddString("family", f.Family)
		props.AddString("class", string(f.Class))
		props.AddString("reproducer", f.Reproducer)
		props.AddInteger("original_size", f.OriginalSize)
		props.AddInteger("minimized_size", f.MinimizedSize)
		res.AttachPropertyBag(props)
	}
	log.AddRun(run)
	return log.PrettyWrite(w)
}
