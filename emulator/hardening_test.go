package emulator_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
	emruntime "github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/testsupport"
)

// gather returns reg's metric families by name.
func gather(t *testing.T, reg *prometheus.Registry) map[string]*dto.MetricFamily {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*dto.MetricFamily{}
	for _, mf := range mfs {
		out[mf.GetName()] = mf
	}
	return out
}

// closedWithin reports whether the server closes conn (a read returns EOF
// or a reset, after any answer it sends) within d.
func closedWithin(conn net.Conn, d time.Duration) bool {
	_ = conn.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// TestServerTimeouts checks that connections which stop sending are closed:
// a request whose headers never end, a body that never comes, and a
// keep-alive connection that sends no next request.
func TestServerTimeouts(t *testing.T) {
	const limit = 200 * time.Millisecond
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 3, ReadHeaderTimeout: limit, ReadTimeout: 2 * limit, IdleTimeout: limit})
	for _, tc := range []struct {
		name   string
		send   string
		reason string
	}{
		{"partial headers", "POST /2020-05-31/connection-function HTTP/1.1\r\nHost: x\r\nContent-", "slowloris: the headers never end"},
		{"slow body", "POST /2020-05-31/connection-function HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n<Create", "the announced body never arrives"},
		{"idle keep-alive", "GET /2020-05-31/connection-function/x/describe HTTP/1.1\r\nHost: x\r\n\r\n", "one request answered, then nothing"},
		{"nothing", "", "a connection that never sends a byte"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", srv.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tc.send); err != nil {
				t.Fatal(err)
			}
			// Far beyond the timeouts, yet bounded: before the fix the
			// server held such connections forever.
			if !closedWithin(conn, 20*time.Second) {
				t.Fatalf("%s (%s): the connection is still open after 20 s", tc.name, tc.reason)
			}
		})
	}
}

// TestAnnouncedLengthNotAllocated opens many connections that announce a
// body just under the limit and send one byte of it: the server must not
// allocate the announced size up front.
func TestAnnouncedLengthNotAllocated(t *testing.T) {
	const conns = 300
	const announced = emulator.DefaultMaxBodyBytes - 1
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 4, Executor: &fakeExecutor{}})
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	base := runtime.NumGoroutine()
	var open []net.Conn
	defer func() {
		for _, c := range open {
			_ = c.Close()
		}
	}()
	for range conns {
		c, err := net.Dial("tcp", srv.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
		fmt.Fprintf(c, "POST /2020-05-31/connection-function HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n<", announced)
	}
	// Wait for the server to hold every connection (a goroutine each),
	// then give the handlers time to reach the body.
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() < base+conns && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	var during runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&during)
	grown := int64(during.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d connections announcing %d bytes: heap grew %.1f MB", conns, announced, float64(grown)/(1<<20))
	// Up front, the announced bodies alone are 300 × 256 KB = 75 MB.
	if grown > 30<<20 {
		t.Fatalf("heap grew %.1f MB for %d stalled bodies: the server allocates at the announced Content-Length", float64(grown)/(1<<20), conns)
	}
}

// blockingExecutor blocks until the request's context ends.
type blockingExecutor struct{ started chan struct{} }

func (b *blockingExecutor) Execute(ctx context.Context, _ emruntime.Request) (emruntime.Result, error) {
	b.started <- struct{}{}
	<-ctx.Done()
	return emruntime.Result{}, ctx.Err()
}

func (b *blockingExecutor) Close() error { return nil }

// lockedBuffer is a concurrency-safe log sink.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestClientAbortIsNotAFailure aborts a test request while the function
// runs: the emulator counts it as client_closed, not as a 500 or an
// executor failure, and logs no warning.
func TestClientAbortIsNotAFailure(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	var logs lockedBuffer
	exec := &blockingExecutor{started: make(chan struct{}, 1)}
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 5, Executor: exec, Registerer: reg,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	info, err := srv.CreateFunction("abort", []byte(allowCode), emulator.FunctionConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL()+"/2020-05-31/connection-function/"+info.ID+"/test", strings.NewReader(testBody(b64(object))))
	req.Header.Set("If-Match", info.ETag)
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	<-exec.started
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the cancelled request got an answer")
	}
	// The handler finishes after the client left; wait for its metric.
	var closed float64
	for deadline := time.Now().Add(10 * time.Second); closed == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
		closed, _ = testsupport.SumSeries(gather(t, reg), "cffuzz_emulator_executions_total", map[string]string{"outcome": "client_closed"})
	}
	mfs := gather(t, reg)
	if closed != 1 {
		t.Fatalf("executions{outcome=client_closed} = %v, want 1", closed)
	}
	if n, _ := testsupport.SumSeries(mfs, "cffuzz_emulator_executions_total", map[string]string{"outcome": "failed"}); n != 0 {
		t.Errorf("executions{outcome=failed} = %v, want 0: an aborted request is no executor failure", n)
	}
	if n, _ := testsupport.SumSeries(mfs, "cffuzz_emulator_requests_total", map[string]string{"code": "500"}); n != 0 {
		t.Errorf("requests{code=500} = %v, want 0", n)
	}
	if n, _ := testsupport.SumSeries(mfs, "cffuzz_emulator_requests_total", map[string]string{"code": fmt.Sprint(emulator.StatusClientClosed)}); n != 1 {
		t.Errorf("requests{code=499} = %v, want 1", n)
	}
	if strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("an aborted request was logged as a warning:\n%s", logs.String())
	}
}

// TestMaxConnections checks the connection cap: with MaxConnections 2 and
// two connections held open, a third is not served until one closes.
func TestMaxConnections(t *testing.T) {
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 6, MaxConnections: 2})
	get := func(c net.Conn) (int, error) {
		if _, err := io.WriteString(c, "GET /2020-05-31/connection-function/x/describe HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			return 0, err
		}
		_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", srv.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
		if code, err := get(c); err != nil || code != 404 {
			t.Fatalf("a connection under the cap: %d, %v", code, err)
		}
	}
	third, err := net.Dial("tcp", srv.Addr().String()) // the backlog accepts it
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if code, err := get(third); err == nil {
		t.Fatalf("a third connection over MaxConnections 2 was served (%d)", code)
	}
	held[0].Close()
	// The request already sent is served once a slot is free.
	_ = third.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(third), nil)
	if err != nil {
		t.Fatalf("the waiting connection was not served after a slot freed: %v", err)
	}
	resp.Body.Close()
}

// TestLateServerRead checks that the server's read deadlines cut off slow
// clients, not a server that was slow to read: a read whose deadline has
// passed still returns the bytes the client sent before it (on a loaded
// machine the server goroutine may run only after its ReadHeaderTimeout,
// and a well-formed request was then dropped with EOF or a reset), and
// fails once nothing is queued.
func TestLateServerRead(t *testing.T) {
	for _, maxConns := range []int{0, -1} {
		t.Run(fmt.Sprint("MaxConnections ", maxConns), func(t *testing.T) {
			srv, err := emulator.New(emulator.Options{Seed: 7, MaxConnections: maxConns})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			inner, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			ln := srv.Listener(inner)
			defer ln.Close()
			client, err := net.Dial("tcp", inner.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			conn, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			const sent = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
			if _, err := io.WriteString(client, sent); err != nil {
				t.Fatal(err)
			}
			time.Sleep(20 * time.Millisecond) // the bytes reach the server's socket
			// The deadline passed before the server got round to reading.
			if err := conn.SetReadDeadline(time.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 4096)
			n, err := conn.Read(buf)
			if err != nil || string(buf[:n]) != sent {
				t.Fatalf("a late read of bytes sent in time: %q, %v; want %q", buf[:n], err, sent)
			}
			// Nothing more is queued: the expired deadline applies.
			if n, err = conn.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("a late read with nothing queued: %d bytes, %v; want the deadline error", n, err)
			}
			// The deadline still applies to later reads, and a new one works.
			if err := conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			if _, err = conn.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("a read with a fresh deadline and no data: %v, want the deadline error", err)
			}
		})
	}
}

// panickingExecutor panics on every execution, as a bug in the server's
// own code would.
type panickingExecutor struct{}

func (panickingExecutor) Execute(context.Context, emruntime.Request) (emruntime.Result, error) {
	panic("a bug")
}

func (panickingExecutor) Close() error { return nil }

// TestPanicIsCounted checks the recover path: a panic in a request is
// answered 500 InternalError, logged at error level and counted, and the
// server goes on serving.
func TestPanicIsCounted(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	var logs lockedBuffer
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 7, Executor: panickingExecutor{}, Registerer: reg,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	info, err := srv.CreateFunction("boom", []byte(allowCode), emulator.FunctionConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		req, _ := http.NewRequest("POST", srv.URL()+"/2020-05-31/connection-function/"+info.ID+"/test", strings.NewReader(testBody(b64(object))))
		req.Header.Set("If-Match", info.ETag)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 500 || errorCode(body) != "InternalError" {
			t.Errorf("request %d: %d %s, want 500 InternalError", i, resp.StatusCode, body)
		}
	}
	if got := srv.Panics(); got != 2 {
		t.Errorf("Panics() = %d, want 2", got)
	}
	if n, _ := testsupport.SumSeries(gather(t, reg), "cffuzz_emulator_panics_total", nil); n != 2 {
		t.Errorf("cffuzz_emulator_panics_total = %v, want 2", n)
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "a bug") {
		t.Errorf("the panic was not logged at error level:\n%s", logs.String())
	}
}
