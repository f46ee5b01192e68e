package emulator_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenTranscript records a deterministic session (fixed seed and
// clock) of every operation and the common errors, byte for byte.
func TestGoldenTranscript(t *testing.T) {
	fake := &fakeExecutor{res: runtime.Result{Decision: "deny", Calls: []string{"deny"}, Logs: []string{"<two> & 'three'"}, Error: "", Utilization: 12}}
	s, err := emulator.New(emulator.Options{Seed: 1, Executor: fake, Clock: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out strings.Builder
	step := func(method, path string, hdr map[string]string, body string) string {
		rec := do(s, method, path, hdr, body)
		fmt.Fprintf(&out, "%s %s\n%d", method, path, rec.Code)
		for _, h := range []string{"Content-Type", "ETag", "Location", "x-amzn-RequestId"} {
			if v := rec.Header().Get(h); v != "" {
				fmt.Fprintf(&out, " %s=%s", h, v)
			}
		}
		fmt.Fprintf(&out, "\n%s\n\n", strings.TrimSpace(rec.Body.String()))
		return rec.Header().Get("ETag")
	}
	etag := step("POST", "/2020-05-31/connection-function", nil, createBody("golden", allowCode))
	info, _ := s.Function("golden")
	fn := "/2020-05-31/connection-function/" + info.ID
	step("GET", fn+"/describe", nil, "")
	step("GET", fn, nil, "")
	etag = step("PUT", fn, map[string]string{"If-Match": etag}, strings.NewReplacer("CreateConnectionFunctionRequest", "UpdateConnectionFunctionRequest", "<Name>golden</Name>", "").Replace(createBody("golden", denyCode)))
	step("POST", fn+"/publish", map[string]string{"If-Match": etag}, "")
	step("POST", fn+"/test", map[string]string{"If-Match": etag}, testBody(b64(object)))
	step("POST", fn+"/test", map[string]string{"If-Match": "ESTALE"}, testBody(b64(object)))
	step("POST", fn+"/test", nil, testBody(b64(object)))
	step("POST", "/2020-05-31/connection-functions", nil, `<ListConnectionFunctionsRequest><Stage>LIVE</Stage></ListConnectionFunctionsRequest>`)
	step("GET", "/2020-05-31/distributionsByConnectionFunction?ConnectionFunctionIdentifier=golden", nil, "")
	step("DELETE", fn, map[string]string{"If-Match": etag}, "")
	step("GET", fn, nil, "")

	path := filepath.Join("testdata", "transcript.golden")
	if *update {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGoldenTranscript -update ./emulator/ to create it)", err)
	}
	if out.String() != string(want) {
		t.Errorf("transcript differs from %s (rerun with -update if the change is intended):\n%s", path, out.String())
	}
}
