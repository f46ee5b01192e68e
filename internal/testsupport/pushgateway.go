// Package testsupport holds helpers that several packages' tests share.
// It is imported only from _test files.
package testsupport

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// PushgatewayBinary is the Debian package's Pushgateway command.
const PushgatewayBinary = "prometheus-pushgateway"

// StartPushgateway runs a Prometheus Pushgateway on a free loopback port,
// without persistence, until the test ends, and returns its URL. Without
// the binary the test is skipped, unless the environment variable CI is
// "true": CI installs it (.ci/run), so its absence there is a failure.
func StartPushgateway(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath(PushgatewayBinary)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("install prometheus-pushgateway (see .ci/run)")
		}
		t.Skip("prometheus-pushgateway not installed; apt-get install prometheus-pushgateway to run this test")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--web.listen-address="+addr, "--persistence.file=", "--log.level=error")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	url := "http://" + addr
	for i := 0; ; i++ { // ready within ~10 s
		resp, err := http.Get(url + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		if i == 200 {
			t.Fatalf("pushgateway on %s never became ready: %v\n%s", addr, err, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
