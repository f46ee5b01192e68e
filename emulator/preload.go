package emulator

import (
	"fmt"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// FunctionInfo describes a stored connection function.
type FunctionInfo struct {
	ID   string
	Name string
	ARN  string
	// ETag is the DEVELOPMENT stage's ETag; LiveETag the LIVE stage's, or
	// "" if the function was never published.
	ETag     string
	LiveETag string
	// Status is the DEVELOPMENT stage's status (UNPUBLISHED or UNASSOCIATED).
	Status string
	Config FunctionConfig
}

func infoOf(f *function) FunctionInfo {
	fi := FunctionInfo{ID: f.id, Name: f.name, ARN: f.arn, ETag: f.dev.etag, Status: f.dev.status, Config: f.dev.config}
	if f.live != nil {
		fi.LiveETag = f.live.etag
	}
	return fi
}

// CreateFunction stores a connection function in the DEVELOPMENT stage, as
// CreateConnectionFunction would, with the same checks and errors (an
// *APIError). An empty cfg.Runtime means RuntimeJS2.
func (s *Server) CreateFunction(name string, code []byte, cfg FunctionConfig) (FunctionInfo, error) {
	if cfg.Runtime == "" {
		cfg.Runtime = RuntimeJS2
	}
	var v violations
	v.checkName(&name)
	v.checkLength(nil, len(code), true, "connectionFunctionCode", 1, MaxBlobBytes)
	v.checkEnum(&cfg.Runtime, "connectionFunctionConfig.runtime", RuntimeJS1, RuntimeJS2)
	in := configInput{present: true, commentSet: true, runtimeSet: true, config: cfg}
	if cfg.KeyValueStoreARN != "" {
		v.checkKVSARN(cfg.KeyValueStoreARN, "connectionFunctionConfig.keyValueStoreAssociations.items.1.member.keyValueStoreARN")
		in.kvsPresent, in.kvsQuantity, in.kvsARNs = true, 1, []string{cfg.KeyValueStoreARN}
	}
	if e := v.err(); e != nil {
		return FunctionInfo{}, e
	}
	f, e := s.createFunction(name, append([]byte(nil), code...), in)
	if e != nil {
		return FunctionInfo{}, e
	}
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	return infoOf(f), nil
}

// PublishFunction copies a function's DEVELOPMENT stage to LIVE, as
// PublishConnectionFunction would, without an If-Match check. ident is the
// function's id or name.
func (s *Server) PublishFunction(ident string) (FunctionInfo, error) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	f := s.store.lookup(ident, true)
	if f == nil {
		return FunctionInfo{}, errNotFound("connection function " + ident)
	}
	s.publishLocked(f)
	return infoOf(f), nil
}

// Function returns the function with the given id or name.
func (s *Server) Function(ident string) (FunctionInfo, bool) {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	f := s.store.lookup(ident, true)
	if f == nil {
		return FunctionInfo{}, false
	}
	return infoOf(f), true
}

// AddKVS makes a KeyValueStore available under arn, so that functions can be
// associated with it (FunctionConfig.KeyValueStoreARN, or
// KeyValueStoreAssociations on the wire) and read it through cf.kvs(). An
// empty arn mints one in the Server's account; the ARN used is returned.
// Adding under an existing ARN replaces the store for later tests.
func (s *Server) AddKVS(arn string, kvs *runtime.KVS) (string, error) {
	if kvs == nil {
		return "", fmt.Errorf("emulator: AddKVS: nil store (use runtime.NewKVS or runtime.LoadKVS)")
	}
	if arn == "" {
		u := s.store.randString("", "0123456789abcdef", 32)
		arn = "arn:aws:cloudfront::" + s.opts.AccountID + ":key-value-store/" + u[:8] + "-" + u[8:12] + "-" + u[12:16] + "-" + u[16:20] + "-" + u[20:]
	}
	if !kvsARNPattern.MatchString(arn) {
		return "", fmt.Errorf("emulator: AddKVS: %q is not a KeyValueStore ARN (want arn:aws:cloudfront::<12 digits>:key-value-store/<36 hex digits and dashes>)", truncate(arn, 128))
	}
	s.store.mu.Lock()
	s.store.kvs[arn] = kvs
	s.store.mu.Unlock()
	return arn, nil
}
