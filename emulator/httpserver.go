package emulator

import (
	"errors"
	"net"
	"net/http"
	"os"
	"sync"
	"syscall"
	"time"
)

// HTTPServer returns an http.Server that serves h (the Server itself when h
// is nil) with the Options' timeouts: ReadHeaderTimeout, ReadTimeout (the
// whole request, so a body sent slowly or never is cut off) and
// IdleTimeout. Start uses it; use it, with Listener, to serve the API on a
// listener of your own.
func (s *Server) HTTPServer(h http.Handler) *http.Server {
	if h == nil {
		h = s
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: s.opts.ReadHeaderTimeout,
		ReadTimeout:       s.opts.ReadTimeout,
		IdleTimeout:       s.opts.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}

// maxHeaderBytes caps a request's headers: SigV4 requests need a few KB.
const maxHeaderBytes = 64 << 10

// Listener wraps ln so that it holds at most Options.MaxConnections
// connections at once: Accept waits while the cap is reached. A negative
// MaxConnections means no cap. Either way, a read that misses its
// deadline still returns the bytes the client had already sent (see
// graceConn): the timeouts cut off clients that are slow, never ones whose
// request arrived in time while the server was slow to read it.
func (s *Server) Listener(ln net.Listener) net.Listener {
	if s.opts.MaxConnections < 0 {
		return &limitListener{Listener: ln, done: make(chan struct{})}
	}
	return &limitListener{Listener: ln, sem: make(chan struct{}, s.opts.MaxConnections), done: make(chan struct{})}
}

// limitListener is a net.Listener that holds at most cap(sem) connections
// (any number when sem is nil).
type limitListener struct {
	net.Listener
	sem       chan struct{}
	closeOnce sync.Once
	done      chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	if l.sem == nil {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		return newGraceConn(c), nil // no slot to give back
	}
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{graceConn: newGraceConn(c), release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitConn gives its slot back once, when it is closed.
type limitConn struct {
	*graceConn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// graceConn is a server-side connection whose reads honour their deadline
// only for bytes that had not arrived. net/http's timeouts are deadlines
// on the connection, and Go fails a read whose deadline has passed
// without looking at the socket: on a loaded machine the server goroutine
// may run only after the deadline (ReadHeaderTimeout after the first bytes
// of a request), and then a request that arrived whole and on time was
// dropped without an answer (the client saw EOF, or a reset because the
// unread bytes were still queued). A read that misses its deadline here
// takes, without waiting, whatever the kernel already holds, and fails
// only if that is nothing. A slow client (slowloris) is still cut off: once
// its deadline has passed it gets at most what it had sent by then, and
// the next read with nothing queued ends the connection.
type graceConn struct {
	net.Conn
	raw syscall.RawConn // nil: not a socket; no grace

	mu           sync.Mutex // serializes deadline changes with the grace read
	readDeadline time.Time
}

func newGraceConn(c net.Conn) *graceConn {
	g := &graceConn{Conn: c}
	if sc, ok := c.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			g.raw = raw
		}
	}
	return g
}

func (c *graceConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n == 0 && len(p) > 0 && c.raw != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		if m, ok := c.readQueued(p); ok {
			return m, nil
		}
	}
	return n, err
}

// readQueued reads what the kernel already holds for the connection,
// without waiting; ok is false if there was nothing (or the peer closed).
func (c *graceConn) readQueued(p []byte) (n int, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Go refuses any read, even a raw one, past the deadline: lift it for
	// the one non-blocking read and put it back.
	if c.Conn.SetReadDeadline(time.Time{}) != nil {
		return 0, false
	}
	defer func() { _ = c.Conn.SetReadDeadline(c.readDeadline) }()
	var rerr error
	err := c.raw.Read(func(fd uintptr) bool {
		n, rerr = syscall.Read(int(fd), p)
		return true // never wait for more
	})
	return n, err == nil && rerr == nil && n > 0
}

func (c *graceConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readDeadline = t
	return c.Conn.SetReadDeadline(t)
}

func (c *graceConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readDeadline = t
	return c.Conn.SetDeadline(t)
}
