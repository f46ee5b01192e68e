package testsupport

import (
	"os"
	"path/filepath"
	"testing"
)

// Golden compares got with the file testdata/name; with update set (a
// test's -update flag) it rewrites the file first. A difference is
// reported with the first differing line.
func Golden(t testing.TB, name string, got []byte, update bool) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it; review the diff):\n%s", name, FirstDiff(string(want), string(got)))
	}
}

// FirstDiff shows want and got around the first byte where they differ.
func FirstDiff(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	lo := max(0, i-80)
	return "want …" + want[lo:min(len(want), i+80)] + "…\n got …" + got[lo:min(len(got), i+80)] + "…"
}
