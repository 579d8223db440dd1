package junosconf

import "slices"

// Tree is a Junos configuration: an ordered hierarchy of statements checked
// against the schema. The zero value is an empty configuration.
//
// Trees are persistent: Clone is O(1) and a Load, Set or Delete copies only the
// statements on the paths it changes, so a clone (a rollback entry, a
// candidate) shares every unchanged subtree with the tree it came from.
type Tree struct {
	root *elem
	// depth > 0 marks a tree returned by Sub: Text prints the statement at
	// that many levels below the root instead of the whole configuration.
	depth int
}

// token marks which working copy owns an elem; only the owner may change it
// in place. It is not zero-sized so that every new(token) is distinct.
type token struct{ _ byte }

const (
	fInactive uint8 = 1 << iota
	// Edit markers, set only in trees built from load input.
	fDelete
	fReplace      // text replace: / XML replace="replace" (load replace)
	fReplaceNow   // NETCONF operation="replace" (any action)
	fCreate       // NETCONF operation="create"
	fActivate     // active: / activate
	fDeactivate   // inactive: / deactivate
	fPathOnly     // path to a delete/activate target: never created
	editFlags     = fDelete | fReplace | fReplaceNow | fCreate | fActivate | fDeactivate | fPathOnly
	fStoredFlags  = fInactive
	noValueMarker = "\x00"
)

// elem is one statement. For a list entry val is the first key and more the
// others; for a leaf val is the value; for a leaf-list more holds the values.
type elem struct {
	s     *snode
	val   string
	more  []string
	kids  []*elem
	own   *token
	flags uint8
}

func (e *elem) inactive() bool { return e.flags&fInactive != 0 }

// sameKey reports whether e and o name the same statement under one parent.
func (e *elem) sameKey(o *elem) bool {
	if e.s != o.s {
		return false
	}
	if e.s.kind != kList {
		return true
	}
	return e.val == o.val && slices.Equal(e.more, o.more)
}

// find returns the index of the child matching k, or -1. It scans from the
// end because loads mostly touch the statements added last.
func (e *elem) find(k *elem) int {
	for i := len(e.kids) - 1; i >= 0; i-- {
		if e.kids[i].sameKey(k) {
			return i
		}
	}
	return -1
}

// insertPos returns where a new child of schema node s goes: after the last
// child whose schema position is not after s (schema order, then insertion
// order within a list).
func (e *elem) insertPos(s *snode) int {
	i := len(e.kids)
	for i > 0 && e.kids[i-1].s.ord > s.ord {
		i--
	}
	return i
}

// Clone returns a copy of t that shares its storage; changing either leaves
// the other as it was. It costs one small allocation.
func (t *Tree) Clone() *Tree {
	if t == nil {
		return &Tree{}
	}
	return &Tree{root: t.root, depth: t.depth}
}

// IsEmpty reports whether t holds no statements.
func (t *Tree) IsEmpty() bool { return t == nil || t.root == nil || len(t.root.kids) == 0 }

// Equal reports whether t and u hold the same statements in the same order
// with the same inactive marks. Nil and empty trees are equal.
func (t *Tree) Equal(u *Tree) bool {
	if t.IsEmpty() || u.IsEmpty() {
		return t.IsEmpty() == u.IsEmpty()
	}
	return elemEqual(t.root, u.root)
}

func elemEqual(a, b *elem) bool {
	if a == b {
		return true
	}
	if a.s != b.s || a.val != b.val || a.flags&fStoredFlags != b.flags&fStoredFlags ||
		!slices.Equal(a.more, b.more) || len(a.kids) != len(b.kids) {
		return false
	}
	for i := range a.kids {
		if !elemEqual(a.kids[i], b.kids[i]) {
			return false
		}
	}
	return true
}

// Active returns the configuration without its inactive statements, as the
// device applies it.
func (t *Tree) Active() *Tree {
	if t.IsEmpty() {
		return &Tree{}
	}
	r := activeCopy(t.root)
	return &Tree{root: r}
}

func activeCopy(e *elem) *elem {
	has := false
	for _, k := range e.kids {
		if k.inactive() || len(k.kids) > 0 {
			has = true
			break
		}
	}
	if !has {
		return e
	}
	c := *e
	c.own = nil
	c.kids = make([]*elem, 0, len(e.kids))
	changed := false
	for _, k := range e.kids {
		if k.inactive() {
			changed = true
			continue
		}
		nk := activeCopy(k)
		changed = changed || nk != k
		c.kids = append(c.kids, nk)
	}
	if !changed {
		return e
	}
	return &c
}

// Sub returns the part of t at a path of statement words, for example
// Sub("interfaces", "ge-0/0/1") or Sub("protocols", "bgp", "group", "IBGP"),
// or nil if t holds no such statement. The result is a configuration holding
// only that statement and its ancestors, so XML and SetLines print full paths
// (as get-configuration with a filter and `| display set` do), while Text
// prints what `show configuration interfaces ge-0/0/1` prints: the statement's
// contents (or, for a leaf, the leaf statement). With no words Sub returns a
// clone of t.
func (t *Tree) Sub(path ...string) *Tree {
	if t == nil || t.root == nil {
		return nil
	}
	if len(path) == 0 {
		return t.Clone()
	}
	chain, err := resolvePath(t.root, path)
	if err != nil || len(chain) == 0 {
		return nil
	}
	// Rebuild the ancestors holding only the chain.
	var child *elem
	for i := len(chain) - 1; i >= 0; i-- {
		e := chain[i]
		if child == nil {
			child = e
			continue
		}
		c := &elem{s: e.s, val: e.val, more: e.more, flags: e.flags, kids: []*elem{child}}
		child = c
	}
	r := &elem{s: root, kids: []*elem{child}}
	return &Tree{root: r, depth: len(chain)}
}

// resolvePath finds the existing statements named by words, returning the
// chain of elems from the top-level statement down.
func resolvePath(r *elem, words []string) ([]*elem, error) {
	toks := make([]word, len(words))
	for i, w := range words {
		toks[i] = word{s: w}
	}
	cur := r
	var chain []*elem
	i := 0
	for i < len(toks) {
		probe, n, err := probeStatement(cur.s, toks[i:], allFamilies)
		if err != nil {
			return nil, err
		}
		j := cur.find(probe)
		if j < 0 {
			return nil, errNotFound
		}
		e := cur.kids[j]
		if probe.s.kind == kLeaf && probe.val != noValueMarker && probe.val != e.val {
			return nil, errNotFound
		}
		chain = append(chain, e)
		cur = e
		i += n
	}
	return chain, nil
}

// working is a mutable view of a tree during one load. Elems it owns are
// changed in place; any other elem is copied before it is changed.
type working struct {
	tok  *token
	root *elem
}

func newWorking(r *elem) *working {
	w := &working{tok: new(token)}
	if r == nil {
		w.root = &elem{s: root, own: w.tok}
	} else {
		w.root = w.own(r)
	}
	return w
}

// own returns e itself if this working copy owns it, or an owned shallow copy.
func (w *working) own(e *elem) *elem {
	if e.own == w.tok {
		return e
	}
	c := *e
	c.own = w.tok
	c.kids = slices.Clip(slices.Clone(e.kids))
	c.more = slices.Clip(c.more)
	return &c
}

// child returns the owned child of parent (which w owns) at index i.
func (w *working) child(parent *elem, i int) *elem {
	k := parent.kids[i]
	if k.own != w.tok {
		k = w.own(k)
		parent.kids[i] = k
	}
	return k
}

func (w *working) insert(parent *elem, k *elem) int {
	i := parent.insertPos(k.s)
	parent.kids = slices.Insert(parent.kids, i, k)
	return i
}
