package runtime

import (
	"testing"
	"time"

	"github.com/dlclark/regexp2/v2"
	"github.com/dop251/goja/parser"
)

// TestNeedsRegexp2: the literals goja compiles with regexp2 (which can
// time out) and those it compiles with Go's linear regexp package.
func TestNeedsRegexp2(t *testing.T) {
	tests := []struct {
		pattern, flags string
		want           bool
		reason         string
	}{
		{`^\d{4}-\d\d-\d\dT`, "", false, "plain classes and counts: Go's regexp"},
		{`(a+)+$`, "", false, "nested quantifiers, but Go's engine is linear"},
		{`(?:^|,)\s*CN=([^,]*)`, "i", false, "groups and flags"},
		{`(a+)+(?=b)$`, "", true, "lookahead"},
		{`(?<!x)y`, "", true, "lookbehind"},
		{`(a)\1`, "", true, "backreference"},
		{`(?<n>a)\k<n>`, "", true, "named backreference"},
		{`a{1001}`, "", true, "a repeat count Go's regexp refuses"},
		{`é+`, "", true, "non-ASCII: goja rewrites it first, stay on the safe side"},
		{`[\S]`, "", true, "goja hands \\S in a class to regexp2"},
	}
	for _, tt := range tests {
		if got := needsRegexp2(tt.pattern, tt.flags); got != tt.want {
			t.Errorf("/%s/%s: got %v, want %v (%s)", tt.pattern, tt.flags, got, tt.want, tt.reason)
		}
	}
}

// TestMayBacktrack: which programs can run a regexp2 match.
func TestMayBacktrack(t *testing.T) {
	tests := []struct {
		name, src string
		want      bool
		reason    string
	}{
		{"no regexps", "function connectionHandler(c) { if (c.clientIp.split('.')[0] === '10') c.allow(); }", false, "split on a string"},
		{"linear literal", "const R = /^10\\./;\nfunction connectionHandler(c) { if (R.test(c.clientIp)) c.allow(); }", false, "Go's regexp"},
		{"nested backtracking literal", "function f(s) { return [1, { k: () => /(a)\\1/.test(s) }]; }\nfunction connectionHandler(c) { if (f(c.clientIp)[1].k()) c.allow(); }", true, "found deep in the tree"},
		{"literal in a class", "class A { m(s) { return /x(?=y)/.exec(s); } }\nfunction connectionHandler(c) { new A().m(''); }", true, "class bodies"},
		{"RegExp", "function connectionHandler(c) { new RegExp(c.clientIp).test('x'); }", true, "a pattern built at run time"},
		{"match", "function connectionHandler(c) { c.clientIp.match('1+'); }", true, "match turns a string into a RegExp"},
		{"search", "function connectionHandler(c) { c.clientIp.search('1'); }", true, "so does search"},
		{"replace", "function connectionHandler(c) { c.clientIp.replace('1', '2'); }", false, "replace with a string pattern does not"},
	}
	for _, tt := range tests {
		prg, err := parser.ParseFile(nil, "f.js", tt.src, 0)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := mayBacktrack(prg, tt.src); got != tt.want {
			t.Errorf("%s: got %v, want %v (%s)", tt.name, got, tt.want, tt.reason)
		}
	}
}

// TestRegexpTimeoutSuspicion: a run long enough for a regexp2 match to
// have timed out is reported as a TimeoutError only if its program can run
// one. The threshold is set to nothing, so that every run is long enough,
// whatever the machine's speed.
func TestRegexpTimeoutSuspicion(t *testing.T) {
	setRegexpTimeout(Options{}.withDefaults().TimeLimit)
	saved := regexpTimeout.Load()
	regexpTimeout.Store(1)
	defer regexpTimeout.Store(saved)
	tests := []struct {
		name, code string
		errName    string
		reason     string
	}{
		{"linear", "function connectionHandler(c) { if (/^10\\./.test(c.clientIp)) c.allow(); }", "", "Go's regexp never times out"},
		{"no regexp", "function connectionHandler(c) { if (c.clientIp.indexOf('10.') === 0) c.allow(); }", "", "nothing to time out"},
		{"backtracking", "function connectionHandler(c) { if (/^(1)0\\./.test(c.clientIp) || /(.)\\1/.test('aa')) c.allow(); }", ErrorTimeout, "a regexp2 match may have given up"},
	}
	for _, tt := range tests {
		p, err := compile([]byte(tt.code), true)
		if err != nil {
			t.Fatal(err)
		}
		res, err := execute(p, Request{Code: []byte(tt.code), Object: []byte(`{"clientIp":"10.1.2.3"}`), Seed: 1, Now: time.Unix(0, 0)}, Options{}.withDefaults())
		if err != nil {
			t.Fatal(err)
		}
		if res.ErrorName != tt.errName {
			t.Errorf("%s: error %q (%s), want %q (%s)", tt.name, res.ErrorName, res.Error, tt.errName, tt.reason)
		}
		if tt.errName == "" && res.Decision != DecisionAllow {
			t.Errorf("%s: decision %q, want allow", tt.name, res.Decision)
		}
	}
}

// TestCatastrophicRegexGivesUp: a backtracking match that regexp2 abandons
// at its wall-clock timeout before the CPU-time watchdog fires (what a
// starved run on a loaded machine sees) makes goja report "no match"; the
// run must be a TimeoutError with no decision, not an allow. The timeout
// is made short (5 ms) and the time limit long (1 s) instead of starving
// the run with busy threads, which would starve every other test process
// on the machine too.
func TestCatastrophicRegexGivesUp(t *testing.T) {
	setRegexpTimeout(Options{}.withDefaults().TimeLimit) // the process-wide values are set
	savedMatch, savedTimeout := regexp2.DefaultMatchTimeout, regexpTimeout.Load()
	defer func() { regexp2.DefaultMatchTimeout = savedMatch; regexpTimeout.Store(savedTimeout) }()
	const timeout = 5 * time.Millisecond
	regexp2.DefaultMatchTimeout = timeout // read when goja compiles the literal
	regexpTimeout.Store(int64(timeout))
	code := "function connectionHandler(c) {\n  if (!/(a+)+(?=b)$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')) c.allow();\n}"
	p, err := compile([]byte(code), true)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{TimeLimit: time.Second}.withDefaults()
	res, err := execute(p, Request{Code: []byte(code), Object: []byte(`{}`), Seed: 1, Now: time.Unix(0, 0)}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Decision != DecisionNone || res.ErrorName != ErrorTimeout {
		t.Fatalf("got decision %q error %q (CPU %v): a match that gave up must not decide the run", res.Decision, res.Error, res.CPUTime)
	}
	if res.CPUTime >= opts.TimeLimit {
		// regexp2's clock goroutine was starved for a second while the
		// match ran: the watchdog ended the run, which shows nothing about
		// the rule under test.
		t.Skipf("the run used %v of CPU time: the watchdog, not the regexp rule, ended it", res.CPUTime)
	}
}
