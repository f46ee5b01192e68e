package emulator

import (
	"net/http"
	"strconv"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// test is TestConnectionFunction: POST /2020-05-31/connection-function/{Id}/test.
// Every outcome of the function — a decision, an exception, a timeout — is a
// 200 ConnectionFunctionTestResult; TestFunctionFailed (500) means the
// executor itself failed.
func (s *Server) test(w http.ResponseWriter, r *http.Request, id string, body []byte) *APIError {
	if !validETagSyntax(r.Header.Get("If-Match")) {
		return errIfMatchMissing()
	}
	in, e := s.decodeTest(body)
	if e != nil {
		return e
	}
	s.store.mu.RLock()
	f, v, e := s.findStage(id, in.stage, false)
	var sum xmlSummary
	var req runtime.Request
	if e == nil {
		e = checkIfMatch(r, v.etag)
	}
	if e == nil {
		sum = summaryXML(f, in.stage, v, "")
		req = runtime.Request{Code: v.code, Object: in.object, KVS: s.store.kvs[v.config.KeyValueStoreARN], Seed: s.opts.Seed, Now: s.opts.Clock()}
	}
	s.store.mu.RUnlock()
	if e != nil {
		return e
	}
	if s.opts.ObjectValidation == ObjectValidationJSON {
		if err := checkJSONObject(in.object); err != nil {
			return errInvalidArgument("The connection object is not valid JSON: %s", truncate(err.Error(), 256))
		}
	}
	res, err := s.exec.Execute(r.Context(), req)
	if err != nil && r.Context().Err() != nil {
		// The client went away (closed the connection, cancelled the
		// request): not a failure of the executor; no one reads the answer.
		s.metrics.execution(outcomeClientClosed, 0)
		return errClientClosed()
	}
	if err != nil {
		s.metrics.execution(outcomeFailed, 0)
		s.opts.Logger.Warn("executor failed", "operation", OpTest, "function", id, "error", truncate(err.Error(), 256))
		return apiErr(http.StatusInternalServerError, "TestFunctionFailed", "The CloudFront function failed.")
	}
	s.metrics.execution(outcomeOf(res), res.Utilization)
	writeXML(w, http.StatusOK, xmlTestResult{
		Xmlns:        Namespace,
		Utilization:  strconv.Itoa(res.Utilization),
		ErrorMessage: res.Error,
		Logs:         xmlLogs{res.Logs},
		Output:       res.OutputJSON(),
		Summary:      sum,
	})
	return nil
}

// outcomeOf classifies a result for the executions metric.
func outcomeOf(res runtime.Result) string {
	switch {
	case res.ErrorName == "TimeoutError":
		return "timeout"
	case res.Error != "" || res.ErrorName != "":
		return "error"
	case res.Decision == "allow" || res.Decision == "deny":
		return res.Decision
	}
	return "none"
}
