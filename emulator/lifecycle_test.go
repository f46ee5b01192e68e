package emulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// This file is a stateful, model-based test of the function lifecycle:
// gopter generates sequences of API calls over a small pool of names, runs
// them through the AWS SDK against a fresh emulator per sequence, and checks
// every answer against a model of the emulator's documented rules
// (docs/emulator.md, "Errors and limits" and "Decisions").
//
// Generated commands are symbolic ("update fn-2 with its current ETag"):
// ETags are random, so the system under test (lcSUT) learns them from the
// answers and resolves the symbols at run time; the model predicts the
// status, error code, stage status and decision of each call.

// lcNames is the pool of function names; lcMaxFunctions is smaller so that
// creating hits EntityLimitExceeded.
var lcNames = []string{"fn-a", "fn-b", "fn-c", "fn-d", "fn-e", "fn-f", "fn-g"}

const lcMaxFunctions = 5

// lcCodes are the two versions a function's code alternates between, and
// the decision each makes.
var (
	lcCodes     = []string{allowCode, denyCode}
	lcDecisions = []string{"allow", "deny"}
)

// Fake ETags: well formed, never issued (a real one is "E" and 12 random
// uppercase alphanumerics, so a collision is a 1-in-36^12 event).
const (
	lcFakeETag  = "EFAKEFAKEFAKE"
	lcStaleETag = "ESTALESTALE00"
)

// etagChoice is which If-Match a command sends.
type etagChoice int

const (
	etagCurrent etagChoice = iota // the current ETag of the addressed stage
	etagStale                     // an ETag the function had before
	etagOther                     // the current ETag of the other stage
	etagMissing                   // an empty If-Match
)

func (e etagChoice) String() string {
	return [...]string{"current", "stale", "other-stage", "missing"}[e]
}

// lcFunction is the model of one function.
type lcFunction struct {
	published         bool
	devStatus         string
	devCode, liveCode int // indexes into lcCodes
}

// lcExpect is what the model predicts for the command that led to a state.
type lcExpect struct {
	status  int
	errCode string // "" on success
	// On success:
	summaryStatus string   // status of the stage in the answer's summary
	codeIdx       int      // code of the addressed stage (Get, Test)
	names         []string // List: every name, in name order
}

// lcModel is the model state: the functions by name, the emulator's seed
// and the expectation of the last command.
type lcModel struct {
	seed int64
	fns  map[string]lcFunction
	exp  lcExpect
}

// with returns a copy of m with name set to f (or removed when f is nil)
// and exp as the expectation: states are values, gopter reuses them.
func (m lcModel) with(name string, f *lcFunction, exp lcExpect) lcModel {
	fns := make(map[string]lcFunction, len(m.fns)+1)
	for k, v := range m.fns {
		fns[k] = v
	}
	if f != nil {
		fns[name] = *f
	} else {
		delete(fns, name)
	}
	return lcModel{seed: m.seed, fns: fns, exp: exp}
}

func (m lcModel) String() string { return fmt.Sprintf("seed=%d functions=%v", m.seed, m.fns) }

// lcOp is one generated command.
type lcOp struct {
	kind     string // create, describe, get, update, publish, test, delete, list
	name     string
	stage    string // DEVELOPMENT or LIVE (describe, get, test, list)
	etag     etagChoice
	code     int   // create, update
	maxItems int32 // list
	byID     bool  // describe, get: Identifier is the id rather than the name
}

func (op *lcOp) String() string {
	switch op.kind {
	case "create":
		return fmt.Sprintf("create(%s, %s)", op.name, lcDecisions[op.code])
	case "describe", "get":
		return fmt.Sprintf("%s(%s, %s, byID=%v)", op.kind, op.name, op.stage, op.byID)
	case "update":
		return fmt.Sprintf("update(%s, %s ETag, %s)", op.name, op.etag, lcDecisions[op.code])
	case "test":
		return fmt.Sprintf("test(%s, %s, %s ETag)", op.name, op.stage, op.etag)
	case "list":
		return fmt.Sprintf("list(%s, MaxItems %d)", op.stage, op.maxItems)
	}
	return fmt.Sprintf("%s(%s, %s ETag)", op.kind, op.name, op.etag)
}

// PreCondition accepts every state: a command on a missing function has an
// expected answer too (404), so shrunk sequences stay valid.
func (op *lcOp) PreCondition(commands.State) bool { return true }

func errExpect(status int, code string) lcExpect { return lcExpect{status: status, errCode: code} }

var (
	expNotFound     = errExpect(404, "EntityNotFound")
	expIfMatch      = errExpect(400, "InvalidIfMatchVersion")
	expPrecondition = errExpect(412, "PreconditionFailed")
)

// NextState is the model: the documented rules, in the documented order
// of checks (If-Match presence, lookup, ETag match).
func (op *lcOp) NextState(s commands.State) commands.State {
	m := s.(lcModel)
	f, exists := m.fns[op.name]
	keep := func(exp lcExpect) commands.State { return m.with("", nil, exp) }
	// ifMatch applies the If-Match checks of the DEVELOPMENT-ETag operations.
	ifMatch := func() (lcExpect, bool) {
		switch {
		case op.etag == etagMissing:
			return expIfMatch, false
		case !exists:
			return expNotFound, false
		case op.etag != etagCurrent:
			return expPrecondition, false
		}
		return lcExpect{}, true
	}
	switch op.kind {
	case "create":
		switch {
		case exists:
			return keep(errExpect(409, "EntityAlreadyExists"))
		case len(m.fns) >= lcMaxFunctions:
			return keep(errExpect(400, "EntityLimitExceeded"))
		}
		nf := lcFunction{devStatus: emulator.StatusUnpublished, devCode: op.code}
		return m.with(op.name, &nf, lcExpect{status: 201, summaryStatus: nf.devStatus, codeIdx: op.code})
	case "describe", "get":
		switch {
		case !exists:
			return keep(expNotFound)
		case op.stage == emulator.StageLive && !f.published:
			return keep(expNotFound)
		case op.stage == emulator.StageLive:
			return keep(lcExpect{status: 200, summaryStatus: emulator.StatusUnassociated, codeIdx: f.liveCode})
		}
		return keep(lcExpect{status: 200, summaryStatus: f.devStatus, codeIdx: f.devCode})
	case "update":
		if exp, ok := ifMatch(); !ok {
			return keep(exp)
		}
		f.devStatus, f.devCode = emulator.StatusUnpublished, op.code
		return m.with(op.name, &f, lcExpect{status: 200, summaryStatus: f.devStatus, codeIdx: f.devCode})
	case "publish":
		if exp, ok := ifMatch(); !ok {
			return keep(exp)
		}
		f.published, f.liveCode, f.devStatus = true, f.devCode, emulator.StatusUnassociated
		return m.with(op.name, &f, lcExpect{status: 200, summaryStatus: emulator.StatusUnassociated, codeIdx: f.liveCode})
	case "delete":
		if exp, ok := ifMatch(); !ok {
			return keep(exp)
		}
		return m.with(op.name, nil, lcExpect{status: 204})
	case "test":
		switch {
		case op.etag == etagMissing:
			return keep(expIfMatch)
		case !exists:
			return keep(expNotFound)
		case op.stage == emulator.StageLive && !f.published:
			// TestConnectionFunction on LIVE before publishing.
			return keep(expNotFound)
		case op.etag != etagCurrent:
			return keep(expPrecondition)
		case op.stage == emulator.StageLive:
			return keep(lcExpect{status: 200, summaryStatus: emulator.StatusUnassociated, codeIdx: f.liveCode})
		}
		return keep(lcExpect{status: 200, summaryStatus: f.devStatus, codeIdx: f.devCode})
	case "list":
		var names []string
		for name, f := range m.fns {
			if op.stage == emulator.StageDevelopment || f.published {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		return keep(lcExpect{status: 200, names: names})
	}
	panic("unknown command " + op.kind)
}

// lcResult is what running a command observed.
type lcResult struct {
	err     error
	status  int
	errCode string
	// etag is the ETag of the answer (Create, Update, Describe, Get) or,
	// after Publish, the new LIVE ETag read back with Describe.
	etag string
	// known is the ETag the SUT had for the addressed stage before the call;
	// dev the DEVELOPMENT ETag after it.
	known, dev    string
	fresh         bool // etag was never seen before
	stage         string
	summaryStatus string
	decision      string
	code          string
	names         []string
	pages         int
}

// lcSUT is a fresh emulator, an SDK client for it and what the client
// learned from the answers.
type lcSUT struct {
	srv       *emulator.Running
	startErr  error
	c         *cloudfront.Client
	ids       map[string]string   // name → id (kept after delete: its id then is unknown)
	dev, live map[string]string   // name → current ETags
	stale     map[string][]string // name → ETags retired by updates, publishes and deletes
	issued    map[string]bool     // every ETag ever seen
	// seen counts the answers of the whole property run, by
	// "command status code", to check that the run reached every rule.
	seen map[string]int
}

func (s *lcSUT) id(name string) string {
	if id, ok := s.ids[name]; ok {
		return id
	}
	return "cf_never_created_" + name
}

// etagFor resolves a symbolic If-Match for the stage of name.
func (s *lcSUT) etagFor(name, stage string, e etagChoice) string {
	cur, other := s.dev, s.live
	if stage == emulator.StageLive {
		cur, other = s.live, s.dev
	}
	var v string
	switch e {
	case etagCurrent:
		v = cur[name]
	case etagOther:
		v = other[name]
	case etagStale:
		if st := s.stale[name]; len(st) > 0 {
			v = st[len(st)-1]
		} else {
			v = lcStaleETag
		}
	case etagMissing:
		return ""
	}
	if v == "" {
		v = lcFakeETag
	}
	return v
}

// saw records an ETag and reports whether it was new.
func (s *lcSUT) saw(etag string) bool {
	if etag == "" || s.issued[etag] {
		return false
	}
	s.issued[etag] = true
	return true
}

func (s *lcSUT) retire(name string, etags ...string) {
	for _, e := range etags {
		if e != "" {
			s.stale[name] = append(s.stale[name], e)
		}
	}
}

// statusOf returns the HTTP status of a successful call's answer.
func statusOf(md middleware.Metadata) int {
	if r, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response); ok {
		return r.StatusCode
	}
	return 0
}

// summary extracts stage and status from a summary.
func summary(s *cftypes.ConnectionFunctionSummary) (stage, status string) {
	if s == nil {
		return "", ""
	}
	return string(s.Stage), aws.ToString(s.Status)
}

var lcConfig = &cftypes.FunctionConfig{Comment: aws.String("lifecycle"), Runtime: cftypes.FunctionRuntimeCloudfrontJs20}

// Run runs op through the SDK and updates what the SUT knows.
func (op *lcOp) Run(x commands.SystemUnderTest) commands.Result {
	s := x.(*lcSUT)
	if s.startErr != nil {
		return &lcResult{err: s.startErr}
	}
	r := op.run(s)
	s.seen[r.key(op)]++
	return r
}

func (op *lcOp) run(s *lcSUT) *lcResult {
	ctx := context.Background()
	r := &lcResult{stage: op.stage}
	fail := func(err error) *lcResult {
		r.err, r.status, r.errCode = err, httpStatus(err), apiCode(err)
		return r
	}
	switch op.kind {
	case "create":
		out, err := s.c.CreateConnectionFunction(ctx, &cloudfront.CreateConnectionFunctionInput{
			Name: aws.String(op.name), ConnectionFunctionCode: []byte(lcCodes[op.code]), ConnectionFunctionConfig: lcConfig,
		})
		if err != nil {
			return fail(err)
		}
		r.status, r.etag = statusOf(out.ResultMetadata), aws.ToString(out.ETag)
		r.stage, r.summaryStatus = summary(out.ConnectionFunctionSummary)
		r.fresh = s.saw(r.etag)
		s.ids[op.name], s.dev[op.name] = aws.ToString(out.ConnectionFunctionSummary.Id), r.etag
		delete(s.live, op.name)
	case "describe", "get":
		ident := op.name
		if op.byID {
			ident = s.id(op.name)
		}
		r.known = s.dev[op.name]
		if op.stage == emulator.StageLive {
			r.known = s.live[op.name]
		}
		stage := cftypes.FunctionStage(op.stage)
		if op.kind == "describe" {
			out, err := s.c.DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: aws.String(ident), Stage: stage})
			if err != nil {
				return fail(err)
			}
			r.status, r.etag = statusOf(out.ResultMetadata), aws.ToString(out.ETag)
			r.stage, r.summaryStatus = summary(out.ConnectionFunctionSummary)
		} else {
			out, err := s.c.GetConnectionFunction(ctx, &cloudfront.GetConnectionFunctionInput{Identifier: aws.String(ident), Stage: stage})
			if err != nil {
				return fail(err)
			}
			r.status, r.etag, r.code = statusOf(out.ResultMetadata), aws.ToString(out.ETag), string(out.ConnectionFunctionCode)
		}
		r.dev = s.dev[op.name]
	case "update":
		r.known = s.dev[op.name]
		out, err := s.c.UpdateConnectionFunction(ctx, &cloudfront.UpdateConnectionFunctionInput{
			Id: aws.String(s.id(op.name)), IfMatch: aws.String(s.etagFor(op.name, emulator.StageDevelopment, op.etag)),
			ConnectionFunctionCode: []byte(lcCodes[op.code]), ConnectionFunctionConfig: lcConfig,
		})
		if err != nil {
			return fail(err)
		}
		r.status, r.etag = statusOf(out.ResultMetadata), aws.ToString(out.ETag)
		r.stage, r.summaryStatus = summary(out.ConnectionFunctionSummary)
		r.fresh = s.saw(r.etag)
		s.retire(op.name, s.dev[op.name])
		s.dev[op.name], r.dev = r.etag, r.etag
	case "publish":
		r.known = s.live[op.name]
		out, err := s.c.PublishConnectionFunction(ctx, &cloudfront.PublishConnectionFunctionInput{
			Id: aws.String(s.id(op.name)), IfMatch: aws.String(s.etagFor(op.name, emulator.StageDevelopment, op.etag)),
		})
		if err != nil {
			return fail(err)
		}
		r.status = statusOf(out.ResultMetadata)
		r.stage, r.summaryStatus = summary(out.ConnectionFunctionSummary)
		// Publish answers without an ETag: read the new LIVE one back.
		d, err := s.c.DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: aws.String(s.id(op.name)), Stage: cftypes.FunctionStageLive})
		if err != nil {
			r.err = fmt.Errorf("describe LIVE after publish: %w", err)
			return r
		}
		r.etag, r.dev = aws.ToString(d.ETag), s.dev[op.name]
		r.fresh = s.saw(r.etag)
		s.retire(op.name, s.live[op.name])
		s.live[op.name] = r.etag
	case "test":
		out, err := s.c.TestConnectionFunction(ctx, &cloudfront.TestConnectionFunctionInput{
			Id: aws.String(s.id(op.name)), IfMatch: aws.String(s.etagFor(op.name, op.stage, op.etag)),
			Stage: cftypes.FunctionStage(op.stage), ConnectionObject: []byte(object),
		})
		if err != nil {
			return fail(err)
		}
		r.status = statusOf(out.ResultMetadata)
		res := out.ConnectionFunctionTestResult
		r.stage, r.summaryStatus = summary(res.ConnectionFunctionSummary)
		var o struct{ Decision string }
		if err := json.Unmarshal([]byte(aws.ToString(res.ConnectionFunctionOutput)), &o); err != nil {
			r.err = fmt.Errorf("ConnectionFunctionOutput %q: %w", aws.ToString(res.ConnectionFunctionOutput), err)
		}
		r.decision = o.Decision
	case "delete":
		out, err := s.c.DeleteConnectionFunction(ctx, &cloudfront.DeleteConnectionFunctionInput{
			Id: aws.String(s.id(op.name)), IfMatch: aws.String(s.etagFor(op.name, emulator.StageDevelopment, op.etag)),
		})
		if err != nil {
			return fail(err)
		}
		r.status = statusOf(out.ResultMetadata)
		s.retire(op.name, s.dev[op.name], s.live[op.name])
		delete(s.dev, op.name)
		delete(s.live, op.name)
	case "list":
		var marker *string
		for r.pages = 1; ; r.pages++ {
			out, err := s.c.ListConnectionFunctions(ctx, &cloudfront.ListConnectionFunctionsInput{
				MaxItems: aws.Int32(op.maxItems), Marker: marker, Stage: cftypes.FunctionStage(op.stage),
			})
			if err != nil {
				return fail(err)
			}
			r.status = statusOf(out.ResultMetadata)
			if len(out.ConnectionFunctions) > int(op.maxItems) {
				r.err = fmt.Errorf("page %d has %d functions, MaxItems %d", r.pages, len(out.ConnectionFunctions), op.maxItems)
				return r
			}
			for _, f := range out.ConnectionFunctions {
				r.names = append(r.names, aws.ToString(f.Name))
			}
			if out.NextMarker == nil || r.pages > 2*len(lcNames) {
				break
			}
			marker = out.NextMarker
		}
	}
	return r
}

// key names the answer of op for the coverage count.
func (r *lcResult) key(op *lcOp) string {
	k := fmt.Sprintf("%s %d %s", op.kind, r.status, r.errCode)
	if op.kind == "test" || op.kind == "describe" {
		k = fmt.Sprintf("%s %s %d %s", op.kind, op.stage, r.status, r.errCode)
	}
	return k
}

// PostCondition checks the answer against the model's expectation.
func (op *lcOp) PostCondition(s commands.State, x commands.Result) *gopter.PropResult {
	exp, r := s.(lcModel).exp, x.(*lcResult)
	failf := func(format string, args ...any) *gopter.PropResult {
		return gopter.NewPropResult(false, op.String()+": "+fmt.Sprintf(format, args...))
	}
	if r.status != exp.status || r.errCode != exp.errCode {
		return failf("got %d %q (%v), want %d %q", r.status, r.errCode, r.err, exp.status, exp.errCode)
	}
	if r.err != nil && exp.errCode == "" {
		return failf("%v", r.err)
	}
	if exp.errCode != "" {
		return gopter.NewPropResult(true, "")
	}
	switch op.kind {
	case "create", "update":
		switch {
		case !etagPattern.MatchString(r.etag) || !r.fresh:
			return failf("ETag %q is malformed or was issued before (an update must change it)", r.etag)
		case r.etag == r.known:
			return failf("ETag %q did not change", r.etag)
		case r.stage != emulator.StageDevelopment || r.summaryStatus != exp.summaryStatus:
			return failf("summary stage %s status %s, want DEVELOPMENT %s", r.stage, r.summaryStatus, exp.summaryStatus)
		}
	case "describe", "get":
		switch {
		case r.etag != r.known:
			return failf("ETag %q, want %q (the %s ETag the SDK last saw)", r.etag, r.known, op.stage)
		case op.stage == emulator.StageLive && r.etag == r.dev:
			return failf("LIVE and DEVELOPMENT share ETag %q", r.etag)
		case op.kind == "describe" && (r.stage != op.stage || r.summaryStatus != exp.summaryStatus):
			return failf("summary stage %s status %s, want %s %s", r.stage, r.summaryStatus, op.stage, exp.summaryStatus)
		case op.kind == "get" && r.code != lcCodes[exp.codeIdx]:
			return failf("code %q, want %q", r.code, lcCodes[exp.codeIdx])
		}
	case "publish":
		switch {
		case r.stage != emulator.StageLive || r.summaryStatus != emulator.StatusUnassociated:
			return failf("summary stage %s status %s, want LIVE UNASSOCIATED", r.stage, r.summaryStatus)
		case !etagPattern.MatchString(r.etag) || !r.fresh:
			return failf("new LIVE ETag %q is malformed or was issued before", r.etag)
		case r.etag == r.dev:
			return failf("LIVE ETag %q equals the DEVELOPMENT ETag", r.etag)
		}
	case "test":
		if r.stage != op.stage || r.summaryStatus != exp.summaryStatus || r.decision != lcDecisions[exp.codeIdx] {
			return failf("stage %s status %s decision %q, want %s %s %q", r.stage, r.summaryStatus, r.decision, op.stage, exp.summaryStatus, lcDecisions[exp.codeIdx])
		}
	case "list":
		if !slices.Equal(r.names, exp.names) {
			return failf("listed %v, want %v (every name once, in name order)", r.names, exp.names)
		}
		if want := max(1, (len(exp.names)+int(op.maxItems)-1)/int(op.maxItems)); r.pages != want {
			return failf("%d pages for %d functions, want %d", r.pages, len(exp.names), want)
		}
	}
	return gopter.NewPropResult(true, "")
}

// lcKinds weights the commands: each appears as often as it is listed.
var lcKinds = []string{
	"create", "create", "create", "describe", "get", "update", "update",
	"publish", "publish", "test", "test", "test", "delete", "list",
}

// genLcOp generates a command. Its name is, three times in four, one of
// the functions the model holds (when there are some), so that sequences
// go deep; otherwise, and always for create, any name of the pool. Every command fits every state.
func genLcOp(st commands.State) gopter.Gen {
	existing := slices.Sorted(maps.Keys(st.(lcModel).fns))
	return gopter.CombineGens(
		gen.IntRange(0, len(lcKinds)-1), gen.IntRange(0, 4*len(lcNames)-1), gen.Bool(),
		gen.IntRange(0, 5), gen.IntRange(0, len(lcCodes)-1), gen.IntRange(1, 4), gen.Bool(),
	).Map(func(v []any) commands.Command {
		n := v[1].(int)
		name := lcNames[n%len(lcNames)]
		if n < 3*len(lcNames) && len(existing) > 0 && lcKinds[v[0].(int)] != "create" {
			name = existing[n%len(existing)]
		}
		op := &lcOp{kind: lcKinds[v[0].(int)], name: name, stage: emulator.StageDevelopment,
			code: v[4].(int), maxItems: int32(v[5].(int)), byID: v[6].(bool)}
		if v[2].(bool) {
			op.stage = emulator.StageLive
		}
		// Half the calls carry the current ETag; the rest are spread over
		// the three wrong ones.
		op.etag = [...]etagChoice{etagCurrent, etagCurrent, etagCurrent, etagStale, etagOther, etagMissing}[v[3].(int)]
		return op
	})
}

// seen receives the coverage count of every sequence.
func lifecycleCommands(ex runtime.Executor, seen map[string]int) *commands.ProtoCommands {
	return &commands.ProtoCommands{
		NewSystemUnderTestFunc: func(st commands.State) commands.SystemUnderTest {
			s := &lcSUT{ids: map[string]string{}, dev: map[string]string{}, live: map[string]string{},
				stale: map[string][]string{}, issued: map[string]bool{}, seen: seen}
			s.srv, s.startErr = emulator.Start(emulator.Options{Seed: st.(lcModel).seed, MaxFunctions: lcMaxFunctions, Executor: ex}, "")
			if s.startErr == nil {
				s.c = newClient(s.srv.URL())
			}
			return s
		},
		DestroySystemUnderTestFunc: func(x commands.SystemUnderTest) {
			if s := x.(*lcSUT); s.srv != nil {
				_ = s.srv.Close()
			}
		},
		InitialStateGen: gen.Int64Range(1, 1<<40).Map(func(seed int64) lcModel {
			return lcModel{seed: seed, fns: map[string]lcFunction{}}
		}),
		GenCommandFunc: genLcOp,
	}
}

// lcMustSee are answers a run must have produced, or it tested less than it
// claims: every documented rule of the lifecycle.
var lcMustSee = []string{
	"create 201 ", "create 409 EntityAlreadyExists", "create 400 EntityLimitExceeded",
	"describe DEVELOPMENT 200 ", "describe LIVE 200 ", "describe LIVE 404 EntityNotFound",
	"get 200 ", "get 404 EntityNotFound",
	"update 200 ", "update 412 PreconditionFailed", "update 400 InvalidIfMatchVersion", "update 404 EntityNotFound",
	"publish 200 ", "publish 412 PreconditionFailed",
	"test DEVELOPMENT 200 ", "test LIVE 200 ", "test LIVE 404 EntityNotFound", "test DEVELOPMENT 412 PreconditionFailed",
	"test LIVE 412 PreconditionFailed", "test DEVELOPMENT 400 InvalidIfMatchVersion",
	"delete 204 ", "delete 412 PreconditionFailed", "list 200 ",
}

// TestLifecycleModel checks sequences of lifecycle calls through the SDK
// against the model. The long variant runs more and longer sequences.
func TestLifecycleModel(t *testing.T) {
	ex := runtime.NewInProcess(runtime.Options{})
	t.Cleanup(func() { _ = ex.Close() })
	tests := []struct {
		name      string
		seed      int64
		sequences int
		// Sequence lengths ramp from minLen to maxLen over the run.
		minLen, maxLen int
		long           bool
		reason         string
	}{
		{"short", 20260501, 100, 10, 40, false, "a hundred sequences reach every rule, including the function limit"},
		{"long", 7, 200, 20, 100, true, "longer sequences reach deep states: re-creation after delete, many stale ETags"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.long && testing.Short() {
				t.Skip("-short skips the long variant")
			}
			params := gopter.DefaultTestParametersWithSeed(tc.seed)
			params.MinSuccessfulTests = tc.sequences
			params.MinSize, params.MaxSize = tc.minLen, tc.maxLen
			props := gopter.NewProperties(params)
			seen := map[string]int{}
			props.Property("the emulator follows the lifecycle model ("+tc.reason+")", commands.Prop(lifecycleCommands(ex, seen)))
			props.TestingRun(t)
			if t.Failed() {
				return // the coverage of a shrunk failure means nothing
			}
			for _, k := range lcMustSee {
				if seen[k] == 0 {
					t.Errorf("no command got %q: the generated sequences miss a rule (seen: %v)", k, seen)
				}
			}
		})
	}
}
