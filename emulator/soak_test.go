package emulator_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
	"github.com/cffuzz/cffuzz/internal/testsupport"
)

// soakRequest is one raw HTTP request of the hostile soak.
type soakRequest struct {
	kind   string // for failure messages
	method string
	raw    []byte
	// mayDrop: the server may close the connection without an answer
	// (garbage the HTTP layer rejects, a body cut short).
	mayDrop bool
	// closeAfter: the client closes the connection after sending (a
	// truncated request); no answer is read.
	closeAfter bool
}

// soakGen builds adversarial requests for one function id and ETag.
type soakGen struct {
	rng      *rand.Rand
	id, etag string
	// auth adds hostile SigV4 headers to every request with a Host.
	auth bool
}

// authHeaders returns Authorization and X-Amz-* headers that look like
// Signature Version 4, broken in one of many ways.
func (g *soakGen) authHeaders() string {
	hex64 := strings.Repeat("0123456789abcdef", 4)
	cred := g.pick("AKIDEXAMPLE/20260101/us-east-1/cloudfront/aws4_request", "AKIDEXAMPLE/20260101/us-east-1/cloudfront",
		"AKIDEXAMPLE//////", "/", "", g.token(40), "AKIDOTHER/20260101/us-east-1/cloudfront/aws4_request", strings.Repeat("A/", 500))
	signed := g.pick("host;x-amz-date", "host", "", ";;;", "content-type;host;if-match;x-amz-date", strings.Repeat("x-h;", 300), "Host;X-Amz-Date", "missing-header")
	auth := g.pick(
		"AWS4-HMAC-SHA256 Credential="+cred+", SignedHeaders="+signed+", Signature="+hex64,
		"AWS4-HMAC-SHA256 Credential="+cred+",SignedHeaders="+signed+",Signature="+g.token(64),
		"AWS4-HMAC-SHA256 Credential="+cred,
		"AWS4-HMAC-SHA256", "", "Basic dXNlcjpwYXNz", "AWS4-HMAC-SHA256 Signature="+hex64+", Signature="+hex64,
		"AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=", "AWS4-HMAC-SHA256 ,,,,,,", g.token(100))
	h := "Authorization: " + auth + "\r\n"
	if g.rng.IntN(4) > 0 {
		h += "X-Amz-Date: " + g.pick("20260101T000000Z", time.Now().UTC().Format("20060102T150405Z"), "2026-01-01", "99999999T999999Z", g.token(16), "") + "\r\n"
	}
	if g.rng.IntN(4) == 0 {
		h += "X-Amz-Security-Token: " + g.token(g.rng.IntN(300)) + "\r\n"
	}
	if g.rng.IntN(4) == 0 {
		h += "X-Amz-Content-Sha256: " + g.pick(hex64, "UNSIGNED-PAYLOAD", g.token(20)) + "\r\n"
	}
	return h
}

var soakMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get", "TRACE", "X-CUSTOM", "CONNECT"}

func (g *soakGen) pick(xs ...string) string { return xs[g.rng.IntN(len(xs))] }

// junk returns n random bytes from a mix of alphabets.
func (g *soakGen) junk(n int) []byte {
	const printable = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=-_.~%<>&;\"' \t\n{}[]:,"
	b := make([]byte, n)
	binary := g.rng.IntN(4) == 0
	for i := range b {
		if binary {
			b[i] = byte(g.rng.UintN(256))
		} else {
			b[i] = printable[g.rng.IntN(len(printable))]
		}
	}
	return b
}

// token returns a short random header-safe token.
func (g *soakGen) token(n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.*\"/ "
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[g.rng.IntN(len(chars))]
	}
	return strings.TrimSpace(string(b))
}

// build serializes a request with a Content-Length body.
func build(method, target string, headers []string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: soak\r\n", method, target)
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	if body != nil || method == "POST" || method == "PUT" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

// object returns a connection object: mostly JSON objects, sometimes not.
func (g *soakGen) object() string {
	switch g.rng.IntN(48) {
	case 0, 1, 2, 3:
		return string(g.junk(g.rng.IntN(64)))
	case 4, 5:
		return `[1,2,3]`
	case 6:
		return `{"clientIp":"` + strings.Repeat("9", 40900+g.rng.IntN(200)) + `"}` // about the 40,960-byte limit
	case 7:
		return strings.Repeat(`{"a":`, 200) + "1" + strings.Repeat("}", 200)
	}
	return object
}

// testBodyVariant returns a TestConnectionFunction body: valid or broken.
func (g *soakGen) testBodyVariant() (body []byte, valid bool) {
	obj := g.object()
	enc := base64.StdEncoding.EncodeToString([]byte(obj))
	switch g.rng.IntN(12) {
	case 0:
		return g.junk(g.rng.IntN(512)), false
	case 1: // bad base64
		return []byte(testBody(enc[:len(enc)/2] + "!!*" + g.token(5))), false
	case 2: // URL-safe alphabet without padding
		return []byte(testBody(strings.TrimRight(base64.URLEncoding.EncodeToString([]byte(obj)), "="))), false
	case 3: // truncated XML
		full := testBody(enc)
		return []byte(full[:g.rng.IntN(len(full))]), false
	case 4: // wrong root, DOCTYPE, entities, deep nesting
		return []byte(g.pick(
			`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><TestConnectionFunctionRequest><ConnectionObject>&b;</ConnectionObject></TestConnectionFunctionRequest>`,
			`<ListConnectionFunctionsRequest/>`,
			strings.Repeat("<a>", 5000)+strings.Repeat("</a>", 5000),
			`<TestConnectionFunctionRequest><ConnectionObject>`+enc+`</ConnectionObject><ConnectionObject>`+enc+`</ConnectionObject></TestConnectionFunctionRequest>`,
		)), false
	case 5: // a bad stage
		return []byte(strings.Replace(testBody(enc), "DEVELOPMENT", g.pick("LIVE", "", "development", g.token(8)), 1)), false
	case 6: // whitespace inside base64
		return []byte(testBody(enc[:len(enc)/2] + " \n\t" + enc[len(enc)/2:])), true
	}
	return []byte(testBody(enc)), true
}

// next returns the next request (several, for a pipelined batch).
func (g *soakGen) next() []soakRequest {
	batch := g.nextPlain()
	if g.auth {
		for i := range batch {
			batch[i].raw = bytes.Replace(batch[i].raw, []byte("\r\nHost: soak\r\n"), []byte("\r\nHost: soak\r\n"+g.authHeaders()), 1)
		}
	}
	return batch
}

// nextPlain returns the next request without SigV4 headers.
func (g *soakGen) nextPlain() []soakRequest {
	testPath := "/2020-05-31/connection-function/" + g.id + "/test"
	switch n := g.rng.IntN(100); {
	case n < 25: // TestConnectionFunction, valid or broken body, good or bad If-Match
		body, _ := g.testBodyVariant()
		var h []string
		switch g.rng.IntN(5) {
		case 0:
			h = append(h, "If-Match: "+g.pick("", "*", `"`+g.etag+`"`, g.etag+"x", g.token(10), strings.Repeat("E", 100)))
		case 1: // no If-Match
		default:
			h = append(h, "If-Match: "+g.etag)
		}
		return []soakRequest{{kind: "test", method: "POST", raw: build("POST", testPath, h, body)}}
	case n < 33: // CreateConnectionFunction with random names and code
		name := g.pick("soak"+fmt.Sprint(g.rng.IntN(1000)), "", "bad name", strings.Repeat("n", 80), g.token(12))
		code := g.pick(allowCode, string(g.junk(g.rng.IntN(300))), "function connectionHandler(c) { while(true){} }", strings.Repeat("x", 11000))
		body := createBody(name, code)
		if g.rng.IntN(4) == 0 {
			body = body[:g.rng.IntN(len(body))]
		}
		return []soakRequest{{kind: "create", method: "POST", raw: build("POST", "/2020-05-31/connection-function", nil, []byte(body))}}
	case n < 45: // the other operations, with bad ETags and random query strings
		id := g.pick(g.id, g.token(20), "%zz", strings.Repeat("a", 300))
		q := g.pick("", "?Stage=LIVE", "?Stage="+g.token(6), "?MaxItems="+g.token(4), "?ConnectionFunctionIdentifier="+id, "?%%%")
		etag := "If-Match: " + g.pick(g.token(8), "*", "")
		switch g.rng.IntN(7) {
		case 0:
			return []soakRequest{{kind: "describe", method: "GET", raw: build("GET", "/2020-05-31/connection-function/"+id+"/describe"+q, nil, nil)}}
		case 1:
			return []soakRequest{{kind: "get", method: "GET", raw: build("GET", "/2020-05-31/connection-function/"+id+q, nil, nil)}}
		case 2:
			return []soakRequest{{kind: "list", method: "POST", raw: build("POST", "/2020-05-31/connection-functions"+q, nil, g.junk(g.rng.IntN(200)))}}
		case 3:
			return []soakRequest{{kind: "distributions", method: "GET", raw: build("GET", "/2020-05-31/distributionsByConnectionFunction"+q, nil, nil)}}
		case 4:
			return []soakRequest{{kind: "update", method: "PUT", raw: build("PUT", "/2020-05-31/connection-function/"+id, []string{etag}, []byte(createBody("x", allowCode)))}}
		case 5:
			return []soakRequest{{kind: "publish", method: "POST", raw: build("POST", "/2020-05-31/connection-function/"+id+"/publish", []string{etag}, nil)}}
		default:
			return []soakRequest{{kind: "delete", method: "DELETE", raw: build("DELETE", "/2020-05-31/connection-function/"+id, []string{etag}, nil)}}
		}
	case n < 60: // random methods and paths
		m := g.pick(soakMethods...)
		path := g.pick("/", "/2020-05-31/", "/2020-05-31/connection-function/"+g.id+"/"+g.token(6), "/2020-05-31//connection-function",
			"/2020-05-31/connection-function/"+g.id+"/test/extra", "/../../etc/passwd", "/2020-05-31/connection-function/%C0%AF",
			"/"+strings.Repeat("a/", 1000), "/2020-05-31/connection-functions?"+g.token(30), "*")
		var body []byte
		if g.rng.IntN(2) == 0 {
			body = g.junk(g.rng.IntN(1000))
		}
		return []soakRequest{{kind: "method/path", method: m, raw: build(m, path, nil, body), mayDrop: m == "CONNECT" || path == "*"}}
	case n < 70: // random headers on a test request
		body, _ := g.testBodyVariant()
		var h []string
		for range g.rng.IntN(60) {
			h = append(h, "X-"+g.token(8)+"x: "+g.token(g.rng.IntN(200)))
		}
		h = append(h, "If-Match: "+g.etag, "Content-Type: "+g.pick("text/xml", "application/json", "", "multipart/form-data; boundary=x"),
			"Authorization: AWS4-HMAC-SHA256 Credential="+g.token(30)+", SignedHeaders=host, Signature="+g.token(64),
			"X-Amz-Date: "+g.pick("20260101T000000Z", g.token(10)), "Accept-Encoding: "+g.pick("gzip", "br", "*"))
		if g.rng.IntN(5) == 0 {
			h = append(h, "Expect: 100-continue")
		}
		return []soakRequest{{kind: "headers", method: "POST", raw: build("POST", testPath, h, body)}}
	case n < 76: // chunked bodies, some with broken chunking
		body, _ := g.testBodyVariant()
		var b bytes.Buffer
		fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: soak\r\nIf-Match: %s\r\nTransfer-Encoding: chunked\r\n\r\n", testPath, g.etag)
		for len(body) > 0 {
			k := min(len(body), 1+g.rng.IntN(300))
			fmt.Fprintf(&b, "%x\r\n%s\r\n", k, body[:k])
			body = body[k:]
		}
		broken := g.rng.IntN(3) == 0
		if broken {
			b.WriteString(g.pick("zz\r\n", "5\r\nab\r\n", "-1\r\n", "fffffffffffffffffff\r\n"))
		}
		b.WriteString("0\r\n\r\n")
		return []soakRequest{{kind: "chunked", method: "POST", raw: b.Bytes(), mayDrop: broken}}
	case n < 80: // a body shorter than announced, then the client hangs up
		body, _ := g.testBodyVariant()
		raw := build("POST", testPath, []string{"If-Match: " + g.etag}, append(body, "padding"...))
		return []soakRequest{{kind: "truncated", method: "POST", raw: raw[:len(raw)-g.rng.IntN(len(body)+7)-1], closeAfter: true}}
	case n < 81: // oversized: announced (unread) or, 1 in 400, sent
		if g.rng.IntN(4) > 0 {
			raw := fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: soak\r\nIf-Match: %s\r\nContent-Length: %d\r\n\r\n", testPath, g.etag, emulator.DefaultMaxBodyBytes+1+g.rng.IntN(1<<30))
			return []soakRequest{{kind: "oversized/announced", method: "POST", raw: raw}}
		}
		body := bytes.Repeat([]byte("A"), emulator.DefaultMaxBodyBytes+1+g.rng.IntN(4096))
		return []soakRequest{{kind: "oversized/sent", method: "POST", raw: build("POST", testPath, []string{"If-Match: " + g.etag}, body)}}
	case n < 92: // pipelined well-formed requests
		var batch []soakRequest
		for range 2 + g.rng.IntN(3) {
			body, _ := g.testBodyVariant()
			batch = append(batch, soakRequest{kind: "pipelined", method: "POST", raw: build("POST", testPath, []string{"If-Match: " + g.etag}, body)})
		}
		return batch
	case n < 99 || g.rng.IntN(4) > 0: // garbage the HTTP layer rejects
		raw := g.pick("GET / HTTP/9.9\r\n\r\n", "\x00\x01\x02 / HTTP/1.1\r\n\r\n", "GET /\r\n\r\n", "POST / HTTP/1.1\r\nHost: a\r\nNoColonHeader\r\n\r\n",
			"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
			"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", string(g.junk(100))+"\r\n\r\n")
		return []soakRequest{{kind: "garbage", method: "GET", raw: []byte(raw), mayDrop: true}}
	default: // a header over the server's limit (1 in 400: 70 KB each)
		raw := build("GET", "/2020-05-31/connection-function/"+g.id+"/describe", []string{"X-Big: " + strings.Repeat("b", 70<<10)}, nil)
		return []soakRequest{{kind: "header bomb", method: "GET", raw: raw, mayDrop: true}}
	}
}

// soakStats are the soak's client-side counts.
type soakStats struct {
	sent, answered, dropped atomic.Int64
	// idleRaces counts requests that met the server's idle close (see
	// soakClient); they are among the dropped.
	idleRaces atomic.Int64
	mu        sync.Mutex
	failures  []string
}

func (s *soakStats) fail(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) < 20 {
		s.failures = append(s.failures, fmt.Sprintf(format, args...))
	}
}

// The soak servers' timeouts are their slowloris defence, which the soak
// checks (every slowloris connection must be closed). They are far longer
// than the soak needs, because on a loaded 2-core machine (the full suite
// runs packages in parallel) the server can get to a request more than a
// second after it was written: with a one-second ReadHeaderTimeout, a few
// well-formed requests of a run were still cut off (EOF) even though a
// late read takes what has arrived (graceConn), presumably because the
// rest had not been delivered yet. The slowloris connections still close
// within soakReadTimeout, inside the soak's run and well inside the 60 s
// the test waits for them.
const (
	soakReadHeaderTimeout = 5 * time.Second
	soakReadTimeout       = 5 * time.Second
	soakIdleTimeout       = 10 * time.Second
)

// soakClient sends requests over one keep-alive connection, reconnecting
// when the server closes it.
//
// A request that gets no answer is a failure unless it may be dropped by
// design, or it is the first one sent on a reused connection at least
// soakIdleTimeout after the one before: the server may then have closed
// the connection as idle just as the request went out, the keep-alive race
// every HTTP/1.1 client must expect (RFC 9112, section 9.3.1; net/http's
// Transport retries such a request). The server starts its idle timer only
// after answering the previous request, which was sent earlier, so a
// request sent sooner than that can never meet an idle close: on a loaded
// machine the client itself may be descheduled for seconds.
func soakClient(addr string, g *soakGen, n int, st *soakStats) {
	var conn net.Conn
	var br *bufio.Reader
	var lastSent time.Time // when the previous batch went out on conn
	reset := func() {
		if conn != nil {
			_ = conn.Close()
			conn = nil
		}
		lastSent = time.Time{}
	}
	defer reset()
	for sent := 0; sent < n; {
		batch := g.next()
		if conn == nil {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				st.fail("dial: %v", err)
				return
			}
			conn, br = c, bufio.NewReaderSize(c, 4096)
		}
		var all []byte
		for _, r := range batch {
			all = append(all, r.raw...)
		}
		_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
		now := time.Now()
		mayMeetIdleClose := !lastSent.IsZero() && now.Sub(lastSent) >= soakIdleTimeout
		lastSent = now
		sent += len(batch)
		st.sent.Add(int64(len(batch)))
		if _, err := conn.Write(all); err != nil {
			// The server closed the connection (after an answer with
			// Connection: close that was already read, or a rejection).
			st.dropped.Add(int64(len(batch)))
			reset()
			continue
		}
		if batch[0].closeAfter {
			st.dropped.Add(1)
			reset()
			continue
		}
		for i, r := range batch {
			resp, err := http.ReadResponse(br, &http.Request{Method: r.method})
			for err == nil && resp.StatusCode == http.StatusContinue { // Expect: 100-continue
				resp, err = http.ReadResponse(br, &http.Request{Method: r.method})
			}
			if err != nil {
				switch {
				case i == 0 && mayMeetIdleClose:
					st.idleRaces.Add(1)
				case !r.mayDrop && !strings.Contains(r.kind, "oversized"):
					st.fail("%s: no answer (%v)", r.kind, err)
				}
				st.dropped.Add(int64(len(batch) - i))
				reset()
				break
			}
			var body []byte
			if resp.Close && resp.ContentLength < 0 {
				// net/http's own rejections end at the close, which it
				// delays by half a second: read what is there, don't wait.
				_ = conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
				body, _ = io.ReadAll(resp.Body)
			} else {
				body, err = io.ReadAll(resp.Body)
			}
			resp.Body.Close()
			st.answered.Add(1)
			// A 5xx with a request id is the API's own answer: with fault
			// injection off, a bug. net/http itself answers some garbage
			// with 501 or 505 (no request id), as any Go server does.
			if resp.StatusCode >= 500 && (resp.Header.Get("x-amzn-RequestId") != "" || !r.mayDrop) {
				st.fail("%s: %d %s", r.kind, resp.StatusCode, truncateString(string(body), 300))
			}
			if err != nil || resp.Close {
				st.dropped.Add(int64(len(batch) - i - 1))
				reset()
				break
			}
		}
	}
}

func truncateString(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// TestHostileSoak sends 100,000 adversarial requests (10,000 with -short)
// over keep-alive connections to a real emulator on loopback, with a
// bounded number of slowloris connections alongside: no panic, no 5xx
// (fault injection is off, so every 5xx is cffuzz's own), and the heap
// after the soak within a bound of the heap before it.
func TestHostileSoak(t *testing.T) {
	total, clients := 100_000, 8
	if testing.Short() {
		total = 10_000
	}
	reg := prometheus.NewPedanticRegistry()
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 77, Registerer: reg,
		ReadHeaderTimeout: soakReadHeaderTimeout, ReadTimeout: soakReadTimeout, IdleTimeout: soakIdleTimeout, MaxConnections: 256})
	info, err := srv.CreateFunction("soak", []byte(`function connectionHandler(c) { if (c.clientIp && c.clientIp.length > 3) { c.allow(); } else { c.deny(); } }`), emulator.FunctionConfig{})
	if err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr().String()
	run := func(n int, seed uint64) *soakStats { return runSoak(addr, info, clients, n, seed, false) }
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}

	run(2000, 1) // warm up: pools, compiled programs, created functions
	before := heap()

	// Slowloris: a bounded number of connections that send part of a
	// request and stall; the server's timeouts must close every one.
	const slow = 40
	slowClosed := make(chan bool, slow)
	for i := range slow {
		go func() {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				slowClosed <- false
				return
			}
			defer c.Close()
			partial := []string{"POST /2020-05-31/connection-function/x/test HTTP/1.1\r\nHost: s\r\n", "POST /2020-05-31/connection-function HTTP/1.1\r\nHost: s\r\nContent-Length: 500\r\n\r\n<Cre", "G"}[i%3]
			_, _ = io.WriteString(c, partial)
			slowClosed <- closedWithin(c, 60*time.Second)
		}()
	}

	start := time.Now()
	st := run(total, 2)
	elapsed := time.Since(start)
	for range slow {
		if !<-slowClosed {
			t.Error("a slowloris connection was not closed by the server's timeouts")
		}
	}
	after := heap()

	mfs := gather(t, reg)
	served, _ := testsupport.SumSeries(mfs, "cffuzz_emulator_requests_total", nil)
	fiveXX := 0.0
	for _, code := range []string{"500", "501", "502", "503", "504"} {
		n, _ := testsupport.SumSeries(mfs, "cffuzz_emulator_requests_total", map[string]string{"code": code})
		fiveXX += n
	}
	panics, _ := testsupport.SumSeries(mfs, "cffuzz_emulator_panics_total", nil)
	t.Logf("%d requests in %v (%.0f/s) over %d clients: %d answered, %d dropped or cut short by design (%d of them by the keep-alive race with the idle timeout), %.0f answered by the API's handler; heap %.1f MB before, %.1f MB after",
		st.sent.Load(), elapsed.Round(time.Millisecond), float64(st.sent.Load())/elapsed.Seconds(), clients, st.answered.Load(), st.dropped.Load(), st.idleRaces.Load(), served, float64(before)/(1<<20), float64(after)/(1<<20))
	if st.sent.Load() < int64(total) {
		t.Errorf("sent %d requests, want %d", st.sent.Load(), total)
	}
	for _, f := range st.failures {
		t.Errorf("failure: %s", f)
	}
	if p := srv.Panics(); p != 0 || panics != 0 {
		t.Errorf("the emulator panicked %d times (metric: %v)", p, panics)
	}
	if fiveXX != 0 {
		t.Errorf("the emulator answered %v requests with 5xx; with fault injection off every 5xx is a bug", fiveXX)
	}
	if served < 0.7*float64(total) {
		t.Errorf("the API's handler answered %.0f of %d requests: the soak is not reaching it", served, total)
	}
	if after > before+24<<20 {
		t.Errorf("heap grew from %.1f MB to %.1f MB over the soak: something is retained per request", float64(before)/(1<<20), float64(after)/(1<<20))
	}
}

// runSoak sends n requests from clients concurrent clients.
func runSoak(addr string, info emulator.FunctionInfo, clients, n int, seed uint64, auth bool) *soakStats {
	st := &soakStats{}
	var wg sync.WaitGroup
	for c := range clients {
		g := &soakGen{rng: rand.New(rand.NewPCG(seed, uint64(c))), id: info.ID, etag: info.ETag, auth: auth}
		wg.Go(func() { soakClient(addr, g, n/clients, st) })
	}
	wg.Wait()
	return st
}

// TestHostileSoakSigV4 sends 20,000 adversarial requests (2,000 with
// -short) with broken Signature Version 4 headers to an emulator that
// verifies signatures: the verifier never panics or answers 5xx, and
// every answer is an error (nothing unsigned gets through).
func TestHostileSoakSigV4(t *testing.T) {
	total, clients := 20_000, 8
	if testing.Short() {
		total = 2_000
	}
	reg := prometheus.NewPedanticRegistry()
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 78, Registerer: reg,
		Credentials:       &emulator.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"},
		ReadHeaderTimeout: soakReadHeaderTimeout, ReadTimeout: soakReadTimeout, IdleTimeout: soakIdleTimeout})
	info, err := srv.CreateFunction("soak", []byte(allowCode), emulator.FunctionConfig{})
	if err != nil {
		t.Fatal(err)
	}
	st := runSoak(srv.Addr().String(), info, clients, total, 3, true)
	mfs := gather(t, reg)
	served, _ := testsupport.SumSeries(mfs, "cffuzz_emulator_requests_total", nil)
	var ok float64
	for _, code := range []string{"200", "201", "204"} {
		n, _ := testsupport.SumSeries(mfs, "cffuzz_emulator_requests_total", map[string]string{"code": code})
		ok += n
	}
	t.Logf("%d requests, %d answered, %.0f by the API's handler, %.0f of them 2xx", st.sent.Load(), st.answered.Load(), served, ok)
	for _, f := range st.failures {
		t.Errorf("failure: %s", f)
	}
	if p := srv.Panics(); p != 0 {
		t.Errorf("the emulator panicked %d times", p)
	}
	if ok != 0 {
		t.Errorf("%.0f requests with broken signatures were answered 2xx", ok)
	}
	if served < 0.7*float64(total) {
		t.Errorf("the API's handler answered %.0f of %d requests", served, total)
	}
}
