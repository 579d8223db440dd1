package jtree

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says how a node is written in each format.
type Kind uint8

const (
	// KindContainer is "name { … }" (or "name;" when empty, a presence
	// container), XML <name>…</name>.
	KindContainer Kind = iota
	// KindEntry is a list entry: "name key { … }", XML
	// <name><Elem>key</Elem>…</name>. With Keyword set it is
	// "name keyword key", XML <name><keyword/><Elem>key</Elem></name>
	// (Junos' keyword keys, such as "community add NAME"). With Nameless
	// set the statement word is omitted in set and text forms ("10.0.0.2
	// strict" under a path), and Name is used only as the XML element.
	KindEntry
	// KindLeaf is "name value;", XML <name>value</name>. With Elem set
	// the XML wraps the value once more: <name><Elem>value</Elem></name>
	// (route-distinguisher/rd-type, vrf-target/community).
	KindLeaf
	// KindLeafList is one value of a leaf-list: "name value;" per value
	// in set form, "name [ a b ];" in text when there are several.
	KindLeafList
	// KindFlag is an empty leaf: "name;", XML <name/>.
	KindFlag
)

// Style bits change how a node prints in text form or whether the service
// owns it.
type Style uint8

const (
	// Flat prints a container's children with its name as a prefix
	// ("family inet { … }", "family ccc;") instead of a block.
	Flat Style = 1 << iota
	// Oneliner prints a container or entry whose children are all leaves
	// and flags on one line ("vlan-tags outer 100 inner 200;").
	Oneliner
	// Owned marks a node the service adds and therefore removes on
	// decommission. Nodes not owned are shared (an interface, protocols
	// l2circuit neighbor …) and never deleted.
	Owned
	// Nameless: see KindEntry.
	Nameless
)

// Ref refers to one node of a [Tree]. The zero Ref is the root.
type Ref int32

// Root is the configuration root.
const Root Ref = 0

type node struct {
	kind    Kind
	style   Style
	name    string
	key     string // entry key, leaf value
	elem    string // XML key element (entries) or wrapper (leaves)
	keyword string
	parent  Ref
	first   Ref // first child, 0 = none
	last    Ref
	next    Ref // next sibling, 0 = none
	n       int32
}

// Tree is an ordered Junos configuration hierarchy. Children keep the
// order in which they were first added (callers add them in Junos'
// schema order); adding a statement that exists already returns the
// existing node, so a tree never holds duplicates. The zero Tree is not
// ready: use [New] or [Tree.Reset].
//
// A Tree is not safe for concurrent use.
type Tree struct {
	nodes []node
	index map[childKey]Ref
	err   error
	path  []byte // printers' scratch space
}

type childKey struct {
	parent         Ref
	kind           Kind
	name, key, kwd string
}

// indexAt is the number of children above which lookups use the map.
const indexAt = 12

// New returns an empty tree.
func New() *Tree {
	t := &Tree{}
	t.Reset()
	return t
}

// Reset empties t, keeping its storage.
func (t *Tree) Reset() {
	if t.nodes == nil {
		t.nodes = make([]node, 1, 32)
	}
	t.nodes = t.nodes[:1]
	t.nodes[0] = node{}
	if len(t.index) > 0 {
		clear(t.index)
	}
	t.err = nil
}

// Err returns the first error met while building: a value with a control
// character, or a leaf set twice to different values.
func (t *Tree) Err() error { return t.err }

// ErrBadValue is wrapped by errors for values no format can carry safely.
var ErrBadValue = errors.New("value not allowed in configuration")

// ErrConflict is wrapped by errors for a leaf given two different values.
var ErrConflict = errors.New("conflicting values")

func (t *Tree) fail(err error) {
	if t.err == nil {
		t.err = err
	}
}

// CheckValue reports whether s can be written into configuration: valid
// UTF-8 without control characters (C0, DEL, C1, U+2028, U+2029) or the
// noncharacters U+FFFE and U+FFFF.
func CheckValue(s string) error {
	for i, r := range s {
		if r == 0xFFFD && !strings.HasPrefix(s[i:], "\uFFFD") {
			return fmt.Errorf("%w: %q is not valid UTF-8", ErrBadValue, s)
		}
		if isControl(r) {
			return fmt.Errorf("%w: %q holds control character %U", ErrBadValue, s, r)
		}
	}
	return nil
}

// isControl reports the characters no form may carry: C0 controls, DEL,
// C1 controls, the Unicode line and paragraph separators, and U+FFFE and
// U+FFFF (not allowed in XML).
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 || r == 0xfffe || r == 0xffff
}

// IsControl reports whether r is a character no form may carry (see
// CheckValue).
func IsControl(r rune) bool { return isControl(r) }

func (t *Tree) checkAll(vals ...string) bool {
	for _, v := range vals {
		if !clean(v) {
			if err := CheckValue(v); err != nil {
				t.fail(err)
				return false
			}
		}
	}
	return true
}

// clean is the fast path of CheckValue for plain ASCII.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

func (t *Tree) find(p Ref, kind Kind, name, key, kwd string) Ref {
	pn := &t.nodes[p]
	if pn.n > indexAt && t.index != nil {
		if r, ok := t.index[childKey{p, kind, name, key, kwd}]; ok {
			return r
		}
		return -1
	}
	for c := pn.first; c != 0; c = t.nodes[c].next {
		n := &t.nodes[c]
		if n.name == name && n.kind == kind && n.key == key && n.keyword == kwd {
			return c
		}
	}
	return -1
}

func (t *Tree) add(p Ref, nd node) Ref {
	nd.parent = p
	r := Ref(len(t.nodes))
	t.nodes = append(t.nodes, nd)
	pn := &t.nodes[p]
	if pn.first == 0 {
		pn.first = r
	} else {
		t.nodes[pn.last].next = r
	}
	pn.last = r
	pn.n++
	if pn.n > indexAt {
		if t.index == nil {
			t.index = make(map[childKey]Ref)
		}
		if pn.n == indexAt+1 {
			for c := pn.first; c != 0; c = t.nodes[c].next {
				n := &t.nodes[c]
				t.index[childKey{p, n.kind, n.name, n.key, n.keyword}] = c
			}
		} else {
			t.index[childKey{p, nd.kind, nd.name, nd.key, nd.keyword}] = r
		}
	}
	return r
}

// Container returns the container name under p, adding it if missing.
func (t *Tree) Container(p Ref, name string) Ref {
	if r := t.find(p, KindContainer, name, "", ""); r >= 0 {
		return r
	}
	return t.add(p, node{kind: KindContainer, name: name})
}

// Entry returns the list entry "name key" under p (XML key element
// "name"), adding it if missing.
func (t *Tree) Entry(p Ref, name, key string) Ref {
	return t.EntryElem(p, name, "name", key)
}

// EntryElem is [Tree.Entry] with the XML key element elem.
func (t *Tree) EntryElem(p Ref, name, elem, key string) Ref {
	if !t.checkAll(key) {
		return p
	}
	if r := t.find(p, KindEntry, name, key, ""); r >= 0 {
		return r
	}
	return t.add(p, node{kind: KindEntry, name: name, elem: elem, key: key})
}

// KeywordEntry returns the entry "name keyword key" (XML
// <name><keyword/><elem>key</elem></name>), adding it if missing.
func (t *Tree) KeywordEntry(p Ref, name, keyword, elem, key string) Ref {
	if !t.checkAll(key) {
		return p
	}
	if r := t.find(p, KindEntry, name, key, keyword); r >= 0 {
		return r
	}
	return t.add(p, node{kind: KindEntry, name: name, elem: elem, key: key, keyword: keyword})
}

// NamelessEntry returns an entry written as its key alone in set and text
// forms and as <xmlName><name>key</name>…</xmlName> in XML.
func (t *Tree) NamelessEntry(p Ref, xmlName, key string) Ref {
	r := t.Entry(p, xmlName, key)
	if r != p {
		t.nodes[r].style |= Nameless
	}
	return r
}

// Leaf sets leaf name under p to value. Setting it again to the same
// value is a no-op; to another value, an error ([ErrConflict]).
func (t *Tree) Leaf(p Ref, name, value string) Ref {
	return t.WrappedLeaf(p, name, "", value)
}

// WrappedLeaf is a leaf whose XML wraps the value in element elem.
func (t *Tree) WrappedLeaf(p Ref, name, elem, value string) Ref {
	if !t.checkAll(value) {
		return p
	}
	for c := t.nodes[p].first; c != 0; c = t.nodes[c].next {
		n := &t.nodes[c]
		if n.kind == KindLeaf && n.name == name {
			if n.key != value {
				t.fail(fmt.Errorf("%w: %s %q and %q at %s", ErrConflict, name, n.key, value, t.Path(p)))
			}
			return c
		}
	}
	return t.add(p, node{kind: KindLeaf, name: name, elem: elem, key: value})
}

// LeafList adds value to leaf-list name under p (once).
func (t *Tree) LeafList(p Ref, name, value string) Ref {
	if !t.checkAll(value) {
		return p
	}
	if r := t.find(p, KindLeafList, name, value, ""); r >= 0 {
		return r
	}
	return t.add(p, node{kind: KindLeafList, name: name, key: value})
}

// Flag sets empty leaf name under p.
func (t *Tree) Flag(p Ref, name string) Ref {
	if r := t.find(p, KindFlag, name, "", ""); r >= 0 {
		return r
	}
	return t.add(p, node{kind: KindFlag, name: name})
}

// SetStyle adds style bits to r and returns r.
func (t *Tree) SetStyle(r Ref, s Style) Ref {
	t.nodes[r].style |= s
	return r
}

// Own marks r as added by the service (removed on decommission).
func (t *Tree) Own(r Ref) Ref { return t.SetStyle(r, Owned) }

// Len is the number of nodes, root excluded.
func (t *Tree) Len() int { return len(t.nodes) - 1 }

// IsEmpty reports whether t has no statements.
func (t *Tree) IsEmpty() bool { return len(t.nodes) == 1 }

// Path is the set-form path of r ("interfaces ge-0/0/1 unit 100"),
// unquoted, for messages.
func (t *Tree) Path(r Ref) string {
	var parts []string
	for ; r != Root; r = t.nodes[r].parent {
		n := &t.nodes[r]
		var s string
		switch {
		case n.kind == KindEntry && n.style&Nameless != 0:
			s = n.key
		case n.kind == KindEntry && n.keyword != "":
			s = n.name + " " + n.keyword + " " + n.key
		case n.kind == KindEntry || n.kind == KindLeaf || n.kind == KindLeafList:
			s = n.name + " " + n.key
		default:
			s = n.name
		}
		parts = append(parts, s)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, " ")
}

// Statements returns every statement of t as the unquoted words of its
// set line ("interfaces", "ge-0/0/1", "description", "a b"), in order:
// the tree as data, for tests that re-parse printed output.
func (t *Tree) Statements() [][]string {
	var out [][]string
	var walk func(r Ref, path []string)
	walk = func(r Ref, path []string) {
		for c := t.nodes[r].first; c != 0; c = t.nodes[c].next {
			p := append(path[:len(path):len(path)], t.words(c)...)
			if t.nodes[c].first == 0 {
				out = append(out, p)
			} else {
				walk(c, p)
			}
		}
	}
	walk(Root, nil)
	return out
}

func (t *Tree) words(r Ref) []string {
	n := &t.nodes[r]
	switch {
	case n.kind == KindEntry && n.style&Nameless != 0:
		return []string{n.key}
	case n.kind == KindEntry && n.keyword != "":
		return []string{n.name, n.keyword, n.key}
	case n.kind == KindEntry || n.kind == KindLeaf || n.kind == KindLeafList:
		return []string{n.name, n.key}
	}
	return []string{n.name}
}

// TopLevel calls yield with the name of each top-level statement, in
// order, until it returns false.
func (t *Tree) TopLevel(yield func(string) bool) {
	for c := t.nodes[Root].first; c != 0; c = t.nodes[c].next {
		if !yield(t.nodes[c].name) {
			return
		}
	}
}
