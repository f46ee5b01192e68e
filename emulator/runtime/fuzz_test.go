package runtime_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// FuzzCheck: Check never panics, and every error it returns is a
// *SyntaxError with a position inside the code (or 0:0).
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		handler("connection.allow();"),
		"import cf from 'cloudfront';\nasync function connectionHandler(c) { await cf.kvs().get('k'); }",
		"class A {}", "var {a} = b;", "f(...a)", "a?.b ?? c", "export default 1", "`${a}`", "/(?<x>a)/y",
	} {
		f.Add([]byte(s))
	}
	if files, _ := filepath.Glob("testdata/*.js"); len(files) > 0 {
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, code []byte) {
		err := runtime.Check(code)
		if err == nil {
			return
		}
		var se *runtime.SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("Check returned %T %v, want *SyntaxError", err, err)
		}
		if se.Line < 0 || se.Column < 0 || se.Message == "" {
			t.Fatalf("bad SyntaxError %+v", se)
		}
	})
}

// FuzzExecute feeds arbitrary connection objects to a function that reads
// them: every input ends in a Result, never a panic or executor error.
func FuzzExecute(f *testing.F) {
	for _, s := range []string{`{}`, `{"clientIp":"1.2.3.4"}`, `[]`, `null`, `"x"`, ``, `{"__proto__":{"a":1}}`, `{"a":` + "\xff" + `}`} {
		f.Add([]byte(s))
	}
	if files, _ := filepath.Glob(filepath.Join(seedsDir, "*.json")); len(files) > 0 {
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	code := []byte(handler(`var l = connection.clientCertificate && connection.clientCertificate.certificates.leaf;
console.log(JSON.stringify(connection).slice(0, 100));
if (l && l.serialNumber.replaceAll(":", "").length > 0) connection.deny(); else connection.allow();`))
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	f.Fuzz(func(t *testing.T, obj []byte) {
		res, err := ex.Execute(t.Context(), runtime.Request{Code: code, Object: obj, Seed: 1, Now: fixedNow})
		if err != nil {
			t.Fatalf("Execute: %v", err)
		}
		switch res.Decision {
		case "allow", "deny", "none":
		default:
			t.Fatalf("decision %q", res.Decision)
		}
		if (res.Error == "") != (res.ErrorName == "") {
			t.Fatalf("Error %q but ErrorName %q", res.Error, res.ErrorName)
		}
		if !utf8.ValidString(res.OutputJSON()) {
			t.Fatalf("OutputJSON is not UTF-8")
		}
	})
}
