package emulator

import (
	"context"
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
	var sum xmlSummary
	res, e := s.runTest(r.Context(), id, r.Header.Get("If-Match"), in, false, &sum)
	if e != nil {
		return e
	}
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

// runTest is the part of TestConnectionFunction after the request was
// decoded, shared by the HTTP handler and TestFunction: it finds the stage,
// checks If-Match (whose syntax the caller checked), validates the object
// and runs the function, instrumented when feedback is set. It fills sum,
// when not nil, with the function's summary for the HTTP answer.
func (s *Server) runTest(ctx context.Context, id, ifMatch string, in *testInput, feedback bool, sum *xmlSummary) (runtime.Result, *APIError) {
	s.store.mu.RLock()
	f, v, e := s.findStage(id, in.stage, false)
	var req runtime.Request
	if e == nil && ifMatch != v.etag {
		e = errPrecondition()
	}
	if e == nil {
		if sum != nil {
			*sum = summaryXML(f, in.stage, v, "")
		}
		req = runtime.Request{Code: v.code, Object: in.object, KVS: s.store.kvs[v.config.KeyValueStoreARN], Seed: s.opts.Seed, Now: s.opts.Clock(), Feedback: feedback}
	}
	s.store.mu.RUnlock()
	if e != nil {
		return runtime.Result{}, e
	}
	if s.opts.ObjectValidation == ObjectValidationJSON {
		if err := checkJSONObject(in.object); err != nil {
			return runtime.Result{}, errInvalidArgument("The connection object is not valid JSON: %s", truncate(err.Error(), 256))
		}
	}
	res, err := s.exec.Execute(ctx, req)
	if err != nil && ctx.Err() != nil {
		// The client went away (closed the connection, cancelled the
		// request): not a failure of the executor; no one reads the answer.
		s.metrics.execution(outcomeClientClosed, 0)
		return runtime.Result{}, errClientClosed()
	}
	if err != nil {
		s.metrics.execution(outcomeFailed, 0)
		s.opts.Logger.Warn("executor failed", "operation", OpTest, "function", id, "error", truncate(err.Error(), 256))
		return runtime.Result{}, apiErr(http.StatusInternalServerError, "TestFunctionFailed", "The CloudFront function failed.")
	}
	s.metrics.execution(outcomeOf(res), res.Utilization)
	return res, nil
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
