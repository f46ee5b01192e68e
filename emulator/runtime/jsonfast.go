package runtime

import (
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// fastJSON is parseJSON's fast path: a single-pass parser over the text
// that builds the same JavaScript value as the general path, without
// encoding/json's tokens. It handles every valid JSON text, replacing
// invalid UTF-8 and unpaired surrogate escapes with U+FFFD as encoding/json
// does; it leaves to the general path, by returning ok false, only invalid
// JSON (whose error message the general path words) and nesting deeper
// than maxFastDepth. FuzzFastJSON checks that both paths agree. It must
// run before any user code in vm (see put).
func fastJSON(vm *goja.Runtime, data []byte) (v goja.Value, ok bool) {
	p := fastParser{vm: vm, s: string(data)}
	p.space()
	v, ok = p.value(0)
	if !ok {
		return nil, false
	}
	p.space()
	return v, p.i == len(p.s)
}

// maxFastDepth bounds the nesting fastJSON parses itself: below
// encoding/json's limit (10,000), whose error the general path words.
const maxFastDepth = 9000

type fastParser struct {
	vm *goja.Runtime
	s  string
	i  int
}

func (p *fastParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastParser) value(depth int) (goja.Value, bool) {
	if p.i >= len(p.s) || depth > maxFastDepth {
		return nil, false
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		return p.vm.ToValue(s), true
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case p.literal("true"):
		return p.vm.ToValue(true), true
	case p.literal("false"):
		return p.vm.ToValue(false), true
	case p.literal("null"):
		return goja.Null(), true
	}
	return nil, false
}

func (p *fastParser) literal(word string) bool {
	if len(p.s)-p.i >= len(word) && p.s[p.i:p.i+len(word)] == word {
		p.i += len(word)
		return true
	}
	return false
}

func (p *fastParser) object(depth int) (goja.Value, bool) {
	p.i++ // '{'
	obj := p.vm.NewObject()
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return obj, true
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, false
		}
		key, ok := p.str()
		if !ok {
			return nil, false
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, false
		}
		p.i++
		p.space()
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		if !p.put(obj, key, v) {
			return nil, false
		}
		p.space()
		if p.i >= len(p.s) {
			return nil, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return obj, true
		default:
			return nil, false
		}
	}
}

// put defines obj[key] = v as JSON.parse does (CreateDataProperty).
// Set does the same, with about half the allocations, on a fresh object
// whose prototype is the pristine Object.prototype, which has no setter
// but __proto__'s and no read-only property: fastJSON runs before any user
// code (the connection object is built first), so that is the case for
// every key but "__proto__", which is defined.
func (p *fastParser) put(obj *goja.Object, key string, v goja.Value) bool {
	if key == "__proto__" {
		return obj.DefineDataProperty(key, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE) == nil
	}
	return obj.Set(key, v) == nil
}

func (p *fastParser) array(depth int) (goja.Value, bool) {
	p.i++ // '['
	var items []any
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return p.vm.NewArray(), true
	}
	for {
		p.space()
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		items = append(items, v)
		p.space()
		if p.i >= len(p.s) {
			return nil, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return p.vm.NewArray(items...), true
		default:
			return nil, false
		}
	}
}

// str reads a string token. A string without escapes is a substring of
// the text (no copy); one with escapes is decoded, except \u escapes of
// surrogates, left to the general path.
func (p *fastParser) str() (string, bool) {
	start := p.i + 1
	for j := start; j < len(p.s); j++ {
		c := p.s[j]
		switch {
		case c == '"':
			p.i = j + 1
			return p.s[start:j], true
		case c == '\\':
			return p.escaped(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(p.s[j:])
			if r == utf8.RuneError && size == 1 {
				return p.escaped(start) // replaced byte by byte, as encoding/json does
			}
			j += size - 1
		}
	}
	return "", false
}

// escaped decodes a string with escapes whose text starts at start.
func (p *fastParser) escaped(start int) (string, bool) {
	b := make([]byte, 0, 32)
	for j := start; j < len(p.s); {
		c := p.s[j]
		switch {
		case c == '"':
			p.i = j + 1
			return string(b), true
		case c < 0x20:
			return "", false
		case c == '\\':
			if j+1 >= len(p.s) {
				return "", false
			}
			e := p.s[j+1]
			j += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				// As encoding/json: a surrogate pair of \u escapes is one
				// character; any other surrogate is U+FFFD.
				r := hex4(p.s, j)
				if r < 0 {
					return "", false
				}
				j += 4
				if utf16.IsSurrogate(r) {
					var r2 rune = -1
					if j+1 < len(p.s) && p.s[j] == '\\' && p.s[j+1] == 'u' {
						r2 = hex4(p.s, j+2)
					}
					if d := utf16.DecodeRune(r, r2); d != unicode.ReplacementChar {
						b = utf8.AppendRune(b, d)
						j += 6
						continue
					}
					r = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", false
			}
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(p.s[j:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, p.s[j:j+size]...)
			}
			j += size
		default:
			b = append(b, c)
			j++
		}
	}
	return "", false
}

// number reads a number token by JSON's grammar and converts it as
// parseJSON does: out-of-range values become ±Inf or ±0.
func (p *fastParser) number() (goja.Value, bool) {
	start := p.i
	j := p.i
	if j < len(p.s) && p.s[j] == '-' {
		j++
	}
	switch {
	case j < len(p.s) && p.s[j] == '0':
		j++
	case j < len(p.s) && p.s[j] >= '1' && p.s[j] <= '9':
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
	default:
		return nil, false
	}
	integer := true
	if j < len(p.s) && p.s[j] == '.' {
		integer = false
		j++
		k := j
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		if j == k {
			return nil, false
		}
	}
	if j < len(p.s) && (p.s[j] == 'e' || p.s[j] == 'E') {
		integer = false
		j++
		if j < len(p.s) && (p.s[j] == '+' || p.s[j] == '-') {
			j++
		}
		k := j
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		if j == k {
			return nil, false
		}
	}
	p.i = j
	text := p.s[start:j]
	if integer && len(text) <= 15 && text != "-0" {
		// Exactly representable: at most 15 digits.
		var n int64
		digits := text
		if digits[0] == '-' {
			digits = digits[1:]
		}
		for k := 0; k < len(digits); k++ {
			n = n*10 + int64(digits[k]-'0')
		}
		if text[0] == '-' {
			n = -n
		}
		return p.vm.ToValue(float64(n)), true
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return nil, false
		}
	}
	return p.vm.ToValue(f), true
}

// hex4 reads the four hex digits at s[i:], or returns -1.
func hex4(s string, i int) rune {
	if i+4 > len(s) {
		return -1
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
