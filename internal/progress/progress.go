// Package progress shows a campaign's progress to the person running it: a
// live status line on a terminal, plain periodic log lines elsewhere (CI
// logs), and a closing summary that names the worst findings with their
// replay commands.
package progress

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/reports"
	"github.com/mattn/go-isatty"
)

// Modes of a Printer.
const (
	// ModeAuto is ModeLine on a terminal and ModeLog elsewhere.
	ModeAuto = "auto"
	// ModeLine redraws one status line in place.
	ModeLine = "line"
	// ModeLog writes a plain line every LogInterval.
	ModeLog = "log"
	// ModeNone shows nothing.
	ModeNone = "none"
)

// DefaultLogInterval is how often ModeLog writes a line.
const DefaultLogInterval = 10 * time.Second

// Options configure a Printer.
type Options struct {
	// Mode is one of the Mode constants (default ModeAuto).
	Mode string
	// LogInterval is the period of ModeLog lines (default DefaultLogInterval).
	LogInterval time.Duration
}

// Printer renders runner snapshots. Its Update method fits
// runner.Options.Progress.
type Printer struct {
	w      io.Writer
	opts   Options
	mu     sync.Mutex
	logged bool          // a log line was written
	lastAt time.Duration // elapsed time of the last log line
	width  int           // length of the last status line, to clear it
}

// New returns a Printer writing to w. On ModeAuto, w is a terminal when it
// is an *os.File whose descriptor is a TTY.
func New(w io.Writer, opts Options) (*Printer, error) {
	switch opts.Mode {
	case "", ModeAuto:
		opts.Mode = ModeLog
		if f, ok := w.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
			opts.Mode = ModeLine
		}
	case ModeLine, ModeLog, ModeNone:
	default:
		return nil, fmt.Errorf("unknown progress mode %q: use auto, line, log or none", opts.Mode)
	}
	if opts.LogInterval <= 0 {
		opts.LogInterval = DefaultLogInterval
	}
	return &Printer{w: w, opts: opts}, nil
}

// Mode returns the resolved mode.
func (p *Printer) Mode() string { return p.opts.Mode }

// Update shows a snapshot.
func (p *Printer) Update(s runner.Snapshot) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch p.opts.Mode {
	case ModeLine:
		line := Line(s)
		pad := ""
		if n := p.width - len(line); n > 0 {
			pad = strings.Repeat(" ", n)
		}
		fmt.Fprintf(p.w, "\r%s%s", line, pad)
		p.width = len(line)
	case ModeLog:
		if s.Phase == cffuzz.PhaseCases && p.logged && s.Elapsed-p.lastAt < p.opts.LogInterval {
			return
		}
		p.logged, p.lastAt = true, s.Elapsed
		fmt.Fprintln(p.w, Line(s))
	}
}

// Done ends the status line, if one is shown.
func (p *Printer) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.opts.Mode == ModeLine && p.width > 0 {
		fmt.Fprintln(p.w)
		p.width = 0
	}
}

// Line formats one progress line: elapsed time, cases (of the budget),
// rate, findings, throttles and retries, and the ETA. The budget and the
// ETA are the runner's (Snapshot.Budget, Snapshot.ETA): it knows the
// shard and the replayed inputs, so a shard of --cases 400 shows its own
// share, never 400.
func Line(s runner.Snapshot) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %d", fmtDuration(s.Elapsed), s.Cases)
	if s.Budget > 0 {
		fmt.Fprintf(&b, "/%d", s.Budget)
	}
	b.WriteString(" cases")
	fmt.Fprintf(&b, ", %.0f/s, %s", s.CasesPerSec, findingsText(s))
	if s.UtilizationP95 > 0 {
		fmt.Fprintf(&b, ", p95 utilization %d", s.UtilizationP95)
	}
	if s.Throttles > 0 || s.Retries > 0 {
		fmt.Fprintf(&b, ", %d throttles, %d retries", s.Throttles, s.Retries)
	}
	if s.Rate > 0 {
		fmt.Fprintf(&b, ", rate %.1f/s", s.Rate)
	}
	if s.Phase == cffuzz.PhaseFindings {
		b.WriteString(" confirming and minimizing findings…")
	} else if s.ETA > 0 {
		fmt.Fprintf(&b, ", ETA %s", fmtDuration(s.ETA))
	}
	return b.String()
}

// findingsText is "3 findings (1 high, 2 low)".
func findingsText(s runner.Snapshot) string {
	text := fmt.Sprintf("%d findings", s.Findings)
	var parts []string
	for sev := cffuzz.SeverityCritical; sev >= cffuzz.SeverityInfo; sev-- {
		if n := s.FindingsBySeverity[sev.String()]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	if len(parts) > 0 {
		text += " (" + strings.Join(parts, ", ") + ")"
	}
	return text
}

func fmtDuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, sec := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%02d:%02d", m, sec)
}

// Summary writes the closing summary: totals, findings by severity, and the
// worst findings (at most max) with their replay commands.
func Summary(w io.Writer, r *cffuzz.Report, findings []cffuzz.Finding, failOn cffuzz.Severity, out string, max int) {
	// The same word as the reports' (cffuzz.Judge): an interrupted campaign,
	// or one whose target hung, never passes.
	verdict := cffuzz.Judge(r.StopReason, findings, failOn)
	// Worst first, in the one order findings.json and the reports use.
	findings = slices.Clone(findings)
	cffuzz.SortFindings(findings)
	fmt.Fprintf(w, "%s: %d cases in %s (%.0f/s) against %s, %d findings",
		verdict, r.Cases, fmtDuration(time.Duration(r.DurationMS)*time.Millisecond), r.CasesPerSec, r.Target, len(findings))
	var parts []string
	for s := cffuzz.SeverityCritical; s >= cffuzz.SeverityInfo; s-- {
		if n := r.FindingsBySeverity[s.String()]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
	if r.Utilization.Count > 0 {
		fmt.Fprintf(w, "compute utilization: p50 %d, p95 %d, max %d\n", r.Utilization.P50, r.Utilization.P95, r.Utilization.Max)
	}
	if r.StopReason != "" && r.StopReason != cffuzz.StopCases && r.StopReason != cffuzz.StopInterrupted {
		fmt.Fprintf(w, "stopped by: %s\n", r.StopReason)
	}
	if len(r.ByDecision) > 0 {
		fmt.Fprintf(w, "decisions: allow %d, deny %d, none %d\n", r.ByDecision["allow"], r.ByDecision["deny"], r.ByDecision["none"])
	}
	shown := 0
	for _, f := range findings {
		if shown == max {
			fmt.Fprintf(w, "… and %d more in %s\n", len(findings)-shown, out)
			break
		}
		loc := ""
		if f.Line > 0 && !strings.Contains(f.Message, fmt.Sprintf("%d:%d", f.Line, f.Column)) {
			loc = fmt.Sprintf(" at line %d:%d", f.Line, f.Column)
		}
		fmt.Fprintf(w, "  %-8s %-11s %s%s (×%d, %d→%d bytes)\n", f.Severity, f.Oracle, oneLine(f.Message, 100), loc, f.Count, f.OriginalSize, f.MinimizedSize)
		if f.Reproducer != "" {
			fmt.Fprintf(w, "           replay: %s\n", f.Reproducer)
		}
		shown++
	}
	fmt.Fprintf(w, "reports: %s (report.html, findings.json, junit.xml, results.sarif, summary.md)\n", out)
}

// ReplaySummary writes the result of fuzz replay: a line per entry (ok,
// FAIL when it raises something at or above failOn, ERR when it could not
// be replayed) with what it still raises, then the totals and the JUnit
// file.
func ReplaySummary(w io.Writer, entries []reports.ReplayEntry, failOn cffuzz.Severity, junit string) {
	failed := 0
	for _, e := range entries {
		status := "ok  "
		failing, _ := cffuzz.CountFailing(e.Findings, failOn)
		switch {
		case e.Err != nil:
			status = "ERR "
			failed++
		case failing > 0:
			status = "FAIL"
			failed++
		}
		fmt.Fprintf(w, "%s %s", status, e.Name)
		if e.Err != nil {
			fmt.Fprintf(w, ": %v", e.Err)
		}
		for _, fd := range e.Findings {
			note := ""
			if !fd.Severity.Fails(failOn) {
				note = fmt.Sprintf(" (still reproduces; below --fail-on %s)", failOn)
			}
			fmt.Fprintf(w, "\n     %s %s: %s%s", fd.Severity, fd.Oracle, fd.Message, note)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%d entries replayed, %d still fail at or above --fail-on %s; JUnit: %s\n", len(entries), failed, failOn, junit)
}

// oneLine shortens s to one line of at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
