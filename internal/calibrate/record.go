package calibrate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/smithy-go"
	"golang.org/x/time/rate"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/target"
)

// Defaults of Options.
const (
	// DefaultRepeats is how many times each work probe runs on the target
	// and on the emulator's runtime, alternately (the least of each side is
	// kept: see Answer.Utilization).
	DefaultRepeats = 5
	// DefaultAWSRate is the request rate against AWS (requests per second).
	DefaultAWSRate = 2
	// measureTimeLimit lets the largest work probe finish while its CPU
	// time is measured.
	measureTimeLimit = 2 * time.Second
)

// Options configures Record.
type Options struct {
	// SDK locates the target: Endpoint ("" for AWS), Region, Credentials.
	// Its FunctionID, ETag and Stage are ignored (every probe is a new
	// function, tested on DEVELOPMENT).
	SDK target.SDKOptions
	// Label names the target in the file ("aws" or the endpoint URL;
	// default derived from SDK.Endpoint).
	Label string
	// Probes is the suite (default Probes()).
	Probes []Probe
	// Repeats is how many times each work probe runs (default
	// DefaultRepeats); other probes run once.
	Repeats int
	// Rate bounds API calls per second (0: DefaultAWSRate against AWS,
	// unlimited against an endpoint; negative: unlimited).
	Rate float64
	// Prefix starts the names of the probe functions (default
	// "cffuzz-cal-" and a random suffix); each is deleted after its probe.
	Prefix string
	// Version is cffuzz's version, written into the file.
	Version string
	// Log receives one line per probe (nil discards).
	Log io.Writer
}

// Record runs every probe on the target and returns the calibration with
// its fit. It fails when the target cannot be used at all (the first probe
// cannot be deployed, a transport error persists); a probe the target
// refuses is an answer, recorded like any other.
func Record(ctx context.Context, opts Options) (*File, error) {
	if opts.Probes == nil {
		opts.Probes = Probes()
	}
	if opts.Repeats <= 0 {
		opts.Repeats = DefaultRepeats
	}
	if opts.Label == "" {
		opts.Label = "aws"
		if opts.SDK.Endpoint != "" {
			opts.Label = opts.SDK.Endpoint
		}
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.Prefix == "" {
		var b [3]byte
		_, _ = rand.Read(b[:])
		opts.Prefix = "cffuzz-cal-" + hex.EncodeToString(b[:])
	}
	limit := rate.Inf
	switch {
	case opts.Rate > 0:
		limit = rate.Limit(opts.Rate)
	case opts.Rate == 0 && opts.SDK.Endpoint == "":
		limit = DefaultAWSRate
	}
	client, err := target.NewClient(ctx, opts.SDK)
	if err != nil {
		return nil, err
	}
	r := &recorder{opts: opts, client: client, limiter: rate.NewLimiter(limit, 1),
		local: runtime.NewInProcess(runtime.Options{TimeLimit: measureTimeLimit})}
	defer r.local.Close()

	f := &File{Version: Version, Target: opts.Label, Recorded: time.Now().UTC(), Cffuzz: opts.Version, Repeats: opts.Repeats}
	f.HostSpeedFactor, _ = runtime.ExecutorSpeedFactor(r.local)
	for i, p := range opts.Probes {
		rec, err := r.probe(ctx, p, i == 0)
		if err != nil {
			return nil, fmt.Errorf("probe %s: %w", p.Name, err)
		}
		fmt.Fprintf(opts.Log, "probe %d/%d %-30s %s\n", i+1, len(opts.Probes), p.Name, summary(rec.Target))
		f.Probes = append(f.Probes, rec)
	}
	f.Fit = FitFile(f)
	return f, nil
}

// summary is a one-line description of an answer for the log.
func summary(a Answer) string {
	switch {
	case a.Deploy != "":
		return "not deployed: " + truncate(a.Deploy, 80)
	case a.ErrorCode != "":
		return fmt.Sprintf("API error %d %s", a.Status, a.ErrorCode)
	case a.FunctionError != "":
		return fmt.Sprintf("utilization %d, error %s", a.Utilization(), truncate(a.FunctionError, 80))
	}
	return fmt.Sprintf("utilization %d, output %s", a.Utilization(), truncate(a.Output, 80))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

type recorder struct {
	opts    Options
	client  *cloudfront.Client
	limiter *rate.Limiter
	local   runtime.Executor
}

var nameUnsafe = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)

// functionName is the probe function's name: [a-zA-Z0-9-_]{1,64}.
func (r *recorder) functionName(p Probe) string {
	n := r.opts.Prefix + "-" + nameUnsafe.ReplaceAllString(p.Name, "-")
	if len(n) > 64 {
		n = n[:64]
	}
	return n
}

// probe deploys p, runs it and deletes it.
func (r *recorder) probe(ctx context.Context, p Probe, first bool) (Recording, error) {
	rec := Recording{Probe: p}
	if err := r.limiter.Wait(ctx); err != nil {
		return rec, err
	}
	id, etag, err := target.Deploy(ctx, r.client, target.Deployment{Name: r.functionName(p), Code: []byte(p.Code), Comment: "cffuzz calibration probe " + p.Name})
	if err != nil {
		var ae smithy.APIError
		if first || !errors.As(err, &ae) || ctx.Err() != nil {
			return rec, fmt.Errorf("deploy the probe function: %w", err)
		}
		rec.Target.Deploy = ae.ErrorCode() + ": " + ae.ErrorMessage()
		return rec, nil
	}
	defer r.remove(ctx, id, etag)
	sdkOpts := r.opts.SDK
	sdkOpts.FunctionID, sdkOpts.ETag, sdkOpts.Stage = id, etag, "DEVELOPMENT"
	if sdkOpts.Name == "" {
		sdkOpts.Name = "calibrate"
	}
	sdk, err := target.NewSDK(ctx, sdkOpts)
	if err != nil {
		return rec, err
	}
	defer sdk.Close()
	// Work probes alternate between the target and the emulator's runtime,
	// so that both sides of each pair see the same load on this machine.
	var cpus []float64
	for range r.runs(p) {
		a, err := Run(ctx, sdk, p, 1, r.limiter)
		if err != nil {
			return rec, err
		}
		a.Utilizations = append(rec.Target.Utilizations, a.Utilizations...)
		rec.Target = a
		if p.Kind == KindWork && r.local != nil {
			cpu, err := r.measure(ctx, p)
			if err != nil {
				return rec, err
			}
			cpus = append(cpus, cpu)
		}
	}
	if len(cpus) > 0 {
		rec.EmulatorCPUMillis = slices.Min(cpus)
	}
	return rec, nil
}

func (r *recorder) runs(p Probe) int {
	if p.Kind == KindWork {
		return r.opts.Repeats
	}
	return 1
}

// remove deletes a probe function, even when ctx is done.
func (r *recorder) remove(ctx context.Context, id, etag string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_ = r.limiter.Wait(ctx)
	if _, err := r.client.DeleteConnectionFunction(ctx, &cloudfront.DeleteConnectionFunctionInput{Id: aws.String(id), IfMatch: aws.String(etag)}); err != nil {
		fmt.Fprintf(r.opts.Log, "warning: could not delete probe function %s: %v (delete it yourself)\n", id, err)
	}
}

// measure is the CPU time of one run of p on the emulator's runtime, in ms.
func (r *recorder) measure(ctx context.Context, p Probe) (float64, error) {
	res, err := r.local.Execute(ctx, runtime.Request{Code: []byte(p.Code), Object: []byte(p.Object), Seed: 1, Now: probeNow})
	if err != nil {
		return 0, fmt.Errorf("measure on the emulator's runtime: %w", err)
	}
	return float64(res.CPUTime) / float64(time.Millisecond), nil
}

// probeNow is the Date the emulator's runs see (probes do not read it).
var probeNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Run tests a deployed probe runs times through t and returns the answer:
// the last run's fields and every run's utilization. Throttles are waited
// out (up to 6 tries, backing off from one second) and transport errors
// retried (3 tries); what persists is an error.
func Run(ctx context.Context, t target.Target, p Probe, runs int, limiter *rate.Limiter) (Answer, error) {
	var a Answer
	for range max(runs, 1) {
		o, err := testOnce(ctx, t, p, limiter)
		if err != nil {
			return a, err
		}
		a.Status, a.ErrorCode, a.ErrorMessage = o.Status, o.ErrorCode, o.ErrorMessage
		a.FunctionError, a.Logs, a.Output = o.FunctionError, o.Logs, o.Output
		if o.OK() {
			a.Utilizations = append(a.Utilizations, o.Utilization)
		}
	}
	return a, nil
}

func testOnce(ctx context.Context, t target.Target, p Probe, limiter *rate.Limiter) (*cffuzz.Outcome, error) {
	backoff := time.Second
	transport := 0
	for try := 0; ; try++ {
		if limiter != nil {
			if err := limiter.Wait(ctx); err != nil {
				return nil, err
			}
		}
		o, err := t.Test(ctx, &cffuzz.Case{Family: "calibrate", Variant: p.Name, Object: []byte(p.Object)})
		switch {
		case err != nil:
			if transport++; transport >= 3 || ctx.Err() != nil {
				return nil, fmt.Errorf("TestConnectionFunction: %w", err)
			}
		case o.Throttled() && try < 5:
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(backoff):
			}
			backoff *= 2
		default:
			return o, nil
		}
	}
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
