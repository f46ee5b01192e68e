package emulator

import (
	"net"
	"net/http"
	"sync"
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
// MaxConnections returns ln unchanged.
func (s *Server) Listener(ln net.Listener) net.Listener {
	if s.opts.MaxConnections < 0 {
		return ln
	}
	return &limitListener{Listener: ln, sem: make(chan struct{}, s.opts.MaxConnections), done: make(chan struct{})}
}

// limitListener is a net.Listener that holds at most cap(sem) connections.
type limitListener struct {
	net.Listener
	sem       chan struct{}
	closeOnce sync.Once
	done      chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
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
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitConn gives its slot back once, when it is closed.
type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
