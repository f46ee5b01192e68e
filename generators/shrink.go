package generators

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/leanovate/gopter"
)

// Shrink returns a gopter shrink stream of []byte candidates for object,
// simplest first. Every candidate is strictly smaller than object, so
// greedy shrinking always terminates.
//
// Valid JSON is shrunk structurally and stays JSON of the same top-level type
// (a JSON object stays a JSON object), in this order: drop object members and
// array elements (breadth-first, so whole subtrees go first), replace
// subtrees by an empty value of their type and then by null, cut strings
// (halves, then one character at either end), simplify numbers. Keys keep
// their order and duplicates. Anything else is shrunk byte-wise by delta
// debugging: keep one chunk, then remove one chunk, at granularities 2, 4, 8 …
// down to single bytes.
func Shrink(object []byte) gopter.Shrink {
	if root, err := parseJSON(object); err == nil {
		return filterSmaller(len(object), jsonCandidates(root, len(object)))
	}
	return filterSmaller(len(object), ddminCandidates(object))
}

// filterSmaller keeps the candidates strictly smaller than size.
func filterSmaller(size int, next func() ([]byte, bool)) gopter.Shrink {
	return func() (interface{}, bool) {
		for {
			c, ok := next()
			if !ok {
				return nil, false
			}
			if len(c) < size {
				return c, true
			}
		}
	}
}

// jsonCandidates lazily applies the edits of edits(root), one at a time.
func jsonCandidates(root *node, size int) func() ([]byte, bool) {
	var nodes, parents []*node
	root.walk(func(n, parent *node) {
		nodes = append(nodes, n)
		parents = append(parents, parent)
	})
	pass, i := 0, 0
	var pending [][]byte
	return func() ([]byte, bool) {
		for {
			if len(pending) > 0 {
				c := pending[0]
				pending = pending[1:]
				return root.encode(&edit{target: nodes[i-1], replace: c}, size), true
			}
			if i >= len(nodes) {
				pass, i = pass+1, 0
				if pass > 2 {
					return nil, false
				}
			}
			n, parent := nodes[i], parents[i]
			switch pass {
			case 0: // drop members and elements
				i++
				if parent != nil {
					return root.encode(&edit{target: n, remove: true}, size), true
				}
			case 1: // empty of the same type, then null
				i++
				if parent == nil {
					continue
				}
				pending = emptyValues(n)
			case 2: // cut strings, simplify numbers
				i++
				pending = scalarCuts(n)
			}
		}
	}
}

func emptyValues(n *node) [][]byte {
	var empty string
	switch n.kind {
	case kindObject:
		empty = "{}"
	case kindArray:
		empty = "[]"
	case kindString:
		empty = `""`
	case kindNumber:
		empty = "0"
	default:
		empty = "null"
	}
	var out [][]byte
	if cur := n.encode(nil, 0); string(cur) != empty {
		out = append(out, []byte(empty))
	}
	if empty != "null" {
		out = append(out, []byte("null"))
	}
	return out
}

// scalarCuts lists shorter strings and simpler numbers for a scalar node.
func scalarCuts(n *node) [][]byte {
	switch n.kind {
	case kindString:
		s := decodeString(n.raw)
		if s == "" {
			return nil
		}
		var out [][]byte
		half := utf8Boundary(s, len(s)/2)
		if half > 0 {
			out = append(out, encodeString(s[:half]), encodeString(s[half:]))
		}
		_, first := utf8.DecodeRuneInString(s)
		_, last := utf8.DecodeLastRuneInString(s)
		out = append(out, encodeString(s[first:]), encodeString(s[:len(s)-last]))
		return out
	case kindNumber:
		t := string(n.raw)
		var out [][]byte
		if k := strings.IndexAny(t, ".eE"); k > 0 {
			out = append(out, []byte(t[:k]))
		}
		if v, err := strconv.ParseInt(t, 10, 64); err == nil && v != 0 {
			out = append(out, []byte(strconv.FormatInt(v/2, 10)))
		}
		if len(t) > 1 {
			out = append(out, []byte(t[:len(t)-1]))
		}
		valid := out[:0]
		for _, c := range out {
			if json.Valid(c) {
				valid = append(valid, c)
			}
		}
		return valid
	}
	return nil
}

// utf8Boundary moves i back to the start of a rune.
func utf8Boundary(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// ddminCandidates yields, for granularity n = 2, 4, 8 … len(b): each of the
// n chunks alone (for n ≤ 8), then b without each chunk.
func ddminCandidates(b []byte) func() ([]byte, bool) {
	n, i, complement := 2, 0, false
	if len(b) < 2 {
		return func() ([]byte, bool) {
			if len(b) == 1 && i == 0 {
				i++
				return []byte{}, true
			}
			return nil, false
		}
	}
	return func() ([]byte, bool) {
		for {
			if n > len(b) {
				return nil, false
			}
			chunk := (len(b) + n - 1) / n
			start := i * chunk
			if start >= len(b) {
				if !complement {
					complement = true
				} else {
					complement = false
					if n == len(b) {
						n++
					} else {
						n = min(n*2, len(b))
					}
				}
				i = 0
				continue
			}
			end := min(start+chunk, len(b))
			i++
			if !complement {
				if n > 8 {
					i = n + len(b) // skip subsets at fine granularity
					continue
				}
				return append([]byte(nil), b[start:end]...), true
			}
			c := make([]byte, 0, len(b)-(end-start))
			c = append(append(c, b[:start]...), b[end:]...)
			return c, true
		}
	}
}
