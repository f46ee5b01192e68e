package reports_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/reports"
)

// chromium runs headless Chromium with args on a fresh profile and returns
// its stdout and stderr. It skips the test when Chromium is missing, unless
// CI=true.
func chromium(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	bin := "/usr/bin/chromium"
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("install chromium (see .ci/run)")
		}
		t.Skip("chromium not installed; apt-get install chromium to run this test")
	}
	if testing.Short() {
		t.Skip("starts a browser")
	}
	// The timeout only stops a hung browser; it is not a speed assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

// consoleMessages returns the page's console lines (errors, CSP violations)
// from Chromium's log.
func consoleMessages(log string) []string {
	var msgs []string
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, ":CONSOLE") || strings.Contains(line, "Uncaught") {
			msgs = append(msgs, line)
		}
	}
	return msgs
}

func writeHTML(t *testing.T, findings []cffuzz.Finding, opts reports.Options) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	var buf bytes.Buffer
	if err := reports.WriteHTML(&buf, sampleReport(), findings, opts); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestChromiumRendersReport(t *testing.T) {
	path := writeHTML(t, sampleFindings(), sampleOptions())
	dom, log := chromium(t, "--dump-dom", "file://"+path)
	if msgs := consoleMessages(log); len(msgs) > 0 {
		t.Errorf("console messages while rendering report.html:\n%s", strings.Join(msgs, "\n"))
	}
	for _, c := range []struct {
		reason, want string
		n            int
	}{
		{"one row per finding", `<tr class="finding">`, 3},
		{"three charts", `<svg class="chart"`, 3},
		{"a reproducer per finding", "<summary>Minimized reproducer</summary>", 3},
		{"verdict", `class="verdict FAIL"`, 1},
	} {
		if got := strings.Count(dom, c.want); got != c.n {
			t.Errorf("%s: rendered DOM has %d × %q, want %d", c.reason, got, c.want, c.n)
		}
	}

	screenshot(t, path, "1280,2000", "report-screenshot.png")
}

func TestChromiumHostileInputInert(t *testing.T) {
	path := writeHTML(t, []cffuzz.Finding{hostile()}, sampleOptions())
	dom, log := chromium(t, "--dump-dom", "file://"+path)
	if msgs := consoleMessages(log); len(msgs) > 0 {
		t.Errorf("console messages (an injected script or image?):\n%s", strings.Join(msgs, "\n"))
	}
	if strings.Contains(dom, "<img") || strings.Count(dom, "<script") > 0 {
		t.Errorf("hostile finding created elements in the DOM:\n%s", dom)
	}
	if !strings.Contains(dom, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("hostile text is not shown as text")
	}
}

// TestChromiumRendersSourceView renders the coverage section: the source
// view with its hit counts and never-taken branches marked, the shadow
// execution note, and the source's own markup shown as text.
func TestChromiumRendersSourceView(t *testing.T) {
	opts := coverageOptions()
	opts.Coverage.Shadow = true
	path := writeHTML(t, sampleFindings(), opts)
	dom, log := chromium(t, "--dump-dom", "file://"+path)
	if msgs := consoleMessages(log); len(msgs) > 0 {
		t.Errorf("console messages while rendering the source view:\n%s", strings.Join(msgs, "\n"))
	}
	lines := strings.Count(coverageSource, "\n")
	for _, c := range []struct {
		reason, want string
		n            int
	}{
		{"a row per source line", `class="src `, lines},
		{"the two never-taken branches marked", `class="edge unreached"`, 2},
		{"the reached edges marked", `class="edge reached"`, 12},
		{"a line none of whose edges ran", `<tr id="L12" class="src miss">`, 1},
		{"links to what was never reached", `<a href="#L`, 2},
		{"the shadow execution note", `id="shadow-note"`, 1},
		{"the source's markup as text", "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;", 1},
		{"no element from the source", "<script", 0},
		{"no image from the source", "<img", 0},
	} {
		if got := strings.Count(dom, c.want); got != c.n {
			t.Errorf("%s: rendered DOM has %d × %q, want %d", c.reason, got, c.want, c.n)
		}
	}

	screenshot(t, path, "1100,2300", "coverage-report.png")
}

// screenshot renders the page at path in a window of size, checks that
// Chromium wrote a PNG, and with CFFUZZ_UPDATE_SCREENSHOTS=1 keeps it as
// docs/doc.
func screenshot(t *testing.T, path, size, doc string) {
	t.Helper()
	shot := filepath.Join(t.TempDir(), "shot.png")
	chromium(t, "--screenshot="+shot, "--window-size="+size, "file://"+path)
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatal("screenshot is not a PNG")
	}
	if os.Getenv("CFFUZZ_UPDATE_SCREENSHOTS") == "1" {
		if err := os.WriteFile(filepath.Join("..", "docs", doc), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
