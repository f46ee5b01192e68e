package emulator_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
)

// TestJavaScriptSDK drives the emulator through the whole connection-function
// lifecycle with the AWS SDK for JavaScript v3 (testdata/jssdk/test.mjs), with
// signature verification on so the SDK's SigV4 signing is checked too. It is
// skipped in -short mode, and when node or the SDK (npm ci in testdata/jssdk)
// is missing — except under CI=true, where a missing toolchain is a failure.
func TestJavaScriptSDK(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the AWS SDK for JavaScript run")
	}
	dir := filepath.Join("testdata", "jssdk")
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "@aws-sdk", "client-cloudfront", "package.json"))
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node or the AWS SDK for JavaScript is missing (%v): run npm ci in emulator/testdata/jssdk (see .ci/run)", err)
		}
		t.Skipf("node or the AWS SDK for JavaScript is missing (%v); run npm ci in emulator/testdata/jssdk", err)
	}
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 17, Credentials: &emulator.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}})

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "test.mjs")
	cmd.Dir = dir
	// No AWS configuration of the machine may leak in: test.mjs passes its
	// credentials, region and endpoint explicitly.
	cmd.Env = append(os.Environ(), "CFFUZZ_ENDPOINT="+srv.URL(),
		"AWS_CONFIG_FILE="+filepath.Join(t.TempDir(), "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(t.TempDir(), "none"))
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("node test.mjs did not finish within 60 s:\n%s", out)
	}
	if err != nil {
		t.Fatalf("node test.mjs: %v\n%s", err, out)
	}
	t.Logf("node test.mjs:\n%s", out)
}
