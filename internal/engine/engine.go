package engine

import (
	"errors"
	"math"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/coverage"
	"github.com/cffuzz/cffuzz/generators"
)

// Family is the Case.Family of the cases the engine mutates from its queue.
const Family = "feedback"

// Defaults of Options.
const (
	// DefaultQueueShare is the share of case indexes that mutate a queue
	// entry once the queue holds one; the others run the blind families.
	DefaultQueueShare = 0.5
	// DefaultMaxQueue bounds the queue.
	DefaultMaxQueue = 2048
	// DefaultMaxDictionary bounds the live dictionary of captured operands.
	DefaultMaxDictionary = 1024
)

// Options configures an Engine. Only Generator is required.
type Options struct {
	// Generator builds the blind cases (its families, weights, seeds and
	// dictionary) and gives the present that dates are placed around.
	Generator *generators.Generator
	// Map describes the instrumented function. It is optional: with it,
	// input-to-state replacement knows each comparison's operator
	// (startsWith puts the other operand in front, endsWith at the end) and
	// Coverage knows the number of edges before any were reached.
	Map *coverage.Map
	// QueueShare is the share of case indexes given to queue mutation once
	// the queue is not empty (default DefaultQueueShare; at most 0.9, so
	// that the blind families always keep a tenth of the cases).
	QueueShare float64
	// MaxQueue bounds the queue (default DefaultMaxQueue). Once full, only
	// inputs that reach a new edge or bucket are still added.
	MaxQueue int
	// MaxDictionary bounds the live dictionary (default DefaultMaxDictionary);
	// once full, new operands replace the oldest.
	MaxDictionary int
	// Keys are the keys of the function's key-value store. A lookup of a
	// key that was computed from fields (captured as a "get" or "exists"
	// comparison) is paired with the nearest of them, and input-to-state
	// replacement writes that key's parts back into the fields.
	Keys []string
	// Tokens start the live dictionary: typically the generator's
	// dictionary (the function's literals, its key-value store's keys and
	// values). Captured operands join them as the campaign runs.
	Tokens []string
}

// Engine is a feedback-guided case source: it implements the runner's
// CaseSource (Case) and Learner (Learn). It is safe for concurrent use.
type Engine struct {
	keys  []string
	gen   *generators.Generator
	donor *generators.Generator // production objects, for splicing in missing parts
	m     *coverage.Map
	now   time.Time
	share float64
	maxQ  int
	maxD  int

	mu sync.RWMutex
	st state
}

// state is everything the engine learned: it changes only in Learn.
type state struct {
	seen []uint16 // per edge: the buckets (coverage.Bucket) seen, as bits
	// seenProd is seen for production inputs only: an edge first reached
	// by an input CloudFront could never send is new again when a
	// production input reaches it (findings on production inputs are the
	// ones that count, and the children of a malformed input stay malformed).
	seenProd []uint16
	maxHits  []uint32 // per edge: the largest hit count of one run
	total    []uint64 // per edge: hits over the campaign
	sites    map[int]*siteState

	queue []*entry
	cum   []float64 // cumulative scheduling weights, parallel to queue
	// costliest is the production entry whose run made the most edge hits:
	// the top of the climb towards expensive inputs (PerfFuzz favours the
	// inputs that hold a maximum; this is the one that holds the largest).
	costliest *entry
	// climbFails counts the children of the costliest entry since it
	// became the costliest that were not better: the climb pauses at
	// maxClimbFails (the input cannot grow further, or its growth only
	// runs into the time limit).
	climbFails int

	dictStr []string
	dictNum []float64
	// dictNumKey is the text of each of dictNum, for rebuilding dictSeen.
	dictNumKey []string
	dictSeen   map[dictKey]bool
	dictNext   int // ring position once the dictionary is full

	learned  int64
	byReason map[string]int
}

// siteState is the best progress seen at one comparison site.
type siteState struct {
	results   uint8   // 1: a true result seen, 2: a false one
	closeness int     // strings: the longest common prefix or suffix
	distance  float64 // numbers: the smallest ⌊log2(|a-b|+1)⌋
	firstTrue int64   // the outcome (Stats.Learned) whose run first saw it hold
}

// entry is one input of the queue and what made it interesting.
type entry struct {
	id     int
	object []byte
	tree   *generators.Tree
	cmps   []coverage.Comparison
	reason string // "edge", "bucket", "cost" or "cmp"
	depth  int    // mutations from a blind case (0: the case itself)
	cost   uint64 // total edge hits of its run
	class  cffuzz.Class
	// lists are the fields the program split into lists (a SAN list split
	// at commas, a DN): the repeated structures growth for cost grows.
	lists []listField
	// solved are the comparison sites that held for the first time in its
	// run: what it achieved, and where to look next (the same value in
	// another form, an escaped separator before it, the other arm).
	solved []int
	// views are its fields through each of transforms (fieldViews), for
	// input-to-state replacement: computed once, not on every try.
	views [][]string
}

// listField is a field the program split, and the separator it split at.
type listField struct {
	path, sep string
}

// The reasons an input joins the queue, best first.
const (
	ReasonEdge   = "edge"
	ReasonBucket = "bucket"
	ReasonCmp    = "cmp"
	ReasonCost   = "cost"
)

var reasonRank = map[string]int{"": 0, ReasonCost: 1, ReasonCmp: 2, ReasonBucket: 3, ReasonEdge: 4}

// New returns an Engine for opts.
func New(opts Options) (*Engine, error) {
	if opts.Generator == nil {
		return nil, errors.New("engine: no generator: pass Options.Generator (generators.New)")
	}
	e := &Engine{keys: opts.Keys, gen: opts.Generator, m: opts.Map, now: opts.Generator.Now(),
		share: opts.QueueShare, maxQ: opts.MaxQueue, maxD: opts.MaxDictionary}
	if d, err := generators.New(generators.Options{Now: e.now, Weights: map[string]int{generators.FamilyProduction: 1}}); err == nil {
		e.donor = d
	}
	if e.share <= 0 {
		e.share = DefaultQueueShare
	}
	e.share = min(e.share, 0.9)
	if e.maxQ <= 0 {
		e.maxQ = DefaultMaxQueue
	}
	if e.maxD <= 0 {
		e.maxD = DefaultMaxDictionary
	}
	e.st.sites = map[int]*siteState{}
	e.st.dictSeen = map[dictKey]bool{}
	e.st.byReason = map[string]int{}
	if e.m != nil {
		e.grow(len(e.m.Edges))
	}
	for _, t := range opts.Tokens {
		e.remember(coverage.Operand{Kind: "string", Str: t})
		if f, err := strconv.ParseFloat(t, 64); err == nil {
			e.remember(coverage.Operand{Kind: "number", Str: t, Num: f})
		}
	}
	return e, nil
}

// SetMap gives the engine the function's map once it is known (the
// instrumented function is compiled after the engine is built). Call it
// before the campaign starts.
func (e *Engine) SetMap(m *coverage.Map) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.m = m
	if m != nil {
		e.grow(len(m.Edges))
	}
}

// rng is the engine's own random source for one case, independent of the
// generator's.
func rng(seed int64, index uint64) *rand.Rand {
	s := uint64(seed)*0x9e3779b97f4a7c15 ^ (index+0x632be59bd9b4e019)*0xbf58476d1ce4e5b9
	return rand.New(generators.SplitMix(s))
}

// Case returns case index of the campaign seeded with seed: a mutation of
// a queue entry for a share of the indexes once the queue holds inputs,
// the generator's case otherwise. For a given learned state it is a pure
// function of (seed, index).
func (e *Engine) Case(seed int64, index uint64) cffuzz.Case {
	r := rng(seed, index)
	e.mu.RLock()
	p := e.choose(r)
	if p == nil {
		e.mu.RUnlock()
		return e.gen.Case(seed, index)
	}
	var c cffuzz.Case
	// A child of an input CloudFront could send should be one too: a
	// mutation that breaks a documented enumeration or format is retried a
	// few times (such inputs' findings are capped at low severity).
	for try := 0; try < maxTries; try++ {
		t, variant := e.mutate(r, p)
		c = generators.ReclassifyTree(cffuzz.Case{Seed: seed, Index: index, Family: Family, Variant: variant}, t)
		if p.class != cffuzz.ClassProduction || c.Class == cffuzz.ClassProduction {
			break
		}
		if t.Repair(r) {
			if c2 := generators.ReclassifyTree(c, t); c2.Class == cffuzz.ClassProduction {
				c = c2
				break
			}
		}
	}
	e.mu.RUnlock()
	if c.Class == cffuzz.ClassProduction && beyondCertificates(c.Object) {
		c.Class = cffuzz.ClassBoundary
	}
	return c
}

// maxTries bounds the mutations tried for a production child.
const maxTries = 4

// MaxCertificateBytes is the largest certificate a trust store takes
// (16 KB), and MaxDNComponents more components than a distinguished name
// of a real certificate has. Growth can make a certificate's fields longer
// than any certificate carries: such a child is a boundary input, as the
// boundary family's long DNs and SAN lists are (and slowness on it is low
// severity: goja is slower than CloudFront's runtime on huge values, see
// oracles.capSlow).
const (
	MaxCertificateBytes = 16 * 1024
	MaxDNComponents     = 32
)

// beyondCertificates reports whether one certificate of object carries
// more than a certificate can: text fields adding up to more than
// MaxCertificateBytes, or an issuer or subject of more than
// MaxDNComponents components.
func beyondCertificates(object []byte) bool {
	return len(object) >= 16*MaxDNComponents && mayBeBeyond(object) && overCertificates(object)
}

// overCertificates is beyondCertificates without its prechecks.
func overCertificates(object []byte) bool {
	t, ok := generators.ParseTree(object)
	if !ok {
		return false
	}
	size := map[string]int{}
	for _, l := range t.Leaves() {
		if (l.Key == "issuer" || l.Key == "subject") && dnComponents(l.Value) > MaxDNComponents {
			return true
		}
		cert := l.Path
		if i := strings.LastIndexByte(cert, '.'); i >= 0 {
			cert = cert[:i]
		}
		cert = strings.TrimSuffix(cert, ".validity")
		size[cert] += len(l.Value)
		if size[cert] > MaxCertificateBytes {
			return true
		}
	}
	return false
}

// mayBeBeyond is beyondCertificates' cheap, allocation-free precheck: it
// reports false only when no certificate of object can carry too much. A
// decoded string is never longer than its valid UTF-8 encoding, so an
// object of at most MaxCertificateBytes cannot exceed the size; and a
// string with fewer than MaxDNComponents commas, plus signs and
// backslashes (every escape, \u002c included, starts with one) cannot
// decode to a DN of more components.
func mayBeBeyond(object []byte) bool {
	if len(object) > MaxCertificateBytes || !utf8.Valid(object) {
		return true
	}
	in, n := false, 0
	for i := 0; i < len(object); i++ {
		c := object[i]
		if !in {
			if c == '"' {
				in, n = true, 0
			}
			continue
		}
		switch c {
		case '"':
			in = false
		case '\\':
			n++
			i++
		case ',', '+':
			n++
		}
		if n >= MaxDNComponents {
			return true
		}
	}
	return in
}

// dnComponents counts the components of a DN: its unescaped commas and
// plus signs, plus one.
func dnComponents(dn string) int {
	n := 1
	for i := 0; i < len(dn); i++ {
		switch dn[i] {
		case '\\':
			i++
		case ',', '+':
			n++
		}
	}
	return n
}

// choose picks the queue entry case r mutates, or nil for a blind case.
// Half of the picks go to the newest entries (what was just learned is
// the likeliest to lead further), half by weight over the whole queue.
func (e *Engine) choose(r *rand.Rand) *entry {
	q := e.st.queue
	if len(q) == 0 || r.Float64() >= e.share {
		return nil
	}
	if c := e.st.costliest; c != nil && e.st.climbFails < maxClimbFails && chance(r, climbShare) {
		return c
	}
	if chance(r, 0.4) {
		// The newest inputs CloudFront could send that reached a new edge,
		// made comparison progress or first made a comparison hold: the
		// frontier (or the newest at all).
		var newest [8]*entry
		n := 0
		for i := len(q) - 1; i >= 0 && n < len(newest) && i >= len(q)-64; i-- {
			if q[i].class == cffuzz.ClassProduction && (q[i].reason == ReasonEdge || q[i].reason == ReasonCmp || len(q[i].solved) > 0) {
				newest[n] = q[i]
				n++
			}
		}
		if n == 0 {
			return q[len(q)-1-r.Intn(min(len(q), 8))]
		}
		return newest[r.Intn(n)]
	}
	total := e.st.cum[len(e.st.cum)-1]
	x := r.Float64() * total
	i := sort.SearchFloat64s(e.st.cum, x)
	return q[min(i, len(q)-1)]
}

// climbShare is the share of queue picks that go to the costliest entry
// (most of them grow it: the climb towards inputs that cost the most).
const climbShare = 0.1

// maxClimbFails is how many children of the costliest entry in a row may
// fail to beat it before the climb pauses (until another entry costs more).
const maxClimbFails = 64

// cheapHits is the cost (edge hits in one run) up to which an entry's
// scheduling weight is not reduced for being expensive.
const cheapHits = 2000

// weight is an entry's scheduling weight: by what made it interesting, for
// inputs CloudFront could send over others, short over long.
func weight(en *entry) float64 {
	w := float64(1 + reasonRank[en.reason])
	switch en.class {
	case cffuzz.ClassProduction:
		w *= 2
	case cffuzz.ClassMalformed:
		w /= 4 // its children stay malformed: their findings are capped
	}
	if len(en.object) > 8192 {
		w /= 2
	}
	// Expensive inputs (many edge hits: long loops) less often, as AFL
	// favours fast inputs — counted in hits, not time, so that the
	// schedule does not depend on the machine. The climb (choose) grows
	// the costliest on its own share.
	if en.cost > cheapHits {
		w *= max(float64(cheapHits)/float64(en.cost), 1.0/16)
	}
	return w
}

// Learn takes what case c reached (o.Feedback) into account; an outcome
// without feedback is ignored. An input that reached something new joins
// the queue. It is the only method that changes the engine's state.
func (e *Engine) Learn(c *cffuzz.Case, o *cffuzz.Outcome) {
	if c == nil || o == nil || o.Feedback == nil {
		return
	}
	fb := o.Feedback
	e.mu.Lock()
	defer e.mu.Unlock()
	s := &e.st
	s.learned++
	e.grow(len(fb.Hits))
	var parent *entry
	if c.Family == Family {
		// The parent Case chose: at one worker the queue is as it was then.
		parent = e.choose(rng(c.Seed, c.Index))
		if parent != nil && parent == s.costliest {
			s.climbFails++
		}
	}
	reason := ""
	note := func(r string) {
		if reasonRank[r] > reasonRank[reason] {
			reason = r
		}
	}
	if timed(o) {
		// A run stopped by a time or memory limit was stopped at a moment
		// that depends on the machine's speed and load: its counts and
		// comparisons are counted for the coverage report, but learning
		// from them would make the campaign depend on the machine. (Such
		// runs are findings, never queued anyway.)
		for i, h := range fb.Hits {
			s.total[i] += uint64(h)
		}
		return
	}
	var cost uint64
	prod := c.Class == cffuzz.ClassProduction
	for i, h := range fb.Hits {
		if h == 0 {
			continue
		}
		s.total[i] += uint64(h)
		cost += uint64(h)
		bit := uint16(1) << coverage.Bucket(h)
		note(see(&s.seen[i], bit))
		if prod {
			note(see(&s.seenProd[i], bit))
		}
		if h > s.maxHits[i] {
			// Beyond the buckets, a maximum at least doubled: every
			// small rise would fill the queue with one loop's counts.
			if s.maxHits[i] > 0 && h >= 2*s.maxHits[i] && h > 128 {
				note(ReasonCost)
			}
			s.maxHits[i] = h
		}
	}
	var solved []int // sites whose comparison held for the first time
	for _, cmp := range fb.Cmps {
		if e.progress(cmp) {
			note(ReasonCmp)
			if cmp.Result && !cmp.Unknown && e.st.sites[cmp.Site].firstTrue == s.learned {
				solved = append(solved, cmp.Site)
			}
		}
		e.remember(cmp.Left)
		e.remember(cmp.Right)
	}
	// Inputs that crash or time out are findings, not stepping stones:
	// their coverage counts, but they are not mutated further (AFL keeps
	// crashes and hangs out of its queue too).
	// Boundary inputs (at the size limit, or carrying more than a
	// certificate can) are not grown further either.
	if reason == "" || c.Wire != nil || o.FunctionError != "" || c.Class == cffuzz.ClassBoundary {
		return
	}
	if len(s.queue) >= e.maxQ && reasonRank[reason] < reasonRank[ReasonBucket] {
		return
	}
	t, ok := generators.ParseTree(c.Object)
	if !ok {
		return
	}
	en := &entry{id: len(s.queue), object: c.Object, tree: t, cmps: keepCmps(fb.Cmps), reason: reason, cost: cost, class: c.Class,
		lists: e.splitFields(t, fb.Cmps), views: fieldViews(t.Leaves()), solved: solved}
	if parent != nil {
		en.depth = parent.depth + 1
	}
	s.byReason[reason]++
	s.queue = append(s.queue, en)
	if en.class == cffuzz.ClassProduction && (s.costliest == nil || en.cost > s.costliest.cost) {
		s.costliest, s.climbFails = en, 0
	}
	w := weight(en)
	if n := len(s.cum); n > 0 {
		w += s.cum[n-1]
	}
	s.cum = append(s.cum, w)
}

// maxListFields bounds the list fields an entry keeps.
const maxListFields = 8

// splitFields returns the fields of t the program split (a "split"
// comparison whose receiver is the field's value, as is or case-folded or
// trimmed), with the separator it split at.
func (e *Engine) splitFields(t *generators.Tree, cmps []coverage.Comparison) []listField {
	var out []listField
	for _, c := range cmps {
		if e.op(c.Site) != "split" || c.Left.Kind != "string" || c.Right.Kind != "string" ||
			c.Right.Str == "" || len(c.Right.Str) > 3 || c.Left.Str == "" {
			continue
		}
		for _, l := range t.Leaves() {
			if len(out) >= maxListFields {
				return out
			}
			if l.Value != c.Left.Str && strings.ToLower(l.Value) != strings.ToLower(c.Left.Str) && strings.TrimSpace(l.Value) != c.Left.Str {
				continue
			}
			f := listField{path: l.Path, sep: c.Right.Str}
			dup := false
			for _, o := range out {
				dup = dup || o == f
			}
			if !dup {
				out = append(out, f)
			}
		}
	}
	return out
}

// timed reports whether o is a run the runtime stopped at a time or memory
// limit.
func timed(o *cffuzz.Outcome) bool {
	return o.FunctionError != "" && (o.ErrorName == "TimeoutError" || o.ErrorName == "MemoryError")
}

// see adds bucket bit to the buckets *seen of one edge and returns what
// was new: ReasonEdge for a first hit, ReasonBucket for a new bucket, ""
// for nothing.
func see(seen *uint16, bit uint16) string {
	was := *seen
	*seen |= bit
	switch {
	case was == 0:
		return ReasonEdge
	case was&bit == 0:
		return ReasonBucket
	}
	return ""
}

// grow sizes the per-edge arrays for n edges.
func (e *Engine) grow(n int) {
	s := &e.st
	for len(s.seen) < n {
		s.seen = append(s.seen, 0)
		s.seenProd = append(s.seenProd, 0)
		s.maxHits = append(s.maxHits, 0)
		s.total = append(s.total, 0)
	}
}

// maxCmpsPerEntry bounds the comparisons an entry keeps for input-to-state
// replacement, and maxCmpsPerSite how many of them one site may take.
const (
	maxCmpsPerEntry = 96
	maxCmpsPerSite  = 6
)

// keepCmps keeps a bounded, varied set of comparisons: a few per site.
func keepCmps(cmps []coverage.Comparison) []coverage.Comparison {
	perSite := map[int]int{}
	var out []coverage.Comparison
	for _, c := range cmps {
		if perSite[c.Site] >= maxCmpsPerSite || len(out) >= maxCmpsPerEntry {
			continue
		}
		perSite[c.Site]++
		out = append(out, c)
	}
	return out
}

// progress records comparison c at its site and reports whether it is
// progress: the first comparison at the site, a result not seen there
// before, or operands closer than ever.
func (e *Engine) progress(c coverage.Comparison) bool {
	st := e.st.sites[c.Site]
	isNew := st == nil
	if isNew {
		st = &siteState{distance: math.Inf(1)}
		e.st.sites[c.Site] = st
	}
	bit := uint8(2)
	if c.Result {
		bit = 1
	}
	better := st.results&bit == 0
	if better && c.Result {
		st.firstTrue = e.st.learned
	}
	st.results |= bit
	switch {
	case c.Left.Kind == "number" && c.Right.Kind == "number":
		// Closer by a power of two: finer steps would queue every small
		// move of a hill climb.
		if d := math.Floor(math.Log2(math.Abs(c.Left.Num-c.Right.Num) + 1)); d < st.distance {
			better = better || !math.IsInf(st.distance, 1)
			st.distance = d
		}
	case c.Left.Kind == "string" && c.Right.Kind == "string":
		if k := closeness(c.Left.Str, c.Right.Str); k > st.closeness {
			better = true
			st.closeness = k
		}
	}
	return isNew || better
}

// closeness is the longer of the common prefix and the common suffix of a
// and b.
func closeness(a, b string) int {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a) && s < len(b) && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	return max(p, s)
}

// maxDictString bounds the length of a captured string operand worth
// keeping as a dictionary token.
const maxDictString = 256

// dictKey is an operand's kind ('s' or 'n') and text, a key of dictSeen
// that a lookup builds without allocating.
type dictKey struct {
	kind byte
	str  string
}

// dictSeenFactor bounds the operands remembered as seen to this many times
// MaxDictionary. Every distinct operand a campaign captures is seen once
// (random serials, DNs, client addresses: nearly every case brings new
// ones), so an unbounded set grew for as long as the campaign ran: the
// fuzz process went from 57 to 194 MB over 10⁶ cases of small.js.
const dictSeenFactor = 8

// forgetSeen rebuilds the seen set from what the dictionary holds now:
// operands that have left the ring may join it again when captured again.
func (e *Engine) forgetSeen() {
	s := &e.st
	clear(s.dictSeen)
	for _, str := range s.dictStr {
		s.dictSeen[dictKey{'s', str}] = true
	}
	for _, str := range s.dictNumKey {
		s.dictSeen[dictKey{'n', str}] = true
	}
}

// remember adds a captured operand to the live dictionary.
func (e *Engine) remember(op coverage.Operand) {
	s := &e.st
	var key dictKey
	switch op.Kind {
	case "string":
		if op.Str == "" || len(op.Str) > maxDictString {
			return
		}
		key = dictKey{'s', op.Str}
	case "number":
		if math.IsNaN(op.Num) || math.IsInf(op.Num, 0) {
			return
		}
		key = dictKey{'n', op.Str}
	default:
		return
	}
	if s.dictSeen[key] {
		return
	}
	if len(s.dictSeen) >= dictSeenFactor*e.maxD {
		e.forgetSeen()
	}
	// A copy: the operand may share the memory of a much larger string.
	key.str = strings.Clone(key.str)
	s.dictSeen[key] = true
	if op.Kind == "number" {
		if len(s.dictNum) < e.maxD {
			s.dictNum = append(s.dictNum, op.Num)
			s.dictNumKey = append(s.dictNumKey, key.str)
		} else {
			s.dictNum[s.dictNext%e.maxD] = op.Num
			s.dictNumKey[s.dictNext%e.maxD] = key.str
			s.dictNext++
		}
		return
	}
	if len(s.dictStr) < e.maxD {
		s.dictStr = append(s.dictStr, op.Str)
	} else {
		s.dictStr[s.dictNext%e.maxD] = op.Str
		s.dictNext++
	}
}

// Coverage is what the campaign reached so far.
type Coverage struct {
	// Hits is the number of times each edge ran over the campaign.
	Hits []uint64
	// Reached counts the edges that ran at least once; Edges is the number
	// of edges (from the Map, or the longest feedback seen).
	Reached, Edges int
	// MaxHits is each edge's largest hit count in one run.
	MaxHits []uint32
}

// Coverage returns a copy of the cumulative coverage.
func (e *Engine) Coverage() Coverage {
	e.mu.RLock()
	defer e.mu.RUnlock()
	c := Coverage{Hits: append([]uint64(nil), e.st.total...), MaxHits: append([]uint32(nil), e.st.maxHits...), Edges: len(e.st.total)}
	for _, h := range c.Hits {
		if h > 0 {
			c.Reached++
		}
	}
	return c
}

// Stats describes the engine's state, for reports and tests.
type Stats struct {
	// Learned counts the outcomes with feedback learned from.
	Learned int64
	// Queue is the number of queued inputs; ByReason counts them by what
	// made them interesting (ReasonEdge, ...).
	Queue    int
	ByReason map[string]int
	// Dictionary is the number of captured operands kept.
	Dictionary int
	// MaxDepth is the longest chain of mutations in the queue.
	MaxDepth int
}

// Stats returns the engine's current statistics.
func (e *Engine) Stats() Stats {
	e.mu.RLock()
	defer e.mu.RUnlock()
	st := Stats{Learned: e.st.learned, Queue: len(e.st.queue), ByReason: map[string]int{},
		Dictionary: len(e.st.dictStr) + len(e.st.dictNum)}
	for k, v := range e.st.byReason {
		st.ByReason[k] = v
	}
	for _, en := range e.st.queue {
		st.MaxDepth = max(st.MaxDepth, en.depth)
	}
	return st
}

// Queue returns the queued inputs, oldest first (copies).
func (e *Engine) Queue() [][]byte {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([][]byte, len(e.st.queue))
	for i, en := range e.st.queue {
		out[i] = append([]byte(nil), en.object...)
	}
	return out
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }
