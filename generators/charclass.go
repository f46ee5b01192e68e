package generators

import (
	"math/rand"
	"strings"
	"unicode/utf8"
)

// CharClass is a class of characters that certificate fields can carry.
// Values are drawn from a class by rule (code-point ranges, escape and
// percent-encoding forms), not from a word list, so that every character a
// real DN, SAN, serial or fingerprint may hold is reachable.
type CharClass int

// The character classes, after what X.509 string types and their RFC 2253 /
// RFC 4514 and URI text forms allow.
const (
	// ClassPrintable is PrintableString's repertoire: letters, digits,
	// space and '()+,-./:=?
	ClassPrintable CharClass = iota
	// ClassEscape is an RFC 4514 escape: a backslash before a special
	// character (\, \+ \" \\ \< \> \; \= \#) or before two hex digits (\2C).
	ClassEscape
	// ClassPercent is a URI percent-encoding: %XX in either case, and the
	// malformed forms (%, %4, %ZZ) a decoder must survive.
	ClassPercent
	// ClassQuote is a quotation mark or apostrophe, straight or typographic.
	ClassQuote
	// ClassSeparator is a character that splits names: , ; = + / : . @ - _ * and space.
	ClassSeparator
	// ClassNonASCII is any non-ASCII code point of the BMP and beyond:
	// Latin-1, other alphabets, CJK, combining marks, bidirectional and
	// zero-width format characters, line and paragraph separators, emoji.
	ClassNonASCII
	// ClassControl is a C0 control character (TeletexString and
	// UTF8String values can hold them; JSON escapes them).
	ClassControl
	numCharClasses
)

// CharClassNames are the classes' names, indexed by CharClass.
var CharClassNames = [...]string{"printable", "escape", "percent", "quote", "separator", "non-ascii", "control"}

const (
	printableChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?"
	escapedChars   = `,+"\<>;=# `
	separatorChars = ",;=+/:.@-_* "
	hexUpperLower  = "0123456789ABCDEFabcdef"
)

// nonASCIIRanges are code-point ranges the non-ASCII class draws from.
var nonASCIIRanges = [][2]rune{
	{0x00A0, 0x00FF},   // Latin-1 supplement (NBSP, é, ß)
	{0x0100, 0x024F},   // Latin extended
	{0x0370, 0x03FF},   // Greek
	{0x0400, 0x04FF},   // Cyrillic
	{0x0590, 0x05FF},   // Hebrew (right to left)
	{0x0600, 0x06FF},   // Arabic
	{0x0300, 0x036F},   // combining marks
	{0x200B, 0x200F},   // zero-width and direction marks
	{0x2028, 0x202E},   // line/paragraph separators, bidi overrides
	{0x3040, 0x30FF},   // kana
	{0x4E00, 0x9FFF},   // CJK
	{0xFF01, 0xFF5E},   // full-width forms (，＝)
	{0x1F300, 0x1F6FF}, // emoji (outside the BMP: surrogate pairs in JS)
}

// ClassRune returns one character (as a string: an escape or
// percent-encoding is several bytes) of class c.
func ClassRune(r *rand.Rand, c CharClass) string {
	switch c {
	case ClassEscape:
		if chance(r, 0.3) {
			return `\` + string(hexUpperLower[r.Intn(16)]) + string(hexUpperLower[r.Intn(len(hexUpperLower))])
		}
		return `\` + string(escapedChars[r.Intn(len(escapedChars))])
	case ClassPercent:
		switch r.Intn(6) {
		case 0:
			return "%"
		case 1:
			return "%" + string(hexUpperLower[r.Intn(len(hexUpperLower))])
		case 2:
			return "%" + string(rune('G'+r.Intn(20))) + string(rune('g'+r.Intn(20)))
		}
		return "%" + string(hexUpperLower[r.Intn(len(hexUpperLower))]) + string(hexUpperLower[r.Intn(len(hexUpperLower))])
	case ClassQuote:
		return pick(r, `"`, `'`, "`", "\u2018", "\u2019", "\u201C", "\u201D", "\u00AB", "\u00BB")
	case ClassSeparator:
		return string(separatorChars[r.Intn(len(separatorChars))])
	case ClassNonASCII:
		rg := nonASCIIRanges[r.Intn(len(nonASCIIRanges))]
		return string(rg[0] + rune(r.Intn(int(rg[1]-rg[0]+1))))
	case ClassControl:
		return string(rune(r.Intn(0x20)))
	}
	return string(printableChars[r.Intn(len(printableChars))])
}

// ClassString returns a string of n characters whose classes are drawn at
// random, printable ones most often, so that it reads like a name with
// some unusual characters in it.
func ClassString(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		c := ClassPrintable
		if chance(r, 0.35) {
			c = CharClass(1 + r.Intn(int(numCharClasses)-1))
		}
		b.WriteString(ClassRune(r, c))
	}
	return b.String()
}

// MutateString changes s by one character edit of a random class: insert,
// replace or delete a character, or insert a short run of one class. It
// works on characters, not bytes, so UTF-8 stays valid.
func MutateString(r *rand.Rand, s string) string {
	rs := []rune(s)
	cls := CharClass(r.Intn(int(numCharClasses)))
	ins := []rune(ClassRune(r, cls))
	if chance(r, 0.15) {
		for range 1 + r.Intn(4) {
			ins = append(ins, []rune(ClassRune(r, cls))...)
		}
	}
	i := 0
	if len(rs) > 0 {
		i = r.Intn(len(rs) + 1)
	}
	switch k := r.Intn(3); {
	case k == 0 || len(rs) == 0: // insert
		return string(rs[:i]) + string(ins) + string(rs[i:])
	case k == 1: // replace
		if i == len(rs) {
			i--
		}
		return string(rs[:i]) + string(ins) + string(rs[i+1:])
	default: // delete
		if i == len(rs) {
			i--
		}
		return string(rs[:i]) + string(rs[i+1:])
	}
}

// ClassOf returns the class of the first character of s.
func ClassOf(s string) CharClass {
	c, _ := utf8.DecodeRuneInString(s)
	switch {
	case c == '\\':
		return ClassEscape
	case c == '%':
		return ClassPercent
	case strings.ContainsRune("\"'`\u2018\u2019\u201C\u201D\u00AB\u00BB", c):
		return ClassQuote
	case c < 0x20:
		return ClassControl
	case c >= 0x80:
		return ClassNonASCII
	case strings.ContainsRune(separatorChars, c):
		return ClassSeparator
	}
	return ClassPrintable
}
