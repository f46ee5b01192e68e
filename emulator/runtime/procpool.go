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

// processPool runs executions in worker subprocesses, one at a time per
// worker, replacing workers that die or are killed.
type processPool struct {
	opts ProcessOptions
	cfg  string // workerConfig as JSON
	idle chan *worker

	mu     sync.Mutex
	all    map[*worker]bool
	closed bool
	nextID uint64
}

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
	cfg, err := json.Marshal(workerConfig{Options: opts.Options, MemoryLimitBytes: opts.MemoryLimitBytes})
	if err != nil {
		return nil, fmt.Errorf("runtime: encoding worker options: %w", err)
	}
	p := &processPool{opts: opts, cfg: string(cfg), idle: make(chan *worker, opts.Workers), all: map[*worker]bool{}}
	for i := 0; i < opts.Workers; i++ {
		p.idle <- nil // a slot whose worker starts on first use
	}
	return p, nil
}

// worker is one subprocess.
type worker struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	in     *bufio.Writer // over stdin
	enc    *gob.Encoder  // requests, into in
	out    *gob.Decoder  // responses
	stderr *tailBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // cmd.Wait's result, valid after done

	// sentCode and sentKVS are the hashes of the codes and stores this
	// worker has received (see workerRequest). Only the goroutine that
	// holds the worker touches them.
	sentCode map[[sha256.Size]byte]bool
	sentKVS  map[[sha256.Size]byte]bool
}

// message builds the request message for req, carrying the code and the
// store only if w has not received them yet.
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
	}
	if m.HasKVS && !w.sentKVS[m.KVSHash] {
		m.KVS = kvsToWire(req.KVS)
	}
	return m
}

// delivered records that w has received what m carried.
func (w *worker) delivered(m *workerRequest) {
	if m.HasCode {
		w.sentCode[m.CodeHash] = true
	}
	if m.KVS != nil {
		w.sentKVS[m.KVSHash] = true
	}
}

// Execute sends req to an idle worker and waits for its Result.
func (p *processPool) Execute(ctx context.Context, req Request) (Result, error) {
	var w *worker
	select {
	case w = <-p.idle:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	if p.isClosed() {
		p.idle <- w
		return Result{}, ErrClosed
	}
	if w == nil || w.exited() {
		var err error
		if w, err = p.start(); err != nil {
			p.idle <- nil
			return Result{}, err
		}
	}
	res, err, healthy := p.roundTrip(ctx, w, req)
	if !healthy {
		p.stop(w)
		w = nil
	}
	p.idle <- w
	return res, err
}

// roundTrip runs one request on w. healthy is false when w must be
// replaced.
func (p *processPool) roundTrip(ctx context.Context, w *worker, req Request) (res Result, err error, healthy bool) {
	p.mu.Lock()
	p.nextID++
	id := p.nextID
	p.mu.Unlock()
	msg := w.message(id, req)
	type answer struct {
		resp workerResponse
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		err := w.enc.Encode(msg)
		if err == nil {
			err = w.in.Flush()
		}
		if err != nil {
			got <- answer{err: err}
			return
		}
		var resp workerResponse
		err = w.out.Decode(&resp)
		got <- answer{resp, err}
	}()
	timer := time.NewTimer(p.opts.HardTimeout)
	defer timer.Stop()
	select {
	case a := <-got:
		if a.err == nil && a.resp.ID == id {
			w.delivered(msg)
			if a.resp.Err != "" {
				return Result{}, fmt.Errorf("runtime worker: %s", a.resp.Err), true
			}
			return a.resp.Res, nil, true
		}
		<-w.wait(time.Second)
		return p.deathResult(w, a.err)
	case <-timer.C:
		w.kill()
		return limitResult(ErrorTimeout, fmt.Sprintf("the function ran longer than the %v hard deadline and its worker was killed", p.opts.HardTimeout), p.opts.Options, p.opts.HardTimeout), nil, false
	case <-ctx.Done():
		w.kill()
		return Result{}, ctx.Err(), false
	}
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
		sentCode: map[[sha256.Size]byte]bool{}, sentKVS: map[[sha256.Size]byte]bool{}}
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
	p.all[w] = true
	p.mu.Unlock()
	return w, nil
}

// stop kills w and forgets it.
func (p *processPool) stop(w *worker) {
	w.kill()
	<-w.wait(5 * time.Second)
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
