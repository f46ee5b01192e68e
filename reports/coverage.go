package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/coverage"
)

// The coverage files WriteAll writes when Options.Coverage is set.
const (
	LCOVFile     = "coverage.lcov"
	CoverageFile = "coverage.json"
)

// Coverage is the per-edge detail of what a campaign reached in an
// instrumented function. It feeds coverage.lcov, coverage.json, the
// coverage summary of report.json (cffuzz.Report.Coverage), the coverage
// line of summary.md and the source view of report.html.
//
// The feedback engine fills it in (Options.Coverage); nil means the
// campaign ran without feedback and no coverage is reported.
type Coverage struct {
	// Map describes the instrumented function: edge i is Map.Edges[i].
	Map *coverage.Map
	// Hits[i] is how many times edge i ran, summed over every case of the
	// campaign (saturating at the type's maximum). It has one entry per
	// edge of Map; a shorter slice counts the missing edges as never run.
	Hits []uint32
	// Source is the function's source text for the source view; nil means
	// Options.FunctionSource.
	Source []byte
	// File is the function's path, as coverage.lcov's SF record names it:
	// relative to the repository root, so that CI coverage services find
	// it. Empty means Options.FunctionPath.
	File string
	// Shadow says that the feedback came from running every case in a
	// local shadow of the function (the embedded emulator) while the
	// campaign's target was remote (--target URL or aws), which gives none.
	Shadow bool
}

// branchKinds are the edge kinds that are one arm of a decision: each is an
// LCOV branch (BRDA). Function entries and catch blocks are not.
var branchKinds = map[coverage.EdgeKind]bool{
	coverage.EdgeThen: true, coverage.EdgeElse: true, coverage.EdgeCase: true,
	coverage.EdgeLoopBody: true, coverage.EdgeLoopExit: true, coverage.EdgeLogical: true,
	coverage.EdgeCondThen: true, coverage.EdgeCondElse: true,
}

// IsBranch reports whether an edge of kind k is an arm of a decision (an
// if/else arm, a switch case, a loop's body or exit, an operand of && || ??,
// an arm of ?:) and so counts as a branch.
func IsBranch(k coverage.EdgeKind) bool { return branchKinds[k] }

func (c *Coverage) hits(i int) uint32 {
	if i < len(c.Hits) {
		return c.Hits[i]
	}
	return 0
}

func (c *Coverage) check() error {
	if c.Map == nil {
		return errors.New("coverage: no edge map")
	}
	if len(c.Hits) > len(c.Map.Edges) {
		return fmt.Errorf("coverage: %d hit counts for %d edges (the hit counts belong to another version of the function)", len(c.Hits), len(c.Map.Edges))
	}
	return nil
}

func (c *Coverage) file(opts Options, r *cffuzz.Report) string {
	if c.File != "" {
		return c.File
	}
	return functionName(r, opts)
}

func (c *Coverage) source(opts Options) []byte {
	if c.Source != nil {
		return c.Source
	}
	return opts.FunctionSource
}

// Summary counts what c reached: edges, branches, lines and function
// entries, and edges by kind. file names the function.
func (c *Coverage) Summary(file string) *cffuzz.CoverageSummary {
	s := &cffuzz.CoverageSummary{File: file, Shadow: c.Shadow, ByKind: map[string]cffuzz.CoverageCount{}}
	if c.Map == nil {
		return s
	}
	add := func(n *cffuzz.CoverageCount, reached bool) {
		n.Total++
		if reached {
			n.Reached++
		}
	}
	for i, e := range c.Map.Edges {
		hit := c.hits(i) > 0
		add(&s.Edges, hit)
		k := s.ByKind[string(e.Kind)]
		add(&k, hit)
		s.ByKind[string(e.Kind)] = k
		if IsBranch(e.Kind) {
			add(&s.Branches, hit)
		}
		if e.Kind == coverage.EdgeEntry {
			add(&s.Functions, hit)
		}
	}
	for _, l := range c.lines() {
		add(&s.Lines, l.count > 0)
	}
	return s
}

// lineCount is one source line that holds edges: its execution count is
// the largest count of its edges.
type lineCount struct {
	line  int
	count uint32
	edges []int
}

// lines returns the lines that hold an edge, in order.
func (c *Coverage) lines() []lineCount {
	byLine := map[int]*lineCount{}
	for i, e := range c.Map.Edges {
		if e.Line <= 0 {
			continue
		}
		l := byLine[e.Line]
		if l == nil {
			l = &lineCount{line: e.Line}
			byLine[e.Line] = l
		}
		l.count = max(l.count, c.hits(i))
		l.edges = append(l.edges, i)
	}
	out := make([]lineCount, 0, len(byLine))
	for _, l := range byLine {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].line < out[j].line })
	return out
}

// branchGroup is one decision: the edges that are its arms.
type branchGroup struct {
	line  int
	edges []int
}

// branchGroups groups the branch edges into decisions, for LCOV's block
// numbers. The map carries no explicit grouping, so it is rebuilt from the
// order instrumentation allocates counters in (depth first, each arm before
// what it contains): an if's then and its else, a loop's body and its exit,
// a ?: consequent and its alternate enclose the counters of what they
// contain, so they are matched like brackets; the cases of a switch are the
// case counters at one column until a counter left of them; the operands of
// one && || ?? chain are consecutive. An arm that matches nothing is a
// decision of its own; the totals never depend on the grouping. A group's
// line is its first line (the if, for or switch keyword, or the first arm).
func (c *Coverage) branchGroups() []branchGroup {
	edges := c.Map.Edges
	closes := map[coverage.EdgeKind]coverage.EdgeKind{
		coverage.EdgeElse: coverage.EdgeThen, coverage.EdgeLoopExit: coverage.EdgeLoopBody,
		coverage.EdgeCondElse: coverage.EdgeCondThen,
	}
	opens := map[coverage.EdgeKind]bool{coverage.EdgeThen: true, coverage.EdgeLoopBody: true, coverage.EdgeCondThen: true}
	group := make([]int, len(edges)) // edge → group id + 1 (0: none yet)
	var members [][]int
	newGroup := func(i int) int {
		members = append(members, []int{i})
		group[i] = len(members)
		return len(members)
	}
	join := func(g, i int) {
		members[g-1] = append(members[g-1], i)
		group[i] = g
	}
	var open []int   // unmatched openers, innermost last
	caseGroup := 0   // the switch whose cases are being collected
	caseColumn := -1 // their column
	for i, e := range edges {
		if caseGroup != 0 && e.Kind != coverage.EdgeCase && e.Column < caseColumn {
			caseGroup = 0
		}
		switch {
		case opens[e.Kind]:
			newGroup(i)
			open = append(open, i)
		case closes[e.Kind] != "":
			want := closes[e.Kind]
			matched := false
			for k := len(open) - 1; k >= 0; k-- {
				if edges[open[k]].Kind == want {
					join(group[open[k]], i)
					open = append(open[:k], open[k+1:]...)
					matched = true
					break
				}
			}
			if !matched {
				newGroup(i)
			}
		case e.Kind == coverage.EdgeCase:
			if caseGroup != 0 && e.Column == caseColumn {
				join(caseGroup, i)
			} else {
				caseGroup, caseColumn = newGroup(i), e.Column
			}
		case e.Kind == coverage.EdgeLogical:
			if i > 0 && edges[i-1].Kind == coverage.EdgeLogical {
				join(group[i-1], i)
			} else {
				newGroup(i)
			}
		}
	}
	groups := make([]branchGroup, 0, len(members))
	for _, m := range members {
		g := branchGroup{line: edges[m[0]].Line, edges: m}
		for _, i := range m {
			if l := edges[i].Line; l > 0 && (g.line <= 0 || l < g.line) {
				g.line = l
			}
		}
		groups = append(groups, g)
	}
	return groups
}

var (
	namedFunction = regexp.MustCompile(`function\s*\*?\s*([A-Za-z_$][\w$]*)`)
	// assignedFunction is `const NAME = function`, `= async (`, `= x =>`,
	// or `NAME: function` in an object literal.
	assignedFunction = regexp.MustCompile(`([A-Za-z_$][\w$]*)\s*[=:]\s*(?:async\s*)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)`)
	lcovUnsafe       = regexp.MustCompile(`[^\w$.@:<>-]`)
)

// functionNames names each entry edge for LCOV's FN records: the name of a
// `function NAME` at or before the edge on its line, else of the variable
// or property a function or arrow is assigned to there (`const NAME = (`),
// "<anonymous>" otherwise; a name used twice gets "@line:column".
func (c *Coverage) functionNames(src []byte) map[int]string {
	names := map[int]string{}
	used := map[string]int{}
	for i, e := range c.Map.Edges {
		if e.Kind != coverage.EdgeEntry {
			continue
		}
		name := "<anonymous>"
		text := sourceLine(src, e.Line)
		best := -1
		for _, re := range []*regexp.Regexp{namedFunction, assignedFunction} {
			for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
				if best < 0 || e.Column <= 0 || m[0] <= e.Column-1 {
					best = m[2]
					name = text[m[2]:m[3]]
				}
			}
			if best >= 0 {
				break
			}
		}
		names[i] = lcovUnsafe.ReplaceAllString(name, "_")
		used[names[i]]++
	}
	for i, n := range names {
		if used[n] > 1 {
			e := c.Map.Edges[i]
			names[i] = fmt.Sprintf("%s@%d:%d", n, e.Line, e.Column)
		}
	}
	return names
}

// WriteLCOV writes c as an LCOV tracefile (the format of lcov, genhtml and
// CI coverage services): one record for the function's file with its
// function entries (FN, FNDA, FNF, FNH), its branches (BRDA, BRF, BRH) and
// the lines that hold a counter (DA, LF, LH). opts.FunctionPath (or
// c.File) names the file.
func WriteLCOV(w io.Writer, r *cffuzz.Report, c *Coverage, opts Options) error {
	if err := c.check(); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("TN:cffuzz\n")
	fmt.Fprintf(&b, "SF:%s\n", oneLine(c.file(opts, r)))

	names := c.functionNames(c.source(opts))
	var entries []int
	for i := range names {
		entries = append(entries, i)
	}
	sort.Ints(entries)
	fnHit := 0
	for _, i := range entries {
		fmt.Fprintf(&b, "FN:%d,%s\n", max(c.Map.Edges[i].Line, 1), names[i])
	}
	for _, i := range entries {
		fmt.Fprintf(&b, "FNDA:%d,%s\n", c.hits(i), names[i])
		if c.hits(i) > 0 {
			fnHit++
		}
	}
	fmt.Fprintf(&b, "FNF:%d\nFNH:%d\n", len(entries), fnHit)

	brf, brh := 0, 0
	for block, g := range c.branchGroups() {
		groupRan := false
		for _, i := range g.edges {
			groupRan = groupRan || c.hits(i) > 0
		}
		for n, i := range g.edges {
			taken := "-" // LCOV: the decision itself never ran
			if groupRan {
				taken = fmt.Sprint(c.hits(i))
			}
			fmt.Fprintf(&b, "BRDA:%d,%d,%d,%s\n", max(g.line, 1), block, n, taken)
			brf++
			if c.hits(i) > 0 {
				brh++
			}
		}
	}
	fmt.Fprintf(&b, "BRF:%d\nBRH:%d\n", brf, brh)

	lh := 0
	lines := c.lines()
	for _, l := range lines {
		fmt.Fprintf(&b, "DA:%d,%d\n", l.line, l.count)
		if l.count > 0 {
			lh++
		}
	}
	fmt.Fprintf(&b, "LF:%d\nLH:%d\nend_of_record\n", len(lines), lh)
	_, err := io.WriteString(w, b.String())
	return err
}

// coverageFile is the content of coverage.json: everything `fuzz report`
// needs to render the coverage again.
type coverageFile struct {
	Version int           `json:"version"`
	Tool    string        `json:"tool"`
	File    string        `json:"file"`
	Shadow  bool          `json:"shadow,omitempty"`
	Source  string        `json:"source"`
	Map     *coverage.Map `json:"map"`
	Hits    []uint32      `json:"hits"`
}

// WriteCoverageJSON writes c as coverage.json: the edge map, the hit counts,
// the source and the file name, which LoadCoverage reads back.
func WriteCoverageJSON(w io.Writer, r *cffuzz.Report, c *Coverage, opts Options) error {
	if err := c.check(); err != nil {
		return err
	}
	hits := make([]uint32, len(c.Map.Edges))
	copy(hits, c.Hits)
	b, err := cffuzz.MarshalIndent(coverageFile{Version: FormatVersion, Tool: "cffuzz", File: c.file(opts, r),
		Shadow: c.Shadow, Source: string(c.source(opts)), Map: c.Map, Hits: hits})
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// ParseCoverage decodes coverage.json.
func ParseCoverage(b []byte) (*Coverage, error) {
	var f coverageFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("corrupt coverage: %w (re-run the campaign to write it again)", err)
	}
	if f.Tool != "cffuzz" || f.Version < 1 || f.Map == nil {
		return nil, fmt.Errorf("not a cffuzz coverage file (version %d, tool %q)", f.Version, f.Tool)
	}
	if f.Version > FormatVersion {
		return nil, fmt.Errorf("coverage version %d is newer than this cffuzz reads (%d): upgrade cffuzz", f.Version, FormatVersion)
	}
	c := &Coverage{Map: f.Map, Hits: f.Hits, Source: []byte(f.Source), File: f.File, Shadow: f.Shadow}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadCoverage reads dir/coverage.json as WriteAll wrote it. A campaign
// without feedback has none: LoadCoverage returns nil and no error.
func LoadCoverage(dir string) (*Coverage, error) {
	path := filepath.Join(dir, CoverageFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	c, err := ParseCoverage(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// coverageOf returns the coverage summary to render: from opts.Coverage
// when given, else the one report.json carried.
func coverageOf(r *cffuzz.Report, opts Options) *cffuzz.CoverageSummary {
	if opts.Coverage != nil && opts.Coverage.Map != nil {
		return opts.Coverage.Summary(opts.Coverage.file(opts, r))
	}
	return r.Coverage
}

// coverageLine is the one-line account of a summary: "branches 12/20
// (60.0%), lines …, edges …".
func coverageLine(s *cffuzz.CoverageSummary) string {
	line := fmt.Sprintf("branches %s, lines %s, functions %s, edges %s", s.Branches, s.Lines, s.Functions, s.Edges)
	if s.Shadow {
		line += "; measured by shadow execution in the local emulator"
	}
	return line
}

// unreachedEdges lists the branches never taken, in source order.
func unreachedEdges(c *Coverage) []coverage.Edge {
	var out []coverage.Edge
	for i, e := range c.Map.Edges {
		if IsBranch(e.Kind) && c.hits(i) == 0 {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Column < out[j].Column
	})
	return out
}
