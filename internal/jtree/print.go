package jtree

// Printers. All three forms come from the same nodes; values are quoted
// and escaped here and nowhere else (see quote.go).

// AppendSet appends t as `set` lines, one per leaf, flag, leaf-list value
// and childless container or entry, in tree order.
func (t *Tree) AppendSet(b []byte) []byte {
	return t.appendSet(b, Root, 0)
}

// appendSet writes the statements under r; t.path[:n] holds the words of
// r's path (one buffer reused for every line).
func (t *Tree) appendSet(b []byte, r Ref, n int) []byte {
	for c := t.nodes[r].first; c != 0; c = t.nodes[c].next {
		t.path = t.appendWords(t.path[:n], c)
		if t.nodes[c].first == 0 {
			b = append(b, "set"...)
			b = append(b, t.path...)
			b = append(b, '\n')
		} else {
			b = t.appendSet(b, c, len(t.path))
		}
	}
	return b
}

// appendWords appends " word word" for node r, quoting keys and values.
func (t *Tree) appendWords(b []byte, r Ref) []byte {
	n := &t.nodes[r]
	if !(n.kind == KindEntry && n.style&Nameless != 0) {
		b = append(b, ' ')
		b = append(b, n.name...)
	}
	if n.keyword != "" {
		b = append(b, ' ')
		b = append(b, n.keyword...)
	}
	switch n.kind {
	case KindEntry, KindLeaf, KindLeafList:
		b = append(b, ' ')
		b = AppendQuoted(b, n.key)
	}
	return b
}

// AppendDeleteSet appends the `delete` lines that remove every owned
// statement whose parent is not owned itself, in tree order.
func (t *Tree) AppendDeleteSet(b []byte) []byte {
	return t.appendDeleteSet(b, Root, nil)
}

func (t *Tree) appendDeleteSet(b []byte, r Ref, path []byte) []byte {
	for c := t.nodes[r].first; c != 0; c = t.nodes[c].next {
		n := &t.nodes[c]
		if n.style&Owned != 0 {
			b = append(b, "delete"...)
			b = append(b, path...)
			b = t.appendDeleteWords(b, c)
			b = append(b, '\n')
		} else if t.hasOwned(c) {
			b = t.appendDeleteSet(b, c, t.appendWords(path, c))
		}
	}
	return b
}

// appendDeleteWords is appendWords without a leaf's value: `delete … mtu`.
func (t *Tree) appendDeleteWords(b []byte, r Ref) []byte {
	if t.nodes[r].kind == KindLeaf {
		b = append(b, ' ')
		return append(b, t.nodes[r].name...)
	}
	return t.appendWords(b, r)
}

func (t *Tree) hasOwned(r Ref) bool {
	for c := t.nodes[r].first; c != 0; c = t.nodes[c].next {
		if t.nodes[c].style&Owned != 0 || t.hasOwned(c) {
			return true
		}
	}
	return false
}

// HasOwned reports whether any statement of t is owned.
func (t *Tree) HasOwned() bool { return t.hasOwned(Root) }

const indentStep = "    "

func appendIndent(b []byte, depth int) []byte {
	for range depth {
		b = append(b, indentStep...)
	}
	return b
}

// AppendText appends t in curly-brace form as `show configuration` prints
// it: four-space indent, "name value;" and "name { … }".
func (t *Tree) AppendText(b []byte) []byte {
	return t.appendTextChildren(b, Root, 0, false)
}

// AppendDeleteText appends the skeleton of t leading to each owned
// statement, each written as "delete: statement;".
func (t *Tree) AppendDeleteText(b []byte) []byte {
	return t.appendTextChildren(b, Root, 0, true)
}

func (t *Tree) appendTextChildren(b []byte, r Ref, depth int, del bool) []byte {
	for c := t.nodes[r].first; c != 0; c = t.nodes[c].next {
		n := &t.nodes[c]
		if del && n.style&Owned == 0 && !t.hasOwned(c) {
			continue
		}
		if n.kind == KindLeafList && !del {
			if t.leafListSeen(r, c) {
				continue
			}
			b = t.appendLeafList(b, r, c, depth)
			continue
		}
		b = t.appendTextStmt(b, c, depth, nil, del)
	}
	return b
}

// leafListSeen reports whether an earlier sibling of c has c's name (the
// values were printed together there).
func (t *Tree) leafListSeen(r, c Ref) bool {
	for s := t.nodes[r].first; s != c; s = t.nodes[s].next {
		if t.nodes[s].kind == KindLeafList && t.nodes[s].name == t.nodes[c].name {
			return true
		}
	}
	return false
}

func (t *Tree) appendLeafList(b []byte, r, c Ref, depth int) []byte {
	name := t.nodes[c].name
	count := 0
	for s := c; s != 0; s = t.nodes[s].next {
		if t.nodes[s].kind == KindLeafList && t.nodes[s].name == name {
			count++
		}
	}
	b = appendIndent(b, depth)
	b = append(b, name...)
	if count == 1 {
		b = append(b, ' ')
		b = AppendQuoted(b, t.nodes[c].key)
		return append(b, ";\n"...)
	}
	b = append(b, " ["...)
	for s := c; s != 0; s = t.nodes[s].next {
		if t.nodes[s].kind == KindLeafList && t.nodes[s].name == name {
			b = append(b, ' ')
			b = AppendQuoted(b, t.nodes[s].key)
		}
	}
	return append(b, " ];\n"...)
}

// appendTextStmt writes statement c; prefix holds the words of enclosing
// Flat containers.
func (t *Tree) appendTextStmt(b []byte, c Ref, depth int, prefix []byte, del bool) []byte {
	n := &t.nodes[c]
	if del && n.style&Owned != 0 {
		b = appendIndent(b, depth)
		b = append(b, "delete:"...)
		b = append(b, prefix...)
		b = t.appendDeleteWords(b, c)
		return append(b, ";\n"...)
	}
	if n.style&Flat != 0 && n.first != 0 {
		p := append(append(prefix[:len(prefix):len(prefix)], ' '), n.name...)
		for s := n.first; s != 0; s = t.nodes[s].next {
			if del && t.nodes[s].style&Owned == 0 && !t.hasOwned(s) {
				continue
			}
			b = t.appendTextStmt(b, s, depth, p, del)
		}
		return b
	}
	b = appendIndent(b, depth)
	words := t.appendWords(nil, c)
	if len(prefix) > 0 {
		b = append(b, prefix[1:]...)
		b = append(b, words...)
	} else {
		b = append(b, words[1:]...)
	}
	if n.first == 0 {
		return append(b, ";\n"...)
	}
	if n.style&Oneliner != 0 && !del && t.simpleChildren(c) {
		for s := n.first; s != 0; s = t.nodes[s].next {
			b = t.appendWords(b, s)
		}
		return append(b, ";\n"...)
	}
	b = append(b, " {\n"...)
	b = t.appendTextChildren(b, c, depth+1, del)
	b = appendIndent(b, depth)
	return append(b, "}\n"...)
}

func (t *Tree) simpleChildren(r Ref) bool {
	for s := t.nodes[r].first; s != 0; s = t.nodes[s].next {
		if k := t.nodes[s].kind; k != KindLeaf && k != KindFlag {
			return false
		}
	}
	return true
}

// AppendXML appends t as a <configuration> document for NETCONF
// <load-configuration format="xml"> (no namespaces, two-space indent).
func (t *Tree) AppendXML(b []byte) []byte {
	b = append(b, "<configuration>\n"...)
	b = t.appendXMLChildren(b, Root, 1, false)
	return append(b, "</configuration>\n"...)
}

// AppendDeleteXML appends the skeleton of t leading to each owned
// statement, marked operation="delete".
func (t *Tree) AppendDeleteXML(b []byte) []byte {
	b = append(b, "<configuration>\n"...)
	b = t.appendXMLChildren(b, Root, 1, true)
	return append(b, "</configuration>\n"...)
}

const xmlIndent = "  "

func appendXMLIndent(b []byte, depth int) []byte {
	for range depth {
		b = append(b, xmlIndent...)
	}
	return b
}

func (t *Tree) appendXMLChildren(b []byte, r Ref, depth int, del bool) []byte {
	for c := t.nodes[r].first; c != 0; c = t.nodes[c].next {
		n := &t.nodes[c]
		owned := del && n.style&Owned != 0
		if del && !owned && !t.hasOwned(c) {
			continue
		}
		b = appendXMLIndent(b, depth)
		b = append(b, '<')
		b = append(b, n.name...)
		if owned {
			b = append(b, ` operation="delete"`...)
		}
		switch n.kind {
		case KindFlag:
			b = append(b, "/>\n"...)
			continue
		case KindLeaf, KindLeafList:
			if owned && n.kind == KindLeaf {
				b = append(b, "/>\n"...)
				continue
			}
			b = append(b, '>')
			if n.elem != "" {
				b = append(b, '<')
				b = append(b, n.elem...)
				b = append(b, '>')
				b = AppendXMLEscaped(b, n.key)
				b = append(b, "</"...)
				b = append(b, n.elem...)
				b = append(b, '>')
			} else {
				b = AppendXMLEscaped(b, n.key)
			}
			b = append(b, "</"...)
			b = append(b, n.name...)
			b = append(b, ">\n"...)
			continue
		case KindContainer:
			if n.first == 0 || owned {
				b = append(b, "/>\n"...)
				continue
			}
			b = append(b, ">\n"...)
		case KindEntry:
			b = append(b, ">\n"...)
			if n.keyword != "" {
				b = appendXMLIndent(b, depth+1)
				b = append(b, '<')
				b = append(b, n.keyword...)
				b = append(b, "/>\n"...)
			}
			b = appendXMLIndent(b, depth+1)
			b = append(b, '<')
			b = append(b, n.elem...)
			b = append(b, '>')
			b = AppendXMLEscaped(b, n.key)
			b = append(b, "</"...)
			b = append(b, n.elem...)
			b = append(b, ">\n"...)
			if owned {
				b = appendXMLIndent(b, depth)
				b = append(b, "</"...)
				b = append(b, n.name...)
				b = append(b, ">\n"...)
				continue
			}
		}
		b = t.appendXMLChildren(b, c, depth+1, del)
		b = appendXMLIndent(b, depth)
		b = append(b, "</"...)
		b = append(b, n.name...)
		b = append(b, ">\n"...)
	}
	return b
}

// AppendKeptSet appends the set lines of what remains of t once its owned
// statements are removed: the shared statements a decommission leaves in
// place. A container or entry left without children prints as its own
// line, as a device shows it.
func (t *Tree) AppendKeptSet(b []byte) []byte {
	return t.appendKeptSet(b, Root, nil)
}

func (t *Tree) appendKeptSet(b []byte, r Ref, path []byte) []byte {
	for c := t.nodes[r].first; c != 0; c = t.nodes[c].next {
		if t.nodes[c].style&Owned != 0 {
			continue
		}
		p := t.appendWords(path, c)
		if !t.hasKept(c) {
			b = append(b, "set"...)
			b = append(b, p...)
			b = append(b, '\n')
		} else {
			b = t.appendKeptSet(b, c, p)
		}
	}
	return b
}

func (t *Tree) hasKept(r Ref) bool {
	for c := t.nodes[r].first; c != 0; c = t.nodes[c].next {
		if t.nodes[c].style&Owned == 0 {
			return true
		}
	}
	return false
}
