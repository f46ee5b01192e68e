package redos_test

import (
	"fmt"
	"testing"

	"github.com/cffuzz/cffuzz"
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

// TestAddFindings turns scan results into campaign findings: severities by
// degree, worst first among the campaign's own, counted in the report.
func TestAddFindings(t *testing.T) {
	src := []byte("function connectionHandler(c) {\n  if (/^(a+)+$/.test(c.clientIp) || /^\\d*\\d*x$/.test(c.clientIp)) c.deny(); else c.allow();\n}\n")
	own := []cffuzz.Finding{{Oracle: "crash", Severity: cffuzz.SeverityHigh}, {Oracle: "decision", Severity: cffuzz.SeverityLow}}
	rep := &cffuzz.Report{FindingsBySeverity: map[string]int{"high": 1, "low": 1}}
	got := redos.AddFindings(src, own, rep)
	var order []string
	for _, f := range got {
		order = append(order, f.Oracle+":"+f.Severity.String())
	}
	want := []string{"crash:high", "redos:medium", "decision:low", "redos:low"}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Fatalf("findings %v, want %v", order, want)
	}
	if rep.FindingsBySeverity["medium"] != 1 || rep.FindingsBySeverity["low"] != 2 {
		t.Errorf("report counts %v", rep.FindingsBySeverity)
	}
	exp := got[1]
	if exp.Kind != redos.Exponential || exp.Line != 2 || exp.Column != 7 || exp.Signature != `redos/exponential@2//^(a+)+$/` || len(exp.Minimized) != 0 {
		t.Errorf("exponential finding %+v", exp)
	}
}
