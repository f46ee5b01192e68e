package runtime

import (
	"bufio"
	"context"
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

// workerRequest and workerResponse are one JSON line each on the worker's
// stdin and stdout.
type workerRequest struct {
	ID  uint64  `json:"id"`
	Req Request `json:"req"`
}

type workerResponse struct {
	ID  uint64 `json:"id"`
	Res Result `json:"res"`
	Err string `json:"err,omitempty"`
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
	exec := NewInProcess(cfg.Options)
	dec := json.NewDecoder(bufio.NewReader(in))
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	// The hello line (ID 0) tells the parent this program is a worker.
	if enc.Encode(workerResponse{ID: 0}) != nil || w.Flush() != nil {
		return exitProtocol
	}
	for {
		var req workerRequest
		if err := dec.Decode(&req); err != nil {
			if err == io.EOF {
				return 0
			}
			fmt.Fprintf(os.Stderr, "runtime worker: reading a request: %v\n", err)
			return exitProtocol
		}
		res, err := exec.Execute(context.Background(), req.Req)
		resp := workerResponse{ID: req.ID, Res: res}
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
