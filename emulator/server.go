package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// Server is the CloudFront connection-function API. It is an http.Handler;
// serve it yourself, or use Start or emulatortest.NewServer. It is safe for
// concurrent use.
type Server struct {
	opts    Options
	exec    runtime.Executor
	ownExec bool
	store   *store
	metrics *metrics
	faults  *faultInjector
	limiter *rate.Limiter
	sign    *sigV4Verifier

	reqMu  sync.Mutex
	reqRNG *rand.Rand

	closeOnce sync.Once
	closeErr  error

	panics atomic.Int64
}

// New returns a Server configured by opts. It fails on inconsistent
// options (an unknown ObjectValidation or Base64 mode, fault probabilities
// outside [0, 1], an account id that is not 12 digits) and when the metrics
// cannot be registered.
func New(opts Options) (*Server, error) {
	o := opts.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	s := &Server{
		opts:   o,
		exec:   o.Executor,
		store:  newStore(o.Seed),
		reqRNG: rand.New(rand.NewPCG(uint64(o.Seed), 0x72657169)),
	}
	var err error
	if s.metrics, err = newMetrics(o.Registerer); err != nil {
		return nil, err
	}
	s.faults = newFaultInjector(o.Faults, o.Seed)
	if o.RateLimit.PerSecond > 0 {
		s.limiter = rate.NewLimiter(rate.Limit(o.RateLimit.PerSecond), o.RateLimit.Burst)
	}
	if o.Credentials != nil {
		s.sign = &sigV4Verifier{creds: *o.Credentials, now: o.Clock}
	}
	if s.exec == nil {
		s.exec, s.ownExec = runtime.NewInProcess(runtime.Options{}), true
	}
	return s, nil
}

// validate checks the options after defaults were applied.
func (o Options) validate() error {
	switch o.ObjectValidation {
	case ObjectValidationJSON, ObjectValidationNone:
	default:
		return fmt.Errorf("emulator: Options.ObjectValidation is %q; use %q or %q", o.ObjectValidation, ObjectValidationJSON, ObjectValidationNone)
	}
	switch o.Base64 {
	case Base64Strict, Base64Lenient:
	default:
		return fmt.Errorf("emulator: Options.Base64 is %q; use %q or %q", o.Base64, Base64Strict, Base64Lenient)
	}
	if len(o.AccountID) != 12 || !allDigits(o.AccountID) {
		return fmt.Errorf("emulator: Options.AccountID is %q; an AWS account id is 12 digits", o.AccountID)
	}
	if o.Credentials != nil && (o.Credentials.AccessKeyID == "" || o.Credentials.SecretAccessKey == "") {
		return errors.New("emulator: Options.Credentials needs both AccessKeyID and SecretAccessKey (or leave Credentials nil to accept any request)")
	}
	return o.Faults.validate()
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Close releases the Server's executor if New created it. An Executor
// passed in Options is left to its owner.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		if s.ownExec {
			s.closeErr = s.exec.Close()
		}
	})
	return s.closeErr
}

// Panics returns how many requests panicked in the Server's own code (each
// was answered 500 InternalError and logged at error level). It is zero
// unless the emulator has a bug; tests and soaks check it.
func (s *Server) Panics() int64 { return s.panics.Load() }

// newRequestID returns a UUID-shaped request id from the seeded generator.
func (s *Server) newRequestID() string {
	s.reqMu.Lock()
	a, b := s.reqRNG.Uint64(), s.reqRNG.Uint64()
	s.reqMu.Unlock()
	b = b&^(0xc<<60) | 0x8<<60 // RFC 4122 variant
	a = a&^(0xf<<12) | 0x4<<12 // version 4
	// xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx: a's 64 bits, then b's top 16
	// and low 48 (b's bits 48–63 are the fourth group).
	var id [36]byte
	putHex(id[0:8], a>>32)
	id[8] = '-'
	putHex(id[9:13], a>>16&0xffff)
	id[13] = '-'
	putHex(id[14:18], a&0xffff)
	id[18] = '-'
	putHex(id[19:23], b>>48)
	id[23] = '-'
	putHex(id[24:36], b&0xffffffffffff)
	return string(id[:])
}

// putHex writes v as len(dst) lower-case hex digits, zero-padded.
func putHex(dst []byte, v uint64) {
	const digits = "0123456789abcdef"
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = digits[v&0xf]
		v >>= 4
	}
}

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// ServeHTTP answers one API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := s.newRequestID()
	w.Header().Set("x-amzn-RequestId", reqID)
	rt := route(r.Method, r.URL.EscapedPath())
	sw := &statusWriter{ResponseWriter: w}

	dropped := true // until serve returns; a dropped HTTP/2 stream unwinds through here
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler { //nolint:errorlint // a sentinel panic value
				s.metrics.request(rt.op, 0, time.Since(start))
				panic(p)
			}
			// A bug in the emulator: count it, say so, answer 500.
			s.panics.Add(1)
			s.metrics.panicked()
			s.opts.Logger.Error("emulator panic (a bug: please report it)", "operation", rt.op, "request_id", reqID, "panic", truncate(fmt.Sprint(p), 256), "stack", truncate(string(debug.Stack()), 4096))
			if sw.status == 0 {
				writeError(sw, apiErr(http.StatusInternalServerError, "InternalError", msgInternal), reqID)
			}
			dropped = false
		}
		status := sw.status
		if dropped {
			status = 0
		}
		elapsed := time.Since(start)
		s.metrics.request(rt.op, status, elapsed)
		if s.opts.Logger.Enabled(r.Context(), slog.LevelDebug) {
			s.opts.Logger.Debug("request", "operation", rt.op, "status", status, "duration", elapsed, "request_id", reqID)
		}
	}()
	dropped = s.serve(sw, w, r, rt, reqID)
}

// serve runs the request through the checks and the operation; it reports
// whether the connection was dropped by fault injection.
func (s *Server) serve(sw *statusWriter, raw http.ResponseWriter, r *http.Request, rt routed, reqID string) (dropped bool) {
	body, apiErr := s.readBody(r)
	if apiErr == nil && s.sign != nil {
		apiErr = s.sign.verify(r, body)
	}
	if apiErr == nil {
		var drop bool
		if drop, apiErr = s.admit(r.Context(), rt.op); drop {
			dropConnection(raw)
			return true
		}
	}
	if apiErr == nil {
		apiErr = rt.err
	}
	if apiErr == nil {
		apiErr = rt.handler(s, sw, r, rt.id, body)
	}
	if apiErr != nil {
		writeError(sw, apiErr, reqID)
	}
	return false
}

// admit applies the rate limit and the injected faults to one request of
// operation op, for the HTTP server and TestFunction alike: it waits out an
// injected latency, and returns whether to drop the connection or the error
// to answer with.
func (s *Server) admit(ctx context.Context, op string) (drop bool, e *APIError) {
	if s.limiter != nil && !s.limiter.Allow() {
		s.metrics.rateLimited()
		return false, errThrottling()
	}
	f := s.faults.pick(op)
	if f.delay > 0 {
		s.metrics.fault(faultLatency)
		wait(ctx, f.delay)
	}
	switch f.kind {
	case faultDrop:
		s.metrics.fault(f.kind)
		return true, nil
	case faultThrottling, faultInternal, faultUnavailable:
		s.metrics.fault(f.kind)
		return false, f.err
	}
	return false, nil
}

// wait sleeps for d or until ctx is done.
func wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// dropConnection closes the client connection without answering.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// HTTP/2 or a recorder: abort the handler, which resets the stream.
	panic(http.ErrAbortHandler)
}

// readBody reads the request body up to MaxBodyBytes.
func (s *Server) readBody(r *http.Request) ([]byte, *APIError) {
	limit := s.opts.MaxBodyBytes
	tooBig := func() *APIError {
		return apiErr(http.StatusRequestEntityTooLarge, "EntitySizeLimitExceeded", "The request body exceeds %d bytes.", limit)
	}
	if r.ContentLength > limit {
		return nil, tooBig()
	}
	// The buffer grows with what arrives: a client announcing a large
	// Content-Length and sending nothing costs at most initialBodyBuffer.
	size := initialBodyBuffer
	if r.ContentLength >= 0 && r.ContentLength < initialBodyBuffer {
		size = int(r.ContentLength) + 1 // one more byte sees a longer body
	}
	body, err := readAllSized(io.LimitReader(r.Body, limit+1), size)
	if err != nil {
		return nil, errMalformed("reading the request body: " + err.Error())
	}
	if int64(len(body)) > limit {
		return nil, tooBig()
	}
	return body, nil
}

// initialBodyBuffer is the most readBody allocates before any body bytes
// arrive, whatever Content-Length announces.
const initialBodyBuffer = 16 << 10

// readAllSized is io.ReadAll starting with a buffer of capacity size.
func readAllSized(r io.Reader, size int) ([]byte, error) {
	b := make([]byte, 0, size)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if errors.Is(err, io.EOF) {
				return b, nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow as io.ReadAll does
		}
	}
}
