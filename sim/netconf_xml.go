package sim

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// xnode is a parsed XML element of an incoming NETCONF message. start and
// end are byte offsets of the element in the message, so loaders can take
// the raw text of a <configuration> subtree.
type xnode struct {
	name     xml.Name
	attrs    []xml.Attr
	children []*xnode
	text     []byte
	start    int
	end      int
}

const maxXMLDepth = 256

// parseXML parses one XML document into an element tree. DTDs are refused.
func parseXML(msg []byte) (*xnode, error) {
	dec := xml.NewDecoder(bytes.NewReader(msg))
	dec.Strict = true
	var root *xnode
	var stack []*xnode
	for {
		off := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxXMLDepth {
				return nil, errors.New("XML nested too deeply")
			}
			n := &xnode{name: t.Name, attrs: t.Copy().Attr, start: off}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			n := stack[len(stack)-1]
			n.end = int(dec.InputOffset())
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.text = append(p.text, t...)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("text outside the root element")
			}
		case xml.Directive:
			return nil, errors.New("XML directives (DTDs) are not accepted")
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("element <%s> not closed", stack[len(stack)-1].name.Local)
	}
	return root, nil
}

// child returns the first child element with the local name, or nil.
func (n *xnode) child(local string) *xnode {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.name.Local == local {
			return c
		}
	}
	return nil
}

func (n *xnode) has(local string) bool { return n.child(local) != nil }

// textOf returns the trimmed text of the named child ("" if absent).
func (n *xnode) textOf(local string) string {
	c := n.child(local)
	if c == nil {
		return ""
	}
	return strings.TrimSpace(string(c.text))
}

// attr returns the value of an attribute by local name.
func (n *xnode) attr(local string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == local && a.Name.Space != "xmlns" {
			return a.Value, true
		}
	}
	return "", false
}

// raw returns the element's bytes in msg.
func (n *xnode) raw(msg []byte) []byte {
	if n.start < 0 || n.end > len(msg) || n.start > n.end {
		return nil
	}
	return msg[n.start:n.end]
}

// ---- output helpers ----

// escText escapes text content. Unlike xml.EscapeText it keeps line feeds
// readable, and it also escapes '>' so no payload can contain "]]>]]>" or
// a literal "</rpc>".
func escText(s string) string {
	s = xmlSafe(s)
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}

// xmlSafe replaces invalid UTF-8 and characters XML 1.0 forbids (most
// control characters) with U+FFFD, so any input can be echoed in a reply.
func xmlSafe(s string) string {
	ok := true
	for _, r := range s {
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// escAttr escapes an attribute value for double quotes.
func escAttr(s string) string {
	s = xmlSafe(s)
	if !strings.ContainsAny(s, "&<>\"\n\r\t") {
		return s
	}
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\"", "&quot;", "\n", "&#xA;", "\r", "&#xD;", "\t", "&#x9;")
	return r.Replace(s)
}

// xw builds XML output with newline-separated elements, as Junos prints.
type xw struct{ b bytes.Buffer }

func (w *xw) open(name string, attrs ...string) *xw {
	w.b.WriteByte('<')
	w.b.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		fmt.Fprintf(&w.b, ` %s="%s"`, attrs[i], escAttr(attrs[i+1]))
	}
	w.b.WriteString(">\n")
	return w
}

func (w *xw) close(name string) *xw {
	w.b.WriteString("</" + name + ">\n")
	return w
}

// leaf writes <name>value</name>.
func (w *xw) leaf(name, value string, attrs ...string) *xw {
	w.b.WriteByte('<')
	w.b.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		fmt.Fprintf(&w.b, ` %s="%s"`, attrs[i], escAttr(attrs[i+1]))
	}
	w.b.WriteByte('>')
	w.b.WriteString(escText(value))
	w.b.WriteString("</" + name + ">\n")
	return w
}

// empty writes <name/>.
func (w *xw) empty(name string) *xw {
	w.b.WriteString("<" + name + "/>\n")
	return w
}

func (w *xw) raw(b []byte) *xw {
	w.b.Write(b)
	if len(b) > 0 && b[len(b)-1] != '\n' {
		w.b.WriteByte('\n')
	}
	return w
}

func (w *xw) bytes() []byte { return w.b.Bytes() }
