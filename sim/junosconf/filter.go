package junosconf

import "strings"

// Filter applies a NETCONF subtree filter, as given to get-config or
// get-configuration, and returns the selected part of t. The filter is a
// <configuration> element (optionally inside <filter>); an empty one selects
// everything. Inside it, an empty element selects a statement with all its
// contents, an element with children narrows the selection, and an element
// with text (a list key such as <name>ge-0/0/1</name>, or a leaf) selects
// only the entries or containers holding that value. Elements the schema does
// not know select nothing. Errors: malformed XML ([ErrSyntax]).
func (t *Tree) Filter(filterXML []byte) (*Tree, error) {
	top, err := readXML(filterXML)
	if err != nil {
		return nil, Errors{err}
	}
	if top.name == "filter" {
		if len(top.kids) == 0 {
			return t.Clone(), nil
		}
		top = top.kids[0]
	}
	if top.name != "configuration" {
		return nil, Errors{newErr(ErrSyntax, nil, top.name, "filter: expected <configuration>", top.line)}
	}
	if t.IsEmpty() {
		return &Tree{}, nil
	}
	if len(top.kids) == 0 {
		return t.Clone(), nil
	}
	kids, _ := filterKids(t.root, top.kids)
	if len(kids) == 0 {
		return &Tree{}, nil
	}
	return &Tree{root: &elem{s: root, kids: kids}}, nil
}

// filterKids returns the children of e selected by the filter elements fs,
// and false when a content-match condition fails.
func filterKids(e *elem, fs []*xnode) ([]*elem, bool) {
	var sel []*xnode
	for _, f := range fs {
		s := e.s.byXML[f.name]
		if s == nil {
			continue
		}
		txt := strings.TrimSpace(f.text.String())
		if (s.kind == kLeaf || s.kind == kLeafList) && txt != "" && len(f.kids) == 0 {
			// content match: e must hold this value
			ok := false
			for _, k := range e.kids {
				if k.s == s && (k.val == txt || containsStr(k.more, txt)) {
					ok = true
				}
			}
			if !ok {
				return nil, false
			}
		}
		sel = append(sel, f)
	}
	onlyMatch := true
	for _, f := range sel {
		s := e.s.byXML[f.name]
		if !(s.kind == kLeaf || s.kind == kLeafList) || strings.TrimSpace(f.text.String()) == "" {
			onlyMatch = false
		}
	}
	if onlyMatch && len(sel) > 0 {
		return e.kids, true
	}
	var out []*elem
	for _, k := range e.kids {
		for _, f := range sel {
			if e.s.byXML[f.name] != k.s {
				continue
			}
			if r := filterOne(k, f); r != nil {
				out = append(out, r)
				break
			}
		}
	}
	return out, true
}

// filterOne applies one filter element to a matching statement.
func filterOne(k *elem, f *xnode) *elem {
	s := k.s
	if len(f.kids) == 0 {
		return k // selection node (or content match already checked)
	}
	if !s.kind.hasBlock() {
		return nil
	}
	var rest []*xnode
	if s.kind == kList {
		for _, c := range f.kids {
			i := s.isKeyXML(c.name)
			if i < 0 {
				rest = append(rest, c)
				continue
			}
			want := strings.TrimSpace(c.text.String())
			got := k.val
			if i > 0 {
				got = k.more[i-1]
			}
			if s.keys[i].ident && s.keys[i].xml != c.name {
				want = c.name
			}
			if want != "" && want != got {
				return nil
			}
		}
		if len(rest) == 0 {
			return k
		}
	} else {
		rest = f.kids
	}
	kids, ok := filterKids(k, rest)
	if !ok || len(kids) == 0 {
		return nil
	}
	c := *k
	c.own = nil
	c.kids = kids
	return &c
}
