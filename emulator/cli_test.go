package emulator_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
)

// TestAWSCLI drives the emulator with the AWS CLI by --endpoint-url alone,
// with signature verification on (botocore signs), when the CLI is installed
// (skipped otherwise, and in -short mode).
func TestAWSCLI(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil || testing.Short() {
		t.Skip("the aws CLI is not installed, or -short")
	}
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 13, Credentials: &emulator.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}})
	info, err := srv.CreateFunction("cli", []byte(allowCode), emulator.FunctionConfig{Comment: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	objFile := filepath.Join(dir, "object.json")
	if err := os.WriteFile(objFile, []byte(object), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(aws, "cloudfront", "test-connection-function", "--endpoint-url", srv.URL(),
		"--id", info.ID, "--if-match", info.ETag, "--connection-object", "fileb://"+objFile, "--output", "json")
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret",
		"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE="+filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws cloudfront test-connection-function: %v\n%s", err, out)
	}
	var res struct {
		ConnectionFunctionTestResult struct {
			ConnectionFunctionOutput string
			ComputeUtilization       string
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("CLI output is not JSON: %v\n%s", err, out)
	}
	if want := `{"decision":"allow","calls":["allow"],"customData":""}`; res.ConnectionFunctionTestResult.ConnectionFunctionOutput != want {
		t.Errorf("CLI output %s, want %s", out, want)
	}
}
