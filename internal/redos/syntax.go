package redos

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// kind is the kind of a node of a parsed pattern.
type kind int

const (
	kChar    kind = iota // one character of set
	kEmpty               // matches the empty string
	kConcat              // subs in sequence
	kAlt                 // one of subs, in order
	kRepeat              // subs[0], min to max times (max < 0: unbounded)
	kGroup               // subs[0]; capture > 0 for a capturing group
	kLook                // lookaround: subs[0]; behind, neg
	kAssert              // ^ $ \b \B: assert
	kBackref             // \n or \k<name>: ref
)

// node is a parsed regular expression.
type node struct {
	kind     kind
	set      charSet
	subs     []*node
	min, max int
	lazy     bool
	capture  int
	behind   bool
	neg      bool
	assert   rune
	ref      int
	pos      int // offset of the node in the pattern (runes)
}

// flags of a JavaScript regular expression.
type flags struct {
	ignoreCase, dotAll, multiline, unicode bool
}

func parseFlags(f string) flags {
	return flags{
		ignoreCase: strings.Contains(f, "i"),
		dotAll:     strings.Contains(f, "s"),
		multiline:  strings.Contains(f, "m"),
		unicode:    strings.Contains(f, "u") || strings.Contains(f, "v"),
	}
}

// parser parses a JavaScript (ECMAScript 2020) pattern.
type parser struct {
	src    []rune
	i      int
	fl     flags
	groups int            // capturing groups seen
	names  map[string]int // named groups
	total  int            // capturing groups in the whole pattern
}

// parse parses pattern with flags into a tree.
func parse(pattern string, fl flags) (*node, error) {
	p := &parser{src: []rune(pattern), fl: fl, names: map[string]int{}}
	p.total, p.names = countGroups(p.src)
	n, err := p.alternation()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.src) {
		return nil, fmt.Errorf("unmatched ')' at offset %d", p.i)
	}
	return n, nil
}

// countGroups counts the capturing groups of src and names the named ones,
// so that backreferences can be told from octal escapes.
func countGroups(src []rune) (int, map[string]int) {
	n, names := 0, map[string]int{}
	inClass := false
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\\':
			i++
		case c == '[':
			inClass = true
		case c == ']':
			inClass = false
		case c == '(' && !inClass:
			if i+1 < len(src) && src[i+1] == '?' {
				if i+2 < len(src) && src[i+2] == '<' && i+3 < len(src) && src[i+3] != '=' && src[i+3] != '!' {
					n++
					end := i + 3
					for end < len(src) && src[end] != '>' {
						end++
					}
					names[string(src[i+3:min(end, len(src))])] = n
				}
				continue
			}
			n++
		}
	}
	return n, names
}

func (p *parser) more() bool { return p.i < len(p.src) }
func (p *parser) peek() rune { return p.src[p.i] }
func (p *parser) lookingAt(s string) bool {
	return strings.HasPrefix(string(p.src[p.i:min(len(p.src), p.i+len(s))]), s)
}

func (p *parser) alternation() (*node, error) {
	start := p.i
	var alts []*node
	for {
		seq, err := p.sequence()
		if err != nil {
			return nil, err
		}
		alts = append(alts, seq)
		if !p.more() || p.peek() != '|' {
			break
		}
		p.i++
	}
	if len(alts) == 1 {
		return alts[0], nil
	}
	return &node{kind: kAlt, subs: alts, pos: start}, nil
}

func (p *parser) sequence() (*node, error) {
	start := p.i
	var items []*node
	for p.more() && p.peek() != '|' && p.peek() != ')' {
		atom, err := p.atom()
		if err != nil {
			return nil, err
		}
		atom, err = p.quantifier(atom)
		if err != nil {
			return nil, err
		}
		items = append(items, atom)
	}
	switch len(items) {
	case 0:
		return &node{kind: kEmpty, pos: start}, nil
	case 1:
		return items[0], nil
	}
	return &node{kind: kConcat, subs: items, pos: start}, nil
}

// quantifier applies a quantifier after atom, if there is one.
func (p *parser) quantifier(atom *node) (*node, error) {
	if !p.more() {
		return atom, nil
	}
	lo, hi := 0, 0
	start := p.i
	switch p.peek() {
	case '*':
		lo, hi = 0, -1
		p.i++
	case '+':
		lo, hi = 1, -1
		p.i++
	case '?':
		lo, hi = 0, 1
		p.i++
	case '{':
		l, h, n, ok := braces(p.src[p.i:])
		if !ok {
			if p.fl.unicode {
				return nil, fmt.Errorf("lone '{' at offset %d", p.i)
			}
			return atom, nil // a literal '{' (Annex B)
		}
		lo, hi = l, h
		p.i += n
	default:
		return atom, nil
	}
	if hi >= 0 && lo > hi {
		return nil, fmt.Errorf("numbers out of order in quantifier at offset %d", start)
	}
	if atom.kind == kAssert || atom.kind == kLook && (p.fl.unicode || atom.behind) {
		return nil, fmt.Errorf("nothing to repeat at offset %d", start)
	}
	lazy := false
	if p.more() && p.peek() == '?' {
		lazy = true
		p.i++
	}
	return &node{kind: kRepeat, subs: []*node{atom}, min: lo, max: hi, lazy: lazy, pos: atom.pos}, nil
}

// braces parses {n}, {n,} or {n,m} at the start of s: the bounds (hi -1
// for none), the length read, and whether it is a quantifier.
func braces(s []rune) (lo, hi, n int, ok bool) {
	end := -1
	for i, c := range s {
		if c == '}' {
			end = i
			break
		}
	}
	if end < 0 {
		return 0, 0, 0, false
	}
	body := string(s[1:end])
	a, b, comma := strings.Cut(body, ",")
	num := func(x string) (int, bool) {
		if x == "" || strings.Trim(x, "0123456789") != "" {
			return 0, false
		}
		v, err := strconv.Atoi(x)
		if err != nil {
			v = 1 << 30
		}
		return min(v, 1<<30), true
	}
	lo, ok = num(a)
	if !ok {
		return 0, 0, 0, false
	}
	switch {
	case !comma:
		hi = lo
	case b == "":
		hi = -1
	default:
		if hi, ok = num(b); !ok {
			return 0, 0, 0, false
		}
	}
	return lo, hi, end + 1, true
}

func (p *parser) charNode(set charSet, pos int) *node {
	if p.fl.ignoreCase {
		set = set.foldCase()
	}
	return &node{kind: kChar, set: set, pos: pos}
}

func (p *parser) atom() (*node, error) {
	start := p.i
	c := p.peek()
	switch c {
	case '^', '$':
		p.i++
		return &node{kind: kAssert, assert: c, pos: start}, nil
	case '.':
		p.i++
		set := lineTerminators.negate()
		if p.fl.dotAll {
			set = anyChar()
		}
		return &node{kind: kChar, set: set, pos: start}, nil
	case '(':
		return p.group()
	case '[':
		set, err := p.class()
		if err != nil {
			return nil, err
		}
		return p.charNode(set, start), nil
	case '\\':
		return p.escape()
	case '*', '+', '?':
		return nil, fmt.Errorf("nothing to repeat at offset %d", p.i)
	case '{':
		if _, _, _, ok := braces(p.src[p.i:]); ok || p.fl.unicode {
			return nil, fmt.Errorf("nothing to repeat at offset %d", p.i)
		}
	case ']', '}':
		if p.fl.unicode {
			return nil, fmt.Errorf("lone %q at offset %d", c, p.i)
		}
	}
	p.i++
	return p.charNode(single(c), start), nil
}

func (p *parser) group() (*node, error) {
	start := p.i
	p.i++ // (
	g := &node{kind: kGroup, pos: start}
	switch {
	case p.lookingAt("?:"):
		p.i += 2
	case p.lookingAt("?="), p.lookingAt("?!"):
		g.kind, g.neg = kLook, p.src[p.i+1] == '!'
		p.i += 2
	case p.lookingAt("?<="), p.lookingAt("?<!"):
		g.kind, g.behind, g.neg = kLook, true, p.src[p.i+2] == '!'
		p.i += 3
	case p.lookingAt("?<"):
		end := p.i + 2
		for end < len(p.src) && p.src[end] != '>' {
			end++
		}
		if end >= len(p.src) {
			return nil, fmt.Errorf("unterminated group name at offset %d", start)
		}
		p.groups++
		g.capture = p.groups
		p.i = end + 1
	case p.lookingAt("?"):
		return nil, fmt.Errorf("invalid group at offset %d", start)
	default:
		p.groups++
		g.capture = p.groups
	}
	sub, err := p.alternation()
	if err != nil {
		return nil, err
	}
	if !p.more() || p.peek() != ')' {
		return nil, fmt.Errorf("unterminated group at offset %d", start)
	}
	p.i++
	g.subs = []*node{sub}
	return g, nil
}

// escape parses an escape outside a class.
func (p *parser) escape() (*node, error) {
	start := p.i
	p.i++ // backslash
	if !p.more() {
		return nil, fmt.Errorf("\\ at end of pattern")
	}
	c := p.peek()
	switch {
	case c == 'b' || c == 'B':
		p.i++
		return &node{kind: kAssert, assert: c, pos: start}, nil
	case c >= '1' && c <= '9':
		j := p.i
		for j < len(p.src) && p.src[j] >= '0' && p.src[j] <= '9' {
			j++
		}
		n, _ := strconv.Atoi(string(p.src[p.i:j]))
		if n <= p.total {
			p.i = j
			return &node{kind: kBackref, ref: n, pos: start}, nil
		}
		if p.fl.unicode {
			return nil, fmt.Errorf("invalid escape at offset %d", start)
		}
	case c == 'k' && p.i+1 < len(p.src) && p.src[p.i+1] == '<' && len(p.names) > 0:
		end := p.i + 2
		for end < len(p.src) && p.src[end] != '>' {
			end++
		}
		if n, ok := p.names[string(p.src[p.i+2:min(end, len(p.src))])]; ok {
			p.i = end + 1
			return &node{kind: kBackref, ref: n, pos: start}, nil
		}
		return nil, fmt.Errorf("invalid named reference at offset %d", start)
	}
	set, err := p.classEscape(false)
	if err != nil {
		return nil, err
	}
	return p.charNode(set, start), nil
}

// classEscape parses the escape after a backslash (p.i at the letter) into
// a set; inClass makes \b a backspace.
func (p *parser) classEscape(inClass bool) (charSet, error) {
	c := p.peek()
	p.i++
	switch c {
	case 'd':
		return digitSet, nil
	case 'D':
		return digitSet.negate(), nil
	case 'w':
		return wordSet, nil
	case 'W':
		return wordSet.negate(), nil
	case 's':
		return spaceSet, nil
	case 'S':
		return spaceSet.negate(), nil
	case 't':
		return single('\t'), nil
	case 'n':
		return single('\n'), nil
	case 'r':
		return single('\r'), nil
	case 'v':
		return single('\v'), nil
	case 'f':
		return single('\f'), nil
	case 'b':
		if inClass {
			return single('\b'), nil
		}
	case '0':
		if !p.more() || p.peek() < '0' || p.peek() > '9' {
			return single(0), nil
		}
	case 'c':
		if p.more() && unicode.IsLetter(p.peek()) && p.peek() < 128 {
			r := p.peek() % 32
			p.i++
			return single(r), nil
		}
		return single('\\'), nil // Annex B: a literal backslash; the c follows
	case 'x':
		if r, ok := p.hex(2); ok {
			return single(r), nil
		}
	case 'u':
		if p.more() && p.peek() == '{' && p.fl.unicode {
			end := p.i + 1
			for end < len(p.src) && p.src[end] != '}' {
				end++
			}
			v, err := strconv.ParseUint(string(p.src[p.i+1:min(end, len(p.src))]), 16, 32)
			if err != nil || v > unicode.MaxRune {
				return nil, fmt.Errorf("invalid unicode escape at offset %d", p.i)
			}
			p.i = end + 1
			return single(rune(v)), nil
		}
		if r, ok := p.hex(4); ok {
			return single(r), nil
		}
	case 'p', 'P':
		if p.fl.unicode && p.more() && p.peek() == '{' {
			// A Unicode property: any character (over-approximated).
			for p.more() && p.peek() != '}' {
				p.i++
			}
			p.i++
			return anyChar(), nil
		}
	}
	if c >= '0' && c <= '7' && !p.fl.unicode { // legacy octal
		v := int(c - '0')
		for n := 0; n < 2 && p.more() && p.peek() >= '0' && p.peek() <= '7' && v*8+int(p.peek()-'0') <= 0377; n++ {
			v = v*8 + int(p.peek()-'0')
			p.i++
		}
		return single(rune(v)), nil
	}
	return single(c), nil
}

// hex reads n hex digits (Annex B: on failure, the escape is the letter).
func (p *parser) hex(n int) (rune, bool) {
	if p.i+n > len(p.src) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.src[p.i:p.i+n]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += n
	return rune(v), true
}

// class parses [...] into a set.
func (p *parser) class() (charSet, error) {
	start := p.i
	p.i++ // [
	neg := false
	if p.more() && p.peek() == '^' {
		neg = true
		p.i++
	}
	var set charSet
	for {
		if !p.more() {
			return nil, fmt.Errorf("unterminated character class at offset %d", start)
		}
		if p.peek() == ']' {
			p.i++
			break
		}
		lo, loSet, err := p.classAtom()
		if err != nil {
			return nil, err
		}
		if p.i+1 < len(p.src) && p.peek() == '-' && p.src[p.i+1] != ']' && loSet == nil {
			save := p.i
			p.i++
			hi, hiSet, err := p.classAtom()
			if err != nil {
				return nil, err
			}
			if hiSet == nil {
				if hi < lo {
					return nil, fmt.Errorf("range out of order in character class at offset %d", save)
				}
				set = set.union(span(lo, hi))
				continue
			}
			set = set.union(single(lo)).union(single('-')).union(hiSet)
			continue
		}
		if loSet != nil {
			set = set.union(loSet)
		} else {
			set = set.union(single(lo))
		}
	}
	if neg {
		if p.fl.ignoreCase {
			set = set.foldCase()
		}
		return set.negate(), nil
	}
	return set, nil
}

// classAtom reads one class member: a rune, or a set for \d and the like.
func (p *parser) classAtom() (rune, charSet, error) {
	c := p.peek()
	if c != '\\' {
		p.i++
		return c, nil, nil
	}
	p.i++
	if !p.more() {
		return 0, nil, fmt.Errorf("\\ at end of pattern")
	}
	switch p.peek() {
	case 'd', 'D', 'w', 'W', 's', 'S':
		set, err := p.classEscape(true)
		return 0, set, err
	case 'p', 'P':
		if p.fl.unicode {
			set, err := p.classEscape(true)
			return 0, set, err
		}
	}
	set, err := p.classEscape(true)
	if err != nil {
		return 0, nil, err
	}
	return set[0].lo, nil, nil
}
