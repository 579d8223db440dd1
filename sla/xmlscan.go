package sla

import (
	"bytes"
	"encoding/xml"
	"strings"
	"unicode/utf8"
)

// parseTree reads an XML document into an xnode tree. Device replies are
// large and regular (elements and text, an xmlns attribute, no DTD), so a
// small scanner handles them; anything it does not take on (CDATA, DTDs,
// processing instructions other than the prolog, unknown entities,
// malformed input) falls back to encoding/xml, which also produces the
// error message for bad documents.
func parseTree(b []byte) (xnode, error) {
	if n, ok := scanTree(b); ok {
		return n, nil
	}
	var n xnode
	err := xml.Unmarshal(b, &n)
	return n, err
}

// scanTree is the fast path of parseTree; ok is false when it declines.
func scanTree(b []byte) (root xnode, ok bool) {
	if !utf8.Valid(b) || bytes.Contains(b, []byte("\uFFFE")) || bytes.Contains(b, []byte("\uFFFF")) {
		return xnode{}, false
	}
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' {
			return xnode{}, false // XML forbids them; \r is normalised
		}
	}
	var stack []*xnode
	var texts []string
	names := map[string]string{} // interned element names
	seenRoot := false
	i := 0
	for i < len(b) {
		lt := bytes.IndexByte(b[i:], '<')
		if lt < 0 {
			lt = len(b) - i
		}
		if lt > 0 {
			txt := b[i : i+lt]
			if len(stack) == 0 {
				if len(bytes.TrimSpace(txt)) > 0 {
					return xnode{}, false
				}
			} else {
				s, ok := unescape(txt)
				if !ok {
					return xnode{}, false
				}
				if t := &texts[len(texts)-1]; *t == "" {
					*t = s
				} else {
					*t += s
				}
			}
			i += lt
			continue
		}
		// b[i] == '<'
		if bytes.HasPrefix(b[i:], []byte("<?xml")) && !seenRoot && len(stack) == 0 {
			end := bytes.Index(b[i:], []byte("?>"))
			if end < 0 {
				return xnode{}, false
			}
			switch strings.TrimRight(string(b[i:i+end]), " ") {
			case `<?xml version="1.0"`, `<?xml version="1.0" encoding="UTF-8"`, `<?xml version="1.0" encoding="utf-8"`:
			default:
				return xnode{}, false
			}
			i += end + 2
			continue
		}
		if bytes.HasPrefix(b[i:], []byte("<!--")) {
			end := bytes.Index(b[i+4:], []byte("-->"))
			if end < 0 {
				return xnode{}, false
			}
			i += 4 + end + 3
			continue
		}
		gt := bytes.IndexByte(b[i:], '>')
		if gt < 0 {
			return xnode{}, false
		}
		tag := b[i+1 : i+gt]
		i += gt + 1
		if len(tag) == 0 || tag[0] == '!' || tag[0] == '?' {
			return xnode{}, false
		}
		if tag[0] == '/' {
			name := string(bytes.TrimRight(tag[1:], " \t\r\n"))
			if len(stack) == 0 || qname(stack[len(stack)-1].XMLName) != name {
				return xnode{}, false
			}
			stack[len(stack)-1].Text = texts[len(texts)-1]
			stack, texts = stack[:len(stack)-1], texts[:len(texts)-1]
			continue
		}
		selfClose := tag[len(tag)-1] == '/'
		if selfClose {
			tag = tag[:len(tag)-1]
		}
		name, attrs, _ := bytes.Cut(tag, []byte(" "))
		if !validXMLName(name) || !simpleAttrs(attrs) {
			return xnode{}, false
		}
		intern := func(b []byte) string {
			if s, ok := names[string(b)]; ok {
				return s
			}
			s := string(b)
			names[s] = s
			return s
		}
		var nm xml.Name
		if p, l, ok := bytes.Cut(name, []byte(":")); ok {
			nm = xml.Name{Space: intern(p), Local: intern(l)}
		} else {
			nm = xml.Name{Local: intern(name)}
		}
		var n *xnode
		if len(stack) == 0 {
			if seenRoot {
				return xnode{}, false
			}
			seenRoot = true
			root = xnode{XMLName: nm}
			n = &root
		} else {
			p := stack[len(stack)-1]
			p.Kids = append(p.Kids, xnode{XMLName: nm})
			n = &p.Kids[len(p.Kids)-1]
		}
		if !selfClose {
			stack = append(stack, n)
			texts = append(texts, "")
		}
		// appending to a parent's Kids may move its earlier children; they
		// are closed already, and open ones are always the last child, so
		// re-point the stack at the live copies.
		for j := 1; j < len(stack); j++ {
			p := stack[j-1]
			stack[j] = &p.Kids[len(p.Kids)-1]
		}
	}
	return root, seenRoot && len(stack) == 0
}

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func validXMLName(n []byte) bool {
	if len(n) == 0 {
		return false
	}
	for j, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9' && j > 0 || (c == '-' || c == '.') && j > 0 || c == ':' && j > 0) {
			return false
		}
	}
	return bytes.Count(n, []byte(":")) <= 1 && n[len(n)-1] != ':'
}

// simpleAttrs accepts name="value" pairs without entities or '<'.
func simpleAttrs(a []byte) bool {
	a = bytes.TrimSpace(a)
	for len(a) > 0 {
		eq := bytes.IndexByte(a, '=')
		if eq < 1 || !validXMLName(bytes.TrimSpace(a[:eq])) {
			return false
		}
		rest := bytes.TrimLeft(a[eq+1:], " ")
		if len(rest) < 2 || (rest[0] != '"' && rest[0] != '\'') {
			return false
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 || bytes.ContainsAny(rest[1:1+end], "<&") {
			return false
		}
		a = bytes.TrimSpace(rest[end+2:])
	}
	return true
}

// unescape decodes the five predefined entities; character references and
// carriage returns (which XML normalises) make it decline.
func unescape(t []byte) (string, bool) {
	if bytes.IndexByte(t, '&') < 0 {
		if bytes.IndexByte(t, '>') >= 0 && bytes.Contains(t, []byte("]]>")) || bytes.IndexByte(t, '\r') >= 0 {
			return "", false
		}
		return string(t), true
	}
	var b strings.Builder
	for len(t) > 0 {
		amp := bytes.IndexByte(t, '&')
		if amp < 0 {
			b.Write(t)
			break
		}
		b.Write(t[:amp])
		semi := bytes.IndexByte(t[amp:], ';')
		if semi < 0 {
			return "", false
		}
		ent := string(t[amp+1 : amp+semi])
		switch ent {
		case "amp":
			b.WriteByte('&')
		case "lt":
			b.WriteByte('<')
		case "gt":
			b.WriteByte('>')
		case "quot":
			b.WriteByte('"')
		case "apos":
			b.WriteByte('\'')
		default:
			return "", false
		}
		t = t[amp+semi+1:]
	}
	s := b.String()
	if strings.ContainsRune(s, '\r') {
		return "", false
	}
	return s, true
}
