package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryLinksNoTestCode: the shipped binary links none of cffuzz's
// test helpers (the emulator's test server lives in emulator/emulatortest),
// and no cffuzz package in it imports package testing. (gopter, the
// generators' property-testing library, imports it for its own test
// runner; that is the only way it is linked.)
func TestBinaryLinksNoTestCode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}} {{join .Imports " "}}`, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		if !strings.HasPrefix(pkg, "github.com/cffuzz/cffuzz") {
			continue
		}
		if strings.HasSuffix(pkg, "test") || strings.Contains(pkg, "/testsupport") {
			t.Errorf("the binary links the test helper package %s", pkg)
		}
		for _, imp := range imports {
			if imp == "testing" {
				t.Errorf("%s, linked into the binary, imports package testing", pkg)
			}
		}
	}
}
