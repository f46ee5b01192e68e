package runtime

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ProcessOptions configures NewProcessPool. The zero value is useful.
type ProcessOptions struct {
	// Workers is the number of worker subprocesses (default GOMAXPROCS).
	Workers int
	// Command is the worker command line; the program must call
	// ServeWorkerIfRequested first thing in main (default: this
	// executable, os.Executable(), with no arguments).
	Command []string
	// MemoryLimitBytes bounds each worker's memory (default 256 MiB). A
	// worker that exceeds it dies, and the execution it was running
	// reports a MemoryError.
	MemoryLimitBytes int64
	// HardTimeout is the wall-clock time after which a worker that has
	// not answered is killed and the execution reports a TimeoutError
	// (default 1 s, and at least 5 × Options.TimeLimit). It catches what
	// the in-worker time limit cannot interrupt: native built-ins.
	HardTimeout time.Duration
	// PipelineDepth is how many executions each worker may have in
	// flight: queued in its pipe while it runs the first (default
	// DefaultPipelineDepth; 1 means one round trip per execution).
	PipelineDepth int
	// Options are the runtime options every worker uses.
	Options Options
}

// DefaultWorkerMemoryLimit is ProcessOptions.MemoryLimitBytes's default.
const DefaultWorkerMemoryLimit = 256 << 20

func (o ProcessOptions) withDefaults() (ProcessOptions, error) {
	if o.Workers <= 0 {
		o.Workers = goruntime.GOMAXPROCS(0)
	}
	if len(o.Command) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return o, fmt.Errorf("runtime: finding this executable to start workers (set ProcessOptions.Command): %w", err)
		}
		o.Command = []string{exe}
	}
	if o.PipelineDepth <= 0 {
		o.PipelineDepth = DefaultPipelineDepth
	}
	if o.MemoryLimitBytes <= 0 {
		o.MemoryLimitBytes = DefaultWorkerMemoryLimit
	}
	o.Options = o.Options.withDefaults()
	if o.HardTimeout <= 0 {
		o.HardTimeout = time.Second
	}
	if min := 5 * o.Options.TimeLimit; o.HardTimeout < min {
		o.HardTimeout = min
	}
	return o, nil
}

// processPool runs executions in worker subprocesses. Executions are
// pipelined: each worker has up to PipelineDepth requests in flight, sent
// without waiting for the previous answers and flushed to its pipe in
// batches, so that a case costs no pipe round trip and no worker sits idle
// while the parent encodes or decodes. A worker answers in order; the
// first unanswered request is the one it is running, which is what a
// death or a hard timeout is blamed on. The other requests in flight on a
// worker that dies are run again on another.
type processPool struct {
	opts  ProcessOptions
	cfg   string // workerConfig as JSON
	slots []*slot
	// sem bounds the executions in flight: Workers × PipelineDepth.
	sem    chan struct{}
	nextID atomic.Uint64

	mu     sync.Mutex
	all    map[*worker]bool
	closed bool

	watchStop chan struct{}
	watchDone chan struct{}
}

// slot holds one worker, started on first use and replaced when it dies.
type slot struct {
	mu   sync.Mutex // serializes starting a worker
	w    atomic.Pointer[worker]
	load atomic.Int32 // requests in flight on this slot
}

// call is one request in flight on a worker.
type call struct {
	id   uint64
	msg  *workerRequest
	done chan callResult // buffered: the answer is never waited for in vain
}

// callResult is how a call ended. retry means the worker died running
// another request: this one never ran and may run elsewhere.
type callResult struct {
	res   Result
	err   error
	retry bool
}

// DefaultPipelineDepth is ProcessOptions.PipelineDepth's default.
const DefaultPipelineDepth = 4

// maxCallRetries bounds how often one execution is moved to another
// worker because the worker it was queued on died.
const maxCallRetries = 3

// NewProcessPool returns an Executor that runs every execution in a worker
// subprocess with a memory limit and a hard wall-clock deadline, so that no
// function can crash, hang or exhaust the calling process. Workers are the
// same program re-executed (see ServeWorkerIfRequested) and are started on
// first use; it fails only if the configuration is unusable.
func NewProcessPool(opts ProcessOptions) (Executor, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	// The parent measures the host once; every worker uses its factor, so
	// that utilizations agree across workers (hostspeed.go).
	opts.Options.SpeedFactor = SpeedFactor(opts.Options)
	cfg, err := json.Marshal(workerConfig{Options: opts.Options, MemoryLimitBytes: opts.MemoryLimitBytes})
	if err != nil {
		return nil, fmt.Errorf("runtime: encoding worker options: %w", err)
	}
	p := &processPool{
		opts: opts, cfg: string(cfg), sem: make(chan struct{}, opts.Workers*opts.PipelineDepth), all: map[*worker]bool{},
		watchStop: make(chan struct{}), watchDone: make(chan struct{}),
	}
	for i := 0; i < opts.Workers; i++ {
		p.slots = append(p.slots, &slot{})
	}
	go p.watch()
	return p, nil
}

// worker is one subprocess.
type worker struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    *gob.Decoder // responses
	stderr *tailBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // cmd.Wait's result, valid after done

	// wmu guards the request stream (in, enc) and what was sent on it.
	wmu sync.Mutex
	in  *bufio.Writer // over stdin
	enc *gob.Encoder  // requests, into in
	// sentCode and sentKVS are the hashes of the codes and stores written
	// to this worker (see workerRequest).
	sentCode map[[sha256.Size]byte]bool
	sentKVS  map[[sha256.Size]byte]bool
	// kick asks the flusher to flush the request stream.
	kick chan struct{}

	// qmu guards the calls in flight, oldest first, and since when the
	// oldest has been running; dead is set once the worker is finished.
	qmu       sync.Mutex
	pending   []*call
	headSince time.Time
	dead      bool
	// timedOut is set when the watchdog killed the worker for its oldest call.
	timedOut bool
}

// message builds the request message for req, carrying the code and the
// store only if w has not received them yet, and records that it has. w.wmu
// is held: the stream delivers messages in order, so a later message may
// rely on what an earlier one carried.
func (w *worker) message(id uint64, req Request) *workerRequest {
	m := &workerRequest{ID: id, CodeHash: sha256.Sum256(req.Code), Object: req.Object, Seed: req.Seed, Now: req.Now, Feedback: req.Feedback}
	if req.KVS != nil {
		m.HasKVS, m.KVSHash = true, req.KVS.contentHash()
	}
	if len(w.sentCode) >= maxWorkerCodes && !w.sentCode[m.CodeHash] || len(w.sentKVS) >= maxWorkerKVS && m.HasKVS && !w.sentKVS[m.KVSHash] {
		m.Reset = true
		clear(w.sentCode)
		clear(w.sentKVS)
	}
	if !w.sentCode[m.CodeHash] {
		m.HasCode, m.Code = true, req.Code
		w.sentCode[m.CodeHash] = true
	}
	if m.HasKVS && !w.sentKVS[m.KVSHash] {
		m.KVS = kvsToWire(req.KVS)
		w.sentKVS[m.KVSHash] = true
	}
	return m
}

// Execute queues req on the least-loaded worker and waits for its Result.
func (p *processPool) Execute(ctx context.Context, req Request) (Result, error) {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	defer func() { <-p.sem }()
	for attempt := 0; ; attempt++ {
		if p.isClosed() {
			return Result{}, ErrClosed
		}
		s := p.pick()
		s.load.Add(1)
		r, err := p.send(ctx, s, req)
		s.load.Add(-1)
		if err != nil {
			return Result{}, err
		}
		if r.retry && attempt < maxCallRetries {
			continue
		}
		if r.retry {
			return Result{}, errors.New("runtime: the workers this execution was queued on kept dying")
		}
		return r.res, r.err
	}
}

// pick returns the slot with the fewest requests in flight.
func (p *processPool) pick() *slot {
	best := p.slots[0]
	for _, s := range p.slots[1:] {
		if s.load.Load() < best.load.Load() {
			best = s
		}
	}
	return best
}

// send writes req to s's worker (starting one if needed) and waits for the
// answer or ctx. An abandoned call's answer is dropped when it comes.
func (p *processPool) send(ctx context.Context, s *slot, req Request) (callResult, error) {
	w, err := s.worker(p)
	if err != nil {
		return callResult{}, err
	}
	c := &call{id: p.nextID.Add(1), done: make(chan callResult, 1)}
	w.wmu.Lock()
	c.msg = w.message(c.id, req)
	w.qmu.Lock()
	if w.dead {
		w.qmu.Unlock()
		w.wmu.Unlock()
		return callResult{retry: true}, nil
	}
	if len(w.pending) == 0 {
		w.headSince = time.Now()
	}
	w.pending = append(w.pending, c)
	w.qmu.Unlock()
	err = w.enc.Encode(c.msg)
	w.wmu.Unlock()
	if err != nil {
		w.kill() // the reader fails every call in flight
	} else {
		select {
		case w.kick <- struct{}{}:
		default: // a flush is already due
		}
	}
	select {
	case r := <-c.done:
		return r, nil
	case <-ctx.Done():
		return callResult{}, ctx.Err()
	}
}

// worker returns s's live worker, starting one if there is none.
func (s *slot) worker(p *processPool) (*worker, error) {
	if w := s.w.Load(); w != nil && !w.isDead() {
		return w, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.w.Load(); w != nil && !w.isDead() {
		return w, nil
	}
	w, err := p.start()
	if err != nil {
		return nil, err
	}
	s.w.Store(w)
	return w, nil
}

// flush writes the queued requests to the worker whenever kicked, so that
// requests queued together go in one write.
func (w *worker) flush() {
	for {
		select {
		case <-w.kick:
		case <-w.done:
			return
		}
		w.wmu.Lock()
		err := w.in.Flush()
		w.wmu.Unlock()
		if err != nil {
			w.kill()
			return
		}
	}
}

// read delivers the worker's answers to their calls, in order, until the
// stream ends; then it fails the calls still in flight: the oldest with
// what killed the worker, the others for a retry elsewhere.
func (p *processPool) read(w *worker) {
	for {
		var resp workerResponse
		if err := w.out.Decode(&resp); err != nil {
			p.fail(w, err)
			return
		}
		w.qmu.Lock()
		if len(w.pending) == 0 || w.pending[0].id != resp.ID {
			w.qmu.Unlock()
			w.kill()
			p.fail(w, fmt.Errorf("protocol error: answer %d out of order", resp.ID))
			return
		}
		c := w.pending[0]
		w.pending[0] = nil
		w.pending = w.pending[1:]
		w.headSince = time.Now()
		w.qmu.Unlock()
		if resp.Err != "" {
			c.done <- callResult{err: fmt.Errorf("runtime worker: %s", resp.Err)}
		} else {
			c.done <- callResult{res: resp.Res}
		}
	}
}

// fail ends w after its stream broke (ioErr) and answers its calls.
func (p *processPool) fail(w *worker, ioErr error) {
	w.qmu.Lock()
	w.dead = true // no new call queues here
	w.qmu.Unlock()
	w.kill()
	<-w.wait(time.Second)
	w.qmu.Lock()
	calls := w.pending
	w.pending = nil
	timedOut := w.timedOut
	w.qmu.Unlock()
	p.forget(w)
	for i, c := range calls {
		switch {
		case i > 0:
			c.done <- callResult{retry: true}
		case timedOut:
			c.done <- callResult{res: limitResult(ErrorTimeout, fmt.Sprintf("the function ran longer than the %v hard deadline and its worker was killed", p.opts.HardTimeout), p.opts.Options, p.opts.HardTimeout)}
		case p.isClosed():
			c.done <- callResult{err: ErrClosed}
		default:
			res, err, _ := p.deathResult(w, ioErr)
			c.done <- callResult{res: res, err: err}
		}
	}
}

// watch kills a worker whose oldest call has run past the hard deadline.
func (p *processPool) watch() {
	defer close(p.watchDone)
	tick := time.NewTicker(max(p.opts.HardTimeout/20, 5*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-p.watchStop:
			return
		case now := <-tick.C:
			for _, s := range p.slots {
				w := s.w.Load()
				if w == nil {
					continue
				}
				w.qmu.Lock()
				late := !w.dead && !w.timedOut && len(w.pending) > 0 && now.Sub(w.headSince) > p.opts.HardTimeout
				if late {
					w.timedOut = true
				}
				w.qmu.Unlock()
				if late {
					w.kill()
				}
			}
		}
	}
}

func (w *worker) isDead() bool {
	w.qmu.Lock()
	defer w.qmu.Unlock()
	return w.dead
}

// deathResult explains a worker that died while running a request: a
// MemoryError if it ran out of memory (the function's fault), an Executor
// error otherwise.
func (p *processPool) deathResult(w *worker, ioErr error) (Result, error, bool) {
	stderr := w.stderr.String()
	var ee *exec.ExitError
	exitedMemory := errors.As(w.err, &ee) && ee.ExitCode() == exitMemory
	if exitedMemory || outOfMemory(stderr) {
		return limitResult(ErrorMemory, fmt.Sprintf("the function exceeded the worker's %d-byte memory limit and its worker died", p.opts.MemoryLimitBytes), p.opts.Options, 0), nil, false
	}
	return Result{}, fmt.Errorf("runtime: worker died (%v, %v); stderr: %s ... %s", ioErr, w.err, lastLines(stderr, 3), lastLines(w.stderr.Tail(), 3)), false
}

// memoryMarkers are what a Go program prints when an allocation fails,
// with and without the race detector.
var memoryMarkers = []string{"out of memory", "cannot allocate memory", "address space collisions", "failed to allocate"}

func outOfMemory(stderr string) bool {
	for _, m := range memoryMarkers {
		if strings.Contains(stderr, m) {
			return true
		}
	}
	return false
}

// limitResult is the Result of an execution ended by a limit outside the
// runtime's own control.
func limitResult(name, msg string, opts Options, cpu time.Duration) Result {
	res := Result{Decision: DecisionNone, ErrorName: name, Error: opts.Formats.FormatError(name, msg, 0, 0), CPUTime: cpu, OutputFormat: opts.Formats.Output}
	res.Utilization = opts.utilizationOf(cpu, name == ErrorTimeout)
	return res
}

// start launches a worker.
func (p *processPool) start() (*worker, error) {
	cmd := exec.Command(p.opts.Command[0], p.opts.Command[1:]...)
	cmd.Env = append(os.Environ(), workerEnv+"="+p.cfg)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("runtime: starting a worker: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("runtime: starting a worker: %w", err)
	}
	w := &worker{cmd: cmd, stdin: stdin, out: gob.NewDecoder(bufio.NewReader(stdout)), stderr: &tailBuffer{max: 2048}, done: make(chan struct{}),
		sentCode: map[[sha256.Size]byte]bool{}, sentKVS: map[[sha256.Size]byte]bool{}, kick: make(chan struct{}, 1)}
	w.in = bufio.NewWriterSize(stdin, 64<<10)
	w.enc = gob.NewEncoder(w.in)
	cmd.Stderr = w.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("runtime: starting worker %q (does the program call runtime.ServeWorkerIfRequested?): %w", p.opts.Command[0], err)
	}
	go func() {
		w.err = cmd.Wait()
		close(w.done)
	}()
	if err := w.hello(workerStartTimeout); err != nil {
		w.kill()
		<-w.done
		return nil, fmt.Errorf("runtime: worker %q did not start (does the program call runtime.ServeWorkerIfRequested first thing in main and TestMain?): %v; stderr: %s", p.opts.Command[0], err, lastLines(w.stderr.String(), 3))
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		w.kill()
		return nil, ErrClosed
	}
	p.all[w] = true
	p.mu.Unlock()
	go w.flush()
	go p.read(w)
	return w, nil
}

// forget drops a finished worker.
func (p *processPool) forget(w *worker) {
	p.mu.Lock()
	delete(p.all, w)
	p.mu.Unlock()
}

// workerStartTimeout bounds how long a new worker may take to say hello.
const workerStartTimeout = 10 * time.Second

// hello waits for the worker's first message, which a real worker sends
// at once.
func (w *worker) hello(timeout time.Duration) error {
	got := make(chan error, 1)
	go func() {
		var resp workerResponse
		err := w.out.Decode(&resp)
		if err == nil && resp.ID != 0 {
			err = fmt.Errorf("unexpected first message %d", resp.ID)
		}
		got <- err
	}()
	select {
	case err := <-got:
		return err
	case <-time.After(timeout):
		return fmt.Errorf("no answer within %v", timeout)
	}
}

func (w *worker) kill() {
	if w.cmd.Process != nil {
		_ = w.cmd.Process.Kill()
	}
}

func (w *worker) exited() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// wait returns a channel that is closed when w has exited or d has passed.
func (w *worker) wait(d time.Duration) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		select {
		case <-w.done:
		case <-time.After(d):
		}
		close(ch)
	}()
	return ch
}

func (p *processPool) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// Close stops all workers. Executions in flight end with errors.
func (p *processPool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	close(p.watchStop)
	workers := make([]*worker, 0, len(p.all))
	for w := range p.all {
		workers = append(workers, w)
	}
	p.mu.Unlock()
	for _, w := range workers {
		_ = w.stdin.Close() // a worker exits on EOF
		select {
		case <-w.done:
		case <-time.After(time.Second):
			w.kill()
			<-w.done
		}
	}
	<-p.watchDone
	return nil
}

// tailBuffer keeps the first and the last max bytes written to it: a Go
// fatal error names its cause first and dumps goroutines after.
type tailBuffer struct {
	mu         sync.Mutex
	head, tail []byte
	max        int
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n := min(t.max-len(t.head), len(b)); n > 0 {
		t.head = append(t.head, b[:n]...)
	}
	t.tail = append(t.tail, b...)
	if len(t.tail) > t.max {
		t.tail = t.tail[len(t.tail)-t.max:]
	}
	return len(b), nil
}

// String returns the head; Tail the tail.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.head)
}

func (t *tailBuffer) Tail() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.tail)
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := bytes.Split(bytes.TrimSpace([]byte(s)), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte(" | ")))
}
