package generators

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand"
	"sort"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/leanovate/gopter"
)

// The family names, as they appear in Case.Family and Options.Weights.
const (
	FamilyProduction = "production"
	FamilyBoundary   = "boundary"
	FamilyMalformed  = "malformed"
	FamilyMutation   = "mutation"
	FamilyWire       = "wire"
)

// DefaultWeights are the family weights used when Options.Weights is nil.
// The wire family is off (weight 0): it is for robustness campaigns against
// the API itself; turn it on with Options.Wire or a weight.
func DefaultWeights() map[string]int {
	return map[string]int{FamilyProduction: 50, FamilyMalformed: 15, FamilyBoundary: 5, FamilyMutation: 30, FamilyWire: 0}
}

// defaultWireWeight is the wire weight Options.Wire sets when Weights leaves it at 0.
const defaultWireWeight = 10

// Options configures a Generator. The zero value is usable.
type Options struct {
	// Now is the present that validity dates are placed around ("expired 1s
	// ago", "valid for 1s more"). Zero means time.Now() at New, truncated to
	// the second; set it (and record it) to replay a campaign exactly.
	Now time.Time
	// Weights maps family names to relative weights; nil means
	// DefaultWeights. Families left out get weight 0.
	Weights map[string]int
	// Wire turns the wire family on with weight 10 if Weights gives it none.
	Wire bool
	// Seeds are the objects the mutation family mutates: typically
	// DefaultSeeds plus corpus entries. Nil means DefaultSeeds.
	Seeds [][]byte
	// MaxSize is the largest gopter size; the size of case i is
	// i mod (MaxSize+1). Zero means 100.
	MaxSize int
	// Dictionary holds tokens the function under test compares against
	// (DictionaryFromJS, DictionaryFromKVS). The production and mutation
	// families put them where their shape fits, in about a third of the
	// eligible fields: DN values and DNs in issuers and subjects, hex in
	// serial numbers, addresses, networks and prefixes in clientIp (inside,
	// at the edges of and just outside a network), host names and domain
	// suffixes in SAN names and OCSP URLs, digests in fingerprints. Nil
	// means no dictionary.
	Dictionary []string
}

//go:embed seeds/*.json
var seedFS embed.FS

// DefaultSeeds returns the documented example connection objects (CloudFront
// Developer Guide), as JSON, in a fixed order.
func DefaultSeeds() [][]byte {
	names, _ := fs.Glob(seedFS, "seeds/*.json")
	sort.Strings(names)
	out := make([][]byte, 0, len(names))
	for _, n := range names {
		b, _ := seedFS.ReadFile(n)
		out = append(out, b)
	}
	return out
}

// Generator builds campaign cases. It is safe for concurrent use.
type Generator struct {
	now      time.Time
	maxSize  int
	families []familyFunc
	names    []string
	cumul    []int // cumulative weights, parallel to families
	total    int

	production *productionFamily
	dict       *dictionary
	seeds      []seedObject
}

// withCert is the profile of the connections the boundary and malformed
// families start from: they always have a certificate.
var withCert = profile{name: "with-cert", certProb: 1, maxInter: 2, revProb: 0.3, extProb: 0.5}

// familyFunc fills c (Variant, Class, Object or Wire, Expect) from w.
type familyFunc func(g *Generator, w *draw, c *cffuzz.Case)

var familyFuncs = map[string]familyFunc{
	FamilyProduction: (*Generator).productionCase,
	FamilyBoundary:   (*Generator).boundaryCase,
	FamilyMalformed:  (*Generator).malformedCase,
	FamilyMutation:   (*Generator).mutationCase,
	FamilyWire:       (*Generator).wireCase,
}

// Families returns the names of every family, sorted.
func Families() []string {
	names := make([]string, 0, len(familyFuncs))
	for n := range familyFuncs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New returns a Generator for opts, or an error for an unknown family name,
// a negative weight, or weights that are all zero.
func New(opts Options) (*Generator, error) {
	weights := opts.Weights
	if weights == nil {
		weights = DefaultWeights()
	}
	if opts.Wire && weights[FamilyWire] == 0 {
		w := map[string]int{FamilyWire: defaultWireWeight}
		for k, v := range weights {
			if k != FamilyWire {
				w[k] = v
			}
		}
		weights = w
	}
	g := &Generator{now: opts.Now.UTC().Truncate(time.Second), maxSize: opts.MaxSize}
	if opts.Now.IsZero() {
		g.now = time.Now().UTC().Truncate(time.Second)
	}
	if g.maxSize <= 0 {
		g.maxSize = 100
	}
	for _, name := range Families() { // fixed order: the choice must not depend on map order
		w, ok := weights[name]
		if !ok || w == 0 {
			continue
		}
		if w < 0 {
			return nil, fmt.Errorf("generators: weight of family %q is %d: weights must be ≥ 0", name, w)
		}
		g.total += w
		g.families = append(g.families, familyFuncs[name])
		g.names = append(g.names, name)
		g.cumul = append(g.cumul, g.total)
	}
	for name := range weights {
		if familyFuncs[name] == nil {
			return nil, fmt.Errorf("generators: unknown family %q in weights: use one of %v", name, Families())
		}
	}
	if g.total == 0 {
		return nil, fmt.Errorf("generators: every family weight is 0: give at least one of %v a positive weight", Families())
	}
	g.dict = newDictionary(opts.Dictionary)
	g.production = newProductionFamily(g.dict, g.now)
	seeds := opts.Seeds
	if seeds == nil {
		seeds = DefaultSeeds()
	}
	g.seeds = parseSeeds(seeds)
	return g, nil
}

// Now returns the present the generator places validity dates around.
func (g *Generator) Now() time.Time { return g.now }

// Case returns case index of the campaign seeded with seed. It is a pure
// function of the generator's options, seed and index: the same arguments
// give the same case, byte for byte, from any goroutine.
func (g *Generator) Case(seed int64, index uint64) cffuzz.Case {
	p := genParams(seed, index, g.maxSize)
	k := p.Rng.Intn(g.total)
	i := sort.SearchInts(g.cumul, k+1)
	c := cffuzz.Case{Seed: seed, Index: index, Family: g.names[i]}
	w := draw{r: p.Rng, size: p.MaxSize, d: g.dict}
	if g.dict != nil {
		w.pd = pick(p.Rng, dictIntensities...)
	}
	g.families[i](g, &w, &c)
	return c
}

// Connection draws a production connection from gopter parameters; its
// shrinker-carrying generator is ConnectionGen.
func (g *Generator) Connection(p *gopter.GenParameters) (Connection, string) {
	return g.production.connection(newDraw(p, g.dict, defaultDictProb))
}

// ConnectionGen returns a gopter generator of production connections (every
// production variant, picked uniformly by gen.OneGenOf) whose shrinker keeps
// the structure: it drops optional parts and simplifies field values while
// the object stays one CloudFront could send. Use it in gopter properties.
func (g *Generator) ConnectionGen() gopter.Gen {
	return oneGenOf(g.production.gens)
}

// expectFor is the emulator's documented answer for an object: 400
// MalformedXML above MaxObjectSize, 400 InvalidArgument when it is not a
// JSON object (empty included), 200 otherwise. encoding/json accepts invalid
// UTF-8 inside strings, and so does the emulator: such objects run.
func expectFor(object []byte) *cffuzz.Expectation {
	switch {
	case len(object) > MaxObjectSize:
		return &cffuzz.Expectation{Status: 400, Code: "MalformedXML"}
	case !isJSONObject(object):
		return &cffuzz.Expectation{Status: 400, Code: "InvalidArgument"}
	}
	return &cffuzz.Expectation{Status: 200}
}

// isJSONObject reports whether b is valid JSON whose top level is an object.
func isJSONObject(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && t[0] == '{' && json.Valid(t)
}

func (g *Generator) productionCase(w *draw, c *cffuzz.Case) {
	conn, variant := g.production.connection(w)
	sc := getScratch()
	defer sc.release()
	// Encoded into scratch, then copied at its exact size: Marshal's size
	// hint runs about 15 % over.
	c.Class, c.Variant, c.Object = cffuzz.ClassProduction, variant, bytes.Clone(sc.marshal(&conn))
	c.Expect = &cffuzz.Expectation{Status: 200} // production objects are JSON objects within the limit (tested)
}

// start picks a variant of a family, labels c with it and class, and draws a
// production connection that has a certificate, for the variant to work on.
func (g *Generator) start(w *draw, c *cffuzz.Case, class cffuzz.Class, variants []string) (*rand.Rand, string, Connection) {
	variant := pick(w.r, variants...)
	c.Class, c.Variant = class, variant
	return w.r, variant, w.connection(&withCert, g.now)
}

// Reclassify returns c with its connection object replaced by object and,
// since the input changed, its Class and Expect recomputed the way the
// generators label what they build: Classify for the class and the
// emulator's documented answer for the expectation. Wire cases only get
// the new object. The runner uses it for shrink candidates.
func Reclassify(c cffuzz.Case, object []byte) cffuzz.Case {
	c.Object = object
	if c.Wire == nil {
		c.Class, c.Expect = classifyExpect(object)
	}
	return c
}

// ReclassifyTree is Reclassify(c, t.Bytes()) for a Tree from ParseTree
// edited with its own methods only (the engine's mutations). The encoding
// of such a tree is valid JSON that parses back to t's structure, so t is
// validated as it is instead of being checked and parsed again; objects
// at the size limit, or long enough to nest past the parser's depth limit,
// go through Reclassify.
func ReclassifyTree(c cffuzz.Case, t *Tree) cffuzz.Case {
	object := t.Bytes()
	if c.Wire != nil {
		return Reclassify(c, object)
	}
	c.Object = object
	c.Class, c.Expect = classifyTree(t.root, object)
	return c
}

// classifyTree is classifyExpect(object) for the encoding object of root,
// a tree of parsed or generated nodes (no raw literal standing for an
// object or array), edited with the tree's own methods: it validates root
// as it is instead of checking and parsing object again. Objects at the
// size limit, or long enough to nest past the parser's depth limit, go
// through classifyExpect.
func classifyTree(root *node, object []byte) (cffuzz.Class, *cffuzz.Expectation) {
	if len(object) == 0 || len(object) > MaxObjectSize || len(object) >= maxDepth || root.kind != kindObject {
		return classifyExpect(object)
	}
	v := validator{}
	v.connection(root)
	if v.err != nil {
		return cffuzz.ClassMalformed, &cffuzz.Expectation{Status: 200}
	}
	return cffuzz.ClassProduction, &cffuzz.Expectation{Status: 200}
}
