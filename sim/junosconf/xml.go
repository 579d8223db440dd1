package junosconf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// xnode is a generic XML element, the first stage of XML parsing.
type xnode struct {
	name  string
	attrs []xml.Attr
	text  strings.Builder
	kids  []*xnode
	line  int
}

// readXML parses body into xnodes and returns the document element.
func readXML(body []byte) (*xnode, *Error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	var stack []*xnode
	var top *xnode
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line = se.Line
			}
			return nil, newErr(ErrSyntax, nil, "", "xml: "+strings.TrimPrefix(err.Error(), "XML syntax error on line "), line)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: t.Name.Local, attrs: t.Attr, line: line}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else if top != nil {
				return nil, newErr(ErrSyntax, nil, t.Name.Local, "xml: more than one document element", line)
			} else {
				top = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, newErr(ErrSyntax, nil, "", "xml: text outside the document element", line)
			}
		}
	}
	if top == nil {
		return nil, newErr(ErrSyntax, nil, "", "xml: no configuration element", 0)
	}
	return top, nil
}

// parseXML builds an edit tree from a <configuration> document (optionally
// wrapped in a NETCONF <config>).
func parseXML(body []byte, fam Family) (*elem, *Error) {
	top, err := readXML(body)
	if err != nil {
		return nil, err
	}
	if top.name == "config" && len(top.kids) == 1 {
		top = top.kids[0]
	}
	if top.name != "configuration" {
		return nil, newErr(ErrSyntax, nil, top.name, "syntax error: expected <configuration>", top.line)
	}
	r := &elem{s: root}
	if err := convKids(r, top, fam, nil); err != nil {
		return nil, err
	}
	return r, nil
}

func attrFlags(x *xnode) (uint8, *Error) {
	var f uint8
	for _, a := range x.attrs {
		switch a.Name.Local {
		case "operation":
			switch a.Value {
			case "delete", "remove":
				f |= fDelete
			case "replace":
				f |= fReplaceNow
			case "create":
				f |= fCreate
			case "merge":
			default:
				return 0, newErr(ErrSyntax, nil, x.name, "invalid operation attribute: "+a.Value, x.line)
			}
		case "delete":
			if a.Value == "delete" {
				f |= fDelete
			}
		case "replace":
			if a.Value == "replace" {
				f |= fReplace
			}
		case "inactive":
			if a.Value == "inactive" {
				f |= fDeactivate
			}
		case "active":
			if a.Value == "active" {
				f |= fActivate
			}
		}
	}
	return f, nil
}

func hasElementKids(x *xnode) bool { return len(x.kids) > 0 }

func convKids(parent *elem, x *xnode, fam Family, path []string) *Error {
	for _, k := range x.kids {
		if err := conv(parent, k, fam, path); err != nil {
			return err
		}
	}
	if parent.s.kind.hasBlock() && strings.TrimSpace(x.text.String()) != "" && parent.s.kind != kList {
		return newErr(ErrSyntax, path, x.name, "syntax error: unexpected text", x.line)
	}
	return nil
}

func conv(parent *elem, x *xnode, fam Family, path []string) *Error {
	s := parent.s.byXML[x.name]
	if s == nil {
		return newErr(ErrSyntax, path, x.name, "syntax error", x.line)
	}
	if s.fam&fam == 0 {
		return newErr(ErrNotInFamily, path, s.name, "syntax error: "+s.name+" is not available on "+fam.String(), x.line)
	}
	flags, err := attrFlags(x)
	if err != nil {
		err.Path = banner(path)
		return err
	}
	e := &elem{s: s}
	text := x.text.String()
	del := flags&fDelete != 0
	value := func(t *vtype) (string, *Error) {
		v := text
		if t.base != tString {
			v = strings.TrimSpace(v)
		}
		if msg := t.check(v); msg != "" {
			return "", newErr(ErrInvalidValue, path, s.name, msg, x.line)
		}
		return v, nil
	}
	switch s.kind {
	case kLeaf, kLeafList:
		if hasElementKids(x) {
			return newErr(ErrSyntax, path, x.kids[0].name, "syntax error", x.kids[0].line)
		}
		if del && strings.TrimSpace(text) == "" {
			if s.kind == kLeaf {
				e.val = noValueMarker
			}
			break
		}
		v, err := value(&s.typ)
		if err != nil {
			return err
		}
		if s.kind == kLeaf {
			e.val = v
		} else {
			e.more = []string{v}
		}
	case kFlag:
		if hasElementKids(x) || strings.TrimSpace(text) != "" {
			return newErr(ErrSyntax, path, s.name, "syntax error: "+s.name+" takes no value", x.line)
		}
	case kList:
		vals := make([]string, len(s.keys))
		found := make([]bool, len(s.keys))
		var rest []*xnode
		for _, c := range x.kids {
			i := s.isKeyXML(c.name)
			if i < 0 || found[i] {
				rest = append(rest, c)
				continue
			}
			k := &s.keys[i]
			var v string
			if k.ident && k.xml != c.name {
				v = c.name
			} else {
				v = c.text.String()
				if k.typ.base != tString {
					v = strings.TrimSpace(v)
				}
			}
			if msg := k.typ.check(v); msg != "" {
				return newErr(ErrInvalidValue, path, s.name, msg, c.line)
			}
			vals[i], found[i] = v, true
		}
		for i, ok := range found {
			if !ok {
				return newErr(ErrSyntax, path, s.name, "syntax error: missing "+s.keys[i].xml, x.line)
			}
		}
		e.val = vals[0]
		if len(vals) > 1 {
			e.more = vals[1:]
		}
		x = &xnode{name: x.name, kids: rest, line: x.line}
	}
	k := addEdit(parent, e)
	k.flags |= flags
	if s.kind.hasBlock() {
		return convKids(k, x, fam, stepWords(k, path[:len(path):len(path)]))
	}
	return nil
}

// XML prints t as get-configuration returns it: a <configuration> element
// without namespaces, four spaces per level, keys first in each list entry,
// <flag/> for empty statements, inactive="inactive" on inactive ones, and
// text escaped.
func (t *Tree) XML() []byte {
	var b bytes.Buffer
	b.WriteString("<configuration>\n")
	if t != nil && t.root != nil {
		for _, k := range t.root.kids {
			writeXML(&b, k, 1)
		}
	}
	b.WriteString("</configuration>\n")
	return b.Bytes()
}

func xmlText(b *bytes.Buffer, s string) {
	// xml.EscapeText only fails on writer errors; bytes.Buffer has none.
	_ = xml.EscapeText(b, []byte(s))
}

func xmlLeaf(b *bytes.Buffer, depth int, name, val string) {
	for range depth {
		b.WriteString(indentUnit)
	}
	b.WriteByte('<')
	b.WriteString(name)
	b.WriteByte('>')
	xmlText(b, val)
	b.WriteString("</")
	b.WriteString(name)
	b.WriteString(">\n")
}

func writeXML(b *bytes.Buffer, e *elem, depth int) {
	s := e.s
	ind := func(d int) {
		for range d {
			b.WriteString(indentUnit)
		}
	}
	attr := ""
	if e.inactive() {
		attr = ` inactive="inactive"`
	}
	switch s.kind {
	case kLeaf:
		if attr == "" {
			xmlLeaf(b, depth, s.xml, e.val)
			return
		}
		ind(depth)
		b.WriteString("<" + s.xml + attr + ">")
		xmlText(b, e.val)
		b.WriteString("</" + s.xml + ">\n")
		return
	case kLeafList:
		for _, v := range e.more {
			ind(depth)
			b.WriteString("<" + s.xml + attr + ">")
			xmlText(b, v)
			b.WriteString("</" + s.xml + ">\n")
		}
		return
	}
	ind(depth)
	if s.kind != kList && len(e.kids) == 0 {
		b.WriteString("<" + s.xml + attr + "/>\n")
		return
	}
	b.WriteString("<" + s.xml + attr + ">\n")
	if s.kind == kList {
		for i, k := range s.keys {
			v := e.val
			if i > 0 {
				v = e.more[i-1]
			}
			if k.ident {
				ind(depth + 1)
				b.WriteString("<" + v + "/>\n")
				continue
			}
			xmlLeaf(b, depth+1, k.xml, v)
		}
	}
	for _, k := range e.kids {
		writeXML(b, k, depth+1)
	}
	ind(depth)
	b.WriteString("</" + s.xml + ">\n")
}
