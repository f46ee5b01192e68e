// Package coverage is the vocabulary of feedback-guided search: the edges and
// comparison sites of an instrumented connection function (Map), what one
// execution reached (Feedback), and the AFL-style bucketing that turns raw
// hit counts into "interesting or not". It has no dependencies, so the
// runtime that produces feedback, the engine that learns from it and the
// reports that show it can all share it.
package coverage

// EdgeKind names where an edge counter sits.
type EdgeKind string

// The edge kinds, after Jazzer.js's coverage visitor.
const (
	EdgeEntry    EdgeKind = "entry"     // function entry
	EdgeThen     EdgeKind = "then"      // if: consequent taken
	EdgeElse     EdgeKind = "else"      // if: alternate taken (implicit when absent)
	EdgeCase     EdgeKind = "case"      // switch case (or default) entered
	EdgeLoopBody EdgeKind = "loop-body" // loop body entered
	EdgeLoopExit EdgeKind = "loop-exit" // loop left
	EdgeCatch    EdgeKind = "catch"     // catch block entered
	EdgeLogical  EdgeKind = "logical"   // an operand of && / || / ?? evaluated
	EdgeCondThen EdgeKind = "cond-then" // ?: consequent
	EdgeCondElse EdgeKind = "cond-else" // ?: alternate
)

// Edge is one counter of an instrumented function, located in the user's
// file (1-based line and column).
type Edge struct {
	Kind   EdgeKind `json:"kind"`
	Line   int      `json:"line"`
	Column int      `json:"column"`
}

// Site is one comparison site: an operator (===, <, ...), a switch
// discriminant ("switch") or a string/array/RegExp method ("startsWith",
// "includes", "test", ...).
type Site struct {
	Op     string `json:"op"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// Map describes an instrumented function: Edges[i] is counter i, Sites[j]
// is comparison site j. Lines is the number of lines of the source.
type Map struct {
	Edges []Edge `json:"edges"`
	Sites []Site `json:"sites"`
	Lines int    `json:"lines"`
}

// Operand is one side of a captured comparison, as the program saw it.
type Operand struct {
	// Kind is "string", "number", "boolean", "null", "undefined", "regexp"
	// (a regular-expression literal; Str is its source, "/re/flags") or
	// "other" (an object, never inspected).
	Kind string `json:"kind"`
	// Str is the string form (strings as they are, numbers in JavaScript's
	// canonical form); capped in length by the runtime.
	Str string `json:"str,omitempty"`
	// Num is the numeric value when Kind is "number".
	Num float64 `json:"num,omitempty"`
}

// Comparison is one captured comparison at Site.
type Comparison struct {
	Site  int     `json:"site"`
	Left  Operand `json:"left"`
	Right Operand `json:"right"`
	// Result is what the comparison evaluated to (for methods: a truthy
	// result, e.g. indexOf ≥ 0).
	Result bool `json:"result"`
	// Unknown says Result was not computed (an operand was an object, or
	// the method needs the RegExp engine or an array's elements): Result is
	// then false and means nothing.
	Unknown bool `json:"unknown,omitempty"`
}

// Feedback is what one instrumented execution reached.
type Feedback struct {
	// Hits[i] counts executions of edge i (saturating at the type's max).
	Hits []uint32 `json:"hits"`
	// Cmps are the captured comparisons, at most a bounded number per site.
	Cmps []Comparison `json:"cmps,omitempty"`
}

// Bucket maps a hit count to AFL's classes: 0, 1, 2, 3, 4–7, 8–15, 16–31,
// 32–127, 128+ as 0..8. A change of bucket on any edge is new behaviour.
func Bucket(hits uint32) uint8 {
	switch {
	case hits == 0:
		return 0
	case hits <= 3:
		return uint8(hits)
	case hits <= 7:
		return 4
	case hits <= 15:
		return 5
	case hits <= 31:
		return 6
	case hits <= 127:
		return 7
	default:
		return 8
	}
}
