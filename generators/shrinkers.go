package generators

import (
	"reflect"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
)

// simpler orders strings for shrinking: shorter first, then byte-wise
// smaller. A shrinker that only yields simpler values always terminates.
func simpler(c, v string) bool {
	return len(c) < len(v) || (len(c) == len(v) && c < v)
}

// listShrink turns a list of candidates into a gopter.Shrink.
func listShrink[T any](cands []T) gopter.Shrink {
	i := 0
	return func() (interface{}, bool) {
		if i >= len(cands) {
			return nil, false
		}
		i++
		return cands[i-1], true
	}
}

// stringGen is a gopter generator of strings made by mk, shrunk by the
// candidates of shrink that are simpler than the value (deduplicated).
func stringGen(d *dictionary, mk func(w *draw) string, shrink func(string) []string) gopter.Gen {
	shrinker := func(v interface{}) gopter.Shrink {
		s := v.(string)
		var out []string
		seen := map[string]bool{}
		for _, c := range shrink(s) {
			if simpler(c, s) && !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
		return listShrink(out)
	}
	return func(p *gopter.GenParameters) *gopter.GenResult {
		return gopter.NewGenResult(mk(newDraw(p, d, defaultDictProb)), shrinker)
	}
}

// optionalString is g or, with probability 1-p, the empty string (an absent
// omitempty field); its shrinker tries "" first.
func optionalString(p float64, g gopter.Gen) gopter.Gen {
	return func(params *gopter.GenParameters) *gopter.GenResult {
		r := g(params)
		inner := r.Shrinker
		shrinker := func(v interface{}) gopter.Shrink {
			if v.(string) == "" {
				return gopter.NoShrink
			}
			return gopter.ConcatShrinks(listShrink([]string{""}), inner(v))
		}
		if !chance(params.Rng, p) {
			return gopter.NewGenResult("", shrinker)
		}
		v := r.Result
		return gopter.NewGenResult(v, shrinker)
	}
}

// optionalPtr is gen.PtrOf with a presence probability p; nil shrinks to
// nothing and a value shrinks first to nil, then inside.
func optionalPtr(p float64, g gopter.Gen) gopter.Gen {
	return func(params *gopter.GenParameters) *gopter.GenResult {
		r := g(params)
		ptrType := reflect.PointerTo(r.ResultType)
		shrinker := gen.PtrShrinker(r.Shrinker)
		if !chance(params.Rng, p) {
			res := gopter.NewGenResult(reflect.Zero(ptrType).Interface(), shrinker)
			res.ResultType = ptrType
			return res
		}
		v := r.Result
		ptr := reflect.New(r.ResultType)
		ptr.Elem().Set(reflect.ValueOf(v))
		res := gopter.NewGenResult(ptr.Interface(), shrinker)
		res.ResultType = ptrType
		return res
	}
}

// sliceRange generates slices of lo..hi elements of g, of element type t,
// shrunk by gen.SliceShrinker (fewer elements, then simpler elements).
func sliceRange(lo, hi int, t reflect.Type, g gopter.Gen) gopter.Gen {
	return func(params *gopter.GenParameters) *gopter.GenResult {
		n := lo
		if hi > lo {
			n += params.Rng.Intn(hi - lo + 1)
		}
		var shrinker gopter.Shrinker = gopter.NoShrinker
		s := reflect.MakeSlice(reflect.SliceOf(t), 0, n)
		for i := 0; i < n; i++ {
			r := g(params)
			v := r.Result
			shrinker = r.Shrinker
			s = reflect.Append(s, reflect.ValueOf(v))
		}
		if n == 0 {
			s = reflect.Zero(reflect.SliceOf(t))
		}
		return gopter.NewGenResult(s.Interface(), gen.SliceShrinker(shrinker))
	}
}

// floorTimes are the roundings a date shrinks through, coarsest last.
var floorTimes = []func(time.Time) time.Time{
	func(t time.Time) time.Time { return t.Truncate(time.Minute) },
	func(t time.Time) time.Time { return t.Truncate(time.Hour) },
	func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) },
	func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) },
	func(t time.Time) time.Time { return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC) },
}

// validityShrinker rounds both dates down, coarsest first; rounding down
// both keeps notBefore ≤ notAfter.
func validityShrinker(v interface{}) gopter.Shrink {
	val := v.(Validity)
	nb, err1 := time.Parse(dateLayout, val.NotBefore)
	na, err2 := time.Parse(dateLayout, val.NotAfter)
	if err1 != nil || err2 != nil {
		return gopter.NoShrink
	}
	var out []Validity
	for i := len(floorTimes) - 1; i >= 0; i-- {
		c := Validity{floorTimes[i](nb).Format(dateLayout), floorTimes[i](na).Format(dateLayout)}
		if c != val {
			out = append(out, c)
		}
	}
	return listShrink(out)
}

// oneGenOf is gen.OneGenOf over a slice.
func oneGenOf(gens []gopter.Gen) gopter.Gen {
	return gen.OneGenOf(gens...)
}
