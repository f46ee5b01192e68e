package reports

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/cffuzz/cffuzz"
)

// MaxMarkdownBytes bounds summary.md: GitHub refuses step summaries over
// 1 MiB and truncates long pages, so findings past this size are left to
// findings.json.
const MaxMarkdownBytes = 60 << 10

// WriteMarkdown writes a short Markdown summary for a CI job page (a GitHub
// step summary): a headline verdict, a totals table and the findings, worst
// first, with their replay commands. It never writes more than
// MaxMarkdownBytes.
func WriteMarkdown(w io.Writer, r *cffuzz.Report, findings []cffuzz.Finding, opts Options) error {
	v := judge(r, findings, opts)
	icon := map[cffuzz.Verdict]string{cffuzz.VerdictPass: "✅", cffuzz.VerdictFail: "❌", cffuzz.VerdictError: "⚠️", cffuzz.VerdictInterrupted: "⚠️"}[v.Word]
	var b strings.Builder
	fmt.Fprintf(&b, "## %s %s: %s\n\n", icon, mdText(opts.title(r)), v.Word)
	fmt.Fprintf(&b, "**%s** — %s.\n\n", v.Word, mdText(v.Summary))

	b.WriteString("| | |\n| --- | --- |\n")
	row := func(k, v string) { fmt.Fprintf(&b, "| %s | %s |\n", k, v) }
	row("Function", mdCode(functionName(r, opts)))
	row("Target", mdText(r.Target))
	row("Seed", fmt.Sprint(r.Seed))
	if r.Shard != "" {
		row("Shard", mdText(r.Shard))
	}
	row("Duration", (time.Duration(r.DurationMS) * time.Millisecond).String())
	row("Cases", fmt.Sprintf("%d (%.1f/s)", r.Cases, r.CasesPerSec))
	if r.Replayed > 0 {
		row("Replayed corpus entries", fmt.Sprint(r.Replayed))
	}
	row("API requests", fmt.Sprintf("%d (%d throttled, %d retried, %d transport errors)", r.Requests, r.Throttles, r.Retries, r.TransportErr))
	if r.Utilization.Count > 0 {
		u := r.Utilization
		row("Compute utilization", fmt.Sprintf("p50 %d%%, p95 %d%%, p99 %d%%, max %d%%", u.P50, u.P95, u.P99, u.Max))
	}
	if d := decisionCounts(r); d != "" {
		row("Decisions", mdText(d))
	}
	cov := coverageOf(r, opts)
	if cov != nil {
		row("Coverage", mdText(coverageLine(cov)))
	}
	row("Stopped by", mdText(string(r.StopReason)))
	row("Findings", findingsBySeverity(findings))
	b.WriteString("\n")
	if c := opts.Coverage; c != nil && c.Map != nil {
		if never := unreachedEdges(c); len(never) > 0 {
			const shown = 20
			noun := "branches"
			if len(never) == 1 {
				noun = "branch"
			}
			fmt.Fprintf(&b, "**%d %s never taken** in %s:\n\n", len(never), noun, mdCode(c.file(opts, r)))
			src := c.source(opts)
			for i, e := range never {
				if i == shown {
					fmt.Fprintf(&b, "- and %d more: see report.html\n", len(never)-shown)
					break
				}
				fmt.Fprintf(&b, "- line %d:%d (%s)", e.Line, e.Column, mdText(string(e.Kind)))
				if line := strings.TrimSpace(sourceLine(src, e.Line)); line != "" {
					b.WriteString(": " + codeSpan(truncate(line, 100)))
				}
				b.WriteString("\n")
			}
			b.WriteString("\n")
		}
	}
	if len(findings) == 0 {
		b.WriteString("No findings.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString("### Findings, worst first\n\n")
	b.WriteString("| Severity | Oracle | Message | Count | Location | Replay |\n| --- | --- | --- | ---: | --- | --- |\n")
	const tail = 200 // room for the truncation note
	sorted := sortedFindings(findings)
	for i, f := range sorted {
		replay := mdCode(truncate(f.Reproducer, 300))
		if f.AWSCommand != "" {
			replay += "<br>" + mdCode(truncate(f.AWSCommand, 300))
		}
		line := fmt.Sprintf("| %s | %s | %s | %d | %s | %s |\n",
			f.Severity, mdText(f.Oracle), mdText(truncate(f.Message, 300)), f.Count,
			mdCode(location(&f, functionName(r, opts))), replay)
		if b.Len()+len(line)+tail > MaxMarkdownBytes {
			fmt.Fprintf(&b, "\n%d more findings are not shown here: see findings.json or report.html.\n", len(sorted)-i)
			break
		}
		b.WriteString(line)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// findingsBySeverity is "2 high, 1 low" (worst first) or "none".
func findingsBySeverity(findings []cffuzz.Finding) string {
	counts := map[cffuzz.Severity]int{}
	for _, f := range findings {
		counts[f.Severity]++
	}
	var sevs []cffuzz.Severity
	for s := range counts {
		sevs = append(sevs, s)
	}
	sort.Slice(sevs, func(i, j int) bool { return sevs[i] > sevs[j] })
	var parts []string
	for _, s := range sevs {
		parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// mdText makes s safe as plain text in a Markdown table cell: one line, no
// table pipes, no HTML, no Markdown emphasis or links.
func mdText(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '|', '\\', '`', '*', '_', '[', ']', '#', '!':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode renders s as an inline code span in a table cell; "" stays "".
// Code spans show their text literally, so only pipes (table syntax) and the
// fence need care: the fence is one backtick longer than the longest run in s.
func mdCode(s string) string {
	return codeSpan(strings.ReplaceAll(oneLine(s), "|", "\\|"))
}

// codeSpan renders s as an inline code span outside a table.
func codeSpan(s string) string {
	s = oneLine(s)
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// truncate shortens s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
