package emulator

import (
	"errors"
	"net/http"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// createFunction applies CloudFront's checks beyond the model and stores a
// new function. name and code already passed the model's constraints.
func (s *Server) createFunction(name string, code []byte, cfg configInput) (*function, *APIError) {
	if e := s.checkFunction(code, cfg); e != nil {
		return nil, e
	}
	now := s.opts.Clock()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if _, dup := s.store.byName[name]; dup {
		return nil, apiErr(http.StatusConflict, "EntityAlreadyExists", "A connection function named '%s' already exists.", name)
	}
	if len(s.store.byID) >= s.opts.MaxFunctions {
		return nil, apiErr(http.StatusBadRequest, "EntityLimitExceeded",
			"Your account already has the maximum number of connection functions (%d).", s.opts.MaxFunctions)
	}
	id := s.store.newID()
	for s.store.byID[id] != nil {
		id = s.store.newID()
	}
	f := &function{
		id:      id,
		name:    name,
		arn:     "arn:aws:cloudfront::" + s.opts.AccountID + ":connection-function/" + id,
		created: now,
		dev:     &version{code: code, config: cfg.config, etag: s.store.newETag(), status: StatusUnpublished, modified: now},
	}
	s.store.byID[id] = f
	s.store.byName[name] = f
	s.metrics.setFunctions(len(s.store.byID))
	return f, nil
}

// checkFunction applies the checks Create and Update share beyond the model:
// comment size, runtime, KeyValueStore associations, code size quota and,
// optionally, syntax.
func (s *Server) checkFunction(code []byte, cfg configInput) *APIError {
	if e := checkConfigService(cfg.config); e != nil {
		return e
	}
	if e := cfg.checkAssociations(); e != nil {
		return e
	}
	if arn := cfg.config.KeyValueStoreARN; arn != "" {
		s.store.mu.RLock()
		_, ok := s.store.kvs[arn]
		s.store.mu.RUnlock()
		if !ok {
			return errNotFound("KeyValueStore " + arn)
		}
	}
	if len(code) > s.opts.MaxCodeBytes {
		return apiErr(http.StatusRequestEntityTooLarge, "EntitySizeLimitExceeded",
			"The connection function code is %d bytes; the maximum size is %d bytes.", len(code), s.opts.MaxCodeBytes)
	}
	if s.opts.RejectSyntaxErrors {
		if err := runtime.Check(code); err != nil {
			var se *runtime.SyntaxError
			if errors.As(err, &se) {
				return errInvalidArgument("The connection function code is not valid: %s", truncate(se.Error(), 512))
			}
			return errInvalidArgument("The connection function code is not valid: %s", truncate(err.Error(), 512))
		}
	}
	return nil
}

// checkIfMatch validates the If-Match header against want: missing or
// malformed is InvalidIfMatchVersion (400), any other mismatch is
// PreconditionFailed (412).
func checkIfMatch(r *http.Request, want string) *APIError {
	got := r.Header.Get("If-Match")
	if !validETagSyntax(got) {
		return errIfMatchMissing()
	}
	if got != want {
		return errPrecondition()
	}
	return nil
}

// validETagSyntax reports whether s looks like an ETag: 1–64 ASCII letters and digits.
func validETagSyntax(s string) bool {
	if len(s) < 1 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// create is CreateConnectionFunction: POST /2020-05-31/connection-function.
func (s *Server) create(w http.ResponseWriter, r *http.Request, _ string, body []byte) *APIError {
	in, e := s.decodeFunction(body, "CreateConnectionFunctionRequest", true)
	if e != nil {
		return e
	}
	if in.tagErr != nil {
		return in.tagErr
	}
	f, e := s.createFunction(*in.name, in.code, in.cfg)
	if e != nil {
		return e
	}
	s.store.mu.RLock()
	sum, etag := summaryXML(f, StageDevelopment, f.dev, "ConnectionFunctionSummary"), f.dev.etag
	s.store.mu.RUnlock()
	w.Header().Set("ETag", etag)
	w.Header().Set("Location", locationOf(r, f.id))
	writeXML(w, http.StatusCreated, sum)
	return nil
}

// locationOf is the URL of a function on the server that r reached.
func locationOf(r *http.Request, id string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + apiPrefix + "connection-function/" + id
}

// update is UpdateConnectionFunction: PUT /2020-05-31/connection-function/{Id}.
func (s *Server) update(w http.ResponseWriter, r *http.Request, id string, body []byte) *APIError {
	if !validETagSyntax(r.Header.Get("If-Match")) {
		return errIfMatchMissing()
	}
	in, e := s.decodeFunction(body, "UpdateConnectionFunctionRequest", false)
	if e != nil {
		return e
	}
	if e := s.checkFunction(in.code, in.cfg); e != nil {
		return e
	}
	sum, e := s.withFunction(r, id, func(f *function) xmlSummary {
		f.dev = &version{code: in.code, config: in.cfg.config, etag: s.store.newETag(), status: StatusUnpublished, modified: s.opts.Clock()}
		return summaryXML(f, StageDevelopment, f.dev, "ConnectionFunctionSummary")
	})
	if e != nil {
		return e
	}
	w.Header().Set("ETag", sum.etag)
	writeXML(w, http.StatusOK, sum.xml)
	return nil
}

// publish is PublishConnectionFunction: POST /2020-05-31/connection-function/{Id}/publish.
// It copies DEVELOPMENT to LIVE under a new LIVE ETag; If-Match must be the
// DEVELOPMENT ETag.
func (s *Server) publish(w http.ResponseWriter, r *http.Request, id string, _ []byte) *APIError {
	if !validETagSyntax(r.Header.Get("If-Match")) {
		return errIfMatchMissing()
	}
	sum, e := s.withFunction(r, id, func(f *function) xmlSummary {
		s.publishLocked(f)
		return summaryXML(f, StageLive, f.live, "ConnectionFunctionSummary")
	})
	if e != nil {
		return e
	}
	writeXML(w, http.StatusOK, sum.xml)
	return nil
}

// publishLocked copies f's DEVELOPMENT stage to LIVE. The caller holds the store lock.
func (s *Server) publishLocked(f *function) {
	now := s.opts.Clock()
	f.dev.status = StatusUnassociated
	f.live = &version{code: f.dev.code, config: f.dev.config, etag: s.store.newETag(), status: StatusUnassociated, modified: now}
}

// delete is DeleteConnectionFunction: DELETE /2020-05-31/connection-function/{Id};
// If-Match must be the DEVELOPMENT ETag.
func (s *Server) delete(w http.ResponseWriter, r *http.Request, id string, _ []byte) *APIError {
	if !validETagSyntax(r.Header.Get("If-Match")) {
		return errIfMatchMissing()
	}
	_, e := s.withFunction(r, id, func(f *function) xmlSummary {
		delete(s.store.byID, f.id)
		delete(s.store.byName, f.name)
		s.metrics.setFunctions(len(s.store.byID))
		return xmlSummary{}
	})
	if e != nil {
		return e
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// changed is the result of a change to a function: its new summary and the
// ETag the change produced.
type changed struct {
	xml  xmlSummary
	etag string
}

// withFunction runs change on the function id under the store's write lock
// after checking that If-Match is its DEVELOPMENT ETag.
func (s *Server) withFunction(r *http.Request, id string, change func(*function) xmlSummary) (changed, *APIError) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	f := s.store.lookup(id, false)
	if f == nil {
		return changed{}, errNotFound("connection function " + id)
	}
	if e := checkIfMatch(r, f.dev.etag); e != nil {
		return changed{}, e
	}
	sum := change(f)
	return changed{xml: sum, etag: f.dev.etag}, nil
}
