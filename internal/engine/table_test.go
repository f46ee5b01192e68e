package engine_test

import (
	"flag"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/benchfuncs"
)

var coverageTable = flag.Int64("coverage.table", 0, "run every function of testdata/bench and testdata/deep for this many cases with feedback and print the branch coverage table of docs/feedback.md (0: skip)")

// TestCoverageTable prints the branch coverage a feedback campaign reaches
// on every testdata function (docs/feedback.md); it runs only when asked
// with -coverage.table N.
func TestCoverageTable(t *testing.T) {
	if *coverageTable == 0 {
		t.Skip("pass -coverage.table 20000 to measure the table of docs/feedback.md")
	}
	exec := runtime.NewInProcess(runtime.Options{})
	defer exec.Close()
	var reached, total int
	for _, dir := range []string{"bench", "deep"} {
		m, err := benchfuncs.Load(filepath.Join("..", "..", "testdata", dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, fn := range m.Functions {
			r := runDeep(t, exec, fn, m.Dir, *coverageTable, false, 2, 1)
			if r.coverage == nil {
				t.Errorf("%s/%s: no coverage", dir, fn.Name)
				continue
			}
			b := r.coverage.Branches
			reached += b.Reached
			total += b.Total
			fmt.Printf("| %s/%s | %d/%d | %.1f %% | %d/%d found |\n", dir, fn.Name, b.Reached, b.Total, 100*float64(b.Reached)/float64(max(b.Total, 1)), r.found, r.expected)
		}
	}
	fmt.Printf("| all | %d/%d | %.1f %% | |\n", reached, total, 100*float64(reached)/float64(max(total, 1)))
}
