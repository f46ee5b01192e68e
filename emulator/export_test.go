package emulator

// TestDecodeOutcome is what decoding a TestConnectionFunction body gave:
// the object and stage, or the error's code and message.
type TestDecodeOutcome struct {
	Object  string
	Stage   string
	ErrCode string
	ErrMsg  string
}

func outcome(in *testInput, e *APIError) TestDecodeOutcome {
	if e != nil {
		return TestDecodeOutcome{ErrCode: e.Code, ErrMsg: e.Message}
	}
	return TestDecodeOutcome{Object: string(in.object), Stage: in.stage}
}

// DecodeTestPaths decodes body with s's options twice: through the fast
// path (accepted reports whether it took the body) and through the full
// XML parser alone.
func DecodeTestPaths(s *Server, body []byte) (fast TestDecodeOutcome, accepted bool, full TestDecodeOutcome) {
	if f, ok := scanTestBody(body); ok {
		fast, accepted = outcome(s.checkTest(f)), true
	}
	f, err := parseTestFields(body)
	if err != nil {
		return fast, accepted, outcome(nil, errMalformed(err.Error()))
	}
	return fast, accepted, outcome(s.checkTest(f))
}
