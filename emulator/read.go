package emulator

import (
	"net/http"
	"strconv"
)

// stageParam reads the optional Stage query parameter (default DEVELOPMENT).
func stageParam(r *http.Request) (string, *APIError) {
	q := r.URL.Query()
	if !q.Has("Stage") {
		return StageDevelopment, nil
	}
	st := q.Get("Stage")
	var v violations
	v.checkStage(&st)
	return st, v.err()
}

// findStage looks a function up by identifier (id or name) and returns
// it with the version of stage; a LIVE stage that was never published is
// EntityNotFound. The caller holds the store's read lock.
func (s *Server) findStage(ident, stage string, byAny bool) (*function, *version, *APIError) {
	f := s.store.lookup(ident, byAny)
	if f == nil {
		return nil, nil, errNotFound("connection function " + ident)
	}
	v := f.stage(stage)
	if v == nil {
		return nil, nil, errNotFound("LIVE stage of connection function " + ident + " (publish it first)")
	}
	return f, v, nil
}

// describe is DescribeConnectionFunction: GET /2020-05-31/connection-function/{Identifier}/describe.
func (s *Server) describe(w http.ResponseWriter, r *http.Request, id string, _ []byte) *APIError {
	stage, e := stageParam(r)
	if e != nil {
		return e
	}
	s.store.mu.RLock()
	f, v, e := s.findStage(id, stage, true)
	var sum xmlSummary
	var etag string
	if e == nil {
		sum, etag = summaryXML(f, stage, v, "ConnectionFunctionSummary"), v.etag
	}
	s.store.mu.RUnlock()
	if e != nil {
		return e
	}
	w.Header().Set("ETag", etag)
	writeXML(w, http.StatusOK, sum)
	return nil
}

// CodeContentType is the Content-Type of GetConnectionFunction's answer.
const CodeContentType = "application/octet-stream"

// get is GetConnectionFunction: GET /2020-05-31/connection-function/{Identifier};
// the body is the raw code.
func (s *Server) get(w http.ResponseWriter, r *http.Request, id string, _ []byte) *APIError {
	stage, e := stageParam(r)
	if e != nil {
		return e
	}
	s.store.mu.RLock()
	_, v, e := s.findStage(id, stage, true)
	var code []byte
	var etag string
	if e == nil {
		code, etag = v.code, v.etag
	}
	s.store.mu.RUnlock()
	if e != nil {
		return e
	}
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Content-Type", CodeContentType)
	h.Set("Content-Length", strconv.Itoa(len(code)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(code)
	return nil
}

// list is ListConnectionFunctions: POST /2020-05-31/connection-functions.
// Functions come in name order; the marker is the name of the first function
// of the next page. With Stage LIVE only published functions are listed.
func (s *Server) list(w http.ResponseWriter, _ *http.Request, _ string, body []byte) *APIError {
	in, e := decodeList(body)
	if e != nil {
		return e
	}
	out := xmlList{Xmlns: Namespace, Functions: []xmlSummary{}}
	s.store.mu.RLock()
	for _, f := range s.store.sortedByName() {
		v := f.stage(in.stage)
		if v == nil || f.name < in.marker {
			continue
		}
		if len(out.Functions) == in.maxItems {
			out.NextMarker = f.name
			break
		}
		out.Functions = append(out.Functions, summaryXML(f, in.stage, v, ""))
	}
	s.store.mu.RUnlock()
	writeXML(w, http.StatusOK, out)
	return nil
}

// listDistributions is ListDistributionsByConnectionFunction:
// GET /2020-05-31/distributionsByConnectionFunction. The emulator has no
// distributions, so the list is always empty.
func (s *Server) listDistributions(w http.ResponseWriter, r *http.Request, _ string, _ []byte) *APIError {
	q := r.URL.Query()
	var v violations
	ident := q.Get("ConnectionFunctionIdentifier")
	if !q.Has("ConnectionFunctionIdentifier") {
		v.add(nil, false, "connectionFunctionIdentifier", "Member must not be null")
	} else {
		v.checkResourceID(ident, "connectionFunctionIdentifier")
	}
	if e := v.err(); e != nil {
		return e
	}
	maxItems := defaultListItems
	if q.Has("MaxItems") {
		n, err := strconv.Atoi(q.Get("MaxItems"))
		if err != nil {
			return errInvalidArgument("MaxItems '%s' is not an integer.", truncate(q.Get("MaxItems"), maxEchoedValue))
		}
		if n < 1 || n > maxListItems {
			return errInvalidArgument("MaxItems must be between 1 and %d; got %d.", maxListItems, n)
		}
		maxItems = n
	}
	s.store.mu.RLock()
	f := s.store.lookup(ident, true)
	s.store.mu.RUnlock()
	if f == nil {
		return errNotFound("connection function " + ident)
	}
	writeXML(w, http.StatusOK, xmlDistributionList{Xmlns: Namespace, Marker: q.Get("Marker"), MaxItems: maxItems})
	return nil
}
