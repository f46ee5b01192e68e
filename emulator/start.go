package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"
)

// DefaultAddr is where Start listens when given no address: a free port on
// the loopback interface.
const DefaultAddr = "127.0.0.1:0"

// Running is a Server listening on a TCP address. Its Server's methods
// (CreateFunction, AddKVS, ...) are available on it directly.
type Running struct {
	*Server
	listener net.Listener
	http     *http.Server
	done     chan error
}

// Start creates a Server with opts and serves it on addr (DefaultAddr if
// empty) until Close.
func Start(opts Options, addr string) (*Running, error) {
	if addr == "" {
		addr = DefaultAddr
	}
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("emulator: listening on %s: %w (pick a free address, or 127.0.0.1:0 for any port)", addr, err)
	}
	r := &Running{
		Server:   s,
		listener: ln,
		http:     &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second},
		done:     make(chan error, 1),
	}
	go func() { r.done <- r.http.Serve(ln) }()
	return r, nil
}

// URL is the base URL of the API, e.g. "http://127.0.0.1:40123"; pass it as
// the SDK's BaseEndpoint or the CLI's --endpoint-url.
func (r *Running) URL() string { return "http://" + r.listener.Addr().String() }

// Addr is the address the Server listens on.
func (r *Running) Addr() net.Addr { return r.listener.Addr() }

// Close stops listening, waits up to five seconds for requests in flight,
// and closes the Server.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := r.http.Shutdown(ctx)
	if serveErr := <-r.done; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	return errors.Join(err, r.Server.Close())
}

// NewTestServer starts a Server on a loopback port for a test and closes it
// when the test ends. It fails the test if the Server cannot start.
func NewTestServer(tb testing.TB, opts Options) *Running {
	tb.Helper()
	r, err := Start(opts, DefaultAddr)
	if err != nil {
		tb.Fatalf("emulator.NewTestServer: %v", err)
	}
	tb.Cleanup(func() {
		if err := r.Close(); err != nil {
			tb.Errorf("emulator: closing the test server: %v", err)
		}
	})
	return r
}
