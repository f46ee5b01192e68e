package emulatortest_test

import (
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
)

func TestNewServerServesAndCloses(t *testing.T) {
	var url string
	t.Run("server", func(t *testing.T) {
		srv := emulatortest.NewServer(t, emulator.Options{})
		url = srv.URL()
		resp, err := http.Get(url + "/2020-05-31/connection-function/cf_none/describe")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("describing a missing function: status %d, want 404", resp.StatusCode)
		}
	})
	// The subtest's cleanup closed the server.
	if resp, err := http.Get(url + "/"); err == nil {
		resp.Body.Close()
		t.Errorf("the server still answers after its test ended")
	}
}

// TestEmulatorDoesNotLinkTesting: a program that embeds the emulator does
// not link package testing; only this package does.
func TestEmulatorDoesNotLinkTesting(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/cffuzz/cffuzz/emulator").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, d := range strings.Fields(string(out)) {
		if d == "testing" {
			t.Fatal("package emulator depends on package testing")
		}
	}
}
