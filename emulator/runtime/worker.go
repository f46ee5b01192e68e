package runtime

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"golang.org/x/sys/unix"
)

// Environment variables of a worker subprocess.
const (
	// workerEnv marks a process as a runtime worker; its value is the
	// worker's configuration as JSON (workerConfig).
	workerEnv = "CFFUZZ_RUNTIME_WORKER"
)

// Exit codes of a worker that ends itself.
const (
	// exitMemory means the worker's memory watchdog saw the heap exceed
	// the memory limit.
	exitMemory = 3
	// exitProtocol means the worker could not read its configuration or a
	// request.
	exitProtocol = 70
)

// workerConfig is what the parent passes to a worker.
type workerConfig struct {
	Options          Options `json:"options"`
	MemoryLimitBytes int64   `json:"memoryLimitBytes"`
}

// workerRequest and workerResponse are the messages of one gob stream each
// on the worker's stdin and stdout (gob sends each type's description
// once, then raw bytes). Code and KVS travel only the first time the
// worker sees their hash: the parent remembers what it has sent to each
// worker, and a worker keeps what it received until Reset.
type workerRequest struct {
	ID uint64
	// Reset tells the worker to forget every code and store it holds
	// before reading this request's.
	Reset bool
	// CodeHash is the SHA-256 of the code; Code is the code itself, sent
	// only if the worker has not seen CodeHash (HasCode says it is sent).
	CodeHash [sha256.Size]byte
	HasCode  bool
	Code     []byte
	// KVSHash is KVS.contentHash when the request has a store (HasKVS);
	// KVS is the store, sent only if the worker has not seen KVSHash.
	HasKVS  bool
	KVSHash [sha256.Size]byte
	KVS     *kvsWire
	Object  []byte
	Seed    int64
	Now     time.Time
	// Feedback is Request.Feedback (the Result carries the feedback back).
	Feedback bool
}

// kvsWire is a KVS as sent to a worker.
type kvsWire struct {
	Keys, Values     []string
	Created, Updated time.Time
}

func kvsToWire(k *KVS) *kvsWire {
	w := &kvsWire{Keys: k.Keys(), Created: k.created, Updated: k.updated}
	w.Values = make([]string, len(w.Keys))
	for i, key := range w.Keys {
		w.Values[i] = k.data[key]
	}
	return w
}

func (w *kvsWire) kvs() *KVS {
	data := make(map[string]string, len(w.Keys))
	for i, key := range w.Keys {
		if i < len(w.Values) {
			data[key] = w.Values[i]
		} else {
			data[key] = ""
		}
	}
	return &KVS{data: data, created: w.Created, updated: w.Updated}
}

type workerResponse struct {
	ID  uint64
	Res Result
	Err string
}

// Bounds of what a worker keeps: when the parent has sent a worker more
// distinct codes or stores than this, it resets the worker's cache.
const (
	maxWorkerCodes = 256
	maxWorkerKVS   = 16
)

// workerCache is what a worker has received: codes and stores by hash.
type workerCache struct {
	code map[[sha256.Size]byte][]byte
	kvs  map[[sha256.Size]byte]*KVS
}

func newWorkerCache() *workerCache {
	return &workerCache{code: map[[sha256.Size]byte][]byte{}, kvs: map[[sha256.Size]byte]*KVS{}}
}

// request turns a message into a Request, storing what it carries.
func (c *workerCache) request(m *workerRequest) (Request, error) {
	if m.Reset {
		clear(c.code)
		clear(c.kvs)
	}
	if m.HasCode {
		c.code[m.CodeHash] = m.Code
	}
	code, ok := c.code[m.CodeHash]
	if !ok {
		return Request{}, fmt.Errorf("protocol error: request %d names code %x the worker has not received", m.ID, m.CodeHash[:6])
	}
	req := Request{Code: code, Object: m.Object, Seed: m.Seed, Now: m.Now, Feedback: m.Feedback}
	if m.HasKVS {
		if m.KVS != nil {
			c.kvs[m.KVSHash] = m.KVS.kvs()
		}
		if req.KVS, ok = c.kvs[m.KVSHash]; !ok {
			return Request{}, fmt.Errorf("protocol error: request %d names a KeyValueStore %x the worker has not received", m.ID, m.KVSHash[:6])
		}
	}
	return req, nil
}

// ServeWorkerIfRequested turns the process into a process-pool worker when
// it was started as one by NewProcessPool: it serves requests on stdin and
// stdout and exits without returning. Otherwise it returns at once. Call
// it first thing in main() and in TestMain of any package whose tests use
// NewProcessPool with the default Command.
func ServeWorkerIfRequested() {
	cfg, ok := os.LookupEnv(workerEnv)
	if !ok {
		return
	}
	os.Exit(serveWorker(cfg, os.Stdin, os.Stdout))
}

// serveWorker runs the worker loop and returns the process exit code.
func serveWorker(cfgJSON string, in io.Reader, out io.Writer) int {
	var cfg workerConfig
	if err := json.Unmarshal([]byte(cfgJSON), &cfg); err != nil {
		fmt.Fprintf(os.Stderr, "runtime worker: bad %s: %v\n", workerEnv, err)
		return exitProtocol
	}
	// CloudFront runs functions in UTC; local-time Date methods follow.
	time.Local = time.UTC
	if cfg.MemoryLimitBytes > 0 {
		limitMemory(cfg.MemoryLimitBytes)
	}
	tuneGC()
	exec := NewInProcess(cfg.Options)
	dec := gob.NewDecoder(bufio.NewReader(in))
	w := bufio.NewWriter(out)
	enc := gob.NewEncoder(w)
	// The hello message (ID 0) tells the parent this program is a worker.
	if enc.Encode(workerResponse{ID: 0}) != nil || w.Flush() != nil {
		return exitProtocol
	}
	cache := newWorkerCache()
	for {
		var msg workerRequest
		if err := dec.Decode(&msg); err != nil {
			if err == io.EOF {
				return 0
			}
			fmt.Fprintf(os.Stderr, "runtime worker: reading a request: %v\n", err)
			return exitProtocol
		}
		resp := workerResponse{ID: msg.ID}
		req, err := cache.request(&msg)
		if err == nil {
			resp.Res, err = exec.Execute(context.Background(), req)
		}
		if err != nil {
			resp.Err = err.Error()
		}
		if err := enc.Encode(resp); err != nil {
			return exitProtocol
		}
		if err := w.Flush(); err != nil {
			return exitProtocol
		}
	}
}

// WorkerGCPercent is the garbage collector's target in a worker process
// unless GOGC is set. A worker's live heap is a few megabytes (one goja
// runtime at a time), so collecting at 5× the live heap instead of 2×
// costs little memory and spends less CPU on GC. It also changes what a
// run measures: GC assist work is charged to the thread that allocates,
// i.e. to the function's CPU time, and at Go's default 100 a collection
// lands in most runs of an allocating function (about 40 % of the
// measured CPU time of testdata/bench's c04 on a 2,000-character DN).
// njs, which CloudFront runs, frees a request's memory at its end and does
// not collect during it, so less GC in the measurement is the closer model
// (docs/runtime.md, "Noise and confirmation").
const WorkerGCPercent = 400

// tuneGC sets WorkerGCPercent unless the user set GOGC.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(WorkerGCPercent)
	}
}

// limitMemory bounds the worker's memory three ways: a soft Go memory
// limit (the GC works harder near it), a watchdog that exits with
// exitMemory when the heap passes 3/4 of it, and an address-space rlimit a little
// above it so that a single huge allocation fails at once (the Go runtime
// then dies with "out of memory").
func limitMemory(limit int64) {
	debug.SetMemoryLimit(limit)
	if vm := virtualSize(); vm > 0 {
		as := uint64(vm + 2*limit)
		_ = unix.Setrlimit(unix.RLIMIT_AS, &unix.Rlimit{Cur: as, Max: as})
	}
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for range time.Tick(2 * time.Millisecond) {
			metrics.Read(sample)
			// Below the soft limit, so the GC does not thrash first.
			if int64(sample[0].Value.Uint64()) > limit/4*3 {
				fmt.Fprintf(os.Stderr, "runtime worker: heap exceeded %d bytes\n", limit)
				os.Exit(exitMemory)
			}
		}
	}()
}

// virtualSize is the process's current virtual memory size in bytes, from
// /proc/self/statm, or 0 if unknown.
func virtualSize() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var pages int64
	if _, err := fmt.Sscan(string(b), &pages); err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}
