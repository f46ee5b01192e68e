package target

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cffuzz/cffuzz"
)

// Defaults of the setup calls (Describe, List, Create, Update, Publish)
// made by Deploy and NewSDK.
const (
	// DefaultCallTimeout bounds one API call when no timeout is given.
	DefaultCallTimeout = 30 * time.Second
	// DefaultSetupRetries is how often a throttled or transiently failed
	// setup call is retried.
	DefaultSetupRetries = 6
)

// CallPolicy bounds and retries the setup calls to an API. The zero value
// uses DefaultCallTimeout and DefaultSetupRetries.
type CallPolicy struct {
	// Timeout bounds each call; zero means DefaultCallTimeout.
	Timeout time.Duration
	// Retries is how often a call is retried after a throttle, a 5xx or
	// (for calls that change nothing) a transport failure; zero means
	// DefaultSetupRetries, negative means never.
	Retries int
	// Backoff is the first pause between attempts, doubled on each retry
	// up to 32 times it, with jitter; zero means 200 ms.
	Backoff time.Duration
}

func (p CallPolicy) withDefaults() CallPolicy {
	if p.Timeout <= 0 {
		p.Timeout = DefaultCallTimeout
	}
	switch {
	case p.Retries == 0:
		p.Retries = DefaultSetupRetries
	case p.Retries < 0:
		p.Retries = 0
	}
	if p.Backoff <= 0 {
		p.Backoff = 200 * time.Millisecond
	}
	return p
}

// call runs f with a per-call timeout, retrying with exponential backoff
// and jitter while the failure is retryable: a throttle, a 429 or a 503
// always (the call was refused, not applied); another 5xx or a transport
// failure (no answer, a timeout) only when idempotent is set, as a create
// that timed out may have happened. what names the call in errors.
func (p CallPolicy) call(ctx context.Context, what string, idempotent bool, f func(context.Context) error) error {
	p = p.withDefaults()
	var err error
	for attempt := 0; ; attempt++ {
		cctx, cancel := context.WithTimeout(ctx, p.Timeout)
		err = f(cctx)
		timedOut := cctx.Err() == context.DeadlineExceeded && ctx.Err() == nil
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", what, ctx.Err())
		}
		if timedOut {
			// A target that did not answer within the timeout is hung,
			// not throttled: waiting for it again only delays the verdict.
			return fmt.Errorf("no answer within %s (the target hangs or is unreachable; raise --timeout if it is only slow): %w", p.Timeout, err)
		}
		if attempt >= p.Retries || !retryable(err, idempotent) {
			break
		}
		d := p.Backoff << min(attempt, 5)
		d += time.Duration(rand.Int64N(int64(d)/2 + 1))
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s: %w", what, ctx.Err())
		}
	}
	return err
}

// retryable reports whether a failed setup call is worth another attempt.
func retryable(err error, idempotent bool) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) && cffuzz.IsThrottleCode(ae.ErrorCode()) {
		return true
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil && re.HTTPStatusCode() != 0 {
		s := re.HTTPStatusCode()
		// 429 and 503 say the call was refused, not applied; another
		// 5xx may hide a change that happened.
		return s == 429 || s == 503 || (idempotent && s >= 500)
	}
	return idempotent
}
