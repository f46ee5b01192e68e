package runtime_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/cffuzz/cffuzz/coverage"
	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// executeFeedback runs code on obj instrumented and returns the Result and
// the function's coverage map.
func executeFeedback(t testing.TB, ex runtime.Executor, code, obj string) (runtime.Result, *coverage.Map) {
	t.Helper()
	m, err := runtime.CoverageMap([]byte(code), runtime.Options{})
	if err != nil {
		t.Fatalf("CoverageMap: %v", err)
	}
	res, err := ex.Execute(context.Background(), runtime.Request{Code: []byte(code), Object: []byte(obj), Seed: 42, Now: fixedNow, Feedback: true})
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	if res.Feedback == nil {
		t.Fatalf("no Feedback in %+v", res)
	}
	if len(res.Feedback.Hits) != len(m.Edges) {
		t.Fatalf("%d hits for %d edges", len(res.Feedback.Hits), len(m.Edges))
	}
	return res, m
}

// hitTable renders every edge as "kind@line:col=hits", in map order.
func hitTable(m *coverage.Map, fb *coverage.Feedback) []string {
	out := make([]string, len(m.Edges))
	for i, e := range m.Edges {
		out[i] = fmt.Sprintf("%s@%d:%d=%d", e.Kind, e.Line, e.Column, fb.Hits[i])
	}
	return out
}

// TestFeedbackCounters checks the exact hit count of every edge, by kind,
// with its position in the user's file.
func TestFeedbackCounters(t *testing.T) {
	tests := []struct {
		name, code, obj, reason string
		want                    []string
	}{
		{
			name: "if with implicit else", obj: `{"clientIp":"1.2.3.4"}`,
			code: "function connectionHandler(c) {\n" +
				"  if (c.clientIp === '1.2.3.4') { c.allow(); }\n" +
				"  if (c.clientIp === 'x') c.deny();\n" +
				"}",
			reason: "the first if takes then, the second the implicit else (at the if keyword)",
			want:   []string{"entry@1:1=1", "then@2:33=1", "else@2:3=0", "then@3:27=0", "else@3:3=1"},
		},
		{
			name: "loop body and exit", obj: `{}`,
			code: "function connectionHandler(c) {\n" +
				"  var n = 0;\n" +
				"  for (var i = 0; i < 5; i++) { n++; }\n" +
				"  while (n > 0) n--;\n" +
				"  do { n++; } while (n < 2);\n" +
				"  for (var k in {a: 1, b: 2}) n++;\n" +
				"  for (var v of [1, 2, 3]) { if (v === 2) break; }\n" +
				"  c.allow();\n" +
				"}",
			reason: "bodies count iterations; exits count once, also on break",
			want: []string{"entry@1:1=1",
				"loop-body@3:31=5", "loop-exit@3:3=1",
				"loop-body@4:17=5", "loop-exit@4:3=1",
				"loop-body@5:6=2", "loop-exit@5:3=1",
				"loop-body@6:31=2", "loop-exit@6:3=1",
				"loop-body@7:28=2", "then@7:43=1", "else@7:30=1", "loop-exit@7:3=1"},
		},
		{
			name: "switch cases and fall-through", obj: `{"clientIp":"b"}`,
			code: "function connectionHandler(c) {\n" +
				"  switch (c.clientIp) {\n" +
				"  case 'a': c.deny();\n" +
				"  case 'b':\n" +
				"  case 'c': c.allow(); break;\n" +
				"  default: c.deny();\n" +
				"  }\n" +
				"}",
			reason: "case b is entered, case c by fall-through, neither a nor default",
			want:   []string{"entry@1:1=1", "case@3:3=0", "case@4:3=1", "case@5:3=1", "case@6:3=0"},
		},
		{
			name: "catch", obj: `{}`,
			code: "function connectionHandler(c) {\n" +
				"  try { c.x.y; } catch (e) { c.allow(); }\n" +
				"  try { c.x; } catch (e) { c.deny(); }\n" +
				"}",
			reason: "only the first try throws",
			want:   []string{"entry@1:1=1", "catch@2:18=1", "catch@3:16=0"},
		},
		{
			name: "logical operands", obj: `{"a":0,"b":null}`,
			code: "function connectionHandler(c) {\n" +
				"  var x = c.a && c.zz;\n" +
				"  var y = c.b || c.a || 7;\n" +
				"  var z = c.b ?? 'd';\n" +
				"  c.allow();\n" +
				"}",
			reason: "&& stops at the falsy c.a; || evaluates all three; ?? both",
			want: []string{"entry@1:1=1", "logical@2:11=1", "logical@2:18=0",
				"logical@3:11=1", "logical@3:18=1", "logical@3:25=1",
				"logical@4:11=1", "logical@4:18=1"},
		},
		{
			name: "conditional arms and nested functions", obj: `{"clientIp":"z"}`,
			code: "function connectionHandler(c) {\n" +
				"  var f = function (v) { return v ? 'y' : 'n'; };\n" +
				"  var g = (v) => v + 1;\n" +
				"  [1, 2, 3].forEach(function (v) { g(v); });\n" +
				"  f(1); f(0); f(0);\n" +
				"  c.allow();\n" +
				"}",
			reason: "each function counts its entries; ?: counts each arm",
			want: []string{"entry@1:1=1", "entry@2:11=3", "cond-then@2:37=1", "cond-else@2:43=2",
				"entry@3:11=3", "entry@4:21=3"},
		},
	}
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, m := executeFeedback(t, ex, tt.code, tt.obj)
			if res.Error != "" {
				t.Fatalf("error: %s", res.Error)
			}
			if got := hitTable(m, res.Feedback); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("hits\n got %q\nwant %q\n(%s)", got, tt.want, tt.reason)
			}
		})
	}
}
