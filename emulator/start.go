package emulator

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
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
	inflight atomic.Int64
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
		done:     make(chan error, 1),
	}
	r.http = s.HTTPServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.inflight.Add(1)
		defer r.inflight.Add(-1)
		s.ServeHTTP(w, req)
	}))
	go func() { r.done <- r.http.Serve(s.Listener(ln)) }()
	return r, nil
}

// URL is the base URL of the API, e.g. "http://127.0.0.1:40123"; pass it as
// the SDK's BaseEndpoint or the CLI's --endpoint-url.
func (r *Running) URL() string { return "http://" + r.listener.Addr().String() }

// Addr is the address the Server listens on.
func (r *Running) Addr() net.Addr { return r.listener.Addr() }

// Close stops listening, waits up to five seconds for the requests in
// flight, closes every connection and closes the Server.
func (r *Running) Close() error {
	r.http.SetKeepAlivesEnabled(false)
	_ = r.listener.Close()
	// http.Server.Shutdown would also wait for connections the client
	// opened but never used (the SDK dials ahead), up to 5 s each.
	for deadline := time.Now().Add(5 * time.Second); r.inflight.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(2 * time.Millisecond)
	}
	err := r.http.Close()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	<-r.done
	return errors.Join(err, r.Server.Close())
}
