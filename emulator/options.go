package emulator

import (
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// Defaults of Options. The limits are CloudFront's documented quotas.
const (
	// DefaultAccountID is the account the emulator pretends to be.
	DefaultAccountID = "123456789012"
	// DefaultMaxFunctions is CloudFront's quota of connection functions per account.
	DefaultMaxFunctions = 100
	// DefaultMaxCodeBytes is CloudFront's 10 KB function size quota.
	DefaultMaxCodeBytes = 10240
	// DefaultMaxObjectBytes is the model's 40,960-byte ConnectionObject limit.
	DefaultMaxObjectBytes = 40960
	// DefaultMaxBodyBytes caps request bodies: enough for a 40,960-byte
	// code or object blob in base64 with the XML around it.
	DefaultMaxBodyBytes = 256 << 10
	// MaxBlobBytes is the model's length limit on ConnectionFunctionCode
	// (FunctionBlob, 1–40,960 bytes). Code between MaxCodeBytes and
	// MaxBlobBytes passes the model and fails the quota (413).
	MaxBlobBytes = 40960
	// DefaultReadHeaderTimeout is how long the HTTP server Start runs waits
	// for a request's headers, from the first byte (or from connection
	// when it is the connection's first request).
	DefaultReadHeaderTimeout = 10 * time.Second
	// DefaultReadTimeout is how long the HTTP server waits for a whole
	// request, headers and body: a client that sends its body slowly or
	// not at all is disconnected after it.
	DefaultReadTimeout = 30 * time.Second
	// DefaultIdleTimeout is how long a keep-alive connection may wait for
	// its next request.
	DefaultIdleTimeout = 60 * time.Second
	// DefaultMaxConnections caps the connections the HTTP server holds at
	// once; more wait in the listen backlog until one closes.
	DefaultMaxConnections = 512
)

// ObjectValidation values: how TestConnectionFunction treats a
// ConnectionObject that is not a JSON object.
const (
	// ObjectValidationJSON (the default) answers 400 InvalidArgument
	// "The connection object is not valid JSON: ..." without running the function.
	ObjectValidationJSON = "json"
	// ObjectValidationNone runs the function on whatever bytes were sent.
	ObjectValidationNone = "none"
)

// Base64 values: how request blobs (ConnectionFunctionCode, ConnectionObject) are decoded.
const (
	// Base64Strict (the default) accepts the standard alphabet with padding,
	// as every AWS SDK sends it; XML whitespace (space, tab, CR, LF) inside
	// the text is ignored.
	Base64Strict = "strict"
	// Base64Lenient also accepts the URL-safe alphabet and missing padding.
	Base64Lenient = "lenient"
)

// Options configures a Server. The zero value is useful: every zero field
// takes the default documented on it.
type Options struct {
	// AccountID appears in ARNs (default DefaultAccountID).
	AccountID string
	// Executor runs the functions TestConnectionFunction tests. Nil means
	// runtime.NewInProcess(runtime.Options{}), which the Server owns and
	// closes; an Executor passed in is never closed by the Server.
	Executor runtime.Executor
	// MaxFunctions is the number of connection functions the account may
	// hold (default DefaultMaxFunctions); one more is EntityLimitExceeded.
	MaxFunctions int
	// MaxCodeBytes is the function size quota (default DefaultMaxCodeBytes);
	// larger code is EntitySizeLimitExceeded 413.
	MaxCodeBytes int
	// MaxObjectBytes is the ConnectionObject limit (default
	// DefaultMaxObjectBytes); larger objects fail model validation.
	MaxObjectBytes int
	// MaxBodyBytes caps request bodies (default DefaultMaxBodyBytes); a
	// larger body is answered 413 EntitySizeLimitExceeded unread.
	MaxBodyBytes int64
	// Credentials, when set, makes the Server verify AWS Signature Version 4
	// on every request against them. Nil accepts signed and unsigned
	// requests alike without checking.
	Credentials *Credentials
	// Faults injects throttles, server errors, latency and dropped
	// connections. The zero value injects nothing.
	Faults Faults
	// RateLimit throttles requests above a rate, as AWS does (400
	// Throttling "Rate exceeded"). The zero value does not limit.
	RateLimit RateLimit
	// Registerer receives the emulator's metrics (cffuzz_emulator_*). Nil
	// records no metrics. Use your own registry, not the global one.
	Registerer prometheus.Registerer
	// Clock returns the current time for timestamps, signature expiry and
	// the functions' Date (default time.Now).
	Clock func() time.Time
	// Seed makes function ids, ETags, request ids and injected faults
	// deterministic; it also seeds the functions' Math.random. Zero seeds
	// from the clock.
	Seed int64
	// ObjectValidation is ObjectValidationJSON (default) or ObjectValidationNone.
	ObjectValidation string
	// Base64 is Base64Strict (default) or Base64Lenient.
	Base64 string
	// RejectSyntaxErrors makes Create and Update answer 400 InvalidArgument
	// for code that runtime.Check rejects (a syntax error or a feature
	// cloudfront-js-2.0 lacks). By default such code is stored and the
	// error is reported by TestConnectionFunction, as a function error.
	RejectSyntaxErrors bool
	// ReadHeaderTimeout, ReadTimeout and IdleTimeout bound how long the
	// HTTP server Start runs (see Server.HTTPServer) waits for a request's
	// headers, for a whole request with its body, and for the next request
	// on a keep-alive connection (defaults DefaultReadHeaderTimeout,
	// DefaultReadTimeout, DefaultIdleTimeout). A connection that runs out
	// of time is closed, so slow-body and idle clients cannot hold the
	// server's connections.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	IdleTimeout       time.Duration
	// MaxConnections caps the connections the HTTP server accepts at once
	// (default DefaultMaxConnections; negative: no cap). Further clients
	// wait in the operating system's listen backlog until a connection
	// closes; with the timeouts above, no client holds one forever.
	MaxConnections int
	// Logger receives one debug line per request (operation, status,
	// duration, request id) and warnings about executor failures. It never
	// receives function code, connection objects, function logs or
	// credentials. Nil discards.
	Logger *slog.Logger
}

// Credentials are the AWS credentials a Server accepts when it verifies
// Signature Version 4.
type Credentials struct {
	// AccessKeyID and SecretAccessKey are the key pair requests must be
	// signed with.
	AccessKeyID     string
	SecretAccessKey string
	// SessionToken, when set, must be sent as X-Amz-Security-Token.
	SessionToken string
	// MaxSkew is how far X-Amz-Date may be from the Server's clock
	// (default 15 minutes, as AWS).
	MaxSkew time.Duration
}

// RateLimit is a token bucket over all requests of a Server.
type RateLimit struct {
	// PerSecond is the sustained rate; zero or less disables the limit.
	PerSecond float64
	// Burst is the bucket size (default 1).
	Burst int
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.AccountID == "" {
		o.AccountID = DefaultAccountID
	}
	if o.MaxFunctions <= 0 {
		o.MaxFunctions = DefaultMaxFunctions
	}
	if o.MaxCodeBytes <= 0 {
		o.MaxCodeBytes = DefaultMaxCodeBytes
	}
	if o.MaxObjectBytes <= 0 {
		o.MaxObjectBytes = DefaultMaxObjectBytes
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.ReadHeaderTimeout <= 0 {
		o.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = DefaultReadTimeout
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.MaxConnections == 0 {
		o.MaxConnections = DefaultMaxConnections
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Seed == 0 {
		o.Seed = time.Now().UnixNano()
	}
	if o.ObjectValidation == "" {
		o.ObjectValidation = ObjectValidationJSON
	}
	if o.Base64 == "" {
		o.Base64 = Base64Strict
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Credentials != nil && o.Credentials.MaxSkew <= 0 {
		c := *o.Credentials
		c.MaxSkew = 15 * time.Minute
		o.Credentials = &c
	}
	if o.RateLimit.PerSecond > 0 && o.RateLimit.Burst <= 0 {
		o.RateLimit.Burst = 1
	}
	return o
}
