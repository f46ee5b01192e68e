package redos_test

import (
	"fmt"
	"testing"

	"github.com/cffuzz/cffuzz/internal/redos"
)

// TestScan finds the regular expressions of a function wherever they are
// written, with their line and column, and reports only the unsafe ones.
func TestScan(t *testing.T) {
	src := `import cf from 'cloudfront';
const SERIAL = /^([0-9a-f]{2}:)*[0-9a-f]{2}$/i;
function connectionHandler(connection) {
  const cn = connection.clientCertificate.certificates.leaf.subject;
  if (/^(\w+\s?)*$/.test(cn)) { connection.deny(); return; }
  const ou = new RegExp("^(a|a)+$");
  const dn = RegExp("\\s*\\s*$", "m");
  const ok = new RegExp(pattern);
  connection.allow();
}
`
	lits := redos.Literals([]byte(src))
	var got []string
	for _, l := range lits {
		got = append(got, fmt.Sprintf("%d:%d /%s/%s", l.Line, l.Column, l.Pattern, l.Flags))
	}
	want := []string{
		`2:16 /^([0-9a-f]{2}:)*[0-9a-f]{2}$/i`,
		`5:7 /^(\w+\s?)*$/`,
		`6:14 /^(a|a)+$/`,
		`7:14 /\s*\s*$/m`,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("literals:\n got %q\nwant %q", got, want)
	}

	findings := redos.Scan([]byte(src))
	var summary []string
	for _, f := range findings {
		summary = append(summary, fmt.Sprintf("%d:%d %s", f.Line, f.Column, f.Degree))
	}
	wantF := []string{"5:7 exponential", "6:14 exponential", "7:14 polynomial"}
	if fmt.Sprint(summary) != fmt.Sprint(wantF) {
		t.Errorf("findings: got %v, want %v", summary, wantF)
	}
	if len(redos.Scan([]byte("function connectionHandler(c) { c.allow( }"))) != 0 {
		t.Error("a source that does not parse has findings")
	}
}
