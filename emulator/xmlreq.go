package emulator

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits of the request XML parser. Every request body the API accepts is
// at most five levels deep and has a handful of elements; these bounds keep
// hostile bodies cheap.
const (
	maxXMLDepth = 12
	maxXMLNodes = 512
)

// node is one element of a request body: its local name, its text (the
// concatenated character data directly inside it) and its child elements.
type node struct {
	name     string
	text     string
	buf      []byte
	children []*node
}

// child returns the last child element called name (case-sensitive, as the
// model's member names), or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for i := len(n.children) - 1; i >= 0; i-- {
		if n.children[i].name == name {
			return n.children[i]
		}
	}
	return nil
}

// all returns the child elements called name, in order.
func (n *node) all(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// textOf returns the text of n's child called name and whether it exists.
func (n *node) textOf(name string) (string, bool) {
	c := n.child(name)
	if c == nil {
		return "", false
	}
	return c.text, true
}

// parseXML parses a request body whose root element must be root. It never
// expands entities or follows DTDs: any DOCTYPE is refused. The namespace is
// not checked (bodies with and without xmlns are accepted).
func parseXML(body []byte, root string) (*node, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("the request body is empty; want a <%s> document", root)
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	dec.Entity = nil // only the five predefined entities
	dec.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("encoding %q is not supported; send UTF-8", label)
	}
	var stack []*node
	var top *node
	nodes := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("the body is not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if top != nil && len(stack) == 0 {
				return nil, errors.New("the body has more than one root element")
			}
			nodes++
			if nodes > maxXMLNodes {
				return nil, fmt.Errorf("the body has more than %d elements", maxXMLNodes)
			}
			if len(stack) >= maxXMLDepth {
				return nil, fmt.Errorf("the body nests elements deeper than %d levels", maxXMLDepth)
			}
			n := &node{name: t.Name.Local}
			if len(stack) == 0 {
				if n.name != root {
					return nil, fmt.Errorf("the root element is <%s>; this operation wants <%s>", truncate(n.name, 64), root)
				}
				top = n
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, errors.New("the body is not well-formed XML: unexpected end element")
			}
			n := stack[len(stack)-1]
			n.text, n.buf = string(n.buf), nil
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				n := stack[len(stack)-1]
				n.buf = append(n.buf, t...)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("the body has text outside the root element")
			}
		case xml.Directive:
			return nil, errors.New("DOCTYPE and other XML directives are not allowed")
		case xml.ProcInst:
			if t.Target != "xml" {
				return nil, fmt.Errorf("processing instruction <?%s?> is not allowed", truncate(t.Target, 32))
			}
		}
	}
	if top == nil {
		return nil, fmt.Errorf("the body has no root element; want <%s>", root)
	}
	if len(stack) != 0 {
		return nil, errors.New("the body is not well-formed XML: unexpected end of input")
	}
	return top, nil
}

// truncate shortens s to at most n bytes (on a rune boundary) for messages,
// marking the cut with "...".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// trimXMLSpace trims the XML whitespace characters.
func trimXMLSpace(s string) string { return strings.Trim(s, " \t\r\n") }
