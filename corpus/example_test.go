package corpus_test

import (
	"fmt"
	"os"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
)

func Example() {
	dir, _ := os.MkdirTemp("", "corpus")
	defer os.RemoveAll(dir)

	c, err := corpus.Open(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	f := cffuzz.Finding{
		Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "TypeError",
		Signature: "crash/TypeError@3:12/TypeError: Cannot read property 'leaf' of null",
		Minimized: []byte(`{"clientCertificate":null}`),
	}
	_, added, _ := c.Add(f)
	_, again, _ := c.Add(f)
	fmt.Println("added:", added, "added again:", again)

	entries, _ := c.Entries()
	for _, e := range entries {
		fmt.Println(e.Finding.Severity, e.Finding.Signature)
		_ = corpus.ExportGoFuzz(os.Stdout, e.Input)
	}
	// Output:
	// added: true added again: false
	// high crash/TypeError@3:12/TypeError: Cannot read property 'leaf' of null
	// go test fuzz v1
	// []byte("{\"clientCertificate\":null}")
}
