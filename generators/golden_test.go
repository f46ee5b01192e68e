package generators_test

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/generators"
	"github.com/leanovate/gopter"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenDict is a dictionary with a token of every shape, so that the
// golden cases cover dictionary placement too.
const goldenDict = `const A = ['Example Corp Intermediate CA', 'CN=Intermediate CA,O=Example Org', ', OU=Devices,O=Example'];
const NETS = ['10.1.0.0/16', '192.0.2.', '2001:db8:'], SUFFIX = '.internal.example.com', OCSP = 'http://ocsp.example.com';
const SERIALS = ['4a:3f:5c:92', '9e2aaf16'], FP = 'AB:CD:EF:12:34:56:78:90:AB:CD:EF:12:34:56:78:90:AB:CD:EF:12:34:56:78:90:AB:CD:EF:12:34:56:78:90';`

// caseLine is one line of a golden file: what a case is, and a digest of
// its bytes (the object, or the wire request).
func caseLine(c cffuzz.Case) string {
	h := sha256.New()
	h.Write(c.Object)
	size := len(c.Object)
	if c.Wire != nil {
		fmt.Fprintf(h, "%s %s %v %q", c.Wire.Method, c.Wire.Path, c.Wire.Header, c.Wire.Body)
		size = len(c.Wire.Body)
	}
	exp := "-"
	if c.Expect != nil {
		exp = fmt.Sprintf("%d/%s", c.Expect.Status, c.Expect.Code)
	}
	return fmt.Sprintf("%d %s/%s %s %s %d %s", c.Index, c.Family, c.Variant, c.Class, exp, size, hex.EncodeToString(h.Sum(nil))[:16])
}

// TestGoldenCases pins the first cases of fixed seeds, byte for byte
// (through a digest): every family with the wire family on, the same with
// a dictionary, and the gopter generator's draws. A change of generation
// that should not change the distribution (an optimization) must leave it
// as it is; one that should is recorded with -update and documented.
func TestGoldenCases(t *testing.T) {
	var b strings.Builder
	plain := newGen(t, generators.Options{Wire: true})
	for i := uint64(0); i < 1500; i++ {
		fmt.Fprintln(&b, caseLine(plain.Case(1, i)))
	}
	b.WriteString("# with a dictionary\n")
	dict := newGen(t, generators.Options{Dictionary: generators.DictionaryFromJS([]byte(goldenDict))})
	for i := uint64(0); i < 500; i++ {
		fmt.Fprintln(&b, caseLine(dict.Case(2, i)))
	}
	b.WriteString("# gopter ConnectionGen\n")
	g := plain.ConnectionGen()
	for i := range 200 {
		p := &gopter.GenParameters{MaxSize: i % 101, MaxShrinkCount: 1000, Rng: rand.New(generators.SplitMix(uint64(i)))}
		res := g(p)
		v, ok := res.Retrieve()
		if !ok {
			t.Fatalf("draw %d: ConnectionGen gave no value", i)
		}
		conn := v.(generators.Connection)
		sum := sha256.Sum256(conn.Marshal())
		fmt.Fprintf(&b, "%d %s\n", i, hex.EncodeToString(sum[:])[:16])
	}
	path := filepath.Join("testdata", "golden-cases.txt")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run go test ./generators -run TestGoldenCases -update to write it", err)
	}
	got := strings.Split(b.String(), "\n")
	for i, w := range strings.Split(string(want), "\n") {
		if i >= len(got) || got[i] != w {
			g := ""
			if i < len(got) {
				g = got[i]
			}
			t.Fatalf("golden line %d differs:\n got  %s\n want %s\nthe cases of a seed changed: if that is intended, rerun with -update and say why in docs/generators.md", i+1, g, w)
		}
	}
}
