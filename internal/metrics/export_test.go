package metrics_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/internal/metrics"
)

func TestServe(t *testing.T) {
	c := newCampaign()
	drive(c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, err := c.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	body := get(t, "http://"+addr+"/metrics", "")
	if !strings.Contains(body, `cffuzz_cases_total{family="boundary",outcome="finding",target="emulator"} 2`) {
		t.Errorf("/metrics lacks the boundary finding count:\n%s", body)
	}
	om := get(t, "http://"+addr+"/metrics", "application/openmetrics-text; version=1.0.0")
	if !strings.HasSuffix(om, "# EOF\n") {
		t.Errorf("OpenMetrics answer does not end in # EOF")
	}
	if resp, err := http.Get("http://" + addr + "/nope"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("/nope: status %d, want 404", resp.StatusCode)
		}
	}
}

func TestServeDefaultsToLoopback(t *testing.T) {
	c := newCampaign()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, tc := range []struct{ reason, addr string }{
		{"empty address", ""},
		{"port only", ":0"},
	} {
		got, err := c.Serve(ctx, tc.addr)
		if err != nil {
			t.Fatalf("%s: %v", tc.reason, err)
		}
		if !strings.HasPrefix(got, "127.0.0.1:") {
			t.Errorf("%s: listens on %s, want 127.0.0.1", tc.reason, got)
		}
	}
	if _, err := c.Serve(ctx, "no-port"); err == nil {
		t.Error("Serve accepted an address without a port")
	}
}

func get(t *testing.T, url, accept string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, b)
	}
	return string(b)
}

// TestWriteFile checks the cffuzz_ part of the file against
// testdata/metrics.golden.txt (go test -update rewrites it). The Go version
// is replaced by GOVERSION so the file does not change with the toolchain.
func TestWriteFile(t *testing.T) {
	c := newCampaign()
	drive(c)
	path := filepath.Join(t.TempDir(), "metrics.prom")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("\ngo_goroutines ")) {
		t.Error("file lacks the Go collector's metrics")
	}
	var got bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "cffuzz_") || strings.HasPrefix(line, "# HELP cffuzz_") || strings.HasPrefix(line, "# TYPE cffuzz_") {
			got.WriteString(strings.ReplaceAll(line, runtime.Version(), "GOVERSION") + "\n")
		}
	}
	golden := filepath.Join("testdata", "metrics.golden.txt")
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got.String() != string(want) {
		t.Errorf("WriteFile output differs from %s (go test -update rewrites it):\n%s", golden, got.String())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("WriteFile left %d files behind, want only the metrics file", len(entries))
	}
}

func TestWriteFileError(t *testing.T) {
	c := newCampaign()
	err := c.WriteFile(filepath.Join(t.TempDir(), "missing-dir", "m.prom"))
	if err == nil {
		t.Fatal("WriteFile into a missing directory succeeded")
	}
}

func Example() {
	c := metrics.New(metrics.Options{Version: "1.0.0", Campaign: "nightly", Shard: "0"})
	// A campaign runner calls these through runner.Observer.
	c.CaseDone("emulator", "production", "production", "pass")
	c.Throttled()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // stops the server
	addr, err := c.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "cffuzz_throttles_total") {
			os.Stdout.WriteString(sc.Text() + "\n")
		}
	}
	// Output:
	// cffuzz_throttles_total 1
}
