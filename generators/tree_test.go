package generators_test

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cffuzz/cffuzz/generators"
)

const treeObject = `{"clientCertificate":{"certificates":{"leaf":{"serialNumber":"0a:0b","issuer":"CN=a,O=b","subject":"CN=c"},` +
	`"intermediates":[{"serialNumber":"01","issuer":"CN=r","subject":"CN=a,O=b"}]},"revocationStatus":{"chainValidity":"Unknown",` +
	`"certificates":{"leaf":{"method":"OCSP","status":"Good","serialNumber":"0a:0b"}}}},"clientIp":"10.1.2.3","connectionId":"x"}`

// TestTreeEdits checks the field-level edits the feedback engine makes.
func TestTreeEdits(t *testing.T) {
	tree, ok := generators.ParseTree([]byte(treeObject))
	if !ok {
		t.Fatal("a JSON object must parse")
	}
	if _, ok := generators.ParseTree([]byte(`[1]`)); ok {
		t.Error("an array is not a connection object")
	}
	paths := map[string]string{}
	for _, l := range tree.Leaves() {
		paths[l.Path] = l.Value
	}
	for path, want := range map[string]string{
		"clientCertificate.certificates.leaf.issuer":                  "CN=a,O=b",
		"clientCertificate.certificates.intermediates.0.subject":      "CN=a,O=b",
		"clientCertificate.revocationStatus.certificates.leaf.status": "Good",
		"clientIp": "10.1.2.3",
	} {
		if paths[path] != want {
			t.Errorf("leaf %s = %q, want %q", path, paths[path], want)
		}
	}
	tests := []struct {
		reason string
		edit   func(t *generators.Tree) bool
		want   []string // substrings of the result
		absent []string
	}{
		{"Set replaces one value", func(t *generators.Tree) bool {
			l, _ := t.Lookup("clientCertificate.certificates.leaf.subject")
			t.Set(l, "CN=d")
			return true
		}, []string{`"subject":"CN=d"`, `"subject":"CN=a,O=b"`}, []string{`"subject":"CN=c"`}},
		{"Drop removes a member", func(t *generators.Tree) bool { return t.Drop("clientCertificate.revocationStatus") },
			nil, []string{"revocationStatus"}},
		{"Duplicate appends an element", func(t *generators.Tree) bool {
			a := t.Arrays()[0]
			t.Duplicate(a, 0)
			return len(t.Arrays()[0].Path) > 0
		}, []string{`"intermediates":[{"serialNumber":"01","issuer":"CN=r","subject":"CN=a,O=b"},{"serialNumber":"01"`}, nil},
		{"Repair adds the errorType of an Error status", func(t *generators.Tree) bool {
			l, _ := t.Lookup("clientCertificate.revocationStatus.certificates.leaf.status")
			t.Set(l, "Error")
			return t.Repair(rand.New(rand.NewSource(1)))
		}, []string{`"status":"Error"`, `"errorType":`}, nil},
		{"Repair completes an address from its prefix", func(t *generators.Tree) bool {
			l, _ := t.Lookup("clientIp")
			t.Set(l, "10.1203.0.113.9")
			return t.Repair(rand.New(rand.NewSource(1)))
		}, []string{`"clientIp":"10.120.`}, nil},
	}
	for _, tt := range tests {
		c := tree.Clone()
		if !tt.edit(c) {
			t.Errorf("%s: the edit did nothing", tt.reason)
			continue
		}
		got := string(c.Bytes())
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %s lacks %s", tt.reason, got, w)
			}
		}
		for _, w := range tt.absent {
			if strings.Contains(got, w) {
				t.Errorf("%s: %s still has %s", tt.reason, got, w)
			}
		}
		if tree := string(tree.Bytes()); tree != treeObject {
			t.Errorf("%s: editing a clone changed the original: %s", tt.reason, tree)
		}
	}
	src, _ := generators.ParseTree([]byte(`{"clientCertificate":{"certificates":{"leaf":{"san":"DNS:x"}}}}`))
	c := tree.Clone()
	if !c.Graft(src, "clientCertificate.certificates.leaf.san") || !strings.Contains(string(c.Bytes()), `"san":"DNS:x"`) {
		t.Errorf("Graft must add a member the object lacks: %s", c.Bytes())
	}
	if got := string(tree.Bytes()); got != treeObject {
		t.Errorf("an unedited tree must encode as parsed:\n%s\n%s", got, treeObject)
	}
}

// TestCharClasses checks that every character class is reachable and that
// class edits keep strings valid UTF-8.
func TestCharClasses(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for c := generators.ClassPrintable; int(c) < len(generators.CharClassNames); c++ {
		seen := false
		for range 200 {
			s := generators.ClassRune(r, c)
			if s == "" || !utf8.ValidString(s) {
				t.Fatalf("class %s gave %q", generators.CharClassNames[c], s)
			}
			seen = seen || generators.ClassOf(s) == c
		}
		if !seen {
			t.Errorf("class %s: ClassRune never gave a character ClassOf puts in it", generators.CharClassNames[c])
		}
	}
	s := "CN=Example Corp,O=x"
	classes := map[generators.CharClass]bool{}
	for range 2000 {
		m := generators.MutateString(r, s)
		if !utf8.ValidString(m) {
			t.Fatalf("MutateString(%q) = %q: invalid UTF-8", s, m)
		}
		for _, ch := range m {
			classes[generators.ClassOf(string(ch))] = true
		}
	}
	if len(classes) < len(generators.CharClassNames)-1 { // escapes and percents are two characters
		t.Errorf("2,000 edits reached %d character classes: %v", len(classes), classes)
	}
	if got := generators.ClassString(r, 40); utf8.RuneCountInString(got) < 40 {
		t.Errorf("ClassString(40) = %q", got)
	}
}
