package corpus_test

import (
	"bytes"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
)

func TestExportGoFuzzGolden(t *testing.T) {
	var b bytes.Buffer
	if err := corpus.ExportGoFuzz(&b, []byte("{\"clientIp\":\"\xff\"}\n")); err != nil {
		t.Fatal(err)
	}
	golden(t, "gofuzz.golden", b.Bytes())
}

func TestExportGoTableRowGolden(t *testing.T) {
	binary := finding("{\"a\":\"\x00`\"}\n", "crash/SyntaxError/SyntaxError: invalid character <char> in string literal", cffuzz.SeverityLow)
	binary.Kind = "SyntaxError"
	var b bytes.Buffer
	for _, f := range []cffuzz.Finding{leafFinding(), binary} {
		if err := corpus.ExportGoTableRow(&b, f); err != nil {
			t.Fatal(err)
		}
	}
	golden(t, "tablerow.golden", b.Bytes())

	// The rows are gofmt-clean Go inside a table literal.
	src := "package p\n\nvar tests = []struct{ name, input, oracle, signature string }{\n" + indent(b.String()) + "}\n"
	formatted, err := format.Source([]byte(src))
	if err != nil {
		t.Fatalf("rows are not valid Go: %v\n%s", err, src)
	}
	if string(formatted) != src {
		t.Errorf("rows are not gofmt-formatted:\n%s\ngofmt:\n%s", src, formatted)
	}
}

func indent(s string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "\t" + l
		}
	}
	return strings.Join(lines, "")
}

// TestExportGoFuzzIsReadByGoTest runs go test on a fuzz target whose only
// corpus file is the export; -short skips it.
func TestExportGoFuzzIsReadByGoTest(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	input := []byte("{\"clientIp\":\"\xff\"}\n")
	write := func(name, content string) {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module m\n\ngo 1.22\n")
	write("m_test.go", `package m

import "testing"

func FuzzX(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if string(data) == "{\"clientIp\":\"\xff\"}\n" {
			t.Fatal("found the exported input")
		}
	})
}
`)
	var b bytes.Buffer
	if err := corpus.ExportGoFuzz(&b, input); err != nil {
		t.Fatal(err)
	}
	write("testdata/fuzz/FuzzX/exported", b.String())
	cmd := exec.Command(gobin, "test", "-run", "FuzzX", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "found the exported input") {
		t.Errorf("go test did not replay the exported input (err %v):\n%s", err, out)
	}
}
