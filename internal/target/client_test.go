package target_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/internal/target"
)

// opaqueBody is a request body of a type net/http does not know, as the
// AWS SDK's are; it records whether it was closed.
type opaqueBody struct {
	r      io.Reader
	closed bool
}

func (b *opaqueBody) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *opaqueBody) Close() error               { b.closed = true; return nil }

// seen is a RoundTripper that keeps the request it was given and its body.
type seen struct {
	req  *http.Request
	body []byte
}

func (s *seen) RoundTrip(r *http.Request) (*http.Response, error) {
	s.req = r
	if r.Body != nil {
		s.body, _ = io.ReadAll(r.Body)
	}
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

func TestInMemoryBodies(t *testing.T) {
	payload := strings.Repeat("<x>", 100)
	tests := []struct {
		reason   string
		body     func() (io.ReadCloser, *opaqueBody)
		length   int64
		readHere bool // the body is read ahead into memory
	}{
		{"an SDK-like body of known length is read into memory", func() (io.ReadCloser, *opaqueBody) {
			b := &opaqueBody{r: strings.NewReader(payload)}
			return b, b
		}, int64(len(payload)), true},
		{"a body of unknown length passes through", func() (io.ReadCloser, *opaqueBody) {
			b := &opaqueBody{r: strings.NewReader(payload)}
			return b, b
		}, -1, false},
		{"a body over the limit passes through", func() (io.ReadCloser, *opaqueBody) {
			b := &opaqueBody{r: io.LimitReader(zeros{}, 2<<20)}
			return b, b
		}, 2 << 20, false},
		{"no body passes through", func() (io.ReadCloser, *opaqueBody) { return http.NoBody, nil }, 0, false},
	}
	for _, tt := range tests {
		next := &seen{}
		body, opaque := tt.body()
		req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/x", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Body, req.ContentLength = body, tt.length
		if _, err := target.InMemoryBodies(next).RoundTrip(req); err != nil {
			t.Fatalf("%s: %v", tt.reason, err)
		}
		if tt.readHere {
			if next.req == req || next.req.GetBody == nil || !bytes.Equal(next.body, []byte(payload)) || !opaque.closed {
				t.Errorf("%s: sent the caller's request: %v, GetBody set: %v, body intact: %v, original closed: %v",
					tt.reason, next.req == req, next.req.GetBody != nil, bytes.Equal(next.body, []byte(payload)), opaque.closed)
			}
			if req.GetBody != nil || req.Body != body {
				t.Errorf("%s: the caller's request was changed", tt.reason)
			}
			continue
		}
		if next.req != req {
			t.Errorf("%s: the request was replaced", tt.reason)
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
