package reports

import (
	"sort"
	"strconv"
	"strings"

	"github.com/cffuzz/cffuzz"
)

// maxSourceLines bounds the source view of report.html (CloudFront's 10 KB
// code limit keeps real functions far below it).
const maxSourceLines = 5000

// htmlCoverage is the coverage section of report.html.
type htmlCoverage struct {
	Summary   *cffuzz.CoverageSummary
	Line      string
	Kinds     []htmlKind
	Unreached []htmlUnreached
	// Lines is the source view; empty when only a summary is known (a
	// report.json re-rendered without its coverage.json).
	Lines   []htmlSrcLine
	Omitted int
}

type htmlKind struct {
	Kind  string
	Count cffuzz.CoverageCount
}

type htmlUnreached struct {
	Line, Column int
	Kind         string
}

// htmlSrcLine is one line of the source view. Class is "hit" when every
// edge on it ran, "miss" when none did, "partial" otherwise; a line without
// edges is "unrun" inside a block that never ran (markUnreachedBlocks), ""
// otherwise.
type htmlSrcLine struct {
	N     int
	Text  string
	Hits  string
	Class string
	Edges []htmlEdge
}

type htmlEdge struct {
	Kind         string
	Hits         uint32
	Line, Column int
	Branch       bool
}

func htmlCoverageView(r *cffuzz.Report, opts Options) *htmlCoverage {
	sum := coverageOf(r, opts)
	if sum == nil {
		return nil
	}
	v := &htmlCoverage{Summary: sum, Line: coverageLine(sum)}
	for k, n := range sum.ByKind {
		v.Kinds = append(v.Kinds, htmlKind{k, n})
	}
	sort.Slice(v.Kinds, func(i, j int) bool { return v.Kinds[i].Kind < v.Kinds[j].Kind })
	c := opts.Coverage
	if c == nil || c.Map == nil {
		return v
	}
	byLine := map[int][]htmlEdge{}
	for i, e := range c.Map.Edges {
		he := htmlEdge{Kind: string(e.Kind), Hits: c.hits(i), Line: e.Line, Column: e.Column, Branch: IsBranch(e.Kind)}
		byLine[e.Line] = append(byLine[e.Line], he)
	}
	for _, e := range unreachedEdges(c) {
		v.Unreached = append(v.Unreached, htmlUnreached{e.Line, e.Column, string(e.Kind)})
	}
	src := strings.Split(strings.TrimSuffix(string(c.source(opts)), "\n"), "\n")
	if len(c.source(opts)) == 0 {
		src = nil
	}
	n := len(src)
	for l := range byLine {
		n = max(n, l) // edges past the source (it changed?) still show
	}
	if n > maxSourceLines {
		v.Omitted = n - maxSourceLines
		n = maxSourceLines
	}
	for i := 1; i <= n; i++ {
		sl := htmlSrcLine{N: i}
		if i <= len(src) {
			sl.Text = strings.TrimRight(src[i-1], "\r")
		}
		edges := byLine[i]
		sort.SliceStable(edges, func(a, b int) bool { return edges[a].Column < edges[b].Column })
		sl.Edges = edges
		if len(edges) > 0 {
			var most uint32
			hit := 0
			for _, e := range edges {
				most = max(most, e.Hits)
				if e.Hits > 0 {
					hit++
				}
			}
			sl.Hits = formatCount(most)
			switch hit {
			case len(edges):
				sl.Class = "hit"
			case 0:
				sl.Class = "miss"
			default:
				sl.Class = "partial"
			}
		}
		v.Lines = append(v.Lines, sl)
	}
	markUnreachedBlocks(v.Lines)
	return v
}

// markUnreachedBlocks shades the lines without counters that sit inside a
// block that never ran: after a line none of whose counters ran, every
// following line indented deeper (or blank) belongs to it, up to the first
// line indented as deep or less. Lines with counters keep their own class.
func markUnreachedBlocks(lines []htmlSrcLine) {
	open := -1 // indentation of the innermost never-run line, or -1
	for i := range lines {
		l := &lines[i]
		text := strings.TrimSpace(l.Text)
		ind := indentation(l.Text)
		if len(l.Edges) > 0 {
			switch {
			case l.Class == "miss" && (open < 0 || ind <= open):
				open = ind
			case open >= 0 && ind <= open:
				open = -1
			}
			continue
		}
		if open < 0 {
			continue
		}
		if text != "" && ind <= open {
			open = -1
			continue
		}
		if text != "" {
			l.Class = "unrun"
		}
	}
}

// indentation counts the leading blanks of s, a tab as 8.
func indentation(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case ' ':
			n++
		case '\t':
			n += 8
		default:
			return n
		}
	}
	return n
}

// formatCount is a hit count for a narrow column: 999, 12.3k, 4.5M.
func formatCount(n uint32) string {
	switch {
	case n < 10000:
		return itoa(int64(n))
	case n < 1000000:
		return trimZero(float64(n)/1000) + "k"
	default:
		return trimZero(float64(n)/1000000) + "M"
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func trimZero(f float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0")
}
