package oracles_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/oracles"
)

func TestLoadJSPropertiesErrors(t *testing.T) {
	tests := []struct {
		src, wantErr, reason string
	}{
		{"function check(c, o) {", "compile properties", "a syntax error"},
		{"var x = 1;", "defines neither", "nothing to check"},
		{"var check = 3;", "not a function", "check is not a function"},
		{"var properties = {a: 1};", "properties.a is not a function", "a property that is not a function"},
		{"var properties = {};", "empty", "no properties"},
		{"function check(){return true}\nvar properties = {a: function(){return true}};", "both", "ambiguous file"},
		{"throw new Error('setup failed')", "setup failed", "top-level code that throws"},
		{"for (;;) {}", "took longer than", "top-level code that never ends"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			_, err := oracles.LoadJSProperties("p.js", []byte(tt.src), oracles.JSOptions{Timeout: 20 * time.Millisecond})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err = %v, want it to mention %q", tt.reason, err, tt.wantErr)
			}
		})
	}
}

func TestJSPropertyCheck(t *testing.T) {
	src := `
// Clients without a certificate must be denied; a failure must not log the IP.
function check(connection, outcome) {
  if (!connection.clientCertificate && outcome.decision === "allow") {
    return "allowed a connection without a certificate";
  }
  if (outcome.error !== null && outcome.logs.length > 0 && outcome.logs[0].indexOf(connection.clientIp) >= 0) {
    return false;
  }
  return true;
}`
	or, err := oracles.LoadJSProperties("cert", []byte(src), oracles.JSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	noCert := &cffuzz.Case{Class: cffuzz.ClassProduction, Object: []byte(`{"clientIp":"192.0.2.1"}`)}
	tests := []oracleCase{
		{"holds on a valid object", prod(), ok(), nil},
		{"a returned string is the message", noCert, ok(), []cffuzz.Signal{{Oracle: "property", Severity: cffuzz.SeverityHigh, Kind: "cert",
			Message: "property cert does not hold: allowed a connection without a certificate", Key: "decision-allow"}}},
		{"false is a violation without a message; outcome fields are visible", noCert, ok(calls(cffuzz.DecisionDeny, "deny"), func(o *cffuzz.Outcome) {
			o.FunctionError, o.Logs = "Error: x", []string{"refusing 192.0.2.1"}
		}), []cffuzz.Signal{{Oracle: "property", Severity: cffuzz.SeverityHigh, Kind: "cert",
			Message: "property cert does not hold: check returned false", Key: "decision-deny"}}},
		{"not evaluated on an API error", noCert, apiErr(400, "InvalidArgument"), nil},
		{"not evaluated on non-objects", &cffuzz.Case{Class: cffuzz.ClassMalformed, Object: []byte(`"str"`)}, ok(), nil},
	}
	runOracleTable(t, or, tests)
}

func TestJSPropertiesMap(t *testing.T) {
	src := `var properties = {
  denies: function (c, o) { return o.decision === "deny" || "decided " + o.decision; },
  utilizationVisible: function (c, o) { return typeof o.utilization === "number" && Array.isArray(o.calls); },
};`
	or, err := oracles.LoadJSProperties("p", []byte(src), oracles.JSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := or.Check(prod(), ok())
	if len(got) != 1 || got[0].Kind != "p.denies" || got[0].Key != "decision-allow" {
		t.Errorf("got %+v, want one p.denies violation keyed \"decided allow\"", got)
	}
}

func TestJSPropertyBrokenIsAFinding(t *testing.T) {
	src := `var properties = {
  throws: function (c, o) { return c.clientCertificate.certificates.leaf.serialNumber.length > 0; },
  loops: function () { for (;;) {} },
  badReturn: function () { return 42; },
  bomb: function () { var s = 'abcdefgh'; for (var i = 0; i < 40; i++) { s = s + s; } return true; },
  fine: function () { return true; },
};`
	var mu sync.Mutex
	var reported []string
	or, err := oracles.LoadJSProperties("p", []byte(src), oracles.JSOptions{
		Timeout: 20 * time.Millisecond,
		OnConfigError: func(err error) {
			mu.Lock()
			reported = append(reported, err.Error())
			mu.Unlock()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	noCert := &cffuzz.Case{Class: cffuzz.ClassProduction, Object: []byte(`{"clientIp":"192.0.2.1"}`)}
	for range 3 {
		// A broken property checks nothing: it must fail the campaign,
		// as one high signal per broken property, every time it fails.
		got := or.Check(noCert, ok())
		if len(got) != 4 {
			t.Fatalf("got %d signals, want one per broken property (4): %+v", len(got), got)
		}
		for _, s := range got {
			if s.Key != oracles.KeyBroken || s.Severity != cffuzz.SeverityHigh || !strings.Contains(s.Message, "broken") {
				t.Errorf("broken property signal %+v: want Key %q, severity high", s, oracles.KeyBroken)
			}
		}
	}
	malformed := &cffuzz.Case{Class: cffuzz.ClassMalformed, Object: noCert.Object}
	for _, s := range or.Check(malformed, ok()) {
		if s.Severity > cffuzz.SeverityLow {
			t.Errorf("a property broken only on malformed input is low severity, got %+v", s)
		}
	}
	errs := or.(oracles.ConfigErrorer).ConfigErrors()
	if len(errs) != 4 || len(reported) != 4 {
		t.Fatalf("got %d ConfigErrors and %d callbacks, want 4 each (one per broken property): %v", len(errs), len(reported), errs)
	}
	all := strings.Join(reported, "\n")
	for _, want := range []string{"p.throws", "TypeError", "p.loops", "took longer than", "p.badReturn", "returned 42", "p.bomb", "not a finding"} {
		if !strings.Contains(all, want) {
			t.Errorf("config errors do not mention %q:\n%s", want, all)
		}
	}
}

func TestJSPropertyIsolation(t *testing.T) {
	// A check that mutates globals or its arguments must not affect the next run.
	src := `var runs = 0;
function check(c, o) { runs++; c.clientIp = "x"; return runs === 1 || "state leaked: " + runs; }`
	or, err := oracles.LoadJSProperties("iso", []byte(src), oracles.JSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got := or.Check(prod(), ok()); len(got) != 0 {
				t.Errorf("state leaked between checks: %+v", got)
			}
		})
	}
	wg.Wait()
}

func BenchmarkJSPropertyCheck(b *testing.B) {
	or, err := oracles.LoadJSProperties("bench", []byte(`function check(c, o) { return !!c.clientIp && o.decision !== "none"; }`), oracles.JSOptions{})
	if err != nil {
		b.Fatal(err)
	}
	c, o := prod(), ok()
	for b.Loop() {
		or.Check(c, o)
	}
}

// TestJSPropertyMemoryBomb: properties run in the campaign's process, so a
// check that grows the heap without bound is stopped at its heap limit,
// whatever its CPU time limit, and is a broken property.
func TestJSPropertyMemoryBomb(t *testing.T) {
	src := "function check(c, o) { var s = 'abcdefgh'; for (var i = 0; i < 40; i++) { s = s + s; } return true; }"
	or, err := oracles.LoadJSProperties("bomb", []byte(src), oracles.JSOptions{Timeout: 10 * time.Second, MaxHeapGrowth: 16 << 20})
	if err != nil {
		t.Fatal(err)
	}
	c := &cffuzz.Case{Class: cffuzz.ClassProduction, Object: []byte(`{"clientIp":"192.0.2.1"}`)}
	got := or.Check(c, ok())
	if len(got) != 1 || got[0].Key != oracles.KeyBroken || !strings.Contains(got[0].Message, "grew the heap") {
		t.Fatalf("a memory bomb in a property: %+v, want one broken-property signal saying it grew the heap", got)
	}
}

// TestJSPropertyClockIsTheCasesTime checks that a property reading Date
// judges the case at the time it was sent, not at the later moment the
// oracle runs: a certificate valid up to the second the function ran must
// not look expired to the property a few milliseconds later.
func TestJSPropertyClockIsTheCasesTime(t *testing.T) {
	src := `function check(connection, outcome) {
  var na = Date.parse(connection.clientCertificate.certificates.leaf.validity.notAfter);
  return outcome.decision === "allow" && na < Date.now() ? "allowed an expired certificate" : true;
}`
	or, err := oracles.LoadJSProperties("expiry", []byte(src), oracles.JSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	notAfter := time.Now().Add(-time.Second).Truncate(time.Second)
	c := &cffuzz.Case{Class: cffuzz.ClassProduction, Object: []byte(`{"clientCertificate":{"certificates":{"leaf":{"validity":{"notAfter":"` +
		notAfter.UTC().Format(time.RFC3339) + `"}}}}}`)}
	tests := []struct {
		sent   time.Time
		want   int
		reason string
	}{
		{notAfter, 0, "sent at notAfter: the function saw a valid certificate"},
		{notAfter.Add(time.Second), 1, "sent after notAfter: an allow is a violation"},
		{time.Time{}, 1, "no send time: the property's own clock (later than notAfter)"},
	}
	for _, tt := range tests {
		o := &cffuzz.Outcome{Status: 200, Decision: cffuzz.DecisionAllow, Calls: []string{"allow"}, Sent: tt.sent}
		if got := or.Check(c, o); len(got) != tt.want {
			t.Errorf("%s: %d signals %v, want %d", tt.reason, len(got), got, tt.want)
		}
	}
}
